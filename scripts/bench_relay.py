#!/usr/bin/env python3
"""Relay throughput between two local `nsq-cli dev` brokers (release build).

    python3 scripts/bench_relay.py                  # 200,000 messages of 100 bytes
    python3 scripts/bench_relay.py --messages 50000

Measures, and prints as one table:
  - the brokers' raw rates, shaped like the relay (`bench pub` with one connection
    and 200-message MPUBs, `bench sub` with one connection and RDY 200);
  - `nsq-cli relay -n N` moving N queued messages of 100 bytes from one broker to
    the other (each FINed after the destination's OK), and its peak memory;
  - the pipe `nsq-cli tail -n N | nsq-cli publish` doing the same (which FINs a
    message once it is written to the pipe, before publish has it acknowledged).
Every run checks that the destination received exactly N messages.
"""

import argparse
import json
import os
import subprocess
import sys
import tempfile
import time
import urllib.request

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
import bench  # noqa: E402
from bench import ROOT, Broker, bench_json, machine, run_measured  # noqa: E402


def received(broker, topic):
    with urllib.request.urlopen(f"http://{broker.http}/stats?format=json&topic={topic}") as r:
        for t in json.load(r)["topics"]:
            if t["topic_name"] == topic:
                return t["message_count"]
    return 0


def fill(broker, topic, n, tmp):
    """N queued messages of 100 bytes in topic/c."""
    path = os.path.join(tmp, "lines.txt")
    with open(path, "wb") as f:
        f.write((b"x" * 99 + b"\n") * n)
    for api in (f"/topic/create?topic={topic}", f"/channel/create?topic={topic}&channel=c"):
        req = urllib.request.Request(f"http://{broker.http}{api}", method="POST")
        urllib.request.urlopen(req).close()
    bench.nsq(broker, "publish", "-q", "-topic", topic, "--file", path,
              "--nsqd-tcp-address", broker.tcp)


def check(dst, topic, n):
    got = received(dst, topic)
    if got != n:
        sys.exit(f"destination topic {topic} received {got} messages, expected {n}")


def measure(n, src, dst):
    """The table's rows."""
    bin_ = bench.BIN
    rows = []
    p = bench_json(dst, "pub", "--count", str(n), "--size", "100", "--topic", "raw",
                   "--connections", "1", "--batch-size", "200")
    rows.append(("broker: bench pub (1 conn, 200/MPUB)", f"{p['messages_per_second']:,.0f} msg/s", ""))
    s = bench_json(dst, "sub", "--count", str(n), "--size", "100", "--topic", "raw",
                   "--connections", "1", "--max-in-flight", "200")
    rows.append(("broker: bench sub (1 conn, RDY 200)", f"{s['messages_per_second']:,.0f} msg/s", ""))
    raw = min(p["messages_per_second"], s["messages_per_second"])

    with tempfile.TemporaryDirectory() as tmp:
        fill(src, "relayed", n, tmp)
        secs, rss, _, _ = run_measured(
            [bin_, "relay", "-q", "-topic", "relayed", "-channel", "c", "-n", str(n),
             "--nsqd-tcp-address", src.tcp, "--to-nsqd-tcp-address", dst.tcp], env=src.env)
        check(dst, "relayed", n)
        rows.append((f"relay: {n:,} messages between two brokers",
                     f"{n / secs:,.0f} msg/s ({secs:.2f} s, {100 * n / secs / raw:.0f}% of raw)",
                     f"{rss:.1f} MiB"))

        fill(src, "piped", n, tmp)
        start = time.perf_counter()
        tail = subprocess.Popen(
            [bin_, "tail", "-q", "-topic", "piped", "-channel", "c", "-n", str(n),
             "--nsqd-tcp-address", src.tcp], stdout=subprocess.PIPE, env=src.env)
        pub = subprocess.Popen([bin_, "publish", "-q", "-topic", "piped", "--nsqd-tcp-address",
                                dst.tcp], stdin=tail.stdout, env=src.env)
        tail.stdout.close()
        if tail.wait() != 0 or pub.wait() != 0:
            sys.exit("tail | publish failed")
        secs = time.perf_counter() - start
        check(dst, "piped", n)
        rows.append((f"tail piped into publish: {n:,} (not exact)",
                     f"{n / secs:,.0f} msg/s ({secs:.2f} s, {100 * n / secs / raw:.0f}% of raw)", ""))
    return rows


def main():
    ap = argparse.ArgumentParser(description=__doc__,
                                 formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--messages", type=int, default=200_000)
    ap.add_argument("--bin", help="an nsq-cli binary to use instead of building the release one")
    a = ap.parse_args()
    n = a.messages
    if a.bin:
        bench.BIN = os.path.abspath(a.bin)
    else:
        subprocess.run(["cargo", "build", "--release", "-q"], cwd=ROOT, check=True)
    src, dst = Broker(), Broker()
    try:
        rows = measure(n, src, dst)
    finally:
        src.stop()
        dst.stop()
    print(f"machine: {machine()}")
    print(f"command: python3 scripts/bench_relay.py --messages {n}"
          + (f" --bin {a.bin}" if a.bin else ""))
    w = max(len(r[0]) for r in rows)
    v = max(len(r[1]) for r in rows)
    print(f"| {'benchmark':<{w}} | {'result':<{v}} | peak memory |")
    print(f"|{'-' * (w + 2)}|{'-' * (v + 2)}|-------------|")
    for name, result, mem in rows:
        print(f"| {name:<{w}} | {result:<{v}} | {mem:<11} |")


if __name__ == "__main__":
    main()
