//! The low-level NSQ TCP connection shared by our producer and consumer: once
//! [`super::connector`] has connected and identified it, it splits into a
//! [`FrameReader`] (decoded frames, heartbeats surfaced, dead connections
//! detected) and a [`CommandWriter`] (buffered commands, explicit flush).
//!
//! The stream is boxed ([`BoxStream`]) so that TLS and compression can wrap the
//! socket once IDENTIFY has negotiated them.

use crate::error::describe_io;
use crate::protocol::error::ServerError;
use crate::protocol::frame::FrameError;
use crate::protocol::identify::NegotiatedFeatures;
use crate::protocol::{Command, Frame, FrameDecoder, Message, HEARTBEAT};
use bytes::{Bytes, BytesMut};
use std::io;
use std::time::Duration;
use tokio::io::{AsyncRead, AsyncReadExt, AsyncWrite, AsyncWriteExt, ReadHalf, WriteHalf};

pub use super::options::{
    user_agent, AuthIdentity, AuthSecret, ConnEvent, ConnEvents, ConnectOptions, TlsConnect,
};

/// Anything a connection can run over: a TCP socket today, TLS or compressed later.
pub trait Stream: AsyncRead + AsyncWrite + Unpin + Send + 'static {}
impl<T: AsyncRead + AsyncWrite + Unpin + Send + 'static> Stream for T {}

pub type BoxStream = Box<dyn Stream>;

/// nsqd's default heartbeat interval, assumed when we do not ask for another one.
pub const DEFAULT_HEARTBEAT_INTERVAL: Duration = Duration::from_secs(30);

/// The port nsqd's TCP protocol listens on by default.
pub use crate::addr::DEFAULT_TCP_PORT;

#[derive(Debug, thiserror::Error)]
pub enum ConnError {
    #[error("cannot connect to nsqd at {addr}: {}", describe_io(.source))]
    Connect { addr: String, source: io::Error },
    #[error("cannot connect to nsqd at {addr}: timed out after {}", humantime::format_duration(*.timeout))]
    ConnectTimeout { addr: String, timeout: Duration },
    #[error("connection to nsqd at {addr} failed: {}", describe_io(.source))]
    Io { addr: String, source: io::Error },
    #[error("connection to nsqd at {addr} was closed by the server")]
    Closed { addr: String },
    #[error("nsqd at {addr} sent nothing for {} (two heartbeat intervals); the connection is considered dead", humantime::format_duration(*.silence))]
    HeartbeatTimeout { addr: String, silence: Duration },
    #[error("writing to nsqd at {addr} timed out after {}", humantime::format_duration(*.timeout))]
    WriteTimeout { addr: String, timeout: Duration },
    #[error("nsqd at {addr} sent a malformed frame: {source}")]
    Protocol { addr: String, source: FrameError },
    #[error("{addr} answered with HTTP, not the NSQ TCP protocol: is this nsqd's HTTP port? (its TCP port is usually 4150)")]
    AnsweredHttp { addr: String },
    #[error("nsqd at {addr} refused IDENTIFY: {error}")]
    Identify { addr: String, error: ServerError },
    #[error("nsqd at {addr} gave an unexpected answer to IDENTIFY: {answer}")]
    BadIdentify { addr: String, answer: String },
    #[error("nsqd at {addr} requires authentication: set NSQ_AUTH_SECRET or --auth-secret-file")]
    AuthRequired { addr: String },
    #[error("nsqd at {addr} refused AUTH: {error}{}", auth_hint(.error))]
    Auth { addr: String, error: ServerError },
    #[error("nsqd at {addr} gave an unexpected answer to AUTH: {answer}")]
    BadAuth { addr: String, answer: String },
    #[error("nsqd at {addr} turned on {feature} without being asked; refusing to continue")]
    Unsupported { addr: String, feature: &'static str },
    #[error("nsqd at {addr} does not offer TLS (it needs --tls-cert and --tls-key); refusing to continue in the clear")]
    TlsNotOffered { addr: String },
    #[error("TLS with nsqd at {addr} failed: {detail}")]
    Tls {
        addr: String,
        detail: String,
        /// The peer or its certificate refused us (not a network hiccup).
        permanent: bool,
    },
    #[error("nsqd at {addr} did not confirm the {feature} upgrade: {answer}")]
    Upgrade {
        addr: String,
        feature: &'static str,
        answer: String,
    },
}

impl ConnError {
    /// True when the failure happened before a connection existed (nothing was sent).
    pub fn is_connect_failure(&self) -> bool {
        matches!(
            self,
            ConnError::Connect { .. } | ConnError::ConnectTimeout { .. }
        )
    }
}

impl ConnError {
    /// True for failures that reconnecting cannot fix: the server or the
    /// certificate refuses who we are or what we asked for. Connection refused or
    /// reset, timeouts and silence are not permanent (a node restarts).
    pub fn is_permanent(&self) -> bool {
        match self {
            ConnError::Identify { .. }
            | ConnError::AuthRequired { .. }
            | ConnError::Auth { .. }
            | ConnError::BadAuth { .. }
            | ConnError::Unsupported { .. }
            | ConnError::AnsweredHttp { .. }
            | ConnError::TlsNotOffered { .. } => true,
            ConnError::Tls { permanent, .. } => *permanent,
            _ => false,
        }
    }
}

fn auth_hint(e: &ServerError) -> &'static str {
    match e.code.as_str() {
        "E_AUTH_FAILED" => " (the auth server refused the secret or could not be reached)",
        "E_UNAUTHORIZED" => " (the secret grants no permissions)",
        "E_AUTH_DISABLED" => " (the server has no auth server configured)",
        _ => "",
    }
}

/// What the reader hands to its caller.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Inbound {
    /// `_heartbeat_`: answer with `Command::Nop` (nsqd drops clients that stay silent).
    Heartbeat,
    /// Any other response frame, e.g. `OK` for PUB/MPUB/DPUB/SUB, `CLOSE_WAIT` for CLS.
    Response(Bytes),
    /// An error frame: code and text; `is_fatal()` tells whether nsqd closes next.
    Error(ServerError),
    Message(Message),
}

impl From<Frame> for Inbound {
    fn from(frame: Frame) -> Inbound {
        match frame {
            Frame::Response(d) if &d[..] == HEARTBEAT => Inbound::Heartbeat,
            Frame::Response(d) => Inbound::Response(d),
            Frame::Error(d) => Inbound::Error(ServerError::parse(&d)),
            Frame::Message(m) => Inbound::Message(m),
        }
    }
}

/// A connected, identified connection, before it is split.
/// Built by [`super::connector`] (`Connection::connect`, `Connection::handshake`).
pub struct Connection {
    pub(super) addr: String,
    pub(super) stream: BoxStream,
    pub(super) read_buf: BytesMut,
    pub(super) features: NegotiatedFeatures,
    pub(super) heartbeat_interval: Option<Duration>,
    pub(super) write_timeout: Duration,
    pub(super) auth: Option<AuthIdentity>,
}

impl Connection {
    /// Who the server says we are, when it required AUTH.
    pub fn auth_identity(&self) -> Option<&AuthIdentity> {
        self.auth.as_ref()
    }

    pub fn addr(&self) -> &str {
        &self.addr
    }

    /// The server's answer to IDENTIFY (defaults when it only said `OK`).
    pub fn features(&self) -> &NegotiatedFeatures {
        &self.features
    }

    /// Splits into independent halves that can live in separate tasks.
    pub fn into_split(self) -> (FrameReader, CommandWriter) {
        let (r, w) = tokio::io::split(self.stream);
        let reader = FrameReader {
            addr: self.addr.clone(),
            inner: r,
            buf: self.read_buf,
            decoder: FrameDecoder::default(),
            // Any frame counts as a sign of life; nsqd sends heartbeats on a fixed
            // ticker, so two missed intervals mean the peer or the path is gone.
            idle_limit: self.heartbeat_interval.map(|h| h * 2 + h / 10),
        };
        let writer = CommandWriter {
            addr: self.addr,
            inner: w,
            buf: BytesMut::with_capacity(64 * 1024),
            write_timeout: self.write_timeout,
        };
        (reader, writer)
    }
}

pub(super) async fn read_frame<R: AsyncRead + Unpin + ?Sized>(
    r: &mut R,
    buf: &mut BytesMut,
    decoder: &FrameDecoder,
    addr: &str,
) -> Result<Frame, ConnError> {
    loop {
        match decoder.decode(buf) {
            Ok(Some(f)) => return Ok(f),
            Ok(None) => {}
            // "HTTP" read as a frame size is 1213486160: an HTTP server's answer
            // to our magic and IDENTIFY, which no retry will change.
            Err(_) if buf.starts_with(b"HTTP") => {
                return Err(ConnError::AnsweredHttp {
                    addr: addr.to_string(),
                })
            }
            Err(source) => {
                return Err(ConnError::Protocol {
                    addr: addr.to_string(),
                    source,
                })
            }
        }
        if buf.capacity() - buf.len() < 8 * 1024 {
            buf.reserve(64 * 1024);
        }
        let n = r.read_buf(buf).await.map_err(|source| ConnError::Io {
            addr: addr.to_string(),
            source,
        })?;
        if n == 0 {
            return Err(ConnError::Closed {
                addr: addr.to_string(),
            });
        }
    }
}

/// The read half: decoded frames, with heartbeats and errors told apart.
pub struct FrameReader {
    addr: String,
    inner: ReadHalf<BoxStream>,
    buf: BytesMut,
    decoder: FrameDecoder,
    idle_limit: Option<Duration>,
}

impl FrameReader {
    pub fn addr(&self) -> &str {
        &self.addr
    }

    /// The next frame. Fails with `HeartbeatTimeout` when nothing at all arrived for
    /// two heartbeat intervals, and with `Closed` when the server hung up.
    pub async fn next(&mut self) -> Result<Inbound, ConnError> {
        let frame = match self.idle_limit {
            None => read_frame(&mut self.inner, &mut self.buf, &self.decoder, &self.addr).await?,
            Some(limit) => match tokio::time::timeout(
                limit,
                read_frame(&mut self.inner, &mut self.buf, &self.decoder, &self.addr),
            )
            .await
            {
                Ok(r) => r?,
                Err(_) => {
                    return Err(ConnError::HeartbeatTimeout {
                        addr: self.addr.clone(),
                        silence: limit,
                    })
                }
            },
        };
        Ok(Inbound::from(frame))
    }

    /// A frame already received and buffered, without touching the network: None
    /// when more bytes are needed. Lets a consumer hand on a whole read's worth of
    /// messages at once instead of one wake-up per message.
    pub fn next_buffered(&mut self) -> Result<Option<Inbound>, ConnError> {
        let frame = match self.decoder.decode(&mut self.buf) {
            Ok(Some(f)) => f,
            Ok(None) => return Ok(None),
            Err(source) => {
                return Err(ConnError::Protocol {
                    addr: self.addr.clone(),
                    source,
                })
            }
        };
        Ok(Some(Inbound::from(frame)))
    }
}

/// The write half: commands are encoded into a buffer and go out on `flush`.
pub struct CommandWriter {
    addr: String,
    inner: WriteHalf<BoxStream>,
    buf: BytesMut,
    write_timeout: Duration,
}

impl CommandWriter {
    pub fn addr(&self) -> &str {
        &self.addr
    }

    /// Encodes a command into the buffer (nothing is sent until `flush`).
    pub fn write(&mut self, cmd: &Command<'_>) {
        cmd.encode(&mut self.buf);
    }

    /// Encodes an MPUB from owned or borrowed bodies.
    pub fn write_mpub<B: AsRef<[u8]>>(&mut self, topic: &str, bodies: &[B]) {
        crate::protocol::command::encode_mpub(&mut self.buf, topic, bodies);
    }

    /// Appends bytes already in wire form (e.g. a command encoded elsewhere).
    pub fn write_raw(&mut self, bytes: &[u8]) {
        self.buf.extend_from_slice(bytes);
    }

    /// Bytes buffered and not yet flushed.
    pub fn buffered(&self) -> usize {
        self.buf.len()
    }

    /// Sends everything buffered.
    pub async fn flush(&mut self) -> Result<(), ConnError> {
        if self.buf.is_empty() {
            return Ok(());
        }
        let fut = async {
            self.inner.write_all(&self.buf).await?;
            self.inner.flush().await
        };
        match tokio::time::timeout(self.write_timeout, fut).await {
            Err(_) => Err(ConnError::WriteTimeout {
                addr: self.addr.clone(),
                timeout: self.write_timeout,
            }),
            Ok(Err(source)) => Err(ConnError::Io {
                addr: self.addr.clone(),
                source,
            }),
            Ok(Ok(())) => {
                self.buf.clear();
                Ok(())
            }
        }
    }

    /// Encodes and flushes one command.
    pub async fn send(&mut self, cmd: &Command<'_>) -> Result<(), ConnError> {
        self.write(cmd);
        self.flush().await
    }

    /// Shuts the write side down (the server sees EOF).
    pub async fn shutdown(&mut self) -> Result<(), ConnError> {
        self.flush().await?;
        self.inner.shutdown().await.map_err(|source| ConnError::Io {
            addr: self.addr.clone(),
            source,
        })
    }
}
