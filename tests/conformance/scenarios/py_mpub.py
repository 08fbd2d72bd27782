"""MPUB with pynsq (several batches, incl. a 1-message batch), consume with nsqjs: complete."""

import os
import sys

sys.path.insert(0, os.path.join(os.path.dirname(os.path.dirname(os.path.abspath(__file__))), "lib"))
import nsqconf as c  # noqa: E402


async def main(e):
    topic = c.unique("py_mpub")
    batches = [
        c.sample_bodies("mpub-a"),
        c.numbered("mpub-b", 250),
        [b"solo batch of one"],
        c.numbered("mpub-c", 3),
    ]
    everything = [b for batch in batches for b in batch]

    c.step("pynsq Writer MPUBs %d batches (%d messages) to %s" % (len(batches), len(everything), topic))
    w = await c.writer(e)
    for batch in batches:
        await c.mpub(w, topic, batch)

    c.step("/stats counts every message of every batch")
    s = c.stats(e, topic)
    t = c.topic_stats(s, topic)
    c.check(t is not None, "topic %s missing from /stats after MPUB" % topic)
    c.check_eq(t.get("message_count"), len(everything), "topic message_count")
    c.check_eq(t.get("message_bytes"), sum(len(b) for b in everything), "topic message_bytes")
    c.check_eq(c.producer_stats(s, "pynsq/", topic), len(everything), "pub_counts of the pynsq producer")

    c.step("nsqjs Reader consumes all of them")
    result = await c.run_tool(c.node_tool("consume.js", topic, "all", len(everything), "--max-in-flight", 50))
    records = c.records_from_tool(result)
    c.check_same_bodies([r["body"] for r in records], everything, "bodies seen by nsqjs")
    c.check_ids(records, "nsqjs")
    await c.wait_topic_stats(
        e, topic, "channel all to be drained with message_count %d" % len(everything),
        lambda t: (c.channel_stats(t, "all") or {}).get("depth") == 0
        and (c.channel_stats(t, "all") or {}).get("in_flight_count") == 0
        and (c.channel_stats(t, "all") or {}).get("message_count") == len(everything),
    )


c.run("py_mpub", main)
