'use strict'
// MPUB with nsqjs (publish with an array, several batches), consume with pynsq: complete.
const c = require('../lib/nsqconf')

c.run('js_mpub', async (e) => {
  const topic = c.unique('js_mpub')
  const batches = [c.sampleBodies('mpub-a'), c.numbered('mpub-b', 250), c.numbered('mpub-c', 2)]
  const everything = batches.flat()

  c.step(`nsqjs Writer publishes ${batches.length} arrays (${everything.length} messages, MPUB) to ${topic}`)
  const w = await c.writer(e)
  for (const batch of batches) await c.publish(w, topic, batch)

  c.step('/stats counts every message of every batch')
  const s = await c.stats(e, topic)
  const t = c.topicStats(s, topic)
  c.check(t !== null, `topic ${topic} missing from /stats after MPUB`)
  c.checkEq(t.message_count, everything.length, 'topic message_count')
  c.checkEq(t.message_bytes, everything.reduce((n, b) => n + b.length, 0), 'topic message_bytes')
  c.checkEq(c.producerPubCount(s, 'nsqjs/', topic), everything.length, 'pub_counts of the nsqjs producer')

  c.step('pynsq Reader consumes all of them')
  const result = await c.runTool(c.pythonTool('consume.py', topic, 'all', everything.length, '--max-in-flight', 50))
  const records = c.recordsFromTool(result)
  c.checkSameBodies(records.map((r) => r.body), everything, 'bodies seen by pynsq')
  c.checkIds(records, 'pynsq')
  await c.waitTopicStats(e, topic, `channel all drained with message_count ${everything.length}`, (t) => {
    const ch = c.channelStats(t, 'all')
    return ch !== null && ch.depth === 0 && ch.in_flight_count === 0 && ch.message_count === everything.length
  })
  await c.closeWriter(w)
})
