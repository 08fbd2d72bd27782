//! How `tail` writes a message: raw body, a `--format` template, `--json`, or
//! nsq_tail's `--print-topic`, each followed by the delimiter.

use crate::cmd::record::json_record;
use crate::protocol::Message;
use std::time::{Duration, SystemTime, UNIX_EPOCH};

#[derive(Debug, Clone, PartialEq, Eq)]
enum Piece {
    Literal(Vec<u8>),
    Body,
    Id,
    Attempts,
    Timestamp,
    Time,
    Topic,
    Channel,
    Node,
}

#[derive(Debug, Clone)]
enum Style {
    Body,
    PrintTopic,
    Template(Vec<Piece>),
    Json,
}

/// Everything needed to render one message; built once from the flags.
#[derive(Debug, Clone)]
pub struct Formatter {
    style: Style,
    delimiter: Vec<u8>,
    topic: String,
    channel: String,
}

/// `{nsqd}` is kept as another name for `{node}` (its earlier name; see CHANGELOG.md).
pub const PLACEHOLDERS: &str = "{body} {id} {attempts} {timestamp} {time} {topic} {channel} {node}";

impl Formatter {
    pub fn body(topic: &str, channel: &str) -> Formatter {
        Formatter {
            style: Style::Body,
            delimiter: b"\n".to_vec(),
            topic: topic.to_string(),
            channel: channel.to_string(),
        }
    }

    pub fn print_topic(mut self) -> Formatter {
        self.style = Style::PrintTopic;
        self
    }

    pub fn json(mut self) -> Formatter {
        self.style = Style::Json;
        self
    }

    /// A `--format` template; `{{` and `}}` are literal braces.
    pub fn template(mut self, template: &str) -> Result<Formatter, String> {
        self.style = Style::Template(parse_template(template)?);
        Ok(self)
    }

    /// A `--delimiter`, with the escapes `publish --delimiter` takes (`\n`, `\xHH`, ...).
    pub fn delimiter(mut self, delimiter: &str) -> Result<Formatter, String> {
        self.delimiter = crate::cmd::escape::parse_delimiter(delimiter)?;
        Ok(self)
    }

    /// Appends the message and the delimiter to `out`.
    pub fn write(&self, out: &mut Vec<u8>, msg: &Message, node: &str) {
        match &self.style {
            Style::Body => out.extend_from_slice(&msg.body),
            Style::PrintTopic => {
                out.extend_from_slice(self.topic.as_bytes());
                out.extend_from_slice(b" | ");
                out.extend_from_slice(&msg.body);
            }
            Style::Template(pieces) => {
                for p in pieces {
                    self.write_piece(out, p, msg, node);
                }
            }
            Style::Json => {
                let line = json_record(msg, &self.topic, &self.channel, node);
                // Serialising plain strings and numbers into a Vec cannot fail.
                let _ = serde_json::to_writer(&mut *out, &line);
            }
        }
        out.extend_from_slice(&self.delimiter);
    }

    fn write_piece(&self, out: &mut Vec<u8>, p: &Piece, msg: &Message, node: &str) {
        use std::io::Write;
        match p {
            Piece::Literal(b) => out.extend_from_slice(b),
            Piece::Body => out.extend_from_slice(&msg.body),
            Piece::Id => out.extend_from_slice(msg.id.as_bytes()),
            Piece::Attempts => {
                let _ = write!(out, "{}", msg.attempts);
            }
            Piece::Timestamp => {
                let _ = write!(out, "{}", msg.timestamp);
            }
            Piece::Time => out.extend_from_slice(rfc3339(msg.timestamp).as_bytes()),
            Piece::Topic => out.extend_from_slice(self.topic.as_bytes()),
            Piece::Channel => out.extend_from_slice(self.channel.as_bytes()),
            Piece::Node => out.extend_from_slice(node.as_bytes()),
        }
    }
}

/// A nanosecond Unix timestamp as RFC 3339 in UTC.
pub fn rfc3339(ns: i64) -> String {
    let t = if ns >= 0 {
        UNIX_EPOCH + Duration::from_nanos(ns as u64)
    } else {
        UNIX_EPOCH
    };
    humantime::format_rfc3339_nanos(clamp_time(t)).to_string()
}

fn clamp_time(t: SystemTime) -> SystemTime {
    // humantime refuses years past 9999; timestamps that far out are garbage anyway.
    let max = UNIX_EPOCH + Duration::from_secs(253_402_300_799);
    t.min(max)
}

fn parse_template(t: &str) -> Result<Vec<Piece>, String> {
    let mut pieces = Vec::new();
    let mut lit = Vec::new();
    let mut rest = t;
    while let Some(c) = rest.chars().next() {
        if rest.starts_with("{{") {
            lit.push(b'{');
            rest = &rest[2..];
        } else if rest.starts_with("}}") {
            lit.push(b'}');
            rest = &rest[2..];
        } else if c == '{' {
            let end = rest.find('}').ok_or_else(|| {
                format!("invalid --format {t:?}: unclosed '{{' (use {{{{ for a literal brace)")
            })?;
            let name = &rest[1..end];
            let piece = match name {
                "body" => Piece::Body,
                "id" => Piece::Id,
                "attempts" => Piece::Attempts,
                "timestamp" => Piece::Timestamp,
                "time" => Piece::Time,
                "topic" => Piece::Topic,
                "channel" => Piece::Channel,
                "node" | "nsqd" => Piece::Node,
                other => {
                    return Err(format!(
                        "invalid --format {t:?}: unknown placeholder {{{other}}} (known: {PLACEHOLDERS})"
                    ))
                }
            };
            if !lit.is_empty() {
                pieces.push(Piece::Literal(std::mem::take(&mut lit)));
            }
            pieces.push(piece);
            rest = &rest[end + 1..];
        } else {
            let mut buf = [0u8; 4];
            lit.extend_from_slice(c.encode_utf8(&mut buf).as_bytes());
            rest = &rest[c.len_utf8()..];
        }
    }
    if !lit.is_empty() {
        pieces.push(Piece::Literal(lit));
    }
    Ok(pieces)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::cmd::record::json_record_body;
    use crate::protocol::MessageId;
    use bytes::Bytes;

    fn msg(body: &'static [u8]) -> Message {
        Message {
            id: MessageId::from_u64(0xab),
            timestamp: 1_500_000_000_123_456_789,
            attempts: 2,
            body: Bytes::from_static(body),
        }
    }

    fn render(f: &Formatter, m: &Message) -> Vec<u8> {
        let mut out = Vec::new();
        f.write(&mut out, m, "127.0.0.1:4150");
        out
    }

    #[test]
    fn body_and_print_topic() {
        let f = Formatter::body("t", "c");
        assert_eq!(render(&f, &msg(b"hi")), b"hi\n");
        let f = f.print_topic();
        assert_eq!(render(&f, &msg(b"hi")), b"t | hi\n");
    }

    #[test]
    fn template_placeholders_and_braces() {
        let f = Formatter::body("t", "c")
            .template(
                "{{{id}}} {attempts} {timestamp} {time} {topic}/{channel}@{node}={nsqd}: {body}",
            )
            .unwrap();
        assert_eq!(
            String::from_utf8(render(&f, &msg(b"x"))).unwrap(),
            "{00000000000000ab} 2 1500000000123456789 2017-07-14T02:40:00.123456789Z t/c@127.0.0.1:4150=127.0.0.1:4150: x\n"
        );
        let e = Formatter::body("t", "c").template("{nope}").unwrap_err();
        assert!(e.contains("{nope}"), "{e}");
        assert!(Formatter::body("t", "c").template("{body").is_err());
    }

    #[test]
    fn delimiter_escapes() {
        let f = Formatter::body("t", "c").delimiter("\\0").unwrap();
        assert_eq!(render(&f, &msg(b"a")), b"a\0");
        let f = Formatter::body("t", "c").delimiter("--\\t").unwrap();
        assert_eq!(render(&f, &msg(b"a")), b"a--\t");
        assert!(Formatter::body("t", "c").delimiter("\\q").is_err());
        // The same escapes as publish --delimiter.
        let f = Formatter::body("t", "c").delimiter("\\x1e").unwrap();
        assert_eq!(render(&f, &msg(b"a")), b"a\x1e");
    }

    #[test]
    fn json_lines() {
        let f = Formatter::body("t", "c").json();
        assert_eq!(
            String::from_utf8(render(&f, &msg(b"hi \"x\""))).unwrap(),
            "{\"id\":\"00000000000000ab\",\"attempts\":2,\"timestamp\":1500000000123456789,\"topic\":\"t\",\"channel\":\"c\",\"node\":\"127.0.0.1:4150\",\"body\":\"hi \\\"x\\\"\"}\n"
        );
        let out = String::from_utf8(render(&f, &msg(b"\xff\x00"))).unwrap();
        assert!(out.ends_with(",\"body_base64\":\"/wA=\"}\n"), "{out}");
    }

    /// What --json writes reads back byte for byte, text or not.
    #[test]
    fn json_lines_read_back() {
        let f = Formatter::body("t", "c").json();
        for body in [
            &b"hi \"x\"\n\\"[..],
            b"\xff\x00 \n",
            b"\x00",
            "\u{e9}t\u{e9}".as_bytes(),
        ] {
            let m = Message {
                body: Bytes::copy_from_slice(body),
                ..msg(b"")
            };
            let line = render(&f, &m);
            assert_eq!(json_record_body(&line).unwrap(), body);
        }
        // Other fields are ignored; an empty body stays empty (the caller skips it).
        assert_eq!(json_record_body(br#"{"x":[1],"body":"a"}"#).unwrap(), b"a");
        assert_eq!(json_record_body(br#"{"body":""}"#).unwrap(), b"");
        let err = |l: &[u8]| json_record_body(l).unwrap_err();
        assert!(err(br#"{"body":"a","body_base64":"YQ=="}"#).contains("both"));
        assert!(err(br#"{"id":"1"}"#).contains("neither"));
        assert!(err(br#"{"body_base64":"%%"}"#).contains("not valid base64"));
        let e = err(br#"{"body":5}"#);
        assert!(e.contains("column") && !e.contains("at line"), "{e}");
        assert!(err(b"plain text").starts_with("is not a JSON object"));
        assert!(err(br#"{"body":"a","body":"b"}"#).contains("duplicate"));
    }
}
