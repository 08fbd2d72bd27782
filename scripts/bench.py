#!/usr/bin/env python3
"""nsq-cli's benchmark suite, against a local `nsq-cli dev` (release build).

    python3 scripts/bench.py                 # 1,000,000 messages of 100 bytes
    python3 scripts/bench.py --messages 200000

Measures, and prints as one table:
  - the broker's raw publish and consume rates (`nsq-cli bench pub` / `bench sub`);
  - `nsq-cli publish` of N lines of 100 bytes from a file, and its peak memory;
  - `nsq-cli tail` draining N queued messages to a file, and its peak memory;
  - one-shot latency of `nsq-cli publish -message` (process start to exit) next to
    `curl /pub`;
  - the broker's own peak memory.
Numbers vary with the machine and its load; the table says which machine it ran on.
"""

import argparse
import json
import os
import platform
import statistics
import subprocess
import sys
import tempfile
import threading
import time

ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
BIN = os.path.join(ROOT, "target", "release", "nsq-cli")


def run_measured(argv, stdout=subprocess.DEVNULL, env=None, stdin=subprocess.DEVNULL):
    """Runs a command; returns (seconds, peak RSS in MiB, exit status, stdout bytes)."""
    start = time.perf_counter()
    p = subprocess.Popen(argv, stdout=stdout, stderr=subprocess.PIPE, env=env, stdin=stdin)
    out = b""
    if stdout == subprocess.PIPE:
        out = p.stdout.read()
    err = p.stderr.read()
    _, status, usage = os.wait4(p.pid, 0)
    p.returncode = os.waitstatus_to_exitcode(status)
    seconds = time.perf_counter() - start
    if p.returncode != 0:
        sys.exit(f"{' '.join(argv)} failed ({p.returncode}): {err.decode(errors='replace')}")
    return seconds, usage.ru_maxrss / 1024, p.returncode, out


class Broker:
    def __init__(self):
        self.p = subprocess.Popen(
            [BIN, "dev", "-q", "--tcp-address", "127.0.0.1:0", "--http-address", "127.0.0.1:0",
             "--lookupd-http-address", "127.0.0.1:0"],
            stdout=subprocess.PIPE, stderr=subprocess.DEVNULL, text=True)
        self.env = dict(os.environ)
        for line in self.p.stdout:
            k, v = line.strip().split("=", 1)
            self.env[k] = v
            if len(self.env) - len(os.environ) == 3:
                break
        else:
            sys.exit("nsq-cli dev did not start")
        threading.Thread(target=self.p.stdout.read, daemon=True).start()
        self.tcp = self.env["NSQD_TCP_ADDRESS"]
        self.http = self.env["NSQD_HTTP_ADDRESS"]

    def stop(self):
        self.p.terminate()
        _, _, usage = os.wait4(self.p.pid, 0)
        return usage.ru_maxrss / 1024


def nsq(broker, *args, stdout=subprocess.DEVNULL):
    return run_measured([BIN, *args], stdout=stdout, env=broker.env)


def bench_json(broker, *args):
    _, _, _, out = nsq(broker, "bench", *args, "--json", stdout=subprocess.PIPE)
    return json.loads(out)


def machine():
    cpu = platform.processor() or platform.machine()
    try:
        with open("/proc/cpuinfo") as f:
            for line in f:
                if line.startswith("model name"):
                    cpu = line.split(":", 1)[1].strip()
                    break
    except OSError:
        pass
    return f"{os.cpu_count()} cores, {cpu}, {platform.system()} {platform.release()}"


def main():
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--messages", type=int, default=1_000_000)
    ap.add_argument("--oneshot-runs", type=int, default=30)
    a = ap.parse_args()
    n = a.messages
    subprocess.run(["cargo", "build", "--release", "-q"], cwd=ROOT, check=True)
    rows = []
    broker = Broker()

    # 1. The broker's raw rates, measured by our benchmark client.
    p = bench_json(broker, "pub", "--count", str(n), "--size", "100", "--topic", "raw")
    rows.append(("broker: bench pub (MPUB, 100 B)", f"{p['messages_per_second']:,.0f} msg/s", ""))
    # The same, shaped like `publish` (one connection, 5000-message MPUBs): the raw
    # limit that `publish` is measured against.
    p1 = bench_json(broker, "pub", "--count", str(n), "--size", "100", "--topic", "raw1",
                    "--connections", "1", "--batch-size", "5000")
    rows.append(("broker: bench pub (1 conn, 5000/MPUB)", f"{p1['messages_per_second']:,.0f} msg/s", ""))
    s = bench_json(broker, "sub", "--count", str(n), "--size", "100", "--topic", "raw")
    rows.append(("broker: bench sub (drain, 100 B)", f"{s['messages_per_second']:,.0f} msg/s", ""))
    # Shaped like `tail` (one connection, RDY 200): what `tail` is measured against.
    s1 = bench_json(broker, "sub", "--count", str(n), "--size", "100", "--topic", "raw1",
                    "--connections", "1", "--max-in-flight", "200")
    rows.append(("broker: bench sub (1 conn, RDY 200)", f"{s1['messages_per_second']:,.0f} msg/s", ""))

    with tempfile.TemporaryDirectory() as tmp:
        # 2. publish: N lines of 100 bytes (99 + newline) from a file.
        path = os.path.join(tmp, "lines.txt")
        line = b"x" * 99 + b"\n"
        with open(path, "wb") as f:
            for _ in range(n // 10000):
                f.write(line * 10000)
            f.write(line * (n % 10000))
        nsq(broker, "channel", "create", "pubfile", "drain")
        secs, rss, _, _ = nsq(broker, "publish", "-q", "-topic", "pubfile", "--file", path)
        share = 100 * (n / secs) / p1["messages_per_second"]
        rows.append((f"publish: {n:,} lines from a file",
                     f"{n / secs:,.0f} msg/s ({secs:.2f} s, {share:.0f}% of raw)", f"{rss:.1f} MiB"))

        # 3. tail: drain those N queued messages to a file.
        out_path = os.path.join(tmp, "out.txt")
        with open(out_path, "wb") as out:
            secs, rss, _, _ = nsq(broker, "tail", "-q", "-topic", "pubfile", "-channel", "drain",
                                  "--nsqd-tcp-address", broker.tcp, "-n", str(n), stdout=out)
        got = os.path.getsize(out_path)
        if got != n * 100:
            sys.exit(f"tail wrote {got} bytes, expected {n * 100}")
        share = 100 * (n / secs) / s1["messages_per_second"]
        rows.append((f"tail: drain {n:,} queued messages to a file",
                     f"{n / secs:,.0f} msg/s ({secs:.2f} s, {share:.0f}% of raw)", f"{rss:.1f} MiB"))

    # 4. One-shot latency: a whole process publishing one message, vs curl.
    def oneshot(argv):
        times = []
        for _ in range(a.oneshot_runs):
            secs, _, _, _ = run_measured(argv, env=broker.env)
            times.append(secs * 1000)
        times.sort()
        return statistics.median(times), times[int(len(times) * 0.9) - 1]

    med, p90 = oneshot([BIN, "publish", "-q", "-topic", "oneshot", "-message", "hello world"])
    rows.append(("one-shot: nsq-cli publish -message", f"median {med:.1f} ms, p90 {p90:.1f} ms", ""))
    med, p90 = oneshot(["curl", "-sf", "-o", "/dev/null", "--data-binary", "hello world",
                        f"http://{broker.http}/pub?topic=oneshot"])
    rows.append(("one-shot: curl /pub", f"median {med:.1f} ms, p90 {p90:.1f} ms", ""))

    rss = broker.stop()
    rows.append(("broker (nsq-cli dev) during all of the above", "", f"{rss:.1f} MiB peak"))

    print(f"machine: {machine()}")
    print(f"command: python3 scripts/bench.py --messages {n}")
    w = max(len(r[0]) for r in rows)
    v = max(len(r[1]) for r in rows)
    print(f"| {'benchmark':<{w}} | {'result':<{v}} | peak memory |")
    print(f"|{'-' * (w + 2)}|{'-' * (v + 2)}|-------------|")
    for name, result, mem in rows:
        print(f"| {name:<{w}} | {result:<{v}} | {mem:<11} |")


if __name__ == "__main__":
    main()
