'use strict'
// Stream compression (deflate or snappy) negotiated in IDENTIFY, nsqjs side: nsqjs publishes
// over a compressed connection; nsqjs and pynsq consume over compressed connections; bodies
// intact, /stats shows the feature on both sides. Used by scenarios/js_deflate.js, js_snappy.js.
const c = require('./nsqconf')

async function scenario(e, kind) {
  const topic = c.unique(`js_${kind}`)
  const bodies = [...c.sampleBodies(kind), ...c.numbered(kind, 60)]
  const other = kind === 'deflate' ? 'snappy' : 'deflate'

  c.step(`create topic ${topic} with channels js and py`)
  await c.createChannel(e, topic, 'js')
  await c.createChannel(e, topic, 'py')

  c.step(`nsqjs Writer with ${kind} publishes ${bodies.length} messages (PUB and MPUB)`)
  const w = await c.writer(e, 10000, {[kind]: true})
  for (const body of bodies.slice(0, 8)) await c.publish(w, topic, body)
  await c.publish(w, topic, bodies.slice(8))
  const s = await c.stats(e, topic)
  const producers = (s.producers || []).filter((p) => String(p.user_agent || '').startsWith('nsqjs/'))
  c.checkEq(producers.map((p) => [p[kind], p[other]]), [[true, false]], `${kind}/${other} flags of the nsqjs producer in /stats`)

  c.step(`nsqjs (${kind}) reads channel js while pynsq (${kind}) reads channel py`)
  const consumer = new c.Consumer(e, topic, 'js', {maxInFlight: 20, options: {[kind]: true}}).connect()
  const [result] = await Promise.all([
    c.runTool(c.pythonTool('consume.py', topic, 'py', bodies.length, '--compression', kind)),
    consumer.waitCount(bodies.length),
  ])
  c.checkSameBodies(consumer.bodies(), bodies, `channel js (nsqjs, ${kind})`)
  c.checkSameBodies(c.recordsFromTool(result).map((r) => r.body), bodies, `channel py (pynsq, ${kind})`)
  await consumer.flushed()

  c.step(`/stats: the nsqjs consumer is marked ${kind}, channels drained`)
  const t = await c.waitTopicStats(e, topic, 'both channels drained', (t) =>
    ['js', 'py'].every((n) => {
      const ch = c.channelStats(t, n)
      return ch !== null && ch.depth === 0 && ch.in_flight_count === 0
    })
  )
  const clients = c.channelStats(t, 'js').clients || []
  c.checkEq(clients.map((cl) => [cl[kind], cl[other]]), [[true, false]], `${kind}/${other} flags of the nsqjs consumer`)
  consumer.close()
  await c.closeWriter(w)
}

module.exports = {scenario}
