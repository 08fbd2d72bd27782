"""REQ with pynsq: a requeued message comes back with attempts + 1 (same id, body, timestamp);
a REQ with a delay is deferred (deferred_count) and comes back after the delay."""

import os
import sys
import time

sys.path.insert(0, os.path.join(os.path.dirname(os.path.dirname(os.path.abspath(__file__))), "lib"))
import nsqconf as c  # noqa: E402


async def main(e):
    topic = c.unique("py_req")
    body = b"requeue me \x00\xff"
    seen_at = []

    def mode(message, record):
        seen_at.append(time.monotonic())
        if message.attempts == 1:
            message.requeue(backoff=False, delay=0)  # REQ <id> 0
            return None
        if message.attempts == 2:
            message.requeue(backoff=False, delay=1)  # REQ <id> 1000
            return None
        return True  # FIN

    c.step("pynsq Writer PUBs one message to %s" % topic)
    w = await c.writer(e)
    await c.pub(w, topic, body)

    c.step("pynsq Reader requeues it (delay 0) on attempt 1")
    consumer = c.Consumer(e, topic, "req", mode=mode)
    await consumer.wait_count(2)
    first, second = consumer.records[0], consumer.records[1]
    c.check_eq(first["attempts"], 1, "attempts of the first delivery")
    c.check_eq(second["attempts"], 2, "attempts after one REQ")
    c.check_eq(second["id"], first["id"], "message id after REQ")
    c.check_eq(second["body"], body, "body after REQ")
    c.check_eq(second["timestamp"], first["timestamp"], "timestamp after REQ (nsqd keeps the original)")

    c.step("the REQ with 1s delay shows up as deferred_count 1 in /stats")
    t = await c.wait_topic_stats(
        e, topic, "deferred_count 1 or the third delivery",
        lambda t: (c.channel_stats(t, "req") or {}).get("deferred_count") == 1 or len(consumer.records) >= 3,
    )
    if len(consumer.records) < 3:
        ch = c.channel_stats(t, "req")
        c.check_eq(ch.get("in_flight_count"), 0, "in_flight_count while deferred")
        c.check_eq(ch.get("depth"), 0, "depth while deferred (deferred messages are not in depth)")

    c.step("the message comes back after the delay with attempts 3")
    await consumer.wait_count(3, timeout=10.0)
    third = consumer.records[2]
    c.check_eq(third["attempts"], 3, "attempts after two REQs")
    c.check_eq(third["id"], first["id"], "message id after the delayed REQ")
    waited = seen_at[2] - seen_at[1]
    c.check(waited >= 0.8, "delayed REQ of 1000 ms came back after only %.3fs" % waited)
    await consumer.flushed()

    c.step("/stats: requeue_count 2, message_count 1, finished, nothing left")
    t = await c.wait_topic_stats(
        e, topic, "the FIN to be counted",
        lambda t: (c.channel_stats(t, "req") or {}).get("in_flight_count") == 0
        and sum(cl.get("finish_count", 0) for cl in (c.channel_stats(t, "req") or {}).get("clients") or []) == 1,
    )
    ch = c.channel_stats(t, "req")
    c.check_eq(ch.get("requeue_count"), 2, "channel requeue_count")
    c.check_eq(ch.get("message_count"), 1, "channel message_count (REQ does not count as a new message)")
    c.check_eq(ch.get("depth"), 0, "channel depth")
    c.check_eq(ch.get("deferred_count"), 0, "channel deferred_count")
    c.check_eq(ch.get("timeout_count"), 0, "channel timeout_count")
    clients = ch.get("clients") or []
    c.check_eq(len(clients), 1, "number of clients on the channel")
    cl = clients[0]
    c.check_eq(cl.get("message_count"), 3, "client message_count (deliveries)")
    c.check_eq(cl.get("requeue_count"), 2, "client requeue_count")
    c.check_eq(cl.get("finish_count"), 1, "client finish_count")
    c.check_eq(cl.get("user_agent"), "pynsq/%s" % c.nsq.__version__, "client user_agent (from IDENTIFY)")
    consumer.close()


c.run("py_req", main)
