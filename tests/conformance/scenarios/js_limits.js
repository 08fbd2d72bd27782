'use strict'
// Size limits as nsqjs sees them (broker run with --max-msg-size 1024 --max-body-size 2048):
// PUB of exactly 1024 bytes works; 1025 bytes and oversized MPUBs get nsqd's fatal error frames
// (E_BAD_MESSAGE / E_BAD_BODY with nsqd's wording) and the connection is closed.
const c = require('../lib/nsqconf')

async function expectError(w, topic, msgs, expected) {
  const closed = new Promise((resolve) => w.once('closed', resolve))
  const answer = new Promise((resolve) => w.publish(topic, msgs, (err) => resolve(err || null)))
  const err = await c.withTimeout(answer, 10000, 'the answer to the publish')
  c.check(err instanceof Error, `publish should fail, it succeeded`)
  c.checkEq(err.message, expected, 'error frame')
  await c.withTimeout(closed, 10000, `nsqjs to see the connection closed after ${expected.split(' ')[0]}`)
}

c.run('js_limits', async (e) => {
  const topic = c.unique('js_limits')

  c.step('PUB of exactly --max-msg-size (1024 bytes) is accepted')
  let w = await c.writer(e)
  await c.publish(w, topic, Buffer.alloc(1024, 'x'))

  c.step('PUB of 1025 bytes: E_BAD_MESSAGE, connection closed')
  await expectError(w, topic, Buffer.alloc(1025, 'x'), 'E_BAD_MESSAGE PUB message too big 1025 > 1024')

  c.step('MPUB with one 1025-byte message: E_BAD_MESSAGE')
  w = await c.writer(e)
  await expectError(
    w,
    topic,
    [Buffer.alloc(10, 'y'), Buffer.alloc(1025, 'y')],
    'E_BAD_MESSAGE MPUB message too big 1025 > 1024'
  )

  c.step('MPUB whose body exceeds --max-body-size (2048): E_BAD_BODY')
  w = await c.writer(e)
  // body = 4 (count) + 3 * (4 + 700) = 2116 bytes
  await expectError(w, topic, [Buffer.alloc(700, 'z'), Buffer.alloc(700, 'z'), Buffer.alloc(700, 'z')],
    'E_BAD_BODY MPUB body too big 2116 > 2048')

  c.step('only the accepted message was stored, and it can be consumed')
  const t = c.topicStats(await c.stats(e, topic), topic)
  c.check(t !== null, 'topic missing from /stats')
  c.checkEq(t.message_count, 1, 'topic message_count (only the accepted PUB)')
  const consumer = new c.Consumer(e, topic, 'limits').connect()
  await consumer.waitCount(1)
  c.checkEq(consumer.bodies().map((b) => b.toString()), ['x'.repeat(1024)], 'bodies consumed')
  await consumer.flushed()
  consumer.close()
})
