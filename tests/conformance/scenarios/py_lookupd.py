"""Discovery through the nsqlookupd HTTP API: pynsq and nsqjs Readers given only the lookupd
address find this nsqd (/lookup) and consume; lookupd lists the topic and the channels."""

import asyncio
import json
import os
import sys

sys.path.insert(0, os.path.join(os.path.dirname(os.path.dirname(os.path.abspath(__file__))), "lib"))
import nsqconf as c  # noqa: E402

N = 30


def lookup(e, topic, headers=None):
    status, body = c.http_request(e.lookupd, "GET", "/lookup", {"topic": topic}, headers=headers)
    if status != 200:
        return {"status": status, "body": body[:200]}
    return json.loads(body.decode("utf-8"))


async def main(e):
    topic = c.unique("py_lookupd")
    bodies = c.numbered("discovered", N)

    c.step("create topic %s with channels py and js on nsqd" % topic)
    c.create_channel(e, topic, "py")
    c.create_channel(e, topic, "js")

    c.step("nsqlookupd /lookup lists this nsqd for the topic")
    # pynsq sends this Accept header; v1.x lookupd answers the same unwrapped JSON either way
    accept = {"Accept": "application/vnd.nsq; version=1.0"}
    found = await c.wait_until(
        "/lookup?topic=%s to list a producer" % topic,
        lambda: lookup(e, topic, accept),
        lambda r: bool(r.get("producers")),
    )
    c.check_eq(len(found["producers"]), 1, "number of producers for the topic")
    p = found["producers"][0]
    c.check_eq(p.get("broadcast_address"), "127.0.0.1", "producer broadcast_address")
    c.check_eq(p.get("tcp_port"), e.tcp_port, "producer tcp_port (must be NSQD_TCP_ADDRESS's port)")
    c.check_eq(p.get("http_port"), e.http_port, "producer http_port (must be NSQD_HTTP_ADDRESS's port)")
    c.check_eq(sorted(found.get("channels") or []), ["js", "py"], "channels in /lookup")
    topics = c.http_json(e.lookupd, "/topics")
    c.check(topic in (topics.get("topics") or []), "/topics %r lacks %s" % (topics, topic))

    c.step("pynsq Writer publishes %d messages" % N)
    w = await c.writer(e)
    await c.mpub(w, topic, bodies)

    c.step("pynsq Reader (lookupd only) on py and nsqjs Reader (lookupd only) on js consume")
    consumer = c.Consumer(e, topic, "py", lookupd=True, max_in_flight=10)
    result, _ = await asyncio.gather(
        c.run_tool(c.node_tool("consume.js", topic, "js", N, "--lookupd")),
        consumer.wait_count(N),
    )
    c.check_same_bodies(consumer.bodies(), bodies, "channel py (pynsq via lookupd)")
    c.check_same_bodies([r["body"] for r in c.records_from_tool(result)], bodies, "channel js (nsqjs via lookupd)")
    conns = list(consumer.reader.conns.values())
    c.check_eq(len(conns), 1, "pynsq connections made from the lookupd answer")
    c.check_eq((conns[0].host, conns[0].port), ("127.0.0.1", e.tcp_port), "address pynsq connected to")
    await consumer.flushed()
    consumer.close()

    c.step("/stats: both channels drained")
    await c.wait_topic_stats(
        e, topic, "both channels drained",
        lambda t: all((c.channel_stats(t, n) or {}).get("depth") == 0
                      and (c.channel_stats(t, n) or {}).get("in_flight_count") == 0
                      and (c.channel_stats(t, n) or {}).get("message_count") == N for n in ("py", "js")),
    )


c.run("py_lookupd", main)
