"""Helper for the nsqjs scenarios: consume COUNT messages with pynsq, FIN each, print them.

usage: consume.py TOPIC CHANNEL COUNT [--lookupd] [--max-in-flight N] [--compression deflate|snappy]
Prints {"messages": [{"id", "body_hex", "attempts", "timestamp"}...]} as JSON on stdout.
"""

import argparse
import json
import os
import sys

sys.path.insert(0, os.path.join(os.path.dirname(os.path.dirname(os.path.abspath(__file__))), "lib"))
import nsqconf as c  # noqa: E402


def main_args():
    p = argparse.ArgumentParser()
    p.add_argument("topic")
    p.add_argument("channel")
    p.add_argument("count", type=int)
    p.add_argument("--lookupd", action="store_true", help="discover nsqd via the lookupd HTTP API")
    p.add_argument("--max-in-flight", type=int, default=8)
    p.add_argument("--compression", choices=["deflate", "snappy"], help="negotiate it in IDENTIFY")
    return p.parse_args()


ARGS = main_args()


async def main(e):
    c.step("pynsq Reader %s/%s (%s) waits for %d messages"
           % (ARGS.topic, ARGS.channel, "lookupd" if ARGS.lookupd else "nsqd", ARGS.count))
    kwargs = {ARGS.compression: True} if ARGS.compression else {}
    # pynsq sends the first part of `hostname` as client_id; it identifies us in /stats
    client_id = "conformance-consume-%d" % os.getpid()
    kwargs["hostname"] = client_id
    consumer = c.Consumer(e, ARGS.topic, ARGS.channel, lookupd=ARGS.lookupd, max_in_flight=ARGS.max_in_flight, **kwargs)
    await consumer.wait_count(ARGS.count, timeout=20.0)
    # Exit only once nsqd has counted every FIN (what pynsq buffered, e.g. in a compressed
    # stream, would otherwise be lost when the process exits).
    await c.wait_client_finished(e, ARGS.topic, ARGS.channel, client_id, ARGS.count)
    consumer.close()
    out = [
        {
            "id": r["id"].decode("latin-1"),
            "body_hex": r["body"].hex(),
            "attempts": r["attempts"],
            "timestamp": str(r["timestamp"]),
        }
        for r in consumer.records
    ]
    sys.stdout.write(json.dumps({"messages": out}))


c.run("consume.py", main, timeout=30.0, tool=True)
