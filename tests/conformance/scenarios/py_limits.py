"""Size limits as pynsq sees them (broker run with --max-msg-size 1024 --max-body-size 2048):
PUB of exactly 1024 bytes works; 1025 bytes and oversized MPUBs get nsqd's fatal error frames
(E_BAD_MESSAGE / E_BAD_BODY with nsqd's wording) and the connection is closed."""

import asyncio
import os
import sys

sys.path.insert(0, os.path.join(os.path.dirname(os.path.dirname(os.path.abspath(__file__))), "lib"))
import nsqconf as c  # noqa: E402


async def expect_error(w, method, topic, arg, expected):
    """Publishes, expects an error frame with exactly `expected`, then the server's close."""
    loop = asyncio.get_running_loop()
    fut = loop.create_future()

    def done(conn, data):
        if not fut.done():
            fut.set_result(data)

    getattr(w, method)(topic, arg, callback=done)
    data = await c.future_with_timeout(fut, 10.0, "the answer to %s" % method.upper())
    c.check(isinstance(data, c.nsq.Error), "%s should fail, answered %r" % (method.upper(), data))
    got = data.args[0] if data.args else None
    if isinstance(got, bytes):
        got = got.decode("utf-8", "replace")
    c.check_eq(got, expected, "error frame for %s" % method.upper())
    await c.wait_until(
        "nsqd to close the connection after %s" % expected.split()[0],
        lambda: len(w.conns),
        lambda n: n == 0,
    )


async def main(e):
    topic = c.unique("py_limits")

    c.step("PUB of exactly --max-msg-size (1024 bytes) is accepted")
    w = await c.writer(e)
    await c.pub(w, topic, b"x" * 1024)

    c.step("PUB of 1025 bytes: E_BAD_MESSAGE, connection closed")
    await expect_error(w, "pub", topic, b"x" * 1025, "E_BAD_MESSAGE PUB message too big 1025 > 1024")

    c.step("MPUB with one 1025-byte message: E_BAD_MESSAGE")
    w = await c.writer(e)
    await expect_error(w, "mpub", topic, [b"y" * 10, b"y" * 1025],
                       "E_BAD_MESSAGE MPUB message too big 1025 > 1024")

    c.step("MPUB whose body exceeds --max-body-size (2048): E_BAD_BODY")
    w = await c.writer(e)
    # body = 4 (count) + 3 * (4 + 700) = 2116 bytes
    await expect_error(w, "mpub", topic, [b"z" * 700] * 3, "E_BAD_BODY MPUB body too big 2116 > 2048")

    c.step("only the accepted message was stored, and it can be consumed")
    t = c.topic_stats(c.stats(e, topic), topic)
    c.check(t is not None, "topic missing from /stats")
    c.check_eq(t.get("message_count"), 1, "topic message_count (only the accepted PUB)")
    consumer = c.Consumer(e, topic, "limits")
    await consumer.wait_count(1)
    c.check_eq(consumer.bodies(), [b"x" * 1024], "bodies consumed")
    await consumer.flushed()
    consumer.close()


c.run("py_limits", main)
