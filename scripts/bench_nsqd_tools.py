#!/usr/bin/env python3
"""`nsq-cli dev` measured by nsqd's own bench tools, beside `nsq-cli bench`.

    python3 scripts/bench_nsqd_tools.py --tools DIR          # DIR holds bench_writer, bench_reader
    python3 scripts/bench_nsqd_tools.py --tools DIR --mem-queue-size 100000000 --runfor 5s

nsqd's bench_writer and bench_reader are not part of this repository: build them
from a checkout of github.com/nsqio/nsq (tag v1.3.0) with
`go build -o DIR/ ./bench/bench_writer ./bench/bench_reader`.

Starts the release build of `nsq-cli dev` on free ports (nsqd's --mem-queue-size
10000 unless given; its temporary queue directory inside a directory this script
measures) and runs what nsqd's bench/bench.py runs: bench_writer (one connection
per core, MPUB of --batch-size messages of --size bytes, for --runfor), then
bench_reader (one connection per core, RDY 2500, for --runfor) on channel "ch".
Between the two it reads the queue's depth from /stats, the broker's resident memory
(VmRSS) and the bytes on disk, and prints the bytes per waiting message. Then the
same broker, emptied, is measured by `nsq-cli bench pub|sub` with the same message
size and count. Figures vary with the machine and its load.
"""

import argparse
import json
import os
import platform
import re
import subprocess
import sys
import tempfile
import threading
import urllib.request

ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
BIN = os.path.join(ROOT, "target", "release", "nsq-cli")
TOPIC, CHANNEL = "sub_bench", "ch"

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
from bench_dev_memory import rss_mib, settled_rss  # noqa: E402


def disk_bytes(path):
    total = 0
    for d, _, files in os.walk(path):
        for f in files:
            try:
                total += os.path.getsize(os.path.join(d, f))
            except FileNotFoundError:
                pass
    return total


def start_broker(mem_queue_size, tmp):
    env = dict(os.environ, TMPDIR=tmp)
    p = subprocess.Popen(
        [BIN, "dev", "-q", "--tcp-address", "127.0.0.1:0", "--http-address", "127.0.0.1:0",
         "--lookupd-http-address", "127.0.0.1:0", "--mem-queue-size", str(mem_queue_size)],
        stdout=subprocess.PIPE, stderr=subprocess.DEVNULL, text=True, env=env)
    addrs = {}
    for _ in range(3):
        k, v = p.stdout.readline().strip().split("=", 1)
        addrs[k] = v
    threading.Thread(target=p.stdout.read, daemon=True).start()
    return p, addrs


def http(addrs, path, method="GET"):
    req = urllib.request.Request(f"http://{addrs['NSQD_HTTP_ADDRESS']}{path}", method=method)
    return urllib.request.urlopen(req).read()


def depth(addrs):
    """(depth, backend_depth) of the channel, or of the topic while it has none."""
    s = json.loads(http(addrs, f"/stats?format=json&topic={TOPIC}"))
    topics = s["topics"]
    if not topics:
        return 0, 0
    t = topics[0]
    q = t["channels"][0] if t["channels"] else t
    return q["depth"], q["backend_depth"]


def go_tool(path, args):
    """Runs one of nsqd's bench tools; returns its ops/s and message count."""
    r = subprocess.run([path, *args], stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True)
    m = re.search(r"duration: (\S+) - [\d.]+mb/s - ([\d.]+)ops/s", r.stdout)
    if r.returncode != 0 or not m:
        sys.exit(f"{os.path.basename(path)} failed (exit {r.returncode}):\n{r.stdout}")
    return float(m.group(2))


def nsq_cli_bench(addrs, what, n, size):
    env = dict(os.environ, NSQD_TCP_ADDRESS=addrs["NSQD_TCP_ADDRESS"],
               NSQD_HTTP_ADDRESS=addrs["NSQD_HTTP_ADDRESS"])
    out = subprocess.run(
        [BIN, "bench", what, "-n", str(n), "--size", str(size), "--topic", TOPIC,
         "--channel", CHANNEL, "--nsqd-tcp-address", addrs["NSQD_TCP_ADDRESS"], "--json"],
        env=env, check=True, stdout=subprocess.PIPE, stderr=subprocess.DEVNULL).stdout
    return json.loads(out)["messages_per_second"]


def main():
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--tools", required=True, help="directory holding bench_writer and bench_reader")
    ap.add_argument("--runfor", default="10s", help="how long each tool runs (Go duration)")
    ap.add_argument("--size", type=int, default=100)
    ap.add_argument("--batch-size", type=int, default=200)
    ap.add_argument("--mem-queue-size", type=int, default=10000)
    ap.add_argument("--no-build", action="store_true")
    a = ap.parse_args()
    writer, reader = (os.path.join(a.tools, t) for t in ("bench_writer", "bench_reader"))
    for t in (writer, reader):
        if not os.access(t, os.X_OK):
            sys.exit(f"no executable {t}: build nsqd's bench tools first (see --help)")
    if not a.no_build:
        subprocess.run(["cargo", "build", "--release", "--quiet"], cwd=ROOT, check=True)
    with tempfile.TemporaryDirectory(prefix="nsq-cli-bench-") as tmp:
        p, addrs = start_broker(a.mem_queue_size, tmp)
        try:
            run(a, p, addrs, tmp, writer, reader)
        finally:
            p.terminate()
            p.wait()


def run(a, p, addrs, tmp, writer, reader):
    tcp = addrs["NSQD_TCP_ADDRESS"]
    common = ["-nsqd-tcp-address", tcp, "-topic", TOPIC, "-size", str(a.size), "-runfor", a.runfor]
    http(addrs, f"/topic/create?topic={TOPIC}", "POST")
    http(addrs, f"/channel/create?topic={TOPIC}&channel={CHANNEL}", "POST")
    idle = settled_rss(p.pid)
    print(f"nsq-cli dev --mem-queue-size {a.mem_queue_size}, {a.size} B messages, on "
          f"{os.cpu_count()} cores ({platform.machine()}, Linux {platform.release()}); "
          f"RSS idle {idle:.1f} MiB")
    print("| client | publish msg/s | waiting (of them on disk) | RSS with them waiting "
          "| memory B/msg | disk B/msg | consume msg/s |")
    print("|---|---|---|---|---|---|---|")
    pub = go_tool(writer, [*common, "-batch-size", str(a.batch_size)])
    waiting, on_disk = depth(addrs)
    full, disk = rss_mib(p.pid), disk_bytes(tmp)
    sub = go_tool(reader, [*common, "-channel", CHANNEL, "-rdy", "2500"])
    row("bench_writer / bench_reader", pub, waiting, on_disk, full, idle, disk, sub)
    http(addrs, f"/channel/empty?topic={TOPIC}&channel={CHANNEL}", "POST")
    n = waiting
    before = settled_rss(p.pid)
    pub = nsq_cli_bench(addrs, "pub", n, a.size)
    waiting, on_disk = depth(addrs)
    full, disk = rss_mib(p.pid), disk_bytes(tmp)
    sub = nsq_cli_bench(addrs, "sub", n, a.size)
    row(f"nsq-cli bench pub / sub (-n {n:,})", pub, waiting, on_disk, full, before, disk, sub)


def row(client, pub, waiting, on_disk, full, before, disk, sub):
    mem = (full - before) * 1024 * 1024 / max(waiting, 1)
    per_disk = disk / on_disk if on_disk else 0
    print(f"| {client} | {pub:,.0f} | {waiting:,} ({on_disk:,}) | {full:.1f} MiB | {mem:.0f} "
          f"| {per_disk:.0f} | {sub:,.0f} |", flush=True)


if __name__ == "__main__":
    main()
