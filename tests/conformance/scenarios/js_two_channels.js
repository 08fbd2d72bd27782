'use strict'
// Two channels on one topic each get every message: channel a read by nsqjs, channel b by pynsq.
const c = require('../lib/nsqconf')

const N = 120

c.run('js_two_channels', async (e) => {
  const topic = c.unique('js_two_channels')
  const bodies = c.numbered('fanout', N)

  c.step(`create topic ${topic} with channels a and b over HTTP`)
  await c.createChannel(e, topic, 'a')
  await c.createChannel(e, topic, 'b')

  c.step(`nsqjs Writer publishes ${N} messages (half PUB, half MPUB)`)
  const w = await c.writer(e)
  for (const body of bodies.slice(0, N / 2)) await c.publish(w, topic, body)
  await c.publish(w, topic, bodies.slice(N / 2))

  const t = c.topicStats(await c.stats(e, topic), topic)
  for (const name of ['a', 'b']) {
    const ch = c.channelStats(t, name)
    c.check(ch !== null, `channel ${name} missing from /stats`)
    c.checkEq(ch.message_count, N, `channel ${name} message_count before consuming`)
    c.checkEq(ch.depth, N, `channel ${name} depth before consuming`)
  }

  c.step('nsqjs reads channel a while pynsq reads channel b')
  const consumer = new c.Consumer(e, topic, 'a', {maxInFlight: 20}).connect()
  const [result] = await Promise.all([
    c.runTool(c.pythonTool('consume.py', topic, 'b', N, '--max-in-flight', 20)),
    consumer.waitCount(N),
  ])
  c.checkSameBodies(consumer.bodies(), bodies, 'channel a (nsqjs)')
  c.checkSameBodies(c.recordsFromTool(result).map((r) => r.body), bodies, 'channel b (pynsq)')
  await consumer.flushed()

  c.step(`/stats: both channels drained, ${N} messages each`)
  const done = await c.waitTopicStats(e, topic, 'both channels drained', (t) =>
    ['a', 'b'].every((n) => {
      const ch = c.channelStats(t, n)
      return ch !== null && ch.depth === 0 && ch.in_flight_count === 0
    })
  )
  c.checkEq(done.message_count, N, 'topic message_count')
  c.checkEq(consumer.records.length, N, 'messages delivered on channel a (no duplicates)')
  consumer.close()
  await c.closeWriter(w)
})
