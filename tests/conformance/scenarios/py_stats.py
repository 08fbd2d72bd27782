"""/stats?format=json agrees with what pynsq did: topic and channel counters, the producer's
pub_counts, and a consumer's per-client counters through FIN, in-flight and REQ."""

import os
import sys

sys.path.insert(0, os.path.join(os.path.dirname(os.path.dirname(os.path.abspath(__file__))), "lib"))
import nsqconf as c  # noqa: E402

PUBS = 4
MPUB = 9
TOTAL = PUBS + MPUB
FIN_FIRST = 7
HOLD = TOTAL - FIN_FIRST  # == max_in_flight


def chan(t):
    return c.channel_stats(t, "st") or {}


def client(t):
    clients = chan(t).get("clients") or []
    return clients[0] if len(clients) == 1 else {}


async def main(e):
    topic = c.unique("py_stats")
    bodies = [("stat-%02d" % i).encode() * (i + 1) for i in range(TOTAL)]

    c.step("pynsq Writer: %d PUB + one MPUB of %d to %s" % (PUBS, MPUB, topic))
    w = await c.writer(e)
    for body in bodies[:PUBS]:
        await c.pub(w, topic, body)
    await c.mpub(w, topic, bodies[PUBS:])

    c.step("/stats before any channel exists")
    s = c.stats(e)
    t = c.topic_stats(s, topic)
    c.check(t is not None, "topic missing from unfiltered /stats")
    c.check_eq(t.get("message_count"), TOTAL, "topic message_count")
    c.check_eq(t.get("depth"), TOTAL, "topic depth")
    c.check_eq(t.get("backend_depth"), 0, "topic backend_depth")
    c.check_eq(t.get("message_bytes"), sum(len(b) for b in bodies), "topic message_bytes")
    c.check_eq(t.get("paused"), False, "topic paused")
    c.check_eq(t.get("channels"), [], "topic channels")
    c.check_eq(c.producer_stats(s, "pynsq/", topic), TOTAL, "producer pub_counts for the topic")
    c.check_eq(s.get("version"), "1.3.0", "/stats version")
    c.check_eq(s.get("health"), "OK", "/stats health")

    c.step("pynsq Reader on channel st: FIN the first %d, hold %d in flight" % (FIN_FIRST, HOLD))

    def mode(message, record):
        if len(consumer.records) <= FIN_FIRST:
            return True
        message.enable_async()  # hold it: neither FIN nor REQ for now
        consumer.held.append(message)
        return None

    consumer = c.Consumer(e, topic, "st", max_in_flight=HOLD, mode=mode)
    await consumer.wait_count(TOTAL)
    await consumer.flushed()
    t = await c.wait_topic_stats(
        e, topic, "finish_count %d and in_flight_count %d" % (FIN_FIRST, HOLD),
        lambda t: client(t).get("finish_count") == FIN_FIRST and chan(t).get("in_flight_count") == HOLD,
    )
    c.check_eq(t.get("depth"), 0, "topic depth once the channel exists")
    c.check_eq(t.get("message_count"), TOTAL, "topic message_count")
    c.check_eq(chan(t).get("message_count"), TOTAL, "channel message_count")
    c.check_eq(chan(t).get("depth"), 0, "channel depth")
    c.check_eq(chan(t).get("client_count"), 1, "channel client_count")
    cl = client(t)
    c.check_eq(cl.get("message_count"), TOTAL, "client message_count")
    c.check_eq(cl.get("in_flight_count"), HOLD, "client in_flight_count")
    c.check_eq(cl.get("ready_count"), HOLD, "client ready_count (pynsq's RDY = max_in_flight)")
    c.check_eq(cl.get("requeue_count"), 0, "client requeue_count")
    c.check_eq(cl.get("state"), 3, "client state (3 = subscribed)")
    c.check_eq(cl.get("user_agent"), "pynsq/%s" % c.nsq.__version__, "client user_agent")

    c.step("REQ one held message, FIN the others and then the redelivery")
    held = list(consumer.held)
    consumer.held.clear()
    held[0].requeue(backoff=False, delay=0)
    for m in held[1:]:
        m.finish()
    await consumer.wait_count(TOTAL + 1)
    redelivered = consumer.records[TOTAL]
    c.check_eq(redelivered["attempts"], 2, "attempts of the redelivered message")
    c.check_eq(len(consumer.held), 1, "messages held after the redelivery")
    consumer.held.pop().finish()
    await consumer.flushed()

    t = await c.wait_topic_stats(
        e, topic, "every message finished",
        lambda t: client(t).get("finish_count") == TOTAL and chan(t).get("in_flight_count") == 0,
    )
    ch = chan(t)
    c.check_eq(ch.get("message_count"), TOTAL, "channel message_count after REQ")
    c.check_eq(ch.get("requeue_count"), 1, "channel requeue_count")
    c.check_eq(ch.get("timeout_count"), 0, "channel timeout_count")
    c.check_eq(ch.get("depth"), 0, "channel depth")
    c.check_eq(ch.get("deferred_count"), 0, "channel deferred_count")
    cl = client(t)
    c.check_eq(cl.get("message_count"), TOTAL + 1, "client message_count (deliveries incl. the redelivery)")
    c.check_eq(cl.get("requeue_count"), 1, "client requeue_count")
    c.check_eq(cl.get("in_flight_count"), 0, "client in_flight_count")

    c.step("filtered /stats?topic=&channel= returns just that channel")
    f = c.http_json(e.http, "/stats", {"format": "json", "topic": topic, "channel": "st"})
    c.check_eq([x.get("topic_name") for x in f.get("topics") or []], [topic], "topics in filtered /stats")
    c.check_eq([x.get("channel_name") for x in f["topics"][0].get("channels") or []], ["st"], "channels in filtered /stats")

    c.step("consumer disconnects: the channel has no clients")
    consumer.close()
    await c.wait_topic_stats(e, topic, "client_count 0", lambda t: chan(t).get("client_count") == 0)


c.run("py_stats", main)
