//! Frames the server sends: `[4-byte size][4-byte type][data]`, where size counts
//! the type field plus the data.

use super::message::{Message, MessageTooShort};
use bytes::{Buf, BufMut, Bytes, BytesMut};

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
#[repr(u32)]
pub enum FrameType {
    Response = 0,
    Error = 1,
    Message = 2,
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Frame {
    Response(Bytes),
    Error(Bytes),
    Message(Message),
}

#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum FrameError {
    #[error("frame size {0} is below the minimum of 4")]
    TooSmall(u32),
    #[error("frame size {size} is above the limit of {limit} bytes")]
    TooLarge { size: u32, limit: usize },
    #[error("unknown frame type {0}")]
    UnknownType(u32),
    #[error(transparent)]
    BadMessage(#[from] MessageTooShort),
}

/// Appends a whole frame to `out`.
pub fn write_frame(out: &mut BytesMut, frame_type: FrameType, data: &[u8]) {
    out.reserve(8 + data.len());
    out.put_u32(data.len() as u32 + 4);
    out.put_u32(frame_type as u32);
    out.put_slice(data);
}

/// Appends a message frame to `out`.
pub fn write_message_frame(out: &mut BytesMut, msg: &Message) {
    out.put_u32(msg.encoded_len() as u32 + 4);
    out.put_u32(FrameType::Message as u32);
    msg.encode(out);
}

/// Incremental decoder for a stream of frames (the client side).
#[derive(Debug, Clone)]
pub struct FrameDecoder {
    max_frame_size: usize,
}

impl Default for FrameDecoder {
    fn default() -> Self {
        // A message can be at most max-msg-size plus its header; allow generous
        // headroom over nsqd's defaults without letting garbage allocate gigabytes.
        FrameDecoder {
            max_frame_size: 64 * 1024 * 1024,
        }
    }
}

impl FrameDecoder {
    pub fn with_max_frame_size(max_frame_size: usize) -> Self {
        FrameDecoder { max_frame_size }
    }

    /// Takes one frame off the front of `buf`, or returns None if more bytes are needed.
    pub fn decode(&self, buf: &mut BytesMut) -> Result<Option<Frame>, FrameError> {
        if buf.len() < 4 {
            return Ok(None);
        }
        let size = u32::from_be_bytes(buf[0..4].try_into().unwrap());
        if size < 4 {
            return Err(FrameError::TooSmall(size));
        }
        if size as usize > self.max_frame_size {
            return Err(FrameError::TooLarge {
                size,
                limit: self.max_frame_size,
            });
        }
        let total = 4 + size as usize;
        if buf.len() < total {
            buf.reserve(total - buf.len());
            return Ok(None);
        }
        let frame_type = u32::from_be_bytes(buf[4..8].try_into().unwrap());
        buf.advance(8);
        let data = buf.split_to(size as usize - 4).freeze();
        match frame_type {
            0 => Ok(Some(Frame::Response(data))),
            1 => Ok(Some(Frame::Error(data))),
            2 => Ok(Some(Frame::Message(Message::decode(data)?))),
            other => Err(FrameError::UnknownType(other)),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::protocol::MessageId;

    #[test]
    fn ok_frame_bytes_match_nsqd() {
        let mut out = BytesMut::new();
        write_frame(&mut out, FrameType::Response, b"OK");
        assert_eq!(&out[..], b"\x00\x00\x00\x06\x00\x00\x00\x00OK");
    }

    #[test]
    fn decodes_frames_split_anywhere() {
        let mut wire = BytesMut::new();
        write_frame(&mut wire, FrameType::Response, b"OK");
        write_frame(
            &mut wire,
            FrameType::Error,
            b"E_INVALID invalid command FOO",
        );
        let msg = Message {
            id: MessageId::from_u64(7),
            timestamp: 42,
            attempts: 1,
            body: Bytes::from_static(b"hello"),
        };
        write_message_frame(&mut wire, &msg);
        let wire = wire.freeze();
        // Feed byte by byte: the decoder must never return a partial frame.
        let dec = FrameDecoder::default();
        let mut buf = BytesMut::new();
        let mut frames = vec![];
        for b in wire.iter() {
            buf.put_u8(*b);
            while let Some(f) = dec.decode(&mut buf).unwrap() {
                frames.push(f);
            }
        }
        assert_eq!(
            frames,
            vec![
                Frame::Response(Bytes::from_static(b"OK")),
                Frame::Error(Bytes::from_static(b"E_INVALID invalid command FOO")),
                Frame::Message(msg),
            ]
        );
        assert!(buf.is_empty());
    }

    #[test]
    fn malformed_frames_are_errors() {
        let dec = FrameDecoder::with_max_frame_size(1024);
        let mut b = BytesMut::from(&b"\x00\x00\x00\x02\x00\x00"[..]);
        assert_eq!(dec.decode(&mut b), Err(FrameError::TooSmall(2)));
        let mut b = BytesMut::from(&b"\xff\xff\xff\xff"[..]);
        assert!(matches!(
            dec.decode(&mut b),
            Err(FrameError::TooLarge { .. })
        ));
        let mut b = BytesMut::from(&b"\x00\x00\x00\x04\x00\x00\x00\x09"[..]);
        assert_eq!(dec.decode(&mut b), Err(FrameError::UnknownType(9)));
        let mut b = BytesMut::from(&b"\x00\x00\x00\x08\x00\x00\x00\x02abcd"[..]);
        assert!(matches!(dec.decode(&mut b), Err(FrameError::BadMessage(_))));
        // truncated: not an error, just not complete yet
        let mut b = BytesMut::from(&b"\x00\x00\x00\x08\x00\x00"[..]);
        assert_eq!(dec.decode(&mut b), Ok(None));
    }
}
