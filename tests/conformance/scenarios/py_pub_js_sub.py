"""PUB with pynsq, consume with nsqjs: every body arrives byte-for-byte, once, attempts 1."""

import os
import sys
import time

sys.path.insert(0, os.path.join(os.path.dirname(os.path.dirname(os.path.abspath(__file__))), "lib"))
import nsqconf as c  # noqa: E402


async def main(e):
    topic = c.unique("py_pub_js_sub")
    bodies = c.sample_bodies("pynsq") + c.numbered("pynsq", 40)
    since = time.time_ns()

    c.step("pynsq Writer PUBs %d messages to %s (no channel yet)" % (len(bodies), topic))
    w = await c.writer(e)
    for body in bodies:
        await c.pub(w, topic, body)

    c.step("/stats shows the topic holding them")
    s = c.stats(e, topic)
    t = c.topic_stats(s, topic)
    c.check(t is not None, "topic %s missing from /stats after PUB" % topic)
    c.check_eq(t.get("message_count"), len(bodies), "topic message_count")
    c.check_eq(t.get("depth"), len(bodies), "topic depth (no channel yet, messages wait in the topic)")
    c.check_eq(t.get("message_bytes"), sum(len(b) for b in bodies), "topic message_bytes")
    c.check_eq(t.get("channels"), [], "topic channels")
    c.check_eq(c.producer_stats(s, "pynsq/", topic), len(bodies), "pub_counts of the pynsq producer")

    c.step("nsqjs Reader consumes them from channel js")
    result = await c.run_tool(c.node_tool("consume.js", topic, "js", len(bodies)))
    records = c.records_from_tool(result)
    c.check_same_bodies([r["body"] for r in records], bodies, "bodies seen by nsqjs")
    c.check_eq(sorted(set(r["attempts"] for r in records)), [1], "attempts of first deliveries")
    c.check_ids(records, "nsqjs")
    c.check_timestamps(records, since, "nsqjs")

    c.step("/stats shows the channel drained")
    await c.wait_topic_stats(
        e, topic, "channel js to be drained (depth 0, in flight 0)",
        lambda t: (c.channel_stats(t, "js") or {}).get("depth") == 0
        and (c.channel_stats(t, "js") or {}).get("in_flight_count") == 0,
    )
    t = c.topic_stats(c.stats(e, topic), topic)
    ch = c.channel_stats(t, "js")
    c.check_eq(t.get("depth"), 0, "topic depth after the channel took the messages")
    c.check_eq(ch.get("message_count"), len(bodies), "channel message_count")
    c.check_eq(ch.get("requeue_count"), 0, "channel requeue_count")
    c.check_eq(ch.get("timeout_count"), 0, "channel timeout_count")


c.run("py_pub_js_sub", main)
