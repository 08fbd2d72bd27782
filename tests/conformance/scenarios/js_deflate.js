'use strict'
// Deflate stream compression negotiated in IDENTIFY: nsqjs publishes over a deflate
// connection; nsqjs and pynsq consume over deflate connections; bodies intact, /stats shows
// deflate on both sides.
const c = require('../lib/nsqconf')

c.run('js_deflate', async (e) => {
  const topic = c.unique('js_deflate')
  const bodies = [...c.sampleBodies('deflate'), ...c.numbered('deflate', 60)]

  c.step(`create topic ${topic} with channels js and py`)
  await c.createChannel(e, topic, 'js')
  await c.createChannel(e, topic, 'py')

  c.step(`nsqjs Writer with deflate publishes ${bodies.length} messages (PUB and MPUB)`)
  const w = await c.writer(e, 10000, {deflate: true})
  for (const body of bodies.slice(0, 8)) await c.publish(w, topic, body)
  await c.publish(w, topic, bodies.slice(8))
  const s = await c.stats(e, topic)
  const producers = (s.producers || []).filter((p) => String(p.user_agent || '').startsWith('nsqjs/'))
  c.checkEq(producers.map((p) => p.deflate), [true], 'deflate flag of the nsqjs producer in /stats')

  c.step('nsqjs (deflate) reads channel js while pynsq (deflate) reads channel py')
  const consumer = new c.Consumer(e, topic, 'js', {maxInFlight: 20, options: {deflate: true}}).connect()
  const [result] = await Promise.all([
    c.runTool(c.pythonTool('consume.py', topic, 'py', bodies.length, '--deflate')),
    consumer.waitCount(bodies.length),
  ])
  c.checkSameBodies(consumer.bodies(), bodies, 'channel js (nsqjs, deflate)')
  c.checkSameBodies(c.recordsFromTool(result).map((r) => r.body), bodies, 'channel py (pynsq, deflate)')
  await consumer.flushed()

  c.step('/stats: the nsqjs consumer is marked deflate, channels drained')
  const t = await c.waitTopicStats(e, topic, 'both channels drained', (t) =>
    ['js', 'py'].every((n) => {
      const ch = c.channelStats(t, n)
      return ch !== null && ch.depth === 0 && ch.in_flight_count === 0
    })
  )
  const clients = c.channelStats(t, 'js').clients || []
  c.checkEq(clients.map((cl) => [cl.deflate, cl.snappy]), [[true, false]], 'deflate/snappy flags of the nsqjs consumer')
  consumer.close()
  await c.closeWriter(w)
})
