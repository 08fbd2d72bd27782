//! Commands a client sends: encoding (client side) and line splitting (server side).

use super::message::MessageId;
use bytes::{BufMut, BytesMut};

#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Command<'a> {
    Identify(&'a [u8]),
    Auth(&'a [u8]),
    Sub {
        topic: &'a str,
        channel: &'a str,
    },
    Pub {
        topic: &'a str,
        body: &'a [u8],
    },
    Mpub {
        topic: &'a str,
        bodies: &'a [&'a [u8]],
    },
    Dpub {
        topic: &'a str,
        defer_ms: u64,
        body: &'a [u8],
    },
    Rdy(u64),
    Fin(MessageId),
    Req {
        id: MessageId,
        timeout_ms: u64,
    },
    Touch(MessageId),
    Cls,
    Nop,
}

/// Size of an MPUB body holding `bodies`: message count plus a length per message.
pub fn mpub_body_len<B: AsRef<[u8]>>(bodies: &[B]) -> usize {
    4 + bodies.iter().map(|b| 4 + b.as_ref().len()).sum::<usize>()
}

impl Command<'_> {
    /// Appends the command's wire form to `out`.
    pub fn encode(&self, out: &mut BytesMut) {
        match self {
            Command::Identify(body) => sized(out, b"IDENTIFY\n", body),
            Command::Auth(body) => sized(out, b"AUTH\n", body),
            Command::Sub { topic, channel } => {
                line(out, &[b"SUB", topic.as_bytes(), channel.as_bytes()])
            }
            Command::Pub { topic, body } => {
                line(out, &[b"PUB", topic.as_bytes()]);
                out.put_u32(body.len() as u32);
                out.put_slice(body);
            }
            Command::Mpub { topic, bodies } => encode_mpub(out, topic, bodies),
            Command::Dpub {
                topic,
                defer_ms,
                body,
            } => {
                line(
                    out,
                    &[b"DPUB", topic.as_bytes(), defer_ms.to_string().as_bytes()],
                );
                out.put_u32(body.len() as u32);
                out.put_slice(body);
            }
            Command::Rdy(n) => line(out, &[b"RDY", n.to_string().as_bytes()]),
            Command::Fin(id) => line(out, &[b"FIN", id.as_bytes()]),
            Command::Req { id, timeout_ms } => line(
                out,
                &[b"REQ", id.as_bytes(), timeout_ms.to_string().as_bytes()],
            ),
            Command::Touch(id) => line(out, &[b"TOUCH", id.as_bytes()]),
            Command::Cls => out.put_slice(b"CLS\n"),
            Command::Nop => out.put_slice(b"NOP\n"),
        }
    }
}

/// Appends an MPUB for any list of bodies (owned or borrowed).
pub fn encode_mpub<B: AsRef<[u8]>>(out: &mut BytesMut, topic: &str, bodies: &[B]) {
    line(out, &[b"MPUB", topic.as_bytes()]);
    out.reserve(4 + mpub_body_len(bodies));
    out.put_u32(mpub_body_len(bodies) as u32);
    put_mpub_body(out, bodies);
}

/// Appends an MPUB body (without command line and size): the message count, then
/// each message's size and bytes. nsqd's binary `/mpub` takes the same body.
pub fn put_mpub_body<B: AsRef<[u8]>>(out: &mut BytesMut, bodies: &[B]) {
    out.reserve(mpub_body_len(bodies));
    out.put_u32(bodies.len() as u32);
    for b in bodies {
        out.put_u32(b.as_ref().len() as u32);
        out.put_slice(b.as_ref());
    }
}

fn line(out: &mut BytesMut, parts: &[&[u8]]) {
    for (i, p) in parts.iter().enumerate() {
        if i > 0 {
            out.put_u8(b' ');
        }
        out.put_slice(p);
    }
    out.put_u8(b'\n');
}

fn sized(out: &mut BytesMut, head: &[u8], body: &[u8]) {
    out.put_slice(head);
    out.put_u32(body.len() as u32);
    out.put_slice(body);
}

/// Splits a command line (without its `\n`; a trailing `\r` is dropped) into its
/// space-separated parameters, keeping empty ones as nsqd does (`PUB  t` has three).
pub fn split_line(mut line: &[u8]) -> Vec<&[u8]> {
    if let Some(l) = line.strip_suffix(b"\r") {
        line = l;
    }
    line.split(|&c| c == b' ').collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    fn enc(c: Command) -> Vec<u8> {
        let mut b = BytesMut::new();
        c.encode(&mut b);
        b.to_vec()
    }

    #[test]
    fn wire_forms() {
        assert_eq!(
            enc(Command::Pub {
                topic: "t",
                body: b"hello"
            }),
            b"PUB t\n\x00\x00\x00\x05hello"
        );
        assert_eq!(
            enc(Command::Mpub {
                topic: "ref_tcp_mpub",
                bodies: &[b"one", b"two", b"three"]
            }),
            b"MPUB ref_tcp_mpub\n\x00\x00\x00\x1b\x00\x00\x00\x03\x00\x00\x00\x03one\x00\x00\x00\x03two\x00\x00\x00\x05three"
        );
        assert_eq!(
            enc(Command::Dpub {
                topic: "t",
                defer_ms: 1000,
                body: b"x"
            }),
            b"DPUB t 1000\n\x00\x00\x00\x01x"
        );
        assert_eq!(enc(Command::Rdy(200)), b"RDY 200\n");
        let id = MessageId::from_u64(1);
        assert_eq!(enc(Command::Fin(id)), b"FIN 0000000000000001\n");
        assert_eq!(
            enc(Command::Req { id, timeout_ms: 0 }),
            b"REQ 0000000000000001 0\n"
        );
        assert_eq!(
            enc(Command::Sub {
                topic: "t",
                channel: "c"
            }),
            b"SUB t c\n"
        );
        assert_eq!(enc(Command::Cls), b"CLS\n");
        assert_eq!(
            enc(Command::Identify(b"{}")),
            b"IDENTIFY\n\x00\x00\x00\x02{}"
        );
    }

    #[test]
    fn split_keeps_empty_params_and_drops_cr() {
        assert_eq!(split_line(b"PUB  t\r"), vec![&b"PUB"[..], b"", b"t"]);
        assert_eq!(split_line(b""), vec![&b""[..]]);
        assert_eq!(split_line(b"RDY "), vec![&b"RDY"[..], b""]);
    }
}
