"""Deflate stream compression negotiated in IDENTIFY: pynsq publishes over a deflate
connection; pynsq and nsqjs consume over deflate connections; bodies intact, /stats shows
deflate on both sides."""

import asyncio
import os
import sys

sys.path.insert(0, os.path.join(os.path.dirname(os.path.dirname(os.path.abspath(__file__))), "lib"))
import nsqconf as c  # noqa: E402


async def main(e):
    topic = c.unique("py_deflate")
    bodies = c.sample_bodies("deflate") + c.numbered("deflate", 60)

    c.step("create topic %s with channels py and js" % topic)
    c.create_channel(e, topic, "py")
    c.create_channel(e, topic, "js")

    c.step("pynsq Writer with deflate=True publishes %d messages (PUB and MPUB)" % len(bodies))
    w = await c.writer(e, deflate=True)
    for body in bodies[:8]:
        await c.pub(w, topic, body)
    await c.mpub(w, topic, bodies[8:])
    s = c.stats(e, topic)
    producers = [p for p in s.get("producers") or [] if str(p.get("user_agent", "")).startswith("pynsq/")]
    c.check_eq([p.get("deflate") for p in producers], [True], "deflate flag of the pynsq producer in /stats")

    c.step("pynsq (deflate) reads channel py while nsqjs (deflate) reads channel js")
    consumer = c.Consumer(e, topic, "py", max_in_flight=20, deflate=True)
    result, _ = await asyncio.gather(
        c.run_tool(c.node_tool("consume.js", topic, "js", len(bodies), "--deflate")),
        consumer.wait_count(len(bodies)),
    )
    c.check_same_bodies(consumer.bodies(), bodies, "channel py (pynsq, deflate)")
    c.check_same_bodies([r["body"] for r in c.records_from_tool(result)], bodies, "channel js (nsqjs, deflate)")
    await consumer.flushed()

    c.step("/stats: the pynsq consumer is marked deflate, channels drained")
    t = await c.wait_topic_stats(
        e, topic, "both channels drained",
        lambda t: all((c.channel_stats(t, n) or {}).get("depth") == 0
                      and (c.channel_stats(t, n) or {}).get("in_flight_count") == 0 for n in ("py", "js")),
    )
    clients = c.channel_stats(t, "py").get("clients") or []
    c.check_eq([(cl.get("deflate"), cl.get("snappy")) for cl in clients], [(True, False)],
               "deflate/snappy flags of the pynsq consumer")
    consumer.close()


c.run("py_deflate", main)
