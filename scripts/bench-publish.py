#!/usr/bin/env python3
"""Benchmark `nsq-cli publish`: N lines of 100 bytes from a file into a local
`nsq-cli dev`, against the broker's raw MPUB limit (pre-encoded MPUBs blasted by
this script, pipelined, with no input handling at all).

    python3 scripts/bench-publish.py            # 1,000,000 lines
    python3 scripts/bench-publish.py --lines 5000000

Prints messages/s for both and the publisher's peak RSS. Build first with
`cargo build --release` (the script does it)."""

import argparse
import json
import os
import socket
import struct
import subprocess
import sys
import tempfile
import threading
import time

ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
BIN = os.path.join(ROOT, "target", "release", "nsq-cli")


def start_broker():
    p = subprocess.Popen(
        [BIN, "dev", "--tcp-address", "127.0.0.1:0", "--http-address", "127.0.0.1:0",
         "--lookupd-http-address", "127.0.0.1:0"],
        stdout=subprocess.PIPE, stderr=subprocess.DEVNULL, text=True)
    for line in p.stdout:
        if line.startswith("NSQD_TCP_ADDRESS="):
            threading.Thread(target=lambda: p.stdout.read(), daemon=True).start()
            return p, line.strip().split("=", 1)[1]
    raise SystemExit("nsq-cli dev did not start")


def raw_mpub(addr, lines, batch=1000, window=8):
    """The broker's limit: identical 100-byte messages in pre-encoded MPUBs."""
    host, port = addr.rsplit(":", 1)
    s = socket.create_connection((host, int(port)))
    s.sendall(b"  V2")
    body = b"x" * 99
    msgs = struct.pack(">I", batch) + (struct.pack(">I", len(body)) + body) * batch
    cmd = b"MPUB rawbench\n" + struct.pack(">I", len(msgs)) + msgs
    batches = lines // batch
    sem = threading.Semaphore(window)
    done = threading.Event()

    def read_acks():
        buf = b""
        acked = 0
        while acked < batches:
            buf += s.recv(65536)
            while len(buf) >= 8:
                size = struct.unpack(">I", buf[:4])[0]
                if len(buf) < 4 + size:
                    break
                frame, buf = buf[4:4 + size], buf[4 + size:]
                if frame[4:] == b"OK":
                    acked += 1
                    sem.release()
                elif frame[4:] == b"_heartbeat_":
                    s.sendall(b"NOP\n")
                else:
                    raise SystemExit(f"raw MPUB failed: {frame[4:]!r}")
        done.set()

    t = threading.Thread(target=read_acks, daemon=True)
    start = time.perf_counter()
    t.start()
    for _ in range(batches):
        sem.acquire()
        s.sendall(cmd)
    done.wait()
    elapsed = time.perf_counter() - start
    s.close()
    return batches * batch / elapsed


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--lines", type=int, default=1_000_000)
    a = ap.parse_args()
    subprocess.run(["cargo", "build", "--release", "-q"], cwd=ROOT, check=True)
    with tempfile.TemporaryDirectory() as tmp:
        path = os.path.join(tmp, "lines.txt")
        with open(path, "wb") as f:
            for i in range(a.lines):
                f.write(b"%099d\n" % i)  # 99 digits + newline: 100 bytes per line
        size = os.path.getsize(path)

        broker, addr = start_broker()
        try:
            raw = raw_mpub(addr, a.lines)
        finally:
            broker.kill()
            broker.wait()

        broker, addr = start_broker()
        try:
            start = time.perf_counter()
            p = subprocess.Popen(
                [BIN, "publish", "--topic", "bench", "--file", path, "--json",
                 "--nsqd-tcp-address", addr], stdout=subprocess.PIPE)
            out = p.stdout.read()
            _, status, usage = os.wait4(p.pid, 0)
            elapsed = time.perf_counter() - start
        finally:
            broker.kill()
            broker.wait()
        if status != 0:
            raise SystemExit(f"publish failed with status {status}")
        summary = json.loads(out)
        assert summary["messages"] == a.lines, summary
        rate = a.lines / elapsed
        print(f"input:                {a.lines} lines, {size / 1e6:.0f} MB")
        print(f"broker raw MPUB:      {raw:,.0f} msg/s")
        print(f"nsq-cli publish:      {rate:,.0f} msg/s ({rate / raw:.0%} of raw), "
              f"{elapsed:.2f}s wall")
        print(f"publisher peak RSS:   {usage.ru_maxrss / 1024:.1f} MiB")


if __name__ == "__main__":
    sys.exit(main())
