'use strict'
// Three nsqjs Readers on one channel share 300 messages: each message exactly once overall,
// every reader gets some.
const c = require('../lib/nsqconf')

const N = 300
const READERS = 3

c.run('js_shared_channel', async (e) => {
  const topic = c.unique('js_shared')
  const bodies = c.numbered('shared', N)

  c.step(`create topic ${topic} and channel work over HTTP`)
  await c.createChannel(e, topic, 'work')

  c.step(`start ${READERS} nsqjs Readers (maxInFlight 1 each) and wait until all have RDY > 0`)
  const consumers = []
  for (let i = 0; i < READERS; i++) consumers.push(new c.Consumer(e, topic, 'work', {label: `reader${i}`}).connect())
  await c.waitTopicStats(e, topic, `${READERS} subscribed clients with ready_count >= 1`, (t) => {
    const clients = (c.channelStats(t, 'work') || {}).clients || []
    return clients.filter((cl) => cl.ready_count >= 1).length === READERS
  })

  c.step(`nsqjs Writer publishes ${N} messages (arrays of 100, MPUB)`)
  const w = await c.writer(e)
  for (let i = 0; i < N; i += 100) await c.publish(w, topic, bodies.slice(i, i + 100))

  c.step(`the readers receive ${N} messages between them`)
  await c.waitUntil(
    `${N} messages across the readers`,
    () => consumers.map((x) => x.records.length),
    (counts) => counts.reduce((a, b) => a + b, 0) >= N,
    20000
  )
  for (const x of consumers) await x.flushed()
  const t = await c.waitTopicStats(e, topic, 'channel drained and every FIN counted', (t) => {
    const ch = c.channelStats(t, 'work')
    return (
      ch !== null &&
      ch.depth === 0 &&
      ch.in_flight_count === 0 &&
      (ch.clients || []).reduce((n, cl) => n + cl.finish_count, 0) === N
    )
  })

  const records = consumers.flatMap((x) => x.records)
  const counts = consumers.map((x) => x.records.length)
  c.log(`messages per reader: ${counts}`)
  c.checkEq(records.length, N, 'messages delivered in total (no duplicates, no losses)')
  c.checkSameBodies(records.map((r) => r.body), bodies, "union of the readers' bodies")
  c.checkIds(records, 'all readers')
  c.check(counts.every((n) => n > 0), `every reader should get a share of the messages, got ${counts}`)
  c.checkEq([...new Set(records.map((r) => r.attempts))], [1], 'attempts (nothing was redelivered)')

  const ch = c.channelStats(t, 'work')
  c.checkEq(ch.message_count, N, 'channel message_count')
  c.checkEq(ch.requeue_count, 0, 'channel requeue_count')
  c.checkEq(ch.client_count, READERS, 'channel client_count')
  const perClient = (ch.clients || []).map((cl) => cl.message_count).sort((a, b) => a - b)
  c.checkEq(perClient, [...counts].sort((a, b) => a - b), "per-client message_count in /stats vs what each reader got")
  for (const x of consumers) x.close()
  await c.closeWriter(w)
})
