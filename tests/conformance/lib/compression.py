"""Stream compression (deflate or snappy) negotiated in IDENTIFY, pynsq side: pynsq publishes
over a compressed connection; pynsq and nsqjs consume over compressed connections; bodies
intact, /stats shows the feature on both sides. Used by scenarios/py_deflate.py and py_snappy.py."""

import asyncio

import nsqconf as c


async def scenario(e, kind):
    topic = c.unique("py_" + kind)
    bodies = c.sample_bodies(kind) + c.numbered(kind, 60)
    other = "snappy" if kind == "deflate" else "deflate"

    c.step("create topic %s with channels py and js" % topic)
    c.create_channel(e, topic, "py")
    c.create_channel(e, topic, "js")

    c.step("pynsq Writer with %s=True publishes %d messages (PUB and MPUB)" % (kind, len(bodies)))
    w = await c.writer(e, **{kind: True})
    for body in bodies[:8]:
        await c.pub(w, topic, body)
    await c.mpub(w, topic, bodies[8:])
    s = c.stats(e, topic)
    producers = [p for p in s.get("producers") or [] if str(p.get("user_agent", "")).startswith("pynsq/")]
    c.check_eq([(p.get(kind), p.get(other)) for p in producers], [(True, False)],
               "%s/%s flags of the pynsq producer in /stats" % (kind, other))

    c.step("pynsq (%s) reads channel py while nsqjs (%s) reads channel js" % (kind, kind))
    consumer = c.Consumer(e, topic, "py", max_in_flight=20, **{kind: True})
    result, _ = await asyncio.gather(
        c.run_tool(c.node_tool("consume.js", topic, "js", len(bodies), "--compression", kind)),
        consumer.wait_count(len(bodies)),
    )
    c.check_same_bodies(consumer.bodies(), bodies, "channel py (pynsq, %s)" % kind)
    c.check_same_bodies([r["body"] for r in c.records_from_tool(result)], bodies, "channel js (nsqjs, %s)" % kind)
    await consumer.flushed()

    c.step("/stats: the pynsq consumer is marked %s, channels drained" % kind)
    t = await c.wait_topic_stats(
        e, topic, "both channels drained",
        lambda t: all((c.channel_stats(t, n) or {}).get("depth") == 0
                      and (c.channel_stats(t, n) or {}).get("in_flight_count") == 0 for n in ("py", "js")),
    )
    clients = c.channel_stats(t, "py").get("clients") or []
    c.check_eq([(cl.get(kind), cl.get(other)) for cl in clients], [(True, False)],
               "%s/%s flags of the pynsq consumer" % (kind, other))
    consumer.close()
