//! `tail`'s output formatting on arbitrary flags and messages: the `--format`
//! template parser, the `--delimiter` escape parser, and rendering a message with
//! them (including timestamps far outside the usual range).
#![no_main]

use bytes::Bytes;
use libfuzzer_sys::arbitrary::{self, Arbitrary};
use libfuzzer_sys::fuzz_target;
use nsq_cli::cmd::tail::format::{rfc3339, Formatter};
use nsq_cli::protocol::{Message, MessageId};

#[derive(Debug, Arbitrary)]
struct Input {
    format: String,
    delimiter: String,
    json: bool,
    id: [u8; 16],
    timestamp: i64,
    attempts: u16,
    body: Vec<u8>,
}

fuzz_target!(|input: Input| {
    let _ = rfc3339(input.timestamp);
    let msg = Message {
        id: MessageId(input.id),
        timestamp: input.timestamp,
        attempts: input.attempts,
        body: Bytes::from(input.body),
    };
    let base = Formatter::body("topic", "channel");
    let base = match base.delimiter(&input.delimiter) {
        Ok(f) => f,
        Err(_) => return,
    };
    let mut out = Vec::new();
    if input.json {
        base.json().write(&mut out, &msg, "127.0.0.1:4150");
        return;
    }
    if let Ok(f) = base.template(&input.format) {
        f.write(&mut out, &msg, "127.0.0.1:4150");
    }
});
