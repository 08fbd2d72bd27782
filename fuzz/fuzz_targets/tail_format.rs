//! `tail`'s output formatting on arbitrary flags and messages: the `--format`
//! template parser, the `--delimiter` escape parser, and rendering a message with
//! them (including timestamps far outside the usual range). A `--json` line reads
//! back (as `publish --input-format json` reads it) to the very body written, and
//! reading arbitrary bytes as such a line never panics.
//!
//! Input: 1 byte of flags (bit 0: --json), the lengths of the format and of the
//! delimiter (1 byte each), the timestamp (8 bytes), the attempts (2 bytes), the
//! message id (16 bytes), the format, the delimiter, then the message body.
#![no_main]

use bytes::Bytes;
use libfuzzer_sys::fuzz_target;
use nsq_cli::cmd::escape::parse_delimiter;
use nsq_cli::cmd::record::json_record_body;
use nsq_cli::cmd::tail::format::{rfc3339, Formatter};
use nsq_cli::protocol::{Message, MessageId};

fn take<'a>(data: &mut &'a [u8], n: usize) -> &'a [u8] {
    let (head, tail) = data.split_at(n.min(data.len()));
    *data = tail;
    head
}

fuzz_target!(|data: &[u8]| {
    if data.len() < 29 {
        return;
    }
    let mut rest = data;
    let [flags, format_len, delimiter_len] = *take(&mut rest, 3) else {
        return;
    };
    let timestamp = i64::from_be_bytes(take(&mut rest, 8).try_into().unwrap());
    let attempts = u16::from_be_bytes(take(&mut rest, 2).try_into().unwrap());
    let id = MessageId(take(&mut rest, 16).try_into().unwrap());
    let format = String::from_utf8_lossy(take(&mut rest, usize::from(format_len)));
    let delimiter = String::from_utf8_lossy(take(&mut rest, usize::from(delimiter_len)));

    let _ = rfc3339(timestamp);
    let msg = Message {
        id,
        timestamp,
        attempts,
        body: Bytes::copy_from_slice(rest),
    };
    let Ok(base) = Formatter::body("topic", "channel").delimiter(&delimiter) else {
        return;
    };
    let mut out = Vec::new();
    let _ = json_record_body(rest);
    if flags & 1 != 0 {
        base.json().write(&mut out, &msg, "127.0.0.1:4150");
        let delimiter_bytes = parse_delimiter(&delimiter).unwrap().len();
        let line = &out[..out.len() - delimiter_bytes];
        assert_eq!(json_record_body(line).unwrap(), rest, "the body reads back");
    } else if let Ok(f) = base.template(&format) {
        f.write(&mut out, &msg, "127.0.0.1:4150");
    }
});
