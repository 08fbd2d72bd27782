//! A raw NSQ V2 connection for replaying captured bytes: sends exactly the
//! bytes it is given and reads whole frames `[size][type][data]` with a
//! deadline, reporting EOF and resets as such. After an IDENTIFY that
//! negotiated deflate or snappy it (de)compresses both directions.

use super::codec::{self, SnappyReader, Stop};
use std::io::{ErrorKind, Read, Write};
use std::net::{Shutdown, TcpStream};
use std::time::{Duration, Instant};

pub const FRAME_RESPONSE: u32 = 0;
pub const FRAME_ERROR: u32 = 1;
pub const FRAME_MESSAGE: u32 = 2;

#[derive(Clone, Debug, PartialEq)]
pub struct Frame {
    pub ftype: u32,
    pub data: Vec<u8>,
    /// The whole frame as on the (decompressed) wire: size, type, data.
    pub raw: Vec<u8>,
}

impl Frame {
    pub fn describe(&self) -> String {
        let kind = match self.ftype {
            FRAME_RESPONSE => "response",
            FRAME_ERROR => "error",
            FRAME_MESSAGE => "message",
            _ => "frame of unknown type",
        };
        if self.ftype == FRAME_MESSAGE {
            match Message::parse(&self.data) {
                Some(m) => format!(
                    "message(attempts={}, id={}, body={})",
                    m.attempts,
                    super::show(&m.id, 32),
                    super::show(&m.body, 120)
                ),
                None => format!("short message frame {}", super::show(&self.raw, 80)),
            }
        } else {
            format!("{kind} {}", super::show(&self.data, 300))
        }
    }
}

/// The fields of a message frame's data.
pub struct Message {
    pub timestamp: u64,
    pub attempts: u16,
    pub id: Vec<u8>,
    pub body: Vec<u8>,
}

impl Message {
    pub fn parse(data: &[u8]) -> Option<Message> {
        if data.len() < 26 {
            return None;
        }
        Some(Message {
            timestamp: u64::from_be_bytes(data[0..8].try_into().unwrap()),
            attempts: u16::from_be_bytes(data[8..10].try_into().unwrap()),
            id: data[10..26].to_vec(),
            body: data[26..].to_vec(),
        })
    }
}

/// What came instead of a frame.
#[derive(Clone, Debug, PartialEq)]
pub enum ReadErr {
    /// Nothing (or only part of a frame) arrived before the deadline.
    Timeout,
    /// The server closed the connection (orderly FIN).
    Eof,
    /// The server reset the connection.
    Reset,
    Other(String),
}

impl ReadErr {
    pub fn describe(&self) -> String {
        match self {
            ReadErr::Timeout => "nothing (timeout)".into(),
            ReadErr::Eof => "EOF (connection closed by server)".into(),
            ReadErr::Reset => "connection reset by server".into(),
            ReadErr::Other(e) => format!("error: {e}"),
        }
    }
}

enum Mode {
    Plain,
    /// Every compressed byte received since the switch, and how much of the
    /// inflated output has been handed on (the stream is re-inflated from its
    /// start on each read: simple, and these streams are tiny).
    Deflate {
        z: Vec<u8>,
        used: usize,
    },
    Snappy(SnappyReader),
}

pub struct Conn {
    stream: TcpStream,
    /// Decoded bytes not yet parsed into frames.
    rx: Vec<u8>,
    mode: Mode,
    sent_stream_id: bool,
    closed: Option<ReadErr>,
}

impl Conn {
    pub fn connect(addr: &str) -> Result<Conn, String> {
        let stream = TcpStream::connect(addr).map_err(|e| format!("connect {addr}: {e}"))?;
        stream.set_nodelay(true).ok();
        Ok(Conn {
            stream,
            rx: Vec::new(),
            mode: Mode::Plain,
            sent_stream_id: false,
            closed: None,
        })
    }

    /// Sends bytes (compressed when the connection is in a compressed mode).
    pub fn send(&mut self, bytes: &[u8]) -> Result<(), String> {
        let wire = match self.mode {
            Mode::Plain => bytes.to_vec(),
            Mode::Deflate { .. } => codec::deflate_stored(bytes),
            Mode::Snappy(_) => {
                let mut w = Vec::new();
                if !self.sent_stream_id {
                    w.extend_from_slice(&codec::SNAPPY_STREAM_ID);
                    self.sent_stream_id = true;
                }
                w.extend_from_slice(&codec::snappy_chunks(bytes));
                w
            }
        };
        self.stream
            .write_all(&wire)
            .map_err(|e| format!("write: {e}"))
    }

    /// Switches to deflate: every byte after the frame just read is compressed.
    pub fn start_deflate(&mut self) -> Result<(), String> {
        let pending = std::mem::take(&mut self.rx);
        self.mode = Mode::Deflate {
            z: Vec::new(),
            used: 0,
        };
        self.absorb(&pending)
    }

    /// Switches to snappy framing.
    pub fn start_snappy(&mut self) -> Result<(), String> {
        let pending = std::mem::take(&mut self.rx);
        self.mode = Mode::Snappy(SnappyReader::default());
        self.absorb(&pending)
    }

    fn absorb(&mut self, bytes: &[u8]) -> Result<(), String> {
        match &mut self.mode {
            Mode::Plain => self.rx.extend_from_slice(bytes),
            Mode::Deflate { z, used } => {
                z.extend_from_slice(bytes);
                let (out, stop) = codec::inflate(z);
                if let Err(Stop::Corrupt(e)) = stop {
                    return Err(format!("invalid deflate stream from server: {e}"));
                }
                if out.len() > *used {
                    self.rx.extend_from_slice(&out[*used..]);
                    *used = out.len();
                }
            }
            Mode::Snappy(r) => {
                let out = r
                    .feed(bytes)
                    .map_err(|e| format!("invalid snappy stream from server: {e}"))?;
                self.rx.extend_from_slice(&out);
            }
        }
        Ok(())
    }

    fn take_frame(&mut self) -> Result<Option<Frame>, ReadErr> {
        if self.rx.len() < 4 {
            return Ok(None);
        }
        let size = u32::from_be_bytes(self.rx[0..4].try_into().unwrap()) as usize;
        if !(4..=64 << 20).contains(&size) {
            return Err(ReadErr::Other(format!(
                "implausible frame size {size} (bytes {})",
                super::show(&self.rx, 64)
            )));
        }
        if self.rx.len() < 4 + size {
            return Ok(None);
        }
        let raw: Vec<u8> = self.rx.drain(..4 + size).collect();
        Ok(Some(Frame {
            ftype: u32::from_be_bytes(raw[4..8].try_into().unwrap()),
            data: raw[8..].to_vec(),
            raw,
        }))
    }

    /// Reads the next frame, waiting at most `wait`.
    pub fn read_frame(&mut self, wait: Duration) -> Result<Frame, ReadErr> {
        let deadline = Instant::now() + wait;
        loop {
            if let Some(f) = self.take_frame()? {
                return Ok(f);
            }
            if let Some(e) = &self.closed {
                return Err(e.clone());
            }
            let left = deadline.saturating_duration_since(Instant::now());
            if left.is_zero() {
                return Err(ReadErr::Timeout);
            }
            self.stream
                .set_read_timeout(Some(left))
                .map_err(|e| ReadErr::Other(e.to_string()))?;
            let mut buf = [0u8; 65536];
            match self.stream.read(&mut buf) {
                Ok(0) => self.closed = Some(ReadErr::Eof),
                Ok(n) => self.absorb(&buf[..n]).map_err(ReadErr::Other)?,
                Err(e) if matches!(e.kind(), ErrorKind::WouldBlock | ErrorKind::TimedOut) => {}
                Err(e) if e.kind() == ErrorKind::Interrupted => {}
                Err(e)
                    if matches!(
                        e.kind(),
                        ErrorKind::ConnectionReset | ErrorKind::ConnectionAborted
                    ) =>
                {
                    self.closed = Some(ReadErr::Reset)
                }
                Err(e) => return Err(ReadErr::Other(e.to_string())),
            }
        }
    }

    /// Sends a command and reads one frame; for set-up steps.
    pub fn call(&mut self, bytes: &[u8], wait: Duration) -> Result<Frame, String> {
        self.send(bytes)?;
        self.read_frame(wait)
            .map_err(|e| format!("waiting for a reply: got {}", e.describe()))
    }

    pub fn close(self) {
        let _ = self.stream.shutdown(Shutdown::Both);
    }
}

/// `NAME\n` + 4-byte size + body, the shape of PUB / IDENTIFY / MPUB / DPUB.
pub fn command_with_body(line: &str, body: &[u8]) -> Vec<u8> {
    let mut out = line.as_bytes().to_vec();
    out.push(b'\n');
    out.extend_from_slice(&(body.len() as u32).to_be_bytes());
    out.extend_from_slice(body);
    out
}

/// An MPUB body: count, then size + bytes per message.
pub fn mpub_body(messages: &[&[u8]]) -> Vec<u8> {
    let mut out = (messages.len() as u32).to_be_bytes().to_vec();
    for m in messages {
        out.extend_from_slice(&(m.len() as u32).to_be_bytes());
        out.extend_from_slice(m);
    }
    out
}
