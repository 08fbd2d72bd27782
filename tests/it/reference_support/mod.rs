//! Support code for the golden replay tests (`tests/reference_tcp.rs`,
//! `tests/reference_http.rs`): where the captures live, a raw NSQ V2 connection
//! (with deflate / snappy), an order-preserving JSON reader, and a raw HTTP/1.1
//! client. Everything here is written for the tests; nothing comes from NSQ.
#![allow(dead_code)]

pub mod codec;
pub mod http;
pub mod json;
pub mod nsq;

use std::path::PathBuf;
use std::time::{SystemTime, UNIX_EPOCH};

/// Folder of the nsqd / nsqlookupd v1.3.0 captures, copied into the repository
/// (`tests/fixtures/nsqd-v1.3.0`, recorded facts from the team's shared reference)
/// so that a clone anywhere runs the golden replays.
pub fn reference_dir() -> PathBuf {
    let dir = PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("tests/fixtures/nsqd-v1.3.0");
    if !dir.join("README.md").is_file() || !dir.join("tcp-cases.json").is_file() {
        panic!(
            "reference captures not found: expected nsqd v1.3.0 captures (README.md, tcp-cases.json, \
             http-*-exchanges.json, tcp-*.txt) in {}; these golden tests cannot run without them",
            dir.display()
        );
    }
    dir
}

/// Reads one capture file as text.
pub fn read_ref(name: &str) -> String {
    let path = reference_dir().join(name);
    std::fs::read_to_string(&path)
        .unwrap_or_else(|e| panic!("cannot read reference file {}: {e}", path.display()))
}

/// Decodes a hex string (as used by `tcp-cases.json`).
pub fn hex_decode(s: &str) -> Vec<u8> {
    assert!(s.len() % 2 == 0, "odd-length hex string in capture: {s}");
    (0..s.len())
        .step_by(2)
        .map(|i| u8::from_str_radix(&s[i..i + 2], 16).expect("bad hex in capture"))
        .collect()
}

/// The exchange files store raw bytes as a string of code points 0..=255
/// (one per byte); this turns such a string back into bytes.
pub fn latin1(s: &str) -> Vec<u8> {
    s.chars()
        .map(|c| u8::try_from(u32::from(c)).expect("capture body has a char above U+00FF"))
        .collect()
}

/// Printable form of some bytes for failure messages (Rust-style escapes),
/// cut to `max` bytes.
pub fn show(bytes: &[u8], max: usize) -> String {
    let mut out = String::from("\"");
    for &b in bytes.iter().take(max) {
        match b {
            b'"' => out.push_str("\\\""),
            b'\\' => out.push_str("\\\\"),
            b'\n' => out.push_str("\\n"),
            b'\r' => out.push_str("\\r"),
            b'\t' => out.push_str("\\t"),
            0x20..=0x7e => out.push(b as char),
            _ => out.push_str(&format!("\\x{b:02x}")),
        }
    }
    out.push('"');
    if bytes.len() > max {
        out.push_str(&format!("...({} bytes)", bytes.len()));
    }
    out
}

/// Shows two byte strings around their first difference.
pub fn show_diff(expected: &[u8], got: &[u8]) -> String {
    let first = expected
        .iter()
        .zip(got.iter())
        .position(|(a, b)| a != b)
        .unwrap_or(expected.len().min(got.len()));
    let start = first.saturating_sub(40);
    format!(
        "first difference at byte {first} (expected {} bytes, got {}): expected ...{} got ...{}",
        expected.len(),
        got.len(),
        show(&expected[start..], 160),
        show(&got[start..], 160)
    )
}

/// Current wall-clock time in nanoseconds since the Unix epoch.
pub fn now_ns() -> u64 {
    SystemTime::now()
        .duration_since(UNIX_EPOCH)
        .expect("clock before 1970")
        .as_nanos() as u64
}

/// Percent-encodes a query value (topic names may hold `#`).
pub fn query_escape(s: &str) -> String {
    let mut out = String::new();
    for b in s.bytes() {
        if b.is_ascii_alphanumeric() || b"-_.~".contains(&b) {
            out.push(b as char);
        } else {
            out.push_str(&format!("%{b:02X}"));
        }
    }
    out
}
