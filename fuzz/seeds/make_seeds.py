#!/usr/bin/env python3
"""Writes the seed inputs for the broker_conn and command_parsers fuzz targets.

broker_conn input: one knobs byte (bit 0: tiny limits, bit 1: TLS required,
bits 2-7: pipe capacity, 0 = 64 KiB), then the client's bytes after the magic.
Run from this directory; the outputs are committed.
"""
import json
import struct
import zlib


def sized(head, body):
    return head + struct.pack(">I", len(body)) + body


def identify(**fields):
    return sized(b"IDENTIFY\n", json.dumps(fields).encode())


def mpub(topic, bodies):
    inner = struct.pack(">I", len(bodies)) + b"".join(
        struct.pack(">I", len(b)) + b for b in bodies)
    return sized(b"MPUB " + topic + b"\n", inner)


def crc32c(data):
    crc = 0xFFFFFFFF
    for byte in data:
        crc ^= byte
        for _ in range(8):
            crc = (crc >> 1) ^ (0x82F63B78 if crc & 1 else 0)
    crc ^= 0xFFFFFFFF
    return (((crc >> 15) | (crc << 17)) + 0xA282EAD8) & 0xFFFFFFFF


def snappy_uncompressed(data):
    """Snappy framing with stored (type 0x01) chunks."""
    out = b"\xff\x06\x00\x00sNaPpY"
    payload = struct.pack("<I", crc32c(data)) + data
    return out + b"\x01" + struct.pack("<I", len(payload))[:3] + payload


def deflate(data):
    z = zlib.compressobj(6, zlib.DEFLATED, -15)
    return z.compress(data) + z.flush(zlib.Z_SYNC_FLUSH)


MSG_ID = b"0000000000000001"
session = (
    b"SUB t c\nRDY 5\n"
    + sized(b"PUB t\n", b"hello")
    + mpub(b"t", [b"one", b"two"])
    + sized(b"DPUB t 100\n", b"later")
    + b"FIN " + MSG_ID + b"\nREQ " + MSG_ID + b" 0\nTOUCH " + MSG_ID + b"\n"
    + b"NOP\nCLS\n"
)

seeds = {
    "broker_conn": {
        "plain": b"\x00" + identify(feature_negotiation=True, client_id="fuzz",
                                    heartbeat_interval=-1) + session,
        "publish_only": b"\x00" + sized(b"PUB t\n", b"x") + mpub(b"t#ephemeral", [b"a"]),
        "tiny_limits": b"\x01" + sized(b"PUB t\n", b"x" * 20) + b"RDY 9\n" + mpub(b"t", [b""]),
        "tls_required": b"\x02" + b"SUB t c\n" + identify(tls_v1=True),
        "small_pipe": b"\x0c" + identify(feature_negotiation=True) + session,
        "deflate": b"\x00" + identify(feature_negotiation=True, deflate=True,
                                      deflate_level=3) + deflate(session),
        "snappy": b"\x00" + identify(feature_negotiation=True, snappy=True)
        + snappy_uncompressed(session),
        "auth": b"\x00" + sized(b"AUTH\n", b"secret") + b"SUB t c\n",
        "bad": b"\x00" + b"FOO\nSUB bad/name c\nRDY -1\nREQ x\nPUB t\n\xff\xff\xff\xff",
    },
    "command_parsers": {
        "identify": json.dumps({"client_id": "a", "heartbeat_interval": 1000,
                                "deflate": True, "sample_rate": 50}).encode(),
        "line": b"REQ 0000000000000001 1000\r",
        "names": b"SUB topic#ephemeral ch.-_#ephemeral",
    },
}

for target, files in seeds.items():
    for name, data in files.items():
        with open(f"{target}/{name}", "wb") as f:
            f.write(data)
