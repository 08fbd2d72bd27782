//! NSQ TCP protocol V2, shared by our client and the embedded broker.
//!
//! Everything here is plain data and codecs: no sockets, no async. Malformed input
//! is always an error value, never a panic.

pub mod command;
pub mod compression;
pub mod error;
pub mod frame;
pub mod identify;
pub mod message;
pub mod names;

pub use command::Command;
pub use error::ClientError;
pub use frame::{Frame, FrameDecoder, FrameType};
pub use message::{Message, MessageId};

/// The four bytes a V2 client sends right after connecting.
pub const MAGIC_V2: &[u8; 4] = b"  V2";

/// The server's heartbeat, sent as a response frame; answered with NOP.
pub const HEARTBEAT: &[u8] = b"_heartbeat_";

/// The version we report, matching the nsqd release we are compatible with.
pub const NSQD_VERSION: &str = "1.3.0";

/// Parses a decimal count or timeout the way nsqd does: ASCII digits only (no sign),
/// and an empty string is 0.
pub fn parse_base10(b: &[u8]) -> Option<u64> {
    let mut n: u64 = 0;
    for &c in b {
        if !c.is_ascii_digit() {
            return None;
        }
        n = n.checked_mul(10)?.checked_add(u64::from(c - b'0'))?;
    }
    Some(n)
}

/// Quotes a string the way Go's `%q` does, so error texts match nsqd's byte for byte.
pub fn go_quote(s: &[u8]) -> String {
    let mut out = String::with_capacity(s.len() + 2);
    out.push('"');
    let mut rest = s;
    while !rest.is_empty() {
        match std::str::from_utf8(rest) {
            Ok(valid) => {
                quote_str(valid, &mut out);
                break;
            }
            Err(e) => {
                let (good, bad) = rest.split_at(e.valid_up_to());
                quote_str(std::str::from_utf8(good).unwrap_or_default(), &mut out);
                let skip = e.error_len().unwrap_or(bad.len());
                for b in &bad[..skip] {
                    out.push_str(&format!("\\x{b:02x}"));
                }
                rest = &bad[skip..];
            }
        }
    }
    out.push('"');
    out
}

fn quote_str(s: &str, out: &mut String) {
    for ch in s.chars() {
        match ch {
            '"' => out.push_str("\\\""),
            '\\' => out.push_str("\\\\"),
            '\x07' => out.push_str("\\a"),
            '\x08' => out.push_str("\\b"),
            '\x0c' => out.push_str("\\f"),
            '\n' => out.push_str("\\n"),
            '\r' => out.push_str("\\r"),
            '\t' => out.push_str("\\t"),
            '\x0b' => out.push_str("\\v"),
            c if (c as u32) < 0x20 || c as u32 == 0x7f => {
                out.push_str(&format!("\\x{:02x}", c as u32))
            }
            c if c.is_control() => {
                let v = c as u32;
                if v <= 0xffff {
                    out.push_str(&format!("\\u{v:04x}"))
                } else {
                    out.push_str(&format!("\\U{v:08x}"))
                }
            }
            c => out.push(c),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn base10_accepts_digits_only_and_empty_is_zero() {
        assert_eq!(parse_base10(b""), Some(0));
        assert_eq!(parse_base10(b"2500"), Some(2500));
        assert_eq!(parse_base10(b"-1"), None);
        assert_eq!(parse_base10(b"+1"), None);
        assert_eq!(parse_base10(b"abc"), None);
        assert_eq!(parse_base10(b"99999999999999999999999"), None);
    }

    #[test]
    fn go_quote_escapes_like_go() {
        assert_eq!(go_quote(b"bad/name"), "\"bad/name\"");
        assert_eq!(go_quote(b"a\"b\\c\n"), "\"a\\\"b\\\\c\\n\"");
        assert_eq!(go_quote(b"\x00\xff"), "\"\\x00\\xff\"");
        assert_eq!(go_quote("é".as_bytes()), "\"é\"");
    }
}
