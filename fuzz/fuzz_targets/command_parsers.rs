//! The pure parsers behind the broker's command handling, on arbitrary bytes:
//! command line splitting, IDENTIFY bodies, decimal parameters, Go-style quoting
//! of bad values, and topic/channel name checks. None may panic; a few laws hold.
#![no_main]

use libfuzzer_sys::fuzz_target;
use nsq_cli::protocol::command::split_line;
use nsq_cli::protocol::identify::IdentifyRequest;
use nsq_cli::protocol::names::{is_valid_channel_name, is_valid_topic_name};
use nsq_cli::protocol::{go_quote, parse_base10, Message};

fuzz_target!(|data: &[u8]| {
    // A command line: the parameters joined by spaces give the line back (less a
    // trailing \r), and there is always at least one (maybe empty) parameter.
    let params = split_line(data);
    assert!(!params.is_empty());
    let joined = params.join(&b' ');
    assert_eq!(&joined[..], data.strip_suffix(b"\r").unwrap_or(data));
    for p in &params {
        if let Some(n) = parse_base10(p) {
            // Only plain digits parse, and they mean what they say.
            let text = std::str::from_utf8(p).expect("digits are ASCII");
            assert_eq!(
                n,
                if text.is_empty() {
                    0
                } else {
                    text.parse().unwrap()
                }
            );
        }
        let quoted = go_quote(p);
        assert!(quoted.len() >= 2 && quoted.starts_with('"') && quoted.ends_with('"'));
        if is_valid_topic_name(p) || is_valid_channel_name(p) {
            assert!(std::str::from_utf8(p).is_ok() && p.len() <= 64);
        }
    }

    let _ = IdentifyRequest::parse(data);
    let _ = Message::decode(bytes::Bytes::copy_from_slice(data));
});
