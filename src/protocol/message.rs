//! The message format inside a message frame:
//! 8-byte big-endian timestamp (ns), 2-byte attempts, 16-byte ASCII id, body.

use bytes::{BufMut, Bytes, BytesMut};
use std::fmt;

pub const MSG_ID_LENGTH: usize = 16;
pub const MESSAGE_HEADER_LENGTH: usize = 8 + 2 + MSG_ID_LENGTH;

#[derive(Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub struct MessageId(pub [u8; MSG_ID_LENGTH]);

impl MessageId {
    /// An id from the wire: exactly 16 bytes, or None ("invalid message ID").
    pub fn from_slice(b: &[u8]) -> Option<MessageId> {
        <[u8; MSG_ID_LENGTH]>::try_from(b).ok().map(MessageId)
    }

    /// An id from a 64-bit sequence number, as 16 lowercase hex digits like nsqd's.
    pub fn from_u64(n: u64) -> MessageId {
        const HEX: &[u8; 16] = b"0123456789abcdef";
        let mut out = [0u8; MSG_ID_LENGTH];
        for (i, slot) in out.iter_mut().enumerate() {
            *slot = HEX[((n >> (60 - 4 * i)) & 0xf) as usize];
        }
        MessageId(out)
    }

    pub fn as_bytes(&self) -> &[u8] {
        &self.0
    }
}

impl fmt::Display for MessageId {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&String::from_utf8_lossy(&self.0))
    }
}

impl fmt::Debug for MessageId {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "MessageId({self})")
    }
}

#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Message {
    pub id: MessageId,
    /// Nanoseconds since the Unix epoch when the message was published.
    pub timestamp: i64,
    pub attempts: u16,
    pub body: Bytes,
}

#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[error("message frame too short: {0} bytes, at least {MESSAGE_HEADER_LENGTH} needed")]
pub struct MessageTooShort(pub usize);

impl Message {
    pub fn encoded_len(&self) -> usize {
        MESSAGE_HEADER_LENGTH + self.body.len()
    }

    /// Appends the message (not the frame header) to `out`.
    pub fn encode(&self, out: &mut BytesMut) {
        out.reserve(self.encoded_len());
        out.put_i64(self.timestamp);
        out.put_u16(self.attempts);
        out.put_slice(&self.id.0);
        out.put_slice(&self.body);
    }

    pub fn decode(data: Bytes) -> Result<Message, MessageTooShort> {
        if data.len() < MESSAGE_HEADER_LENGTH {
            return Err(MessageTooShort(data.len()));
        }
        let timestamp = i64::from_be_bytes(data[0..8].try_into().unwrap());
        let attempts = u16::from_be_bytes(data[8..10].try_into().unwrap());
        let id = MessageId::from_slice(&data[10..26]).unwrap();
        Ok(Message {
            id,
            timestamp,
            attempts,
            body: data.slice(MESSAGE_HEADER_LENGTH..),
        })
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn round_trip() {
        let m = Message {
            id: MessageId::from_u64(0x18a82c8521a69000),
            timestamp: 1795621172824619752,
            attempts: 3,
            body: Bytes::from_static(b"a\nb\x00c\xff"),
        };
        assert_eq!(m.id.to_string(), "18a82c8521a69000");
        let mut buf = BytesMut::new();
        m.encode(&mut buf);
        assert_eq!(buf.len(), 26 + 6);
        assert_eq!(Message::decode(buf.freeze()).unwrap(), m);
    }

    #[test]
    fn short_is_an_error() {
        assert_eq!(
            Message::decode(Bytes::from_static(b"short")),
            Err(MessageTooShort(5))
        );
        assert!(MessageId::from_slice(b"abc").is_none());
    }
}
