'use strict'
// Shared helpers for the nsqjs conformance scenarios.
//
// Every scenario reads the broker's addresses from NSQD_TCP_ADDRESS, NSQD_HTTP_ADDRESS and
// NSQLOOKUPD_HTTP_ADDRESS (as `nsq-cli dev -- CMD` sets them), runs under a hard deadline
// (exit 3 with the step it was stuck in), and waits for conditions with deadlines rather
// than sleeping. Exit codes: 0 pass, 1 assertion failed, 2 bad environment, 3 timeout.

const path = require('path')
const {spawn} = require('child_process')
const nsq = require('nsqjs')

const CONFORMANCE_DIR = path.dirname(__dirname)
const state = {name: 'scenario', step: 'starting', timeout: 0, children: []}

class Failure extends Error {}

// ------------------------------------------------------------------ output, steps, deadline

function log(msg) {
  process.stderr.write(`[${state.name}] ${msg}\n`)
}

function step(desc) {
  state.step = desc
  log(`-- ${desc}`)
}

function exit(code) {
  for (const child of state.children) {
    if (child.exitCode === null) child.kill('SIGKILL')
  }
  // Let stdout/stderr drain before exiting.
  process.stdout.write('', () => process.stderr.write('', () => process.exit(code)))
}

function check(cond, msg) {
  if (!cond) throw new Failure(msg)
}

function short(value, limit = 600) {
  let text
  try {
    text = JSON.stringify(value, (k, v) => (typeof v === 'bigint' ? v.toString() : v))
  } catch (e) {
    text = String(value)
  }
  if (text === undefined) text = String(value)
  return text.length <= limit ? text : `${text.slice(0, limit)}...(${text.length} chars)`
}

function checkEq(actual, expected, what) {
  if (short(actual, Infinity) !== short(expected, Infinity)) {
    throw new Failure(`${what}: expected ${short(expected)}, got ${short(actual)}`)
  }
}

function env() {
  const values = {}
  for (const key of ['NSQD_TCP_ADDRESS', 'NSQD_HTTP_ADDRESS', 'NSQLOOKUPD_HTTP_ADDRESS']) {
    const value = process.env[key] || ''
    if (!value.includes(':')) {
      process.stderr.write(
        `${state.name}: environment variable ${key} must be HOST:PORT (got ${JSON.stringify(value)}); ` +
          'run under `nsq-cli dev -- ...`\n'
      )
      exit(2)
      return null
    }
    values[key] = value
  }
  const port = (addr) => Number(addr.slice(addr.lastIndexOf(':') + 1))
  const host = (addr) => addr.slice(0, addr.lastIndexOf(':'))
  return {
    tcp: values.NSQD_TCP_ADDRESS,
    http: values.NSQD_HTTP_ADDRESS,
    lookupd: values.NSQLOOKUPD_HTTP_ADDRESS,
    tcpHost: host(values.NSQD_TCP_ADDRESS),
    tcpPort: port(values.NSQD_TCP_ADDRESS),
    httpPort: port(values.NSQD_HTTP_ADDRESS),
  }
}

// Runs `main(env)` under a hard deadline, then exits the process.
// A helper tool (tool=true) prints its PASS line on stderr: its stdout carries JSON.
function run(name, main, timeoutSec = 45, tool = false) {
  state.name = name
  state.timeout = timeoutSec
  setTimeout(() => {
    process.stderr.write(
      `TIMEOUT: ${name} did not finish within ${timeoutSec}s; it was at step: ${state.step}\n`
    )
    exit(3)
  }, timeoutSec * 1000)
  process.on('unhandledRejection', (err) => {
    process.stderr.write(`FAIL: ${name}: unhandled rejection at step ${state.step}: ${err && err.stack}\n`)
    exit(1)
  })
  const e = env()
  if (!e) return
  Promise.resolve()
    .then(() => main(e))
    .then(
      () => {
        ;(tool ? process.stderr : process.stdout).write(`${tool ? '\n' : ''}PASS ${name}\n`)
        exit(0)
      },
      (err) => {
        if (err instanceof Failure) {
          process.stderr.write(`FAIL: ${name}: ${err.message} (at step: ${state.step})\n`)
        } else {
          process.stderr.write(`${err && err.stack}\nFAIL: ${name} crashed at step: ${state.step}\n`)
        }
        exit(1)
      }
    )
}

function unique(prefix) {
  return `${prefix}_${process.pid}_${Date.now() % 1000000}`
}

// ------------------------------------------------------------------ bodies

function sampleBodies(tag) {
  const big = Buffer.alloc(200 * 1024)
  for (let i = 0; i < big.length; i++) big[i] = (i * 13 + 5) % 256
  const all = Buffer.alloc(256)
  for (let i = 0; i < 256; i++) all[i] = 255 - i
  return [
    Buffer.from(`${tag} plain ascii`),
    all,
    Buffer.alloc(16),
    Buffer.from(`${tag} h\u00e9llo w\u00f6rld \u2713 \u65e5\u672c`, 'utf8'),
    Buffer.from('line one\nline two\r\nMPUB fake\n'),
    Buffer.from([0, 0, 0, 6, 0, 0, 0, 1, 0x45, 0x5f]),
    Buffer.from(' '),
    big,
  ]
}

function numbered(tag, n) {
  const out = []
  for (let i = 0; i < n; i++) out.push(Buffer.from(`${tag}-${String(i).padStart(4, '0')}`))
  return out
}

// ------------------------------------------------------------------ HTTP (nsqd / nsqlookupd)

async function httpRequest(addr, method, pathname, params, body) {
  const url = new URL(`http://${addr}${pathname}`)
  for (const [k, v] of Object.entries(params || {})) url.searchParams.set(k, v)
  const resp = await fetch(url, {method, body, signal: AbortSignal.timeout(5000)})
  const text = Buffer.from(await resp.arrayBuffer())
  return {status: resp.status, body: text}
}

async function httpJson(addr, pathname, params) {
  const {status, body} = await httpRequest(addr, 'GET', pathname, params)
  if (status !== 200) {
    throw new Failure(`GET ${pathname} ${short(params)} answered ${status}: ${body.toString().slice(0, 300)}`)
  }
  try {
    return JSON.parse(body.toString('utf8'))
  } catch (err) {
    throw new Failure(`GET ${pathname} ${short(params)} answered non-JSON: ${body.toString().slice(0, 300)}`)
  }
}

async function httpPost(addr, pathname, params, body = '') {
  const resp = await httpRequest(addr, 'POST', pathname, params, body)
  if (resp.status !== 200) {
    throw new Failure(`POST ${pathname} ${short(params)} answered ${resp.status}: ${resp.body.toString().slice(0, 300)}`)
  }
  return resp.body
}

async function createChannel(e, topic, channel) {
  await httpPost(e.http, '/topic/create', {topic})
  await httpPost(e.http, '/channel/create', {topic, channel})
}

async function stats(e, topic) {
  const params = {format: 'json'}
  if (topic) params.topic = topic
  return httpJson(e.http, '/stats', params)
}

function topicStats(s, topic) {
  return (s.topics || []).find((t) => t.topic_name === topic) || null
}

function channelStats(t, channel) {
  return ((t && t.channels) || []).find((c) => c.channel_name === channel) || null
}

function producerPubCount(s, userAgentPrefix, topic) {
  let total = 0
  for (const p of s.producers || []) {
    if (String(p.user_agent || '').startsWith(userAgentPrefix)) {
      for (const pc of p.pub_counts || []) {
        if (pc.topic === topic) total += pc.count
      }
    }
  }
  return total
}

// Waits until /stats shows the client `clientId` on topic/channel with finish_count >= n:
// the broker has processed that client's FINs (a client-independent flush signal).
async function waitClientFinished(e, topic, channel, clientId, n, timeoutMs = 10000) {
  const mine = (t) => ((channelStats(t, channel) || {}).clients || []).find((cl) => cl.client_id === clientId) || {}
  await waitTopicStats(
    e,
    topic,
    `client ${clientId} to have ${n} FINs counted on ${topic}/${channel}`,
    (t) => (mine(t).finish_count || 0) >= n,
    timeoutMs
  )
}

function summarize(t) {
  if (!t) return 'topic missing from /stats'
  const parts = [`topic depth=${t.depth} message_count=${t.message_count}`]
  for (const c of t.channels || []) {
    const clients = (c.clients || []).map(
      (cl) =>
        `rdy=${cl.ready_count} inflight=${cl.in_flight_count} msgs=${cl.message_count} ` +
        `fin=${cl.finish_count} req=${cl.requeue_count}`
    )
    parts.push(
      `channel ${c.channel_name} depth=${c.depth} in_flight=${c.in_flight_count} deferred=${c.deferred_count} ` +
        `message_count=${c.message_count} requeue=${c.requeue_count} timeout=${c.timeout_count} ` +
        `clients=[${clients.join(', ')}]`
    )
  }
  return parts.join('; ')
}

const tick = () => new Promise((resolve) => setTimeout(resolve, 20))

// Polls probe() until ok(observation); Failure with the last observation on timeout.
async function waitUntil(what, probe, ok, timeoutMs = 10000, describe = short) {
  const deadline = Date.now() + timeoutMs
  for (;;) {
    const last = await probe()
    if (ok(last)) return last
    if (Date.now() >= deadline) {
      throw new Failure(`timed out after ${timeoutMs / 1000}s waiting for ${what}; last seen: ${describe(last)}`)
    }
    await tick()
  }
}

async function waitTopicStats(e, topic, what, ok, timeoutMs = 10000) {
  return waitUntil(
    what,
    async () => topicStats(await stats(e, topic), topic),
    (t) => t !== null && ok(t),
    timeoutMs,
    summarize
  )
}

function withTimeout(promise, timeoutMs, what) {
  let timer
  const timeout = new Promise((resolve, reject) => {
    timer = setTimeout(() => reject(new Failure(`timed out after ${timeoutMs / 1000}s waiting for ${what}`)), timeoutMs)
  })
  return Promise.race([promise, timeout]).finally(() => clearTimeout(timer))
}

// ------------------------------------------------------------------ nsqjs producers

// An nsqjs Writer whose connection has completed IDENTIFY.
// options go to nsqjs (e.g. {deflate: true}).
async function writer(e, timeoutMs = 10000, options = {}) {
  const w = new nsq.Writer(e.tcpHost, e.tcpPort, options)
  w.errors = []
  const ready = new Promise((resolve, reject) => {
    w.once('ready', resolve)
    w.once('error', reject)
  })
  w.on('error', (err) => {
    w.errors.push(err)
    log(`nsqjs Writer error: ${err && err.message}`)
  })
  w.connect()
  await withTimeout(ready, timeoutMs, `nsqjs Writer to connect to ${e.tcp}`)
  return w
}

// Publishes one message (PUB) or an array (MPUB if it has more than one element).
async function publish(w, topic, msgs, timeoutMs = 10000) {
  const done = new Promise((resolve, reject) => {
    w.publish(topic, msgs, (err) => (err ? reject(err) : resolve()))
  })
  const kind = Array.isArray(msgs) && msgs.length > 1 ? 'MPUB' : 'PUB'
  try {
    await withTimeout(done, timeoutMs, `the answer to ${kind} ${topic}`)
  } catch (err) {
    if (err instanceof Failure) throw err
    throw new Failure(`${kind} ${topic} failed: ${err && err.message}`)
  }
}

async function closeWriter(w, timeoutMs = 5000) {
  const closed = new Promise((resolve) => w.once('closed', resolve))
  w.close()
  await withTimeout(closed, timeoutMs, 'the nsqjs Writer to close')
}

// ------------------------------------------------------------------ nsqjs consumers

// An nsqjs Reader that records every message it is given. mode(message, record) decides the
// response: return 'fin' (default) to finish, or 'none' after responding / holding it itself.
class Consumer {
  constructor(e, topic, channel, {label, lookupd = false, maxInFlight = 1, mode, options = {}} = {}) {
    this.label = label || channel
    this.records = []
    this.errors = []
    this.mode = mode
    this.waiters = []
    const readerOptions = {maxInFlight, maxAttempts: 0, lookupdPollInterval: 1, ...options}
    if (lookupd) readerOptions.lookupdHTTPAddresses = [e.lookupd]
    else readerOptions.nsqdTCPAddresses = [e.tcp]
    this.reader = new nsq.Reader(topic, channel, readerOptions)
    this.reader.on('error', (err) => {
      this.errors.push(err)
      log(`nsqjs Reader ${this.label} error: ${err && err.message}`)
    })
    this.reader.on('message', (msg) => this.handle(msg))
    this.connected = new Promise((resolve) => this.reader.once('nsqd_connected', resolve))
  }

  connect() {
    this.reader.connect()
    return this
  }

  handle(msg) {
    const record = {
      id: msg.id,
      body: Buffer.from(msg.body),
      attempts: msg.attempts,
      timestamp: BigInt(msg.timestamp),
    }
    this.records.push(record)
    const action = this.mode ? this.mode(msg, record) : 'fin'
    if (action === 'fin') msg.finish()
    for (const w of this.waiters) {
      if (this.records.length >= w.n) w.resolve()
    }
  }

  async waitCount(n, timeoutMs = 15000) {
    if (this.records.length >= n) return
    const p = new Promise((resolve) => this.waiters.push({n, resolve}))
    try {
      await withTimeout(p, timeoutMs, `consumer ${this.label} to get ${n} messages`)
    } catch (err) {
      throw new Failure(`consumer ${this.label}: got ${this.records.length} of ${n} messages in ${timeoutMs / 1000}s`)
    }
  }

  bodies() {
    return this.records.map((r) => r.body)
  }

  // Waits until the sockets have handed every queued FIN/REQ to the kernel.
  async flushed(timeoutMs = 5000) {
    // Responses are written on the next tick after finish()/requeue().
    await new Promise((resolve) => setImmediate(resolve))
    const pending = () =>
      (this.reader.readerRdy.connections || []).map((cr) => (cr.conn && cr.conn.conn ? cr.conn.conn.writableLength : 0))
    await waitUntil(`consumer ${this.label} to flush its sockets`, pending, (p) => p.every((n) => n === 0), timeoutMs)
  }

  // Closes the reader's connections (nsqjs writes CLS, then ends the socket).
  close() {
    this.reader.close()
  }
}

function checkTimestamps(records, sinceMs, what) {
  const lo = BigInt(sinceMs - 5000) * 1000000n
  const hi = BigInt(Date.now() + 5000) * 1000000n
  for (const r of records) {
    check(r.timestamp >= lo && r.timestamp <= hi, `${what}: message timestamp ${r.timestamp} is not nanoseconds near now`)
  }
}

function checkIds(records, what) {
  const ids = records.map((r) => r.id)
  for (const id of ids) check(Buffer.byteLength(id, 'latin1') === 16, `${what}: message id ${short(id)} is not 16 bytes`)
  check(new Set(ids).size === ids.length, `${what}: duplicate message ids among ${ids.length} messages`)
}

// Multiset equality of Buffer bodies, with a readable difference on failure.
function checkSameBodies(got, expected, what) {
  const key = (b) => b.toString('hex')
  const missing = new Map()
  for (const b of expected) missing.set(key(b), (missing.get(key(b)) || 0) + 1)
  const extra = []
  for (const b of got) {
    const k = key(b)
    if (missing.get(k)) missing.set(k, missing.get(k) - 1)
    else extra.push(b)
  }
  const stillMissing = []
  for (const [k, n] of missing) for (let i = 0; i < n; i++) stillMissing.push(Buffer.from(k, 'hex'))
  if (stillMissing.length || extra.length) {
    const show = (list) => short(list.map((b) => b.subarray(0, 40).toString('latin1')))
    throw new Failure(
      `${what}: got ${got.length} bodies, expected ${expected.length}; missing ${show(stillMissing)}; ` +
        `unexpected ${show(extra)}`
    )
  }
}

// ------------------------------------------------------------------ the other client (pynsq)

function pythonTool(script, ...args) {
  const python = process.env.CONFORMANCE_PYTHON || path.join(CONFORMANCE_DIR, '.venv', 'bin', 'python')
  return [python, path.join(CONFORMANCE_DIR, 'tools', script), ...args.map(String)]
}

// Runs a helper process to completion; resolves to its stdout parsed as JSON.
function runTool(argv, timeoutMs = 30000) {
  return new Promise((resolve, reject) => {
    const child = spawn(argv[0], argv.slice(1), {cwd: CONFORMANCE_DIR, stdio: ['ignore', 'pipe', 'pipe']})
    state.children.push(child)
    const out = []
    const err = []
    child.stdout.on('data', (d) => out.push(d))
    child.stderr.on('data', (d) => err.push(d))
    const timer = setTimeout(() => {
      child.kill('SIGKILL')
      reject(new Failure(`helper ${argv.join(' ')} did not finish within ${timeoutMs / 1000}s`))
    }, timeoutMs)
    child.on('error', (e) => {
      clearTimeout(timer)
      reject(new Failure(`could not start helper ${argv[0]}: ${e.message}`))
    })
    child.on('close', (code) => {
      clearTimeout(timer)
      const text = Buffer.concat(err).toString().trimEnd()
      if (text) for (const line of text.split('\n')) log(`  | ${line}`)
      if (code !== 0) return reject(new Failure(`helper ${argv.join(' ')} exited with ${code}`))
      try {
        resolve(JSON.parse(Buffer.concat(out).toString('utf8')))
      } catch (e) {
        reject(new Failure(`helper ${argv.join(' ')} printed no JSON: ${Buffer.concat(out).toString().slice(0, 300)}`))
      }
    })
  })
}

function recordsFromTool(result) {
  return result.messages.map((m) => ({
    id: m.id,
    body: Buffer.from(m.body_hex, 'hex'),
    attempts: m.attempts,
    timestamp: BigInt(m.timestamp),
  }))
}

module.exports = {
  nsq,
  CONFORMANCE_DIR,
  Failure,
  log,
  step,
  check,
  checkEq,
  short,
  env,
  run,
  unique,
  sampleBodies,
  numbered,
  httpRequest,
  httpJson,
  httpPost,
  createChannel,
  stats,
  topicStats,
  channelStats,
  producerPubCount,
  summarize,
  waitClientFinished,
  waitUntil,
  waitTopicStats,
  withTimeout,
  writer,
  publish,
  closeWriter,
  Consumer,
  checkTimestamps,
  checkIds,
  checkSameBodies,
  pythonTool,
  runTool,
  recordsFromTool,
}
