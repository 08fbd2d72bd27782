'use strict'
// DPUB and message timeout with nsqjs (broker run with --msg-timeout 1s): a deferPublish of
// 1000 ms is deferred, then delivered; held without FIN it times out and comes back with
// attempts 2; /stats counts the timeout.
const c = require('../lib/nsqconf')

const chan = (t) => c.channelStats(t, 'slow') || {}

c.run('js_timeout', async (e) => {
  const topic = c.unique('js_timeout')
  const body = Buffer.from('deferred, then timed out')
  const seenAt = []

  c.step(`create topic ${topic} and channel slow; an nsqjs Reader subscribes`)
  await c.createChannel(e, topic, 'slow')
  const consumer = new c.Consumer(e, topic, 'slow', {
    maxInFlight: 2,
    mode: (msg) => {
      seenAt.push(Date.now())
      return msg.attempts === 1 ? 'none' : 'fin' // hold the first delivery: no FIN, REQ or TOUCH
    },
  }).connect()
  await c.waitTopicStats(e, topic, 'the reader to be subscribed with RDY >= 1', (t) =>
    (chan(t).clients || []).some((cl) => cl.ready_count >= 1)
  )

  c.step('nsqjs Writer deferPublish()es the message with a 1000 ms delay (DPUB)')
  const w = await c.writer(e)
  const sent = Date.now()
  await c.withTimeout(
    // nsqjs 0.13.0's deferPublish only works with a one-element array (a bare Buffer throws
    // 'Expect an array of messages to produceMessages' inside nsqjs); it still sends DPUB.
    new Promise((resolve, reject) => w.deferPublish(topic, [body], 1000, (err) => (err ? reject(err) : resolve()))),
    10000,
    'the answer to DPUB'
  )
  const t0 = await c.waitTopicStats(
    e,
    topic,
    'deferred_count 1 (or the delivery)',
    (t) => chan(t).deferred_count === 1 || consumer.records.length > 0
  )
  if (consumer.records.length === 0) c.checkEq(chan(t0).depth, 0, 'channel depth while the DPUB is deferred')

  c.step('the message arrives after its delay; it is held until --msg-timeout (1s) requeues it')
  await consumer.waitCount(1, 10000)
  c.check(seenAt[0] - sent >= 800, `DPUB of 1000 ms was delivered after only ${seenAt[0] - sent} ms`)
  await consumer.waitCount(2, 10000)
  const [first, second] = consumer.records
  c.checkEq([first.attempts, second.attempts], [1, 2], 'attempts before and after the timeout')
  c.checkEq(second.id, first.id, 'message id after the timeout')
  c.checkEq(second.body.toString(), body.toString(), 'body after the timeout')
  const heldFor = seenAt[1] - seenAt[0]
  c.check(heldFor >= 500, `message timed out after only ${heldFor} ms with --msg-timeout 1s`)
  await consumer.flushed()

  c.step('/stats: timeout_count 1, the redelivery finished')
  const t = await c.waitTopicStats(
    e,
    topic,
    'the FIN of the redelivery to be counted',
    (t) => chan(t).in_flight_count === 0 && (chan(t).clients || []).reduce((n, cl) => n + cl.finish_count, 0) === 1
  )
  c.checkEq(chan(t).timeout_count, 1, 'channel timeout_count')
  c.checkEq(chan(t).requeue_count, 0, 'channel requeue_count (a timeout is not a REQ)')
  c.checkEq(chan(t).message_count, 1, 'channel message_count')
  c.checkEq(chan(t).deferred_count, 0, 'channel deferred_count')
  c.checkEq(chan(t).depth, 0, 'channel depth')
  c.checkEq(((chan(t).clients || [])[0] || {}).message_count, 2, 'client message_count (two deliveries)')
  consumer.close()
  await c.closeWriter(w)
})
