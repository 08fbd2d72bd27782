#!/usr/bin/env python3
"""What one scrape of `nsq-cli exporter` costs, on a cluster of 1,000 channels.

    cargo build --release && python3 scripts/bench_exporter.py
    python3 scripts/bench_exporter.py --topics 100 --channels 10 --scrapes 50

Starts `nsq-cli dev` on free ports, creates TOPICS x CHANNELS channels (each
topic with a few messages), starts `nsq-cli exporter` against the dev broker's
lookupd, then times GET /metrics SCRAPES times (after one warm-up scrape) and
`nsq-cli stats --format prometheus` (a whole process: start, one scrape, exit).
Prints one table: scrape latency (median, p95, max), the exposition's size and
sample count, the exporter's own nsq_scrape_duration_seconds, and the
exporter's peak memory. Numbers vary with the machine and its load; the table
says which machine it ran on.
"""

import argparse
import os
import platform
import statistics
import subprocess
import sys
import time
import urllib.request

ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
DEADLINE = 60


def binary(path):
    if path:
        return path
    for profile in ("release", "debug"):
        b = os.path.join(ROOT, "target", profile, "nsq-cli")
        if os.path.exists(b):
            if profile == "debug":
                print("note: no release build; timing the debug build", file=sys.stderr)
            return b
    sys.exit("no nsq-cli binary: run cargo build --release")


def start(cmd, env=None):
    """A child whose first stdout lines are its readiness signal."""
    return subprocess.Popen(cmd, stdout=subprocess.PIPE, stderr=subprocess.DEVNULL,
                            stdin=subprocess.DEVNULL, text=True, env=env)


def read_lines(proc, n):
    lines = []
    for _ in range(n):
        line = proc.stdout.readline()
        if not line:
            sys.exit(f"{proc.args[1]} exited before it was ready")
        lines.append(line.strip())
    return lines


def post(addr, path):
    req = urllib.request.Request(f"http://{addr}{path}", data=b"", method="POST")
    urllib.request.urlopen(req, timeout=DEADLINE).read()


def populate(http, topics, channels):
    for t in range(topics):
        topic = f"bench-topic-{t:04d}"
        post(http, f"/topic/create?topic={topic}")
        for c in range(channels):
            post(http, f"/channel/create?topic={topic}&channel=ch-{c:03d}")
        body = urllib.request.Request(f"http://{http}/pub?topic={topic}", data=b"x" * 100)
        urllib.request.urlopen(body, timeout=DEADLINE).read()


def scrape(url):
    started = time.perf_counter()
    with urllib.request.urlopen(url, timeout=DEADLINE) as r:
        body = r.read()
    return time.perf_counter() - started, body


def peak_rss_kib(pid):
    with open(f"/proc/{pid}/status") as f:
        for line in f:
            if line.startswith("VmHWM:"):
                return int(line.split()[1])
    return 0


def ms(s):
    return f"{s * 1000:.1f} ms"


def main():
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--topics", type=int, default=100)
    ap.add_argument("--channels", type=int, default=10, help="channels per topic")
    ap.add_argument("--scrapes", type=int, default=50)
    ap.add_argument("--bin", help="nsq-cli binary (default target/release/nsq-cli)")
    a = ap.parse_args()
    nsq = binary(a.bin)

    dev = start([nsq, "dev", "-q", "--tcp-address", "127.0.0.1:0",
                 "--http-address", "127.0.0.1:0", "--lookupd-http-address", "127.0.0.1:0"])
    exporter = None
    try:
        env = dict(os.environ)
        env.update(dict(l.split("=", 1) for l in read_lines(dev, 3)))
        populate(env["NSQD_HTTP_ADDRESS"], a.topics, a.channels)
        # Only the lookupd: the exporter finds the node as in production.
        lookupd_only = {k: v for k, v in env.items() if k != "NSQD_HTTP_ADDRESS"}
        # lookupd learns of topics as nsqd registers them; wait until it knows the node.
        exporter = start([nsq, "exporter", "-q", "--listen", "127.0.0.1:0"], lookupd_only)
        url = read_lines(exporter, 1)[0]
        warm_deadline = time.time() + DEADLINE
        while True:
            _, body = scrape(url)
            if body.count(b"\nnsq_channel_depth{") >= a.topics * a.channels:
                break
            if time.time() > warm_deadline:
                sys.exit("the exporter never showed every channel")
            time.sleep(0.2)
        times = []
        for _ in range(a.scrapes):
            t, body = scrape(url)
            times.append(t)
        samples = sum(1 for l in body.splitlines() if l and not l.startswith(b"#"))
        own = [l for l in body.splitlines() if l.startswith(b"nsq_scrape_duration_seconds ")]
        once = []
        for _ in range(5):
            started = time.perf_counter()
            subprocess.run([nsq, "stats", "--format", "prometheus"], env=lookupd_only,
                           stdout=subprocess.DEVNULL, check=True, timeout=DEADLINE)
            once.append(time.perf_counter() - started)
        times.sort()
        rows = [
            ("cluster", f"1 nsqd, {a.topics} topics x {a.channels} channels = "
                        f"{a.topics * a.channels} channels"),
            ("GET /metrics median", ms(statistics.median(times))),
            ("GET /metrics p95", ms(times[int(len(times) * 0.95) - 1])),
            ("GET /metrics max", ms(times[-1])),
            ("exposition", f"{len(body):,} bytes, {samples:,} samples"),
            ("last nsq_scrape_duration_seconds", own[0].split()[1].decode() if own else "-"),
            ("exporter peak memory (VmHWM)", f"{peak_rss_kib(exporter.pid) / 1024:.1f} MiB"),
            ("stats --format prometheus (process) median", ms(statistics.median(once))),
        ]
        print(f"machine: {platform.machine()}, {os.cpu_count()} CPUs, {platform.platform()}; "
              f"binary: {os.path.relpath(nsq, ROOT)}; {a.scrapes} scrapes")
        width = max(len(r[0]) for r in rows)
        for k, v in rows:
            print(f"{k:<{width}}  {v}")
    finally:
        for p in (exporter, dev):
            if p is not None:
                p.terminate()
                try:
                    p.wait(timeout=10)
                except subprocess.TimeoutExpired:
                    p.kill()


if __name__ == "__main__":
    main()
