"""DPUB and message timeout with pynsq (broker run with --msg-timeout 1s): a DPUB of 1000 ms
is deferred, then delivered; held without FIN it times out and comes back with attempts 2;
/stats counts the timeout."""

import asyncio
import os
import sys
import time

sys.path.insert(0, os.path.join(os.path.dirname(os.path.dirname(os.path.abspath(__file__))), "lib"))
import nsqconf as c  # noqa: E402


def chan(t):
    return c.channel_stats(t, "slow") or {}


async def main(e):
    topic = c.unique("py_timeout")
    body = b"deferred, then timed out"
    seen_at = []

    def mode(message, record):
        seen_at.append(time.monotonic())
        if message.attempts == 1:
            message.enable_async()  # hold it: no FIN, no REQ, no TOUCH
            return None
        return True

    c.step("create topic %s and channel slow; a pynsq Reader subscribes" % topic)
    c.create_channel(e, topic, "slow")
    consumer = c.Consumer(e, topic, "slow", max_in_flight=2, mode=mode)
    await c.wait_topic_stats(e, topic, "the reader to be subscribed with RDY >= 1",
                             lambda t: any(cl.get("ready_count", 0) >= 1 for cl in chan(t).get("clients") or []))

    c.step("pynsq Writer DPUBs the message with a 1000 ms delay")
    w = await c.writer(e)
    loop = asyncio.get_running_loop()
    fut = loop.create_future()
    sent = time.monotonic()
    w.dpub(topic, 1000, body, callback=lambda conn, data: fut.done() or fut.set_result(data))
    data = await c.future_with_timeout(fut, 10.0, "the answer to DPUB")
    c.check_eq(data, b"OK", "answer to DPUB")
    t = await c.wait_topic_stats(e, topic, "deferred_count 1 (or the delivery)",
                                 lambda t: chan(t).get("deferred_count") == 1 or consumer.records)
    if not consumer.records:
        c.check_eq(chan(t).get("depth"), 0, "channel depth while the DPUB is deferred")

    c.step("the message arrives after its delay; it is held until --msg-timeout (1s) requeues it")
    await consumer.wait_count(1, timeout=10.0)
    c.check(seen_at[0] - sent >= 0.8, "DPUB of 1000 ms was delivered after only %.3fs" % (seen_at[0] - sent))
    await consumer.wait_count(2, timeout=10.0)
    first, second = consumer.records[0], consumer.records[1]
    c.check_eq((first["attempts"], second["attempts"]), (1, 2), "attempts before and after the timeout")
    c.check_eq(second["id"], first["id"], "message id after the timeout")
    c.check_eq(second["body"], body, "body after the timeout")
    held_for = seen_at[1] - seen_at[0]
    c.check(held_for >= 0.5, "message timed out after only %.3fs with --msg-timeout 1s" % held_for)
    await consumer.flushed()

    c.step("/stats: timeout_count 1, the redelivery finished")
    t = await c.wait_topic_stats(
        e, topic, "the FIN of the redelivery to be counted",
        lambda t: chan(t).get("in_flight_count") == 0
        and sum(cl.get("finish_count", 0) for cl in chan(t).get("clients") or []) == 1,
    )
    c.check_eq(chan(t).get("timeout_count"), 1, "channel timeout_count")
    c.check_eq(chan(t).get("requeue_count"), 0, "channel requeue_count (a timeout is not a REQ)")
    c.check_eq(chan(t).get("message_count"), 1, "channel message_count")
    c.check_eq(chan(t).get("deferred_count"), 0, "channel deferred_count")
    c.check_eq(chan(t).get("depth"), 0, "channel depth")
    cl = (chan(t).get("clients") or [{}])[0]
    c.check_eq(cl.get("message_count"), 2, "client message_count (two deliveries)")
    consumer.close()


c.run("py_timeout", main)
