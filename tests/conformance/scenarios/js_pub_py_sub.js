'use strict'
// PUB with nsqjs, consume with pynsq: every body arrives byte-for-byte, once, attempts 1.
const c = require('../lib/nsqconf')

c.run('js_pub_py_sub', async (e) => {
  const topic = c.unique('js_pub_py_sub')
  const bodies = [...c.sampleBodies('nsqjs'), ...c.numbered('nsqjs', 40)]
  const since = Date.now()

  c.step(`nsqjs Writer PUBs ${bodies.length} messages to ${topic} (no channel yet)`)
  const w = await c.writer(e)
  for (const body of bodies) await c.publish(w, topic, body)

  c.step('/stats shows the topic holding them')
  const s = await c.stats(e, topic)
  const t = c.topicStats(s, topic)
  c.check(t !== null, `topic ${topic} missing from /stats after PUB`)
  c.checkEq(t.message_count, bodies.length, 'topic message_count')
  c.checkEq(t.depth, bodies.length, 'topic depth (no channel yet, messages wait in the topic)')
  c.checkEq(t.message_bytes, bodies.reduce((n, b) => n + b.length, 0), 'topic message_bytes')
  c.checkEq(t.channels, [], 'topic channels')
  c.checkEq(c.producerPubCount(s, 'nsqjs/', topic), bodies.length, 'pub_counts of the nsqjs producer')

  c.step('pynsq Reader consumes them from channel py')
  const result = await c.runTool(c.pythonTool('consume.py', topic, 'py', bodies.length))
  const records = c.recordsFromTool(result)
  c.checkSameBodies(records.map((r) => r.body), bodies, 'bodies seen by pynsq')
  c.checkEq([...new Set(records.map((r) => r.attempts))], [1], 'attempts of first deliveries')
  c.checkIds(records, 'pynsq')
  c.checkTimestamps(records, since, 'pynsq')

  c.step('/stats shows the channel drained')
  const drained = await c.waitTopicStats(e, topic, 'channel py to be drained (depth 0, in flight 0)', (t) => {
    const ch = c.channelStats(t, 'py')
    return ch !== null && ch.depth === 0 && ch.in_flight_count === 0
  })
  const ch = c.channelStats(drained, 'py')
  c.checkEq(drained.depth, 0, 'topic depth after the channel took the messages')
  c.checkEq(ch.message_count, bodies.length, 'channel message_count')
  c.checkEq(ch.requeue_count, 0, 'channel requeue_count')
  c.checkEq(ch.timeout_count, 0, 'channel timeout_count')
  await c.closeWriter(w)
})
