'use strict'
// /stats?format=json agrees with what nsqjs did: topic and channel counters, the producer's
// pub_counts, and a consumer's per-client counters through FIN, in-flight and REQ.
const c = require('../lib/nsqconf')

const PUBS = 5
const MPUB = 8
const TOTAL = PUBS + MPUB
const FIN_FIRST = 9
const HOLD = TOTAL - FIN_FIRST // == maxInFlight

const chan = (t) => c.channelStats(t, 'st') || {}
const client = (t) => {
  const clients = chan(t).clients || []
  return clients.length === 1 ? clients[0] : {}
}

c.run('js_stats', async (e) => {
  const topic = c.unique('js_stats')
  const bodies = []
  for (let i = 0; i < TOTAL; i++) bodies.push(Buffer.from(`stat-${String(i).padStart(2, '0')}`.repeat(i + 1)))

  c.step(`nsqjs Writer: ${PUBS} PUB + one MPUB of ${MPUB} to ${topic}`)
  const w = await c.writer(e)
  for (const body of bodies.slice(0, PUBS)) await c.publish(w, topic, body)
  await c.publish(w, topic, bodies.slice(PUBS))

  c.step('/stats before any channel exists')
  const s = await c.stats(e)
  let t = c.topicStats(s, topic)
  c.check(t !== null, 'topic missing from unfiltered /stats')
  c.checkEq(t.message_count, TOTAL, 'topic message_count')
  c.checkEq(t.depth, TOTAL, 'topic depth')
  c.checkEq(t.backend_depth, 0, 'topic backend_depth')
  c.checkEq(t.message_bytes, bodies.reduce((n, b) => n + b.length, 0), 'topic message_bytes')
  c.checkEq(t.paused, false, 'topic paused')
  c.checkEq(t.channels, [], 'topic channels')
  c.checkEq(c.producerPubCount(s, 'nsqjs/', topic), TOTAL, 'producer pub_counts for the topic')
  c.checkEq(s.version, '1.3.0', '/stats version')
  c.checkEq(s.health, 'OK', '/stats health')

  c.step(`nsqjs Reader on channel st: FIN the first ${FIN_FIRST}, hold ${HOLD} in flight`)
  const held = []
  const consumer = new c.Consumer(e, topic, 'st', {
    maxInFlight: HOLD,
    mode: (msg) => {
      if (consumer.records.length <= FIN_FIRST) return 'fin'
      held.push(msg) // neither FIN nor REQ for now
      return 'none'
    },
  }).connect()
  await consumer.waitCount(TOTAL)
  await consumer.flushed()
  t = await c.waitTopicStats(
    e,
    topic,
    `finish_count ${FIN_FIRST} and in_flight_count ${HOLD}`,
    (t) => client(t).finish_count === FIN_FIRST && chan(t).in_flight_count === HOLD
  )
  c.checkEq(t.depth, 0, 'topic depth once the channel exists')
  c.checkEq(t.message_count, TOTAL, 'topic message_count')
  c.checkEq(chan(t).message_count, TOTAL, 'channel message_count')
  c.checkEq(chan(t).depth, 0, 'channel depth')
  c.checkEq(chan(t).client_count, 1, 'channel client_count')
  let cl = client(t)
  c.checkEq(cl.message_count, TOTAL, 'client message_count')
  c.checkEq(cl.in_flight_count, HOLD, 'client in_flight_count')
  c.checkEq(cl.requeue_count, 0, 'client requeue_count')
  c.checkEq(cl.state, 3, 'client state (3 = subscribed)')
  c.checkEq(cl.user_agent, `nsqjs/${require('nsqjs/package.json').version}`, 'client user_agent')

  c.step('REQ one held message, FIN the others and then the redelivery')
  const [first, ...rest] = held.splice(0)
  first.requeue(0, false)
  for (const m of rest) m.finish()
  await consumer.waitCount(TOTAL + 1)
  c.checkEq(consumer.records[TOTAL].attempts, 2, 'attempts of the redelivered message')
  c.checkEq(held.length, 1, 'messages held after the redelivery')
  held.pop().finish()
  await consumer.flushed()

  t = await c.waitTopicStats(
    e,
    topic,
    'every message finished',
    (t) => client(t).finish_count === TOTAL && chan(t).in_flight_count === 0
  )
  const ch = chan(t)
  c.checkEq(ch.message_count, TOTAL, 'channel message_count after REQ')
  c.checkEq(ch.requeue_count, 1, 'channel requeue_count')
  c.checkEq(ch.timeout_count, 0, 'channel timeout_count')
  c.checkEq(ch.depth, 0, 'channel depth')
  c.checkEq(ch.deferred_count, 0, 'channel deferred_count')
  cl = client(t)
  c.checkEq(cl.message_count, TOTAL + 1, 'client message_count (deliveries incl. the redelivery)')
  c.checkEq(cl.requeue_count, 1, 'client requeue_count')
  c.checkEq(cl.in_flight_count, 0, 'client in_flight_count')

  c.step('filtered /stats?topic=&channel= returns just that channel')
  const f = await c.httpJson(e.http, '/stats', {format: 'json', topic, channel: 'st'})
  c.checkEq((f.topics || []).map((x) => x.topic_name), [topic], 'topics in filtered /stats')
  c.checkEq((f.topics[0].channels || []).map((x) => x.channel_name), ['st'], 'channels in filtered /stats')

  c.step('consumer disconnects: the channel has no clients')
  consumer.close()
  await c.waitTopicStats(e, topic, 'client_count 0', (t) => chan(t).client_count === 0)
  await c.closeWriter(w)
})
