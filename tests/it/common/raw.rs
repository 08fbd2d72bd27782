//! A blocking NSQ client for tests, independent of the code under test (it uses
//! only the protocol codec): publish, subscribe, read frames with deadlines.

use bytes::BytesMut;
use nsq_cli::protocol::compression::{Compression, Compressor, Decompressor};
use nsq_cli::protocol::{Command, Frame, FrameDecoder, Message, HEARTBEAT, MAGIC_V2};
use std::io::{Read, Write};
use std::net::TcpStream;
use std::time::Duration;

/// How long a test waits for a frame it expects before failing.
pub const FRAME_DEADLINE: Duration = Duration::from_secs(30);

pub struct Raw {
    sock: TcpStream,
    buf: BytesMut,
    comp: Option<(Compressor, Decompressor)>,
}

impl Raw {
    /// Connects and sends the protocol magic.
    pub fn connect(addr: &str) -> Raw {
        let mut sock = TcpStream::connect(addr).expect("connect to the broker");
        sock.write_all(MAGIC_V2).unwrap();
        Raw {
            sock,
            buf: BytesMut::new(),
            comp: None,
        }
    }

    /// Connects and subscribes to `topic/channel` with the given RDY count.
    pub fn subscribe(addr: &str, topic: &str, channel: &str, rdy: u64) -> Raw {
        let mut c = Raw::connect(addr);
        c.send(Command::Sub { topic, channel });
        c.expect_ok();
        c.send(Command::Rdy(rdy));
        c
    }

    pub fn send(&mut self, c: Command) {
        let mut b = BytesMut::new();
        c.encode(&mut b);
        self.send_raw(&b);
    }

    /// Sends bytes already in wire form (compressed if compression is on).
    pub fn send_raw(&mut self, bytes: &[u8]) {
        match &mut self.comp {
            Some((comp, _)) => {
                let mut wire = BytesMut::new();
                comp.compress(bytes, &mut wire);
                self.sock.write_all(&wire).unwrap();
            }
            None => self.sock.write_all(bytes).unwrap(),
        }
    }

    /// Sends IDENTIFY and returns the server's answer (JSON or `OK`).
    pub fn identify(&mut self, json: &str) -> String {
        self.send(Command::Identify(json.as_bytes()));
        match self.frame() {
            Frame::Response(b) => String::from_utf8(b.to_vec()).unwrap(),
            other => panic!("IDENTIFY answered {other:?}"),
        }
    }

    /// Switches to a compression the server just granted in IDENTIFY. Bytes that
    /// came after the answer in the same read are already compressed.
    pub fn use_compression(&mut self, mode: Compression) {
        let mut dec = Decompressor::new(mode);
        let raw = self.buf.split();
        dec.decompress(&raw, &mut self.buf).unwrap();
        self.comp = Some((Compressor::new(mode), dec));
    }

    /// The next frame other than a heartbeat (heartbeats are answered), or None
    /// when nothing arrives for `idle`. Panics if the server closes the connection.
    pub fn try_frame(&mut self, idle: Duration) -> Option<Frame> {
        let dec = FrameDecoder::default();
        loop {
            if let Some(f) = dec.decode(&mut self.buf).unwrap() {
                if matches!(&f, Frame::Response(r) if &r[..] == HEARTBEAT) {
                    self.send(Command::Nop);
                    continue;
                }
                return Some(f);
            }
            self.sock.set_read_timeout(Some(idle)).unwrap();
            let mut chunk = [0u8; 64 * 1024];
            let n = match self.sock.read(&mut chunk) {
                Ok(0) => panic!("the broker closed the connection"),
                Ok(n) => n,
                Err(e)
                    if e.kind() == std::io::ErrorKind::WouldBlock
                        || e.kind() == std::io::ErrorKind::TimedOut =>
                {
                    return None
                }
                Err(e) => panic!("read from the broker: {e}"),
            };
            match &mut self.comp {
                Some((_, d)) => d.decompress(&chunk[..n], &mut self.buf).unwrap(),
                None => self.buf.extend_from_slice(&chunk[..n]),
            }
        }
    }

    /// The next frame other than a heartbeat; panics after [`FRAME_DEADLINE`].
    pub fn frame(&mut self) -> Frame {
        self.try_frame(FRAME_DEADLINE)
            .expect("a frame within the deadline")
    }

    pub fn expect_ok(&mut self) {
        match self.frame() {
            Frame::Response(r) if &r[..] == b"OK" => {}
            other => panic!("expected OK, got {other:?}"),
        }
    }

    pub fn message(&mut self) -> Message {
        match self.frame() {
            Frame::Message(m) => m,
            other => panic!("expected a message, got {other:?}"),
        }
    }

    /// This end's address (what the broker reports as the client's remote address).
    pub fn local_addr(&self) -> std::net::SocketAddr {
        self.sock.local_addr().unwrap()
    }

    /// True if no frame is waiting and none arrives within `d` (nothing is consumed).
    pub fn quiet_for(&mut self, d: Duration) -> bool {
        if !self.buf.is_empty() {
            return false;
        }
        self.sock.set_read_timeout(Some(d)).unwrap();
        let mut one = [0u8; 1];
        self.sock.peek(&mut one).is_err()
    }
}

/// Publishes `bodies` (MPUBs of up to 500) on a fresh connection, each acknowledged.
pub fn publish<B: AsRef<[u8]>>(addr: &str, topic: &str, bodies: &[B]) {
    let mut raw = Raw::connect(addr);
    for chunk in bodies.chunks(500) {
        let mut b = BytesMut::new();
        nsq_cli::protocol::command::encode_mpub(&mut b, topic, chunk);
        raw.send_raw(&b);
        raw.expect_ok();
    }
}

/// Takes (and FINs) everything `topic/channel` holds; stops after 2 s of silence,
/// which only happens once the channel is empty (queued messages come at once).
pub fn drain_channel(addr: &str, topic: &str, channel: &str) -> Vec<Message> {
    let mut raw = Raw::subscribe(addr, topic, channel, 2500);
    let mut got = Vec::new();
    while let Some(f) = raw.try_frame(Duration::from_secs(2)) {
        if let Frame::Message(m) = f {
            raw.send(Command::Fin(m.id));
            got.push(m);
        }
    }
    got
}
