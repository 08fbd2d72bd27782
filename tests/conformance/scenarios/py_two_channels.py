"""Two channels on one topic each get every message: channel a read by pynsq, channel b by nsqjs."""

import asyncio
import os
import sys

sys.path.insert(0, os.path.join(os.path.dirname(os.path.dirname(os.path.abspath(__file__))), "lib"))
import nsqconf as c  # noqa: E402

N = 120


async def main(e):
    topic = c.unique("py_two_channels")
    bodies = c.numbered("fanout", N)

    c.step("create topic %s with channels a and b over HTTP" % topic)
    c.create_channel(e, topic, "a")
    c.create_channel(e, topic, "b")

    c.step("pynsq Writer publishes %d messages (half PUB, half MPUB)" % N)
    w = await c.writer(e)
    for body in bodies[: N // 2]:
        await c.pub(w, topic, body)
    await c.mpub(w, topic, bodies[N // 2:])

    t = c.topic_stats(c.stats(e, topic), topic)
    for name in ("a", "b"):
        ch = c.channel_stats(t, name)
        c.check(ch is not None, "channel %s missing from /stats" % name)
        c.check_eq(ch.get("message_count"), N, "channel %s message_count before consuming" % name)
        c.check_eq(ch.get("depth"), N, "channel %s depth before consuming" % name)

    c.step("pynsq reads channel a while nsqjs reads channel b")
    consumer = c.Consumer(e, topic, "a", max_in_flight=20)
    result, _ = await asyncio.gather(
        c.run_tool(c.node_tool("consume.js", topic, "b", N, "--max-in-flight", 20)),
        consumer.wait_count(N),
    )
    c.check_same_bodies(consumer.bodies(), bodies, "channel a (pynsq)")
    c.check_same_bodies([r["body"] for r in c.records_from_tool(result)], bodies, "channel b (nsqjs)")
    await consumer.flushed()

    c.step("/stats: both channels drained, %d messages each" % N)
    t = await c.wait_topic_stats(
        e, topic, "both channels drained",
        lambda t: all((c.channel_stats(t, n) or {}).get("depth") == 0
                      and (c.channel_stats(t, n) or {}).get("in_flight_count") == 0 for n in ("a", "b")),
    )
    c.check_eq(t.get("message_count"), N, "topic message_count")
    c.check_eq(len(consumer.records), N, "messages delivered on channel a (no duplicates)")
    consumer.close()


c.run("py_two_channels", main)
