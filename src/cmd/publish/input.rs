//! publish's input: where messages come from (`--message`, `--whole`, a stream
//! split on `--delimiter`), read on a thread of its own and handed over in groups.

use super::template::Template;
use crate::client::pool::{Mark, Message};
use bytes::{Buf, Bytes, BytesMut};
use std::io::Read;
use tokio::sync::mpsc;

/// Bytes read from the input at a time.
pub(super) const READ_CHUNK: usize = 256 * 1024;

/// One message from the input, with where it came from (for resuming).
pub type InputMsg = Message;

#[derive(Debug)]
pub(super) enum InputItem {
    Msgs {
        msgs: Vec<InputMsg>,
        skipped: u64,
        /// Where the input stands after this group (the next record's start).
        next: Mark,
    },
    Error(String),
    /// A message nsqd would refuse (exit 2 when nothing was sent yet).
    Refused(String),
}

/// What a record is called in messages to the user.
#[derive(Debug, Clone, Copy, PartialEq)]
pub enum RecordName {
    Line,
    Record,
    Message,
}

impl RecordName {
    pub fn singular(self) -> &'static str {
        match self {
            RecordName::Line => "line",
            RecordName::Record => "record",
            RecordName::Message => "message",
        }
    }
}

/// The one wording for a message over the size limit: `what` is `the --message`,
/// `--file PATH`, `the input`, `message 7`.
pub(super) fn over_max(what: &str, len: Option<usize>, max: usize) -> String {
    let size = len.map(|l| format!(" {l} bytes,")).unwrap_or_default();
    format!("{what} is{size} over nsqd's max message size of {max} bytes (see --max-msg-size)")
}

/// Why a split stopped early.
pub(super) enum SplitError {
    Read(String),
    /// Record `record` is over the limit: `len` bytes when known.
    TooBig {
        record: u64,
        len: Option<usize>,
    },
}

/// The one read loop: splits a byte stream on `delim`, handing complete messages
/// to `emit` in groups (one per read). Empty messages are skipped and counted; a
/// message longer than `max_msg_size` stops the split (without reading all of it).
/// `KEEP`: build the messages (publishing) or only measure the records (the
/// pre-flight check, which then allocates nothing per record).
pub(super) fn split<const KEEP: bool>(
    mut input: impl Read,
    delim: &[u8],
    max_msg_size: usize,
    mut emit: impl FnMut(Vec<InputMsg>, u64, Mark) -> bool,
) -> Result<(), SplitError> {
    let finder = memchr::memmem::Finder::new(delim);
    let mut buf = BytesMut::with_capacity(READ_CHUNK);
    let mut record: u64 = 0;
    let mut offset: u64 = 0; // input offset of buf[0]
    let mut scan_from = 0;
    let mut eof = false;
    // Reads land in a buffer zeroed once, then are copied in: cheaper than zeroing
    // fresh space in `buf` for every (possibly tiny) read from a pipe.
    let mut chunk_buf = vec![0u8; READ_CHUNK];
    while !eof {
        let n = read_some(&mut input, &mut chunk_buf)?;
        buf.extend_from_slice(&chunk_buf[..n]);
        eof = n == 0;
        let mut msgs = Vec::new();
        let mut skipped = 0;
        loop {
            let end = match finder.find(&buf[scan_from..]).map(|i| i + scan_from) {
                Some(end) => end,
                None if eof && !buf.is_empty() => buf.len(),
                None => break,
            };
            record += 1;
            let take = (end + delim.len()).min(buf.len());
            scan_from = 0;
            if end == 0 {
                skipped += 1;
                buf.advance(take);
            } else if end > max_msg_size {
                let len = Some(end);
                return Err(SplitError::TooBig { record, len });
            } else if KEEP {
                let body = buf.split_to(take).freeze().slice(..end);
                msgs.push(InputMsg {
                    body,
                    record,
                    offset,
                });
            } else {
                buf.advance(take);
            }
            offset += take as u64;
        }
        // The tail may end with the start of a delimiter: only more than that is
        // sure to be an oversized record.
        if buf.len() > max_msg_size.saturating_add(delim.len() - 1) {
            let record = record + 1;
            return Err(SplitError::TooBig { record, len: None });
        }
        scan_from = buf.len().saturating_sub(delim.len() - 1);
        let next = Mark {
            record: record + 1,
            offset,
        };
        if (!msgs.is_empty() || skipped > 0) && !emit(msgs, skipped, next) {
            return Ok(());
        }
    }
    Ok(())
}

/// One read, retried when interrupted.
fn read_some(input: &mut impl Read, buf: &mut [u8]) -> Result<usize, SplitError> {
    loop {
        match input.read(buf) {
            Ok(n) => return Ok(n),
            Err(e) if e.kind() == std::io::ErrorKind::Interrupted => continue,
            Err(e) => {
                return Err(SplitError::Read(format!(
                    "cannot read the input: {}",
                    crate::error::describe_io(&e)
                )))
            }
        }
    }
}

/// Splits a byte stream on `delim`, handing complete messages to `emit` in groups.
/// Empty messages are skipped and counted; a message longer than `max_msg_size`
/// stops the split with an error naming its record (without reading all of it).
pub fn split_stream(
    input: impl Read,
    delim: &[u8],
    max_msg_size: usize,
    name: RecordName,
    emit: impl FnMut(Vec<InputMsg>, u64, Mark) -> bool,
) -> Result<(), String> {
    split::<true>(input, delim, max_msg_size, emit).map_err(|e| match e {
        SplitError::Read(e) => e,
        SplitError::TooBig { record, len } => {
            let size = match len {
                Some(len) => format!("is {len} bytes"),
                None => "is longer than that".to_string(),
            };
            format!(
                "{} {record} is over nsqd's max message size of {max_msg_size} bytes (see --max-msg-size): it {size}",
                name.singular()
            )
        }
    })
}

/// Checks that no record is longer than `max_msg_size` (the pre-flight pass over
/// a --file): the same split, with the messages dropped.
pub fn check_record_sizes(
    input: impl Read,
    delim: &[u8],
    max_msg_size: usize,
    name: RecordName,
) -> Result<(), String> {
    split::<false>(input, delim, max_msg_size, |_, _, _| true).map_err(|e| match e {
        SplitError::Read(e) => e,
        SplitError::TooBig { record, .. } => format!(
            "{} {record} is over nsqd's max message size of {max_msg_size} bytes (see --max-msg-size)",
            name.singular()
        ),
    })
}

/// Where messages come from.
pub(super) enum Source {
    /// --message, possibly repeated with templates.
    Message {
        text: String,
        count: u64,
        template: Option<Template>,
    },
    /// All of the input as one message, read before connecting.
    Whole(Bytes),
    /// The input split on a delimiter.
    Stream {
        reader: Box<dyn Read + Send>,
        delim: Vec<u8>,
    },
    /// Lines written by `tail --json` or `--dead-letter`, each giving one body.
    JsonLines(Box<dyn Read + Send>),
}

/// Runs the input on its own thread (reads block), sending groups of messages.
pub(super) fn spawn_input(
    source: Source,
    max_msg_size: usize,
    name: RecordName,
) -> mpsc::Receiver<InputItem> {
    let (tx, rx) = mpsc::channel::<InputItem>(4);
    std::thread::spawn(move || {
        let send = |item: InputItem| tx.blocking_send(item).is_ok();
        match source {
            Source::Message {
                text,
                count,
                template,
            } => repeat_message(&text, count, template.as_ref(), max_msg_size, send),
            Source::Whole(body) => {
                // Read and checked against --max-msg-size before connecting; a
                // server that advertises a smaller limit still refuses it here.
                let item = if body.len() > max_msg_size {
                    InputItem::Refused(over_max("the input", Some(body.len()), max_msg_size))
                } else {
                    let next = Mark {
                        record: 2,
                        offset: body.len() as u64,
                    };
                    let msgs = vec![InputMsg {
                        body,
                        record: 1,
                        offset: 0,
                    }];
                    InputItem::Msgs {
                        msgs,
                        skipped: 0,
                        next,
                    }
                };
                send(item);
            }
            Source::Stream { reader, delim } => {
                let r = split_stream(reader, &delim, max_msg_size, name, |msgs, skipped, next| {
                    send(InputItem::Msgs {
                        msgs,
                        skipped,
                        next,
                    })
                });
                if let Err(e) = r {
                    send(InputItem::Error(e));
                }
            }
            Source::JsonLines(reader) => super::jsonl::json_lines(reader, max_msg_size, send),
        }
    });
    rx
}

/// --message `count` times (rendering the template if any), in groups of 1024.
fn repeat_message(
    text: &str,
    count: u64,
    template: Option<&Template>,
    max_msg_size: usize,
    send: impl Fn(InputItem) -> bool,
) {
    let id_prefix: u64 = rand::random();
    let mut group = Vec::with_capacity(1024);
    for i in 1..=count {
        let body = match template {
            Some(t) => {
                let mut v = Vec::with_capacity(text.len() + 16);
                t.render(i, id_prefix, &mut v);
                Bytes::from(v)
            }
            None => Bytes::from(text.to_string().into_bytes()),
        };
        if body.is_empty() {
            let _ = send(InputItem::Refused(format!(
                "message {i} expands to an empty message, which NSQ refuses"
            )));
            return;
        }
        if body.len() > max_msg_size {
            let what = format!("message {i}");
            let _ = send(InputItem::Refused(over_max(
                &what,
                Some(body.len()),
                max_msg_size,
            )));
            return;
        }
        group.push(InputMsg {
            body,
            record: i,
            offset: 0,
        });
        if group.len() == 1024 || i == count {
            let msgs = std::mem::replace(&mut group, Vec::with_capacity(1024));
            let next = Mark {
                record: i + 1,
                offset: 0,
            };
            if !send(InputItem::Msgs {
                msgs,
                skipped: 0,
                next,
            }) {
                return;
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    /// Messages as (body, record, offset), and the count of skipped empty ones.
    type Split = (Vec<(Vec<u8>, u64, u64)>, u64);

    fn split(input: &[u8], delim: &[u8], max: usize) -> Result<Split, String> {
        let mut got = vec![];
        let mut skipped = 0;
        // A reader that returns one byte at a time exercises every boundary.
        struct Trickle<'a>(&'a [u8]);
        impl Read for Trickle<'_> {
            fn read(&mut self, buf: &mut [u8]) -> std::io::Result<usize> {
                if self.0.is_empty() || buf.is_empty() {
                    return Ok(0);
                }
                buf[0] = self.0[0];
                self.0 = &self.0[1..];
                Ok(1)
            }
        }
        split_stream(Trickle(input), delim, max, RecordName::Line, |m, s, _| {
            skipped += s;
            got.extend(m.into_iter().map(|m| (m.body.to_vec(), m.record, m.offset)));
            true
        })?;
        Ok((got, skipped))
    }

    #[test]
    fn record_size_check() {
        let check =
            |input: &[u8], d: &[u8], max| check_record_sizes(input, d, max, RecordName::Line);
        assert!(check(b"abc\nde\n\nxyz", b"\n", 3).is_ok());
        assert!(check(b"abc\nabcd\n", b"\n", 3)
            .unwrap_err()
            .starts_with("line 2 is over"));
        assert!(check(b"ab--cdef", b"--", 3)
            .unwrap_err()
            .starts_with("line 2 is over"));
        let mut big = vec![b'x'; READ_CHUNK * 5];
        big.insert(0, b'\n');
        assert!(check(&big, b"\n", READ_CHUNK)
            .unwrap_err()
            .starts_with("line 2 is over"));
        assert!(check(&big, b"\n", READ_CHUNK * 5).is_ok());
    }

    /// A reader that hands out the given pieces, one per read.
    struct Pieces(Vec<&'static [u8]>);
    impl Read for Pieces {
        fn read(&mut self, buf: &mut [u8]) -> std::io::Result<usize> {
            if self.0.is_empty() {
                return Ok(0);
            }
            let p = self.0.remove(0);
            buf[..p.len()].copy_from_slice(p);
            Ok(p.len())
        }
    }

    /// Found by the publish_input fuzz target: a record of exactly the maximum size
    /// whose multi-byte delimiter is cut by a read was refused as oversized.
    #[test]
    fn record_at_the_limit_with_a_delimiter_cut_by_a_read_is_accepted() {
        let pieces = || Pieces(vec![b"abc-", b"-x"]);
        let mut got = vec![];
        split_stream(pieces(), b"--", 3, RecordName::Line, |m, _, _| {
            got.extend(m.into_iter().map(|m| m.body.to_vec()));
            true
        })
        .unwrap();
        assert_eq!(got, vec![b"abc".to_vec(), b"x".to_vec()]);
        assert!(check_record_sizes(pieces(), b"--", 3, RecordName::Line).is_ok());
        // One byte more is still refused.
        let over = || Pieces(vec![b"abcd-", b"-x"]);
        assert!(
            split_stream(over(), b"--", 3, RecordName::Line, |_, _, _| true)
                .unwrap_err()
                .starts_with("line 1 is over")
        );
        assert!(check_record_sizes(over(), b"--", 3, RecordName::Line)
            .unwrap_err()
            .starts_with("line 1 is over"));
    }

    #[test]
    fn splitting() {
        let (m, s) = split(b"a\n\nbc\nd", b"\n", 100).unwrap();
        assert_eq!(
            m,
            vec![
                (b"a".to_vec(), 1, 0),
                (b"bc".to_vec(), 3, 3),
                (b"d".to_vec(), 4, 6)
            ]
        );
        assert_eq!(s, 1);
        let (m, _) = split(b"x--y--", b"--", 100).unwrap();
        assert_eq!(m, vec![(b"x".to_vec(), 1, 0), (b"y".to_vec(), 2, 3)]);
        let e = split(b"ok\ntoolong\n", b"\n", 3).unwrap_err();
        assert!(e.starts_with("line 2 is"), "{e}");
        let (m, s) = split(b"", b"\n", 3).unwrap();
        assert!(m.is_empty() && s == 0);
    }
}
