#!/usr/bin/env python3
"""`nsq-cli dev`'s memory over publish/drain rounds, and its ingest/consume rates.

    python3 scripts/bench_dev_memory.py                          # 3 rounds of 1,000,000 x 100 B
    python3 scripts/bench_dev_memory.py --mem-queue-size 2000000 # everything in memory
    python3 scripts/bench_dev_memory.py --no-build --rounds 5 --messages 200000

Starts the release build of `nsq-cli dev` on free ports (with --mem-queue-size as
given, nsqd's 10000 by default) and, each round, publishes N messages to a topic
with one channel (`nsq-cli bench pub`), then consumes them all (`nsq-cli bench
sub`). It prints the broker's resident memory (VmRSS) when idle, after publishing
(all N waiting) and after draining, the rates, and the bytes of memory per waiting
message. Figures vary with the machine and its load.
"""

import argparse
import json
import os
import platform
import subprocess
import sys
import threading
import time
import urllib.request

ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
BIN = os.path.join(ROOT, "target", "release", "nsq-cli")
TOPIC, CHANNEL = "memtest", "bench"


def rss_mib(pid):
    with open(f"/proc/{pid}/status") as f:
        for line in f:
            if line.startswith("VmRSS:"):
                return int(line.split()[1]) / 1024
    raise RuntimeError("no VmRSS")


def start_broker(extra):
    p = subprocess.Popen(
        [BIN, "dev", "-q", "--tcp-address", "127.0.0.1:0", "--http-address", "127.0.0.1:0",
         "--lookupd-http-address", "127.0.0.1:0", *extra],
        stdout=subprocess.PIPE, stderr=subprocess.DEVNULL, text=True)
    env = dict(os.environ)
    for _ in range(3):
        k, v = p.stdout.readline().strip().split("=", 1)
        env[k] = v
    threading.Thread(target=p.stdout.read, daemon=True).start()
    return p, env


def stats(env):
    url = f"http://{env['NSQD_HTTP_ADDRESS']}/stats?format=json&topic={TOPIC}"
    t = json.load(urllib.request.urlopen(url))["topics"][0]
    c = t["channels"][0]
    return c["depth"], c["backend_depth"]


def bench(env, what, n, size):
    out = subprocess.run(
        [BIN, "bench", what, "-n", str(n), "--size", str(size), "--topic", TOPIC,
         "--channel", CHANNEL, "--json"],
        env=env, check=True, stdout=subprocess.PIPE, stderr=subprocess.DEVNULL).stdout
    return json.loads(out)


def settled_rss(pid):
    """RSS once the broker has had time (its scans run every 20 ms) to give memory
    back and the clients' connections are closed."""
    time.sleep(2)
    return rss_mib(pid)


def main():
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--messages", type=int, default=1_000_000)
    ap.add_argument("--size", type=int, default=100)
    ap.add_argument("--rounds", type=int, default=3)
    ap.add_argument("--mem-queue-size", type=int, default=10000)
    ap.add_argument("--no-build", action="store_true")
    a = ap.parse_args()
    if not a.no_build:
        subprocess.run(["cargo", "build", "--release", "--quiet"], cwd=ROOT, check=True)
    p, env = start_broker(["--mem-queue-size", str(a.mem_queue_size)])
    try:
        for path in (f"/topic/create?topic={TOPIC}", f"/channel/create?topic={TOPIC}&channel={CHANNEL}"):
            req = urllib.request.Request(f"http://{env['NSQD_HTTP_ADDRESS']}{path}", method="POST")
            urllib.request.urlopen(req).read()
        idle = settled_rss(p.pid)
        print(f"nsq-cli dev --mem-queue-size {a.mem_queue_size}: {a.rounds} rounds of "
              f"{a.messages:,} x {a.size} B, on {os.cpu_count()} cores ({platform.machine()}, "
              f"Linux {platform.release()})")
        print(f"| round | RSS idle | RSS with {a.messages:,} waiting (on disk) | RSS drained "
              f"| bytes/waiting msg | publish msg/s | consume msg/s |")
        print("|---|---|---|---|---|---|---|")
        for r in range(1, a.rounds + 1):
            before = settled_rss(p.pid)
            pub = bench(env, "pub", a.messages, a.size)
            full = rss_mib(p.pid)
            depth, backend = stats(env)
            if depth != a.messages:
                sys.exit(f"depth {depth} after publishing {a.messages}")
            sub = bench(env, "sub", a.messages, a.size)
            drained = settled_rss(p.pid)
            per_msg = (full - before) * 1024 * 1024 / a.messages
            print(f"| {r} | {before:.1f} MiB | {full:.1f} MiB ({backend:,}) | {drained:.1f} MiB "
                  f"| {per_msg:.0f} | {pub['messages_per_second']:,.0f} | {sub['messages_per_second']:,.0f} |")
        print(f"idle at start: {idle:.1f} MiB")
    finally:
        p.terminate()
        p.wait()


if __name__ == "__main__":
    main()
