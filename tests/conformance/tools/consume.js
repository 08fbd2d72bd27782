'use strict'
// Helper for the pynsq scenarios: consume COUNT messages with nsqjs, FIN each, print them.
//
// usage: consume.js TOPIC CHANNEL COUNT [--lookupd] [--max-in-flight N] [--compression deflate|snappy]
// Prints {"messages": [{"id", "body_hex", "attempts", "timestamp"}...]} as JSON on stdout.

const c = require('../lib/nsqconf')

const argv = process.argv.slice(2)
const positional = []
const opts = {lookupd: false, maxInFlight: 8, compression: null}
for (let i = 0; i < argv.length; i++) {
  if (argv[i] === '--lookupd') opts.lookupd = true
  else if (argv[i] === '--max-in-flight') opts.maxInFlight = Number(argv[++i])
  else if (argv[i] === '--compression') opts.compression = argv[++i]
  else positional.push(argv[i])
}
const [topic, channel, countText] = positional
const count = Number(countText)
if (!topic || !channel || !(count > 0)) {
  process.stderr.write('usage: consume.js TOPIC CHANNEL COUNT [--lookupd] [--max-in-flight N] [--compression deflate|snappy]\n')
  process.exit(2)
}

c.run(
  'consume.js',
  async (e) => {
    c.step(`nsqjs Reader ${topic}/${channel} (${opts.lookupd ? 'lookupd' : 'nsqd'}) waits for ${count} messages`)
    const clientId = `conformance-consume-${process.pid}` // identifies us in /stats
    const consumer = new c.Consumer(e, topic, channel, {
      lookupd: opts.lookupd,
      maxInFlight: opts.maxInFlight,
      options: {clientId, ...(opts.compression ? {[opts.compression]: true} : {})},
    })
    consumer.connect()
    await consumer.waitCount(count, 20000)
    // Exit only once nsqd has counted every FIN: nsqjs may still hold them (e.g. in its
    // deflate/snappy stream), and its close() writes CLS around that stream.
    await c.waitClientFinished(e, topic, channel, clientId, count)
    consumer.close()
    const messages = consumer.records.map((r) => ({
      id: r.id,
      body_hex: r.body.toString('hex'),
      attempts: r.attempts,
      timestamp: r.timestamp.toString(),
    }))
    process.stdout.write(JSON.stringify({messages}))
  },
  30,
  true
)
