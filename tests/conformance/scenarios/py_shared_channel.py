"""Three pynsq Readers on one channel share 300 messages: each message exactly once overall,
every reader gets some."""

import os
import sys

sys.path.insert(0, os.path.join(os.path.dirname(os.path.dirname(os.path.abspath(__file__))), "lib"))
import nsqconf as c  # noqa: E402

N = 300
READERS = 3


async def main(e):
    topic = c.unique("py_shared")
    bodies = c.numbered("shared", N)

    c.step("create topic %s and channel work over HTTP" % topic)
    c.create_channel(e, topic, "work")

    c.step("start %d pynsq Readers (max_in_flight 1 each) and wait until all have RDY > 0" % READERS)
    consumers = [c.Consumer(e, topic, "work", label="reader%d" % i, max_in_flight=1) for i in range(READERS)]
    await c.wait_topic_stats(
        e, topic, "%d subscribed clients with ready_count >= 1" % READERS,
        lambda t: len([cl for cl in (c.channel_stats(t, "work") or {}).get("clients") or []
                       if cl.get("ready_count", 0) >= 1]) == READERS,
    )

    c.step("pynsq Writer MPUBs %d messages" % N)
    w = await c.writer(e)
    for i in range(0, N, 100):
        await c.mpub(w, topic, bodies[i:i + 100])

    c.step("the readers receive %d messages between them" % N)
    await c.wait_until(
        "%d messages across the readers" % N,
        lambda: [len(x.records) for x in consumers],
        lambda counts: sum(counts) >= N,
        timeout=20.0,
    )
    for x in consumers:
        await x.flushed()
    t = await c.wait_topic_stats(
        e, topic, "channel drained and every FIN counted",
        lambda t: (c.channel_stats(t, "work") or {}).get("depth") == 0
        and (c.channel_stats(t, "work") or {}).get("in_flight_count") == 0
        and sum(cl.get("finish_count", 0) for cl in (c.channel_stats(t, "work") or {}).get("clients") or []) == N,
    )

    records = [r for x in consumers for r in x.records]
    counts = [len(x.records) for x in consumers]
    c.log("messages per reader: %s" % counts)
    c.check_eq(len(records), N, "messages delivered in total (no duplicates, no losses)")
    c.check_same_bodies([r["body"] for r in records], bodies, "union of the readers' bodies")
    c.check_ids(records, "all readers")
    c.check(all(n > 0 for n in counts), "every reader should get a share of the messages, got %s" % counts)
    c.check_eq(sorted(set(r["attempts"] for r in records)), [1], "attempts (nothing was redelivered)")

    ch = c.channel_stats(t, "work")
    c.check_eq(ch.get("message_count"), N, "channel message_count")
    c.check_eq(ch.get("requeue_count"), 0, "channel requeue_count")
    c.check_eq(ch.get("client_count"), READERS, "channel client_count")
    per_client = sorted(cl.get("message_count") for cl in ch.get("clients") or [])
    c.check_eq(per_client, sorted(counts), "per-client message_count in /stats vs what each reader got")
    for x in consumers:
        x.close()


c.run("py_shared_channel", main)
