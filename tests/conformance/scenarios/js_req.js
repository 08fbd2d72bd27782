'use strict'
// REQ with nsqjs: a requeued message comes back with attempts + 1 (same id, body, timestamp);
// a REQ with a delay is deferred (deferred_count) and comes back after the delay.
const c = require('../lib/nsqconf')

c.run('js_req', async (e) => {
  const topic = c.unique('js_req')
  const body = Buffer.from('requeue me \u0000\u00ff', 'latin1')
  const seenAt = []

  c.step(`nsqjs Writer PUBs one message to ${topic}`)
  const w = await c.writer(e)
  await c.publish(w, topic, body)

  c.step('nsqjs Reader requeues it (delay 0) on attempt 1')
  const consumer = new c.Consumer(e, topic, 'req', {
    mode: (msg) => {
      seenAt.push(Date.now())
      if (msg.attempts === 1) {
        msg.requeue(0, false) // REQ <id> 0, no backoff
        return 'none'
      }
      if (msg.attempts === 2) {
        msg.requeue(1000, false) // REQ <id> 1000
        return 'none'
      }
      return 'fin'
    },
  }).connect()
  await consumer.waitCount(2)
  const [first, second] = consumer.records
  c.checkEq(first.attempts, 1, 'attempts of the first delivery')
  c.checkEq(second.attempts, 2, 'attempts after one REQ')
  c.checkEq(second.id, first.id, 'message id after REQ')
  c.checkEq(second.body.toString('hex'), body.toString('hex'), 'body after REQ')
  c.checkEq(second.timestamp.toString(), first.timestamp.toString(), 'timestamp after REQ (nsqd keeps the original)')

  c.step('the REQ with 1000 ms delay shows up as deferred_count 1 in /stats')
  const t = await c.waitTopicStats(
    e,
    topic,
    'deferred_count 1 or the third delivery',
    (t) => (c.channelStats(t, 'req') || {}).deferred_count === 1 || consumer.records.length >= 3
  )
  if (consumer.records.length < 3) {
    const ch = c.channelStats(t, 'req')
    c.checkEq(ch.in_flight_count, 0, 'in_flight_count while deferred')
    c.checkEq(ch.depth, 0, 'depth while deferred (deferred messages are not in depth)')
  }

  c.step('the message comes back after the delay with attempts 3')
  await consumer.waitCount(3, 10000)
  const third = consumer.records[2]
  c.checkEq(third.attempts, 3, 'attempts after two REQs')
  c.checkEq(third.id, first.id, 'message id after the delayed REQ')
  const waited = seenAt[2] - seenAt[1]
  c.check(waited >= 800, `delayed REQ of 1000 ms came back after only ${waited} ms`)
  await consumer.flushed()

  c.step('/stats: requeue_count 2, message_count 1, finished, nothing left')
  const done = await c.waitTopicStats(e, topic, 'the FIN to be counted', (t) => {
    const ch = c.channelStats(t, 'req')
    return ch !== null && ch.in_flight_count === 0 && (ch.clients || []).reduce((n, cl) => n + cl.finish_count, 0) === 1
  })
  const ch = c.channelStats(done, 'req')
  c.checkEq(ch.requeue_count, 2, 'channel requeue_count')
  c.checkEq(ch.message_count, 1, 'channel message_count (REQ does not count as a new message)')
  c.checkEq(ch.depth, 0, 'channel depth')
  c.checkEq(ch.deferred_count, 0, 'channel deferred_count')
  c.checkEq(ch.timeout_count, 0, 'channel timeout_count')
  c.checkEq((ch.clients || []).length, 1, 'number of clients on the channel')
  const cl = ch.clients[0]
  c.checkEq(cl.message_count, 3, 'client message_count (deliveries)')
  c.checkEq(cl.requeue_count, 2, 'client requeue_count')
  c.checkEq(cl.finish_count, 1, 'client finish_count')
  c.checkEq(cl.user_agent, `nsqjs/${require('nsqjs/package.json').version}`, 'client user_agent (from IDENTIFY)')
  consumer.close()
  await c.closeWriter(w)
})
