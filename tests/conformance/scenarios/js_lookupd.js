'use strict'
// Discovery through the nsqlookupd HTTP API: nsqjs and pynsq Readers given only the lookupd
// address find this nsqd (/lookup) and consume; lookupd lists the topic and the channels.
const c = require('../lib/nsqconf')

const N = 30

c.run('js_lookupd', async (e) => {
  const topic = c.unique('js_lookupd')
  const bodies = c.numbered('discovered', N)

  c.step(`create topic ${topic} with channels js and py on nsqd`)
  await c.createChannel(e, topic, 'js')
  await c.createChannel(e, topic, 'py')

  c.step('nsqlookupd /lookup lists this nsqd for the topic')
  const found = await c.waitUntil(
    `/lookup?topic=${topic} to list a producer`,
    async () => {
      const r = await c.httpRequest(e.lookupd, 'GET', '/lookup', {topic})
      return r.status === 200 ? JSON.parse(r.body.toString('utf8')) : {status: r.status, body: r.body.toString()}
    },
    (r) => Array.isArray(r.producers) && r.producers.length > 0
  )
  c.checkEq(found.producers.length, 1, 'number of producers for the topic')
  const p = found.producers[0]
  c.checkEq(p.broadcast_address, '127.0.0.1', 'producer broadcast_address')
  c.checkEq(p.tcp_port, e.tcpPort, "producer tcp_port (must be NSQD_TCP_ADDRESS's port)")
  c.checkEq(p.http_port, e.httpPort, "producer http_port (must be NSQD_HTTP_ADDRESS's port)")
  c.checkEq([...(found.channels || [])].sort(), ['js', 'py'], 'channels in /lookup')
  const topics = await c.httpJson(e.lookupd, '/topics')
  c.check((topics.topics || []).includes(topic), `/topics ${c.short(topics)} lacks ${topic}`)

  c.step(`nsqjs Writer publishes ${N} messages`)
  const w = await c.writer(e)
  await c.publish(w, topic, bodies)

  c.step('nsqjs Reader (lookupd only) on js and pynsq Reader (lookupd only) on py consume')
  const consumer = new c.Consumer(e, topic, 'js', {lookupd: true, maxInFlight: 10})
  const connectedTo = new Promise((resolve) => consumer.reader.once('nsqd_connected', (host, port) => resolve([host, port])))
  consumer.connect()
  const [result] = await Promise.all([c.runTool(c.pythonTool('consume.py', topic, 'py', N, '--lookupd')), consumer.waitCount(N)])
  c.checkSameBodies(consumer.bodies(), bodies, 'channel js (nsqjs via lookupd)')
  c.checkSameBodies(c.recordsFromTool(result).map((r) => r.body), bodies, 'channel py (pynsq via lookupd)')
  c.checkEq(await connectedTo, ['127.0.0.1', e.tcpPort], 'address nsqjs connected to')
  await consumer.flushed()
  consumer.close()

  c.step('/stats: both channels drained')
  await c.waitTopicStats(e, topic, 'both channels drained', (t) =>
    ['js', 'py'].every((n) => {
      const ch = c.channelStats(t, n)
      return ch !== null && ch.depth === 0 && ch.in_flight_count === 0 && ch.message_count === N
    })
  )
  await c.closeWriter(w)
})
