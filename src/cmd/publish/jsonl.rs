//! `--input-format json`: lines written by `tail --json` or `tail --dead-letter`,
//! each giving one message body, byte for byte (binary bodies come as
//! `body_base64`). Blank lines and empty bodies are skipped and counted, as empty
//! records are; a line that is not such a record stops the input, naming it.

use super::input::{over_max, split, InputItem, InputMsg, SplitError};
use crate::client::pool::Mark;
use crate::cmd::record::json_record_body;
use bytes::Bytes;
use std::io::Read;

/// The longest line that can hold a body within `max_msg_size`: JSON escapes
/// (`\u0000`) take 6 bytes per byte of body, and the other fields some room.
fn max_line(max_msg_size: usize) -> usize {
    max_msg_size.saturating_mul(6).saturating_add(64 * 1024)
}

/// A group of lines decoded: the messages up to the first bad line, if any.
struct Decoded {
    msgs: Vec<InputMsg>,
    skipped: u64,
    /// The bad line (where the input stopped) and what is wrong with it.
    bad: Option<(Mark, String)>,
}

fn decode(lines: Vec<InputMsg>, max_msg_size: usize) -> Decoded {
    let mut d = Decoded {
        msgs: Vec::with_capacity(lines.len()),
        skipped: 0,
        bad: None,
    };
    for line in lines {
        if line.body.iter().all(u8::is_ascii_whitespace) {
            d.skipped += 1;
            continue;
        }
        let problem = match json_record_body(&line.body) {
            Ok(body) if body.is_empty() => {
                d.skipped += 1;
                continue;
            }
            Ok(body) if body.len() > max_msg_size => {
                let what = format!("the body on line {}", line.record);
                over_max(&what, Some(body.len()), max_msg_size)
            }
            Ok(body) => {
                d.msgs.push(InputMsg {
                    body: Bytes::from(body),
                    record: line.record,
                    offset: line.offset,
                });
                continue;
            }
            Err(e) => format!("line {} {e}", line.record),
        };
        let at = Mark {
            record: line.record,
            offset: line.offset,
        };
        d.bad = Some((at, problem));
        break;
    }
    d
}

fn split_error(e: SplitError, max_msg_size: usize) -> String {
    match e {
        SplitError::Read(e) => e,
        SplitError::TooBig { record, .. } => format!(
            "line {record} is longer than a record of a message within nsqd's max message size of {max_msg_size} bytes can be (see --max-msg-size)"
        ),
    }
}

/// Reads JSON lines, sending their bodies in groups; a bad line is sent as a
/// refusal (exit 2 when nothing was sent yet) after the good lines before it.
pub(super) fn json_lines(reader: impl Read, max_msg_size: usize, send: impl Fn(InputItem) -> bool) {
    let mut refusal = None;
    let r = split::<true>(
        reader,
        b"\n",
        max_line(max_msg_size),
        |lines, blank, next| {
            let d = decode(lines, max_msg_size);
            let skipped = d.skipped + blank;
            let next = d.bad.as_ref().map_or(next, |(at, _)| *at);
            if (!d.msgs.is_empty() || skipped > 0)
                && !send(InputItem::Msgs {
                    msgs: d.msgs,
                    skipped,
                    next,
                })
            {
                return false;
            }
            refusal = d.bad.map(|(_, e)| e);
            refusal.is_none()
        },
    );
    match r {
        Err(e) => send(InputItem::Refused(split_error(e, max_msg_size))),
        Ok(()) => refusal.is_some_and(|e| send(InputItem::Refused(e))),
    };
}

/// The pre-flight pass over a --file: every line must be a record whose body
/// nsqd takes.
pub(super) fn check_json_lines(reader: impl Read, max_msg_size: usize) -> Result<(), String> {
    let mut refusal = None;
    split::<true>(reader, b"\n", max_line(max_msg_size), |lines, _, _| {
        refusal = decode(lines, max_msg_size).bad.map(|(_, e)| e);
        refusal.is_none()
    })
    .map_err(|e| split_error(e, max_msg_size))?;
    refusal.map_or(Ok(()), Err)
}

#[cfg(test)]
mod tests {
    use super::*;

    /// Bodies with their record numbers, skipped, and the refusal of an input.
    type Got = (Vec<(Vec<u8>, u64)>, u64, Option<String>);

    fn read(input: &[u8], max: usize) -> Got {
        let got = std::sync::Mutex::new((vec![], 0, None));
        json_lines(input, max, |item| {
            let mut g = got.lock().unwrap();
            match item {
                InputItem::Msgs { msgs, skipped, .. } => {
                    g.0.extend(msgs.into_iter().map(|m| (m.body.to_vec(), m.record)));
                    g.1 += skipped;
                }
                InputItem::Refused(e) | InputItem::Error(e) => g.2 = Some(e),
            }
            true
        });
        got.into_inner().unwrap()
    }

    #[test]
    fn bodies_blank_lines_and_the_first_bad_line() {
        let input = b"{\"body\":\"a\\nb\"}\n\n  \r\n{\"body_base64\":\"/wA=\"}\n{\"body\":\"\"}\n{\"body\":\"z\"}";
        let (msgs, skipped, err) = read(input, 100);
        assert_eq!(
            msgs,
            vec![
                (b"a\nb".to_vec(), 1),
                (b"\xff\x00".to_vec(), 4),
                (b"z".to_vec(), 6)
            ]
        );
        assert_eq!((skipped, err), (3, None));
        let (msgs, _, err) = read(
            b"{\"body\":\"ok\"}\n{\"id\":\"x\"}\n{\"body\":\"never\"}\n",
            100,
        );
        assert_eq!(msgs, vec![(b"ok".to_vec(), 1)]);
        assert_eq!(
            err.unwrap(),
            "line 2 has neither \"body\" nor \"body_base64\""
        );
        let (_, _, err) = read(b"{\"body\":\"abcd\"}\n", 3);
        assert!(err
            .unwrap()
            .starts_with("the body on line 1 is 4 bytes, over"));
    }

    #[test]
    fn preflight_names_the_bad_line() {
        assert!(check_json_lines(&b"{\"body\":\"a\"}\n\n"[..], 10).is_ok());
        let e = check_json_lines(&b"{\"body\":\"a\"}\n{\"body\":1}\n"[..], 10).unwrap_err();
        assert!(e.starts_with("line 2 is not a JSON object"), "{e}");
        let long = format!("{{\"body\":\"{}\"}}", "x".repeat(200_000));
        let e = check_json_lines(long.as_bytes(), 10).unwrap_err();
        assert!(e.starts_with("line 1 is longer than"), "{e}");
    }
}
