"""Shared helpers for the pynsq conformance scenarios.

Every scenario reads the broker's addresses from NSQD_TCP_ADDRESS, NSQD_HTTP_ADDRESS and
NSQLOOKUPD_HTTP_ADDRESS (as `nsq-cli dev -- CMD` sets them), runs under a hard deadline
(exit 3 with the step it was stuck in), and waits for conditions with deadlines rather
than sleeping. Exit codes: 0 pass, 1 assertion failed, 2 bad environment, 3 timeout.
"""

import asyncio
import json
import logging
import os
import signal
import sys
import time
import traceback
import urllib.error
import urllib.parse
import urllib.request

import nsq
import nsq.protocol

CONFORMANCE_DIR = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))

_state = {"name": "scenario", "step": "starting", "timeout": 0.0, "children": []}


class Failure(Exception):
    """An expectation about the broker did not hold."""


# ------------------------------------------------------------------ output, steps, deadline


def log(msg):
    print("[%s] %s" % (_state["name"], msg), file=sys.stderr, flush=True)


def step(desc):
    """Names what the scenario is doing now; a timeout reports the last step."""
    _state["step"] = desc
    log("-- " + desc)


def _kill_children():
    for proc in _state["children"]:
        try:
            if proc.returncode is None:
                proc.kill()
        except Exception:
            pass


def _exit(code):
    sys.stdout.flush()
    sys.stderr.flush()
    _kill_children()
    os._exit(code)


def _on_deadline(signum, frame):
    print(
        "TIMEOUT: %s did not finish within %.0fs; it was at step: %s"
        % (_state["name"], _state["timeout"], _state["step"]),
        file=sys.stderr,
        flush=True,
    )
    _exit(3)


def check(cond, msg):
    if not cond:
        raise Failure(msg)


def check_eq(actual, expected, what):
    if actual != expected:
        raise Failure("%s: expected %s, got %s" % (what, _short(expected), _short(actual)))


def _short(value, limit=600):
    text = repr(value)
    return text if len(text) <= limit else text[:limit] + "...(%d chars)" % len(text)


def run(name, main, timeout=45.0, tool=False):
    """Runs the coroutine function `main(env)` under a hard deadline and exits the process.
    A helper tool (tool=True) prints its PASS line on stderr: its stdout carries JSON."""
    _state["name"] = name
    _state["timeout"] = timeout
    logging.basicConfig(
        level=logging.WARNING, stream=sys.stderr, format="  pynsq %(levelname)s: %(message)s"
    )
    for handler in logging.getLogger().handlers:
        handler.addFilter(_QuietClosing())
    signal.signal(signal.SIGALRM, _on_deadline)
    signal.setitimer(signal.ITIMER_REAL, timeout)
    code = 1
    try:
        asyncio.run(main(env()))
        print("PASS %s" % name, file=sys.stderr if tool else sys.stdout, flush=True)
        code = 0
    except Failure as e:
        print("FAIL: %s: %s (at step: %s)" % (name, e, _state["step"]), file=sys.stderr)
    except SystemExit as e:
        code = e.code if isinstance(e.code, int) else 2
    except BaseException:
        traceback.print_exc()
        print("FAIL: %s crashed at step: %s" % (name, _state["step"]), file=sys.stderr)
    _exit(code)


class Env(object):
    def __init__(self, tcp, http, lookupd):
        self.tcp = tcp
        self.http = http
        self.lookupd = lookupd

    @property
    def tcp_port(self):
        return int(self.tcp.rsplit(":", 1)[1])

    @property
    def http_port(self):
        return int(self.http.rsplit(":", 1)[1])


def env():
    values = []
    for key in ("NSQD_TCP_ADDRESS", "NSQD_HTTP_ADDRESS", "NSQLOOKUPD_HTTP_ADDRESS"):
        value = os.environ.get(key, "")
        if ":" not in value:
            print(
                "%s: environment variable %s must be HOST:PORT (got %r); run under `nsq-cli dev -- ...`"
                % (_state["name"], key, value),
                file=sys.stderr,
            )
            raise SystemExit(2)
        values.append(value)
    return Env(*values)


def unique(prefix):
    """A topic/channel name unique to this process (valid NSQ name, <= 64 chars)."""
    return "%s_%d_%d" % (prefix, os.getpid(), int(time.time() * 1000) % 1000000)


# ------------------------------------------------------------------ bodies


def sample_bodies(tag):
    """Bodies that exercise binary transparency: NUL bytes, every byte value, UTF-8,
    newlines, a body that looks like a protocol frame, and a large one."""
    big = bytes((i * 7 + 3) % 256 for i in range(200 * 1024))
    return [
        ("%s plain ascii" % tag).encode(),
        bytes(range(256)),
        b"\x00" * 16,
        ("%s h\u00e9llo w\u00f6rld \u2713 \u65e5\u672c" % tag).encode("utf-8"),
        b"line one\nline two\r\nPUB fake\n",
        b"\x00\x00\x00\x06\x00\x00\x00\x00OK",
        b" ",
        big,
    ]


def numbered(tag, n):
    return [("%s-%04d" % (tag, i)).encode() for i in range(n)]


# ------------------------------------------------------------------ HTTP (nsqd / nsqlookupd)


def http_request(addr, method, path, params=None, body=None, headers=None, timeout=5.0):
    url = "http://%s%s" % (addr, path)
    if params:
        url += "?" + urllib.parse.urlencode(params)
    req = urllib.request.Request(url, data=body, method=method, headers=headers or {})
    try:
        with urllib.request.urlopen(req, timeout=timeout) as resp:
            return resp.status, resp.read()
    except urllib.error.HTTPError as e:
        return e.code, e.read()


def http_json(addr, path, params=None, headers=None):
    status, body = http_request(addr, "GET", path, params, headers=headers)
    if status != 200:
        raise Failure("GET %s %r answered %d: %r" % (path, params, status, body[:300]))
    try:
        return json.loads(body.decode("utf-8"))
    except ValueError:
        raise Failure("GET %s %r answered non-JSON: %r" % (path, params, body[:300]))


def http_post(addr, path, params=None, body=b""):
    status, resp = http_request(addr, "POST", path, params, body=body)
    if status != 200:
        raise Failure("POST %s %r answered %d: %r" % (path, params, status, resp[:300]))
    return resp


def create_channel(e, topic, channel):
    http_post(e.http, "/topic/create", {"topic": topic})
    http_post(e.http, "/channel/create", {"topic": topic, "channel": channel})


def stats(e, topic=None):
    params = {"format": "json"}
    if topic:
        params["topic"] = topic
    return http_json(e.http, "/stats", params)


def topic_stats(s, topic):
    for t in s.get("topics") or []:
        if t.get("topic_name") == topic:
            return t
    return None


def channel_stats(t, channel):
    for c in (t or {}).get("channels") or []:
        if c.get("channel_name") == channel:
            return c
    return None


def producer_stats(s, user_agent_prefix, topic):
    """pub_counts of the producer connections whose user_agent starts with the prefix."""
    total = 0
    for p in s.get("producers") or []:
        if str(p.get("user_agent", "")).startswith(user_agent_prefix):
            for pc in p.get("pub_counts") or []:
                if pc.get("topic") == topic:
                    total += pc.get("count", 0)
    return total


async def wait_client_finished(e, topic, channel, client_id, n, timeout=10.0):
    """Waits until /stats shows the client `client_id` on topic/channel with finish_count >= n:
    the broker has processed that client's FINs (a client-independent flush signal)."""

    def mine(t):
        for cl in (channel_stats(t, channel) or {}).get("clients") or []:
            if cl.get("client_id") == client_id:
                return cl
        return {}

    await wait_topic_stats(
        e, topic, "client %s to have %d FINs counted on %s/%s" % (client_id, n, topic, channel),
        lambda t: mine(t).get("finish_count", 0) >= n, timeout=timeout,
    )


def summarize(t):
    """One line describing a topic's stats entry (for failure messages)."""
    if t is None:
        return "topic missing from /stats"
    parts = ["topic depth=%s message_count=%s" % (t.get("depth"), t.get("message_count"))]
    for c in t.get("channels") or []:
        parts.append(
            "channel %s depth=%s in_flight=%s deferred=%s message_count=%s requeue=%s timeout=%s clients=%s"
            % (
                c.get("channel_name"),
                c.get("depth"),
                c.get("in_flight_count"),
                c.get("deferred_count"),
                c.get("message_count"),
                c.get("requeue_count"),
                c.get("timeout_count"),
                [
                    "rdy=%s inflight=%s msgs=%s fin=%s req=%s"
                    % (
                        cl.get("ready_count"),
                        cl.get("in_flight_count"),
                        cl.get("message_count"),
                        cl.get("finish_count"),
                        cl.get("requeue_count"),
                    )
                    for cl in c.get("clients") or []
                ],
            )
        )
    return "; ".join(parts)


async def wait_until(what, probe, ok, timeout=10.0, describe=repr):
    """Polls probe() until ok(observation); Failure with the last observation on timeout."""
    deadline = time.monotonic() + timeout
    last = None
    while True:
        last = probe()
        if ok(last):
            return last
        if time.monotonic() >= deadline:
            raise Failure(
                "timed out after %.0fs waiting for %s; last seen: %s" % (timeout, what, describe(last))
            )
        await asyncio.sleep(0.02)


async def wait_topic_stats(e, topic, what, ok, timeout=10.0):
    """Waits until ok(topic_entry) holds for /stats; returns that entry."""
    return await wait_until(
        what,
        lambda: topic_stats(stats(e, topic), topic),
        lambda t: t is not None and ok(t),
        timeout=timeout,
        describe=summarize,
    )


async def future_with_timeout(fut, timeout, what):
    try:
        return await asyncio.wait_for(asyncio.shield(fut), timeout)
    except asyncio.TimeoutError:
        raise Failure("timed out after %.0fs waiting for %s" % (timeout, what))


# ------------------------------------------------------------------ pynsq producers


class _Writer(nsq.Writer):
    """nsq.Writer that reports when its first connection has completed IDENTIFY."""

    def __init__(self, *args, **kwargs):
        self.ready_future = asyncio.get_running_loop().create_future()
        self.errors = []
        super(_Writer, self).__init__(*args, **kwargs)

    def _on_connection_ready(self, conn, **kwargs):
        super(_Writer, self)._on_connection_ready(conn, **kwargs)
        if not self.ready_future.done():
            self.ready_future.set_result(conn)

    def _on_connection_error(self, conn, error, **kwargs):
        self.errors.append(error)
        super(_Writer, self)._on_connection_error(conn, error, **kwargs)


async def writer(e, timeout=10.0, **conn_kwargs):
    """A pynsq Writer connected (IDENTIFY done) to the broker's nsqd; conn_kwargs go to
    nsq.AsyncConn (e.g. deflate=True)."""
    w = _Writer([e.tcp], **conn_kwargs)
    await future_with_timeout(w.ready_future, timeout, "pynsq Writer to connect to %s" % e.tcp)
    return w


async def _publish(method, w, topic, arg, timeout):
    loop = asyncio.get_running_loop()
    fut = loop.create_future()

    def done(conn, data):
        if not fut.done():
            fut.set_result(data)

    method(topic, arg, callback=done)
    data = await future_with_timeout(fut, timeout, "the answer to %s" % method.__name__.upper())
    if isinstance(data, nsq.Error) or data != b"OK":
        raise Failure("%s %s answered %r (expected OK)" % (method.__name__.upper(), topic, data))


async def pub(w, topic, body, timeout=10.0):
    await _publish(w.pub, w, topic, body, timeout)


async def mpub(w, topic, bodies, timeout=10.0):
    await _publish(w.mpub, w, topic, list(bodies), timeout)


# ------------------------------------------------------------------ pynsq consumers


class Consumer(object):
    """A pynsq Reader that records every message it is given.

    mode(message, record) decides the response: return True to FIN, False to REQ (pynsq's
    default requeue), or None after responding (or holding the message) itself.
    """

    def __init__(self, e, topic, channel, label=None, lookupd=False, max_in_flight=1, mode=None, **conn_kwargs):
        self.label = label or channel
        self.records = []
        self.held = []
        self.mode = mode
        self._waiters = []
        kwargs = dict(
            topic=topic,
            channel=channel,
            message_handler=self._handle,
            max_in_flight=max_in_flight,
            max_tries=0,
            lookupd_poll_interval=1 if lookupd else 60,
            **conn_kwargs
        )
        if lookupd:
            kwargs["lookupd_http_addresses"] = [e.lookupd]
        else:
            kwargs["nsqd_tcp_addresses"] = [e.tcp]
        self.reader = nsq.Reader(**kwargs)

    def _handle(self, message):
        record = {
            "id": message.id,
            "body": message.body,
            "attempts": message.attempts,
            "timestamp": message.timestamp,
        }
        self.records.append(record)
        result = True
        if self.mode is not None:
            result = self.mode(message, record)
        self._wake()
        return result

    def _wake(self):
        for n, fut in list(self._waiters):
            if len(self.records) >= n and not fut.done():
                fut.set_result(True)

    async def wait_count(self, n, timeout=15.0):
        if len(self.records) >= n:
            return
        fut = asyncio.get_running_loop().create_future()
        self._waiters.append((n, fut))
        try:
            await asyncio.wait_for(fut, timeout)
        except asyncio.TimeoutError:
            raise Failure(
                "consumer %s: timed out after %.0fs with %d of %d messages"
                % (self.label, timeout, len(self.records), n)
            )

    def bodies(self):
        return [r["body"] for r in self.records]

    async def flushed(self, timeout=5.0):
        """Waits until everything pynsq queued on its sockets (FIN/REQ) was written."""
        await wait_until(
            "consumer %s to flush its sockets" % self.label,
            lambda: [c.stream.writing() for c in self.reader.conns.values() if c.stream],
            lambda busy: not any(busy),
            timeout=timeout,
        )

    def close(self):
        # pynsq logs the closing of its own sockets as errors; those lines are noise here.
        _quiet_names.add(self.reader.name)
        self.reader.close()


_quiet_names = set()


class _QuietClosing(logging.Filter):
    def filter(self, record):
        text = record.getMessage()
        return not any((":%s]" % name) in text for name in _quiet_names)


def check_timestamps(records, since_ns, what):
    now = time.time_ns() + 5 * 10**9
    for r in records:
        ts = int(r["timestamp"])
        check(
            since_ns - 5 * 10**9 <= ts <= now,
            "%s: message timestamp %d is not nanoseconds near now (%d)" % (what, ts, since_ns),
        )


def check_ids(records, what):
    ids = [r["id"] for r in records]
    for i in ids:
        check(len(i) == 16, "%s: message id %r is not 16 bytes" % (what, i))
    check(len(set(ids)) == len(ids), "%s: duplicate message ids among %d messages" % (what, len(ids)))


def check_same_bodies(got, expected, what):
    """Multiset equality of bodies, with a readable difference on failure."""
    if sorted(got) == sorted(expected):
        return
    missing = list(expected)
    extra = []
    for b in got:
        if b in missing:
            missing.remove(b)
        else:
            extra.append(b)
    raise Failure(
        "%s: got %d bodies, expected %d; missing %s; unexpected %s"
        % (what, len(got), len(expected), _short([m[:40] for m in missing]), _short([x[:40] for x in extra]))
    )


# ------------------------------------------------------------------ the other client (nsqjs)


async def run_tool(argv, timeout=30.0, env_extra=None):
    """Runs a helper process to completion; returns its stdout parsed as JSON."""
    environ = dict(os.environ)
    environ.update(env_extra or {})
    proc = await asyncio.create_subprocess_exec(
        *argv,
        stdout=asyncio.subprocess.PIPE,
        stderr=asyncio.subprocess.PIPE,
        env=environ,
        cwd=CONFORMANCE_DIR,
    )
    _state["children"].append(proc)
    try:
        out, err = await asyncio.wait_for(proc.communicate(), timeout)
    except asyncio.TimeoutError:
        proc.kill()
        out, err = await proc.communicate()
        raise Failure(
            "helper %s did not finish within %.0fs; its stderr:\n%s"
            % (" ".join(argv), timeout, err.decode(errors="replace"))
        )
    text = err.decode(errors="replace").rstrip()
    if text:
        for line in text.splitlines():
            log("  | " + line)
    if proc.returncode != 0:
        raise Failure("helper %s exited with %d" % (" ".join(argv), proc.returncode))
    try:
        return json.loads(out.decode("utf-8"))
    except ValueError:
        raise Failure("helper %s printed no JSON: %r" % (" ".join(argv), out[:300]))


def node_tool(script, *args):
    node = os.environ.get("NODE", "node")
    return [node, os.path.join(CONFORMANCE_DIR, "tools", script)] + [str(a) for a in args]


def records_from_tool(result):
    """Messages as printed by tools/consume.js, in the same shape Consumer records have."""
    return [
        {
            "id": m["id"].encode("latin-1"),
            "body": bytes.fromhex(m["body_hex"]),
            "attempts": m["attempts"],
            "timestamp": int(m["timestamp"]),
        }
        for m in result["messages"]
    ]


__all__ = [n for n in dir() if not n.startswith("_")] + ["nsq"]
