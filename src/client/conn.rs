//! The low-level NSQ TCP connection shared by our producer and consumer: connect
//! with a timeout, send the V2 magic, IDENTIFY with feature negotiation, then split
//! into a [`FrameReader`] (decoded frames, heartbeats surfaced, dead connections
//! detected) and a [`CommandWriter`] (buffered commands, explicit flush).
//!
//! The stream is boxed ([`BoxStream`]) so that TLS and compression can wrap the
//! socket once IDENTIFY has negotiated them (in nsqd's order: TLS, then
//! compression over it, each confirmed by an `OK`), followed by AUTH when the
//! server requires it.

use crate::protocol::compression::{Compression, Compressor, DecompressingReader};
use crate::protocol::error::ServerError;
use crate::protocol::frame::FrameError;
use crate::protocol::identify::{IdentifyRequest, NegotiatedFeatures};
use crate::protocol::{Command, Frame, FrameDecoder, Message, HEARTBEAT, MAGIC_V2};
use bytes::{Buf, Bytes, BytesMut};
use std::io;
use std::pin::Pin;
use std::sync::Arc;
use std::task::{ready, Context, Poll};
use std::time::Duration;
use tokio::io::{AsyncRead, AsyncReadExt, AsyncWrite, AsyncWriteExt, ReadHalf, WriteHalf};

/// Anything a connection can run over: a TCP socket today, TLS or compressed later.
pub trait Stream: AsyncRead + AsyncWrite + Unpin + Send + 'static {}
impl<T: AsyncRead + AsyncWrite + Unpin + Send + 'static> Stream for T {}

pub type BoxStream = Box<dyn Stream>;

/// nsqd's default heartbeat interval, assumed when we do not ask for another one.
pub const DEFAULT_HEARTBEAT_INTERVAL: Duration = Duration::from_secs(30);

/// The port nsqd's TCP protocol listens on by default.
pub use crate::addr::DEFAULT_TCP_PORT;

/// What we tell nsqd about ourselves, and how long we wait.
#[derive(Debug, Clone)]
pub struct ConnectOptions {
    /// Time allowed for the TCP connect and, separately, for the IDENTIFY answer.
    pub connect_timeout: Duration,
    /// Time allowed for one flush to complete (a peer that stops reading).
    pub write_timeout: Duration,
    pub client_id: Option<String>,
    pub hostname: Option<String>,
    pub user_agent: String,
    /// None: the server's default (30s in nsqd). Some(ZERO) is sent as -1: disabled.
    pub heartbeat_interval: Option<Duration>,
    /// How long nsqd waits for FIN before requeueing a message sent to us.
    pub msg_timeout: Option<Duration>,
    /// Ask for TLS (tls_v1) and upgrade the connection. None: plain TCP.
    pub tls: Option<TlsConnect>,
    /// Ask for snappy or deflate compression. None: uncompressed.
    pub compression: Option<Compression>,
    /// Sent with AUTH when the server requires authentication.
    pub auth_secret: Option<AuthSecret>,
    /// Told what happened while connecting (the library never prints).
    pub on_event: ConnEvents,
}

/// What a connection reports while it is set up, for the caller to show.
#[derive(Debug, Clone)]
pub enum ConnEvent {
    /// AUTH succeeded: who the auth server says we are.
    Authenticated { addr: String, identity: AuthIdentity },
}

/// A callback for [`ConnEvent`]s; by default nobody listens.
#[derive(Clone, Default)]
pub struct ConnEvents(Option<Arc<dyn Fn(ConnEvent) + Send + Sync>>);

impl ConnEvents {
    pub fn new(f: impl Fn(ConnEvent) + Send + Sync + 'static) -> ConnEvents {
        ConnEvents(Some(Arc::new(f)))
    }

    pub fn emit(&self, event: ConnEvent) {
        if let Some(f) = &self.0 {
            f(event)
        }
    }
}

impl std::fmt::Debug for ConnEvents {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(if self.0.is_some() { "ConnEvents(..)" } else { "ConnEvents(none)" })
    }
}

/// How to upgrade to TLS: the verification settings and, when it differs from the
/// address's host, the name the certificate must carry.
#[derive(Debug, Clone)]
pub struct TlsConnect {
    pub config: Arc<rustls::ClientConfig>,
    pub server_name: Option<String>,
}

/// An AUTH secret; kept out of Debug output so that it never reaches a log.
#[derive(Clone, PartialEq, Eq)]
pub struct AuthSecret(pub String);

impl std::fmt::Debug for AuthSecret {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str("AuthSecret(..)")
    }
}

/// The server's answer to AUTH: who the auth server says we are.
#[derive(Debug, Clone, Default, PartialEq, Eq, serde::Deserialize)]
#[serde(default)]
pub struct AuthIdentity {
    pub identity: String,
    pub identity_url: String,
    pub permission_count: i64,
}

impl Default for ConnectOptions {
    fn default() -> Self {
        let hostname = gethostname::gethostname().to_string_lossy().into_owned();
        let short = hostname.split('.').next().unwrap_or_default().to_string();
        ConnectOptions {
            connect_timeout: Duration::from_secs(5),
            write_timeout: Duration::from_secs(30),
            client_id: Some(short),
            hostname: Some(hostname),
            user_agent: user_agent(),
            heartbeat_interval: None,
            msg_timeout: None,
            tls: None,
            compression: None,
            auth_secret: None,
            on_event: ConnEvents::default(),
        }
    }
}

/// `nsq-cli/<version>`, as sent in IDENTIFY.
pub fn user_agent() -> String {
    format!("nsq-cli/{}", env!("CARGO_PKG_VERSION"))
}

/// Adds nsqd's default TCP port when an address has none (`localhost` -> `localhost:4150`).
pub fn with_default_port(addr: &str, port: u16) -> String {
    let has_port = if let Some(rest) = addr.strip_prefix('[') {
        rest.contains("]:")
    } else {
        // A bare IPv6 address has several colons and no port.
        addr.matches(':').count() == 1
    };
    if has_port {
        addr.to_string()
    } else if addr.contains(':') && !addr.starts_with('[') {
        format!("[{addr}]:{port}")
    } else {
        format!("{addr}:{port}")
    }
}

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

/// Kept here for callers that name it through the connection module.
pub use crate::error::describe_io;

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

/// A connected, identified connection, before it is split.
pub struct Connection {
    addr: String,
    stream: BoxStream,
    read_buf: BytesMut,
    features: NegotiatedFeatures,
    heartbeat_interval: Option<Duration>,
    write_timeout: Duration,
    auth: Option<AuthIdentity>,
}

impl Connection {
    /// Connects over TCP, then performs the handshake (magic + IDENTIFY).
    pub async fn connect(addr: &str, opts: &ConnectOptions) -> Result<Connection, ConnError> {
        let addr = with_default_port(addr, DEFAULT_TCP_PORT);
        let tcp =
            match tokio::time::timeout(opts.connect_timeout, tokio::net::TcpStream::connect(&addr))
                .await
            {
                Err(_) => {
                    return Err(ConnError::ConnectTimeout {
                        addr,
                        timeout: opts.connect_timeout,
                    })
                }
                Ok(Err(source)) => return Err(ConnError::Connect { addr, source }),
                Ok(Ok(s)) => s,
            };
        // Small commands (FIN, RDY, NOP) must not wait for Nagle.
        let _ = tcp.set_nodelay(true);
        Connection::handshake(Box::new(tcp), &addr, opts).await
    }

    /// Sends the magic and IDENTIFY over an already-open stream and reads the answer.
    pub async fn handshake(
        mut stream: BoxStream,
        addr: &str,
        opts: &ConnectOptions,
    ) -> Result<Connection, ConnError> {
        let addr = addr.to_string();
        let heartbeat_ms = opts.heartbeat_interval.map(|d| {
            if d.is_zero() {
                -1
            } else {
                d.as_millis() as i64
            }
        });
        let req = IdentifyRequest {
            client_id: opts.client_id.clone(),
            hostname: opts.hostname.clone(),
            user_agent: Some(opts.user_agent.clone()),
            heartbeat_interval: heartbeat_ms,
            feature_negotiation: Some(true),
            msg_timeout: opts.msg_timeout.map(|d| d.as_millis() as i64),
            tls_v1: opts.tls.as_ref().map(|_| true),
            snappy: (opts.compression == Some(Compression::Snappy)).then_some(true),
            deflate: matches!(opts.compression, Some(Compression::Deflate(_))).then_some(true),
            deflate_level: match opts.compression {
                Some(Compression::Deflate(level)) => Some(level as i64),
                _ => None,
            },
            ..Default::default()
        };
        let body = serde_json::to_vec(&req).expect("IDENTIFY serialises");
        let mut out = BytesMut::with_capacity(64 + body.len());
        out.extend_from_slice(MAGIC_V2);
        Command::Identify(&body).encode(&mut out);
        let io_err = |source| ConnError::Io {
            addr: addr.clone(),
            source,
        };
        match tokio::time::timeout(opts.connect_timeout, async {
            stream.write_all(&out).await?;
            stream.flush().await
        })
        .await
        {
            Err(_) => {
                return Err(ConnError::WriteTimeout {
                    addr,
                    timeout: opts.connect_timeout,
                })
            }
            Ok(r) => r.map_err(io_err)?,
        }

        let mut read_buf = BytesMut::with_capacity(64 * 1024);
        let decoder = FrameDecoder::default();
        let frame = match tokio::time::timeout(
            opts.connect_timeout,
            read_frame(&mut stream, &mut read_buf, &decoder, &addr),
        )
        .await
        {
            Err(_) => {
                return Err(ConnError::ConnectTimeout {
                    addr,
                    timeout: opts.connect_timeout,
                })
            }
            Ok(r) => r?,
        };
        let features =
            match frame {
                Frame::Response(data) if &data[..] == b"OK" => NegotiatedFeatures::default(),
                Frame::Response(data) => serde_json::from_slice::<NegotiatedFeatures>(&data)
                    .map_err(|_| ConnError::BadIdentify {
                        addr: addr.clone(),
                        answer: String::from_utf8_lossy(&data).into_owned(),
                    })?,
                Frame::Error(data) => {
                    return Err(ConnError::Identify {
                        addr,
                        error: ServerError::parse(&data),
                    })
                }
                Frame::Message(_) => {
                    return Err(ConnError::BadIdentify {
                        addr,
                        answer: "a message frame".into(),
                    })
                }
            };
        // A server that turns on what we did not ask for is not speaking our
        // protocol any more; refuse rather than read garbage.
        for (on, asked, feature) in [
            (features.tls_v1, opts.tls.is_some(), "TLS"),
            (
                features.snappy,
                opts.compression == Some(Compression::Snappy),
                "snappy compression",
            ),
            (
                features.deflate,
                matches!(opts.compression, Some(Compression::Deflate(_))),
                "deflate compression",
            ),
        ] {
            if on && !asked {
                return Err(ConnError::Unsupported { addr, feature });
            }
        }
        if let Some(tls) = &opts.tls {
            if !features.tls_v1 {
                return Err(ConnError::TlsNotOffered { addr });
            }
            stream = upgrade_tls(stream, &mut read_buf, &addr, tls, opts.connect_timeout).await?;
            expect_ok(
                &mut stream,
                &mut read_buf,
                &addr,
                "TLS",
                opts.connect_timeout,
            )
            .await?;
        }
        // Compression asked for but not granted is no error: we just go uncompressed.
        let compression = if features.snappy {
            Some(Compression::Snappy)
        } else if features.deflate {
            Some(Compression::Deflate(
                features.deflate_level.unwrap_or(6).clamp(1, 9) as u32,
            ))
        } else {
            None
        };
        if let Some(c) = compression {
            // Bytes read past the last plain frame are already compressed.
            let already_read = read_buf.split();
            let mut reader = DecompressingReader::new(stream);
            reader
                .enable(c, &already_read)
                .map_err(|e| ConnError::Upgrade {
                    addr: addr.clone(),
                    feature: "compression",
                    answer: e.to_string(),
                })?;
            stream = Box::new(CompressedStream {
                inner: reader,
                compressor: Compressor::new(c),
                pending: BytesMut::new(),
            });
            expect_ok(
                &mut stream,
                &mut read_buf,
                &addr,
                "compression",
                opts.connect_timeout,
            )
            .await?;
        }
        // Like go-nsq, AUTH only when asked: a secret is never sent to a server
        // that has no use for it.
        let auth = if features.auth_required {
            let Some(secret) = &opts.auth_secret else {
                return Err(ConnError::AuthRequired { addr });
            };
            let id = authenticate(
                &mut stream,
                &mut read_buf,
                &addr,
                secret,
                opts.connect_timeout,
            )
            .await?;
            opts.on_event.emit(ConnEvent::Authenticated {
                addr: addr.clone(),
                identity: id.clone(),
            });
            Some(id)
        } else {
            None
        };
        let heartbeat_interval = match opts.heartbeat_interval {
            Some(d) if d.is_zero() => None,
            Some(d) => Some(d),
            None => Some(DEFAULT_HEARTBEAT_INTERVAL),
        };
        Ok(Connection {
            addr,
            stream,
            read_buf,
            features,
            heartbeat_interval,
            write_timeout: opts.write_timeout,
            auth,
        })
    }

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

/// Runs the TLS handshake on the socket right after the IDENTIFY answer.
async fn upgrade_tls(
    stream: BoxStream,
    read_buf: &mut BytesMut,
    addr: &str,
    tls: &TlsConnect,
    timeout: Duration,
) -> Result<BoxStream, ConnError> {
    let tls_err = |detail: String, permanent: bool| ConnError::Tls {
        addr: addr.to_string(),
        detail,
        permanent,
    };
    let name = crate::tls::server_name(addr, tls.server_name.as_deref())
        .map_err(|e| tls_err(e.to_string(), true))?;
    // Anything read past the answer is the start of the server's handshake.
    let already_read = read_buf.split().freeze();
    let connector = tokio_rustls::TlsConnector::from(tls.config.clone());
    let handshake = connector.connect(name, crate::tls::Prefixed::new(already_read, stream));
    match tokio::time::timeout(timeout, handshake).await {
        Err(_) => Err(tls_err(
            format!(
                "no handshake within {}",
                humantime::format_duration(timeout)
            ),
            false,
        )),
        Ok(Err(e)) => {
            let mut detail = describe_io(&e);
            if detail.contains("certificate") {
                detail.push_str(
                    " (trust its CA with --tls-ca FILE, or name the certificate's host with --tls-server-name)",
                );
            }
            // rustls reports what it refuses (a certificate, an alert from the
            // peer) as InvalidData; a reset or EOF mid-handshake is the network.
            let permanent = e.kind() == io::ErrorKind::InvalidData;
            Err(tls_err(detail, permanent))
        }
        Ok(Ok(s)) => Ok(Box::new(s)),
    }
}

/// Reads the `OK` that confirms an upgrade.
async fn expect_ok(
    stream: &mut BoxStream,
    read_buf: &mut BytesMut,
    addr: &str,
    feature: &'static str,
    timeout: Duration,
) -> Result<(), ConnError> {
    let frame = read_frame_within(stream, read_buf, addr, timeout).await?;
    match frame {
        Frame::Response(d) if &d[..] == b"OK" => Ok(()),
        Frame::Error(d) => Err(ConnError::Identify {
            addr: addr.to_string(),
            error: ServerError::parse(&d),
        }),
        Frame::Response(d) => Err(ConnError::Upgrade {
            addr: addr.to_string(),
            feature,
            answer: String::from_utf8_lossy(&d).into_owned(),
        }),
        Frame::Message(_) => Err(ConnError::Upgrade {
            addr: addr.to_string(),
            feature,
            answer: "a message frame".into(),
        }),
    }
}

async fn read_frame_within(
    stream: &mut BoxStream,
    read_buf: &mut BytesMut,
    addr: &str,
    timeout: Duration,
) -> Result<Frame, ConnError> {
    let decoder = FrameDecoder::default();
    match tokio::time::timeout(timeout, read_frame(stream, read_buf, &decoder, addr)).await {
        Err(_) => Err(ConnError::ConnectTimeout {
            addr: addr.to_string(),
            timeout,
        }),
        Ok(r) => r,
    }
}

/// Sends AUTH with the secret and reads the identity the server answers with.
async fn authenticate(
    stream: &mut BoxStream,
    read_buf: &mut BytesMut,
    addr: &str,
    secret: &AuthSecret,
    timeout: Duration,
) -> Result<AuthIdentity, ConnError> {
    let mut out = BytesMut::new();
    Command::Auth(secret.0.as_bytes()).encode(&mut out);
    match tokio::time::timeout(timeout, async {
        stream.write_all(&out).await?;
        stream.flush().await
    })
    .await
    {
        Err(_) => {
            return Err(ConnError::WriteTimeout {
                addr: addr.to_string(),
                timeout,
            })
        }
        Ok(r) => r.map_err(|source| ConnError::Io {
            addr: addr.to_string(),
            source,
        })?,
    }
    match read_frame_within(stream, read_buf, addr, timeout).await? {
        Frame::Response(d) => {
            serde_json::from_slice::<AuthIdentity>(&d).map_err(|_| ConnError::BadAuth {
                addr: addr.to_string(),
                answer: String::from_utf8_lossy(&d).into_owned(),
            })
        }
        Frame::Error(d) => Err(ConnError::Auth {
            addr: addr.to_string(),
            error: ServerError::parse(&d),
        }),
        Frame::Message(_) => Err(ConnError::BadAuth {
            addr: addr.to_string(),
            answer: "a message frame".into(),
        }),
    }
}

/// A compressed connection: reads are decompressed, and each write is compressed
/// and sync-flushed so that the server can act on it at once.
struct CompressedStream {
    inner: DecompressingReader<BoxStream>,
    compressor: Compressor,
    /// Compressed bytes not yet written to the stream below.
    pending: BytesMut,
}

impl CompressedStream {
    fn poll_drain(&mut self, cx: &mut Context<'_>) -> Poll<io::Result<()>> {
        while !self.pending.is_empty() {
            let n = ready!(Pin::new(self.inner.get_mut()).poll_write(cx, &self.pending))?;
            if n == 0 {
                return Poll::Ready(Err(io::ErrorKind::WriteZero.into()));
            }
            self.pending.advance(n);
        }
        Poll::Ready(Ok(()))
    }
}

impl AsyncRead for CompressedStream {
    fn poll_read(
        self: Pin<&mut Self>,
        cx: &mut Context<'_>,
        buf: &mut tokio::io::ReadBuf<'_>,
    ) -> Poll<io::Result<()>> {
        Pin::new(&mut self.get_mut().inner).poll_read(cx, buf)
    }
}

impl AsyncWrite for CompressedStream {
    fn poll_write(
        self: Pin<&mut Self>,
        cx: &mut Context<'_>,
        buf: &[u8],
    ) -> Poll<io::Result<usize>> {
        let this = self.get_mut();
        // Keep what waits for the socket bounded.
        if this.pending.len() >= 256 * 1024 {
            ready!(this.poll_drain(cx))?;
        }
        this.compressor.compress(buf, &mut this.pending);
        Poll::Ready(Ok(buf.len()))
    }

    fn poll_flush(self: Pin<&mut Self>, cx: &mut Context<'_>) -> Poll<io::Result<()>> {
        let this = self.get_mut();
        ready!(this.poll_drain(cx))?;
        Pin::new(this.inner.get_mut()).poll_flush(cx)
    }

    fn poll_shutdown(self: Pin<&mut Self>, cx: &mut Context<'_>) -> Poll<io::Result<()>> {
        let this = self.get_mut();
        ready!(this.poll_drain(cx))?;
        Pin::new(this.inner.get_mut()).poll_shutdown(cx)
    }
}

async fn read_frame<R: AsyncRead + Unpin + ?Sized>(
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
        Ok(match frame {
            Frame::Response(d) if &d[..] == HEARTBEAT => Inbound::Heartbeat,
            Frame::Response(d) => Inbound::Response(d),
            Frame::Error(d) => Inbound::Error(ServerError::parse(&d)),
            Frame::Message(m) => Inbound::Message(m),
        })
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
        Ok(Some(match frame {
            Frame::Response(d) if &d[..] == HEARTBEAT => Inbound::Heartbeat,
            Frame::Response(d) => Inbound::Response(d),
            Frame::Error(d) => Inbound::Error(ServerError::parse(&d)),
            Frame::Message(m) => Inbound::Message(m),
        }))
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

#[cfg(test)]
mod tests {
    use super::*;
    use crate::protocol::frame::{write_frame, write_message_frame};
    use crate::protocol::{FrameType, MessageId};
    use tokio::io::DuplexStream;

    /// Reads the magic and one IDENTIFY from the server side of a duplex pipe.
    async fn read_identify(server: &mut DuplexStream) -> IdentifyRequest {
        let mut magic = [0u8; 4];
        server.read_exact(&mut magic).await.unwrap();
        assert_eq!(&magic, MAGIC_V2);
        let mut line = [0u8; 9];
        server.read_exact(&mut line).await.unwrap();
        assert_eq!(&line, b"IDENTIFY\n");
        let len = server.read_u32().await.unwrap();
        let mut body = vec![0u8; len as usize];
        server.read_exact(&mut body).await.unwrap();
        IdentifyRequest::parse(&body).unwrap()
    }

    async fn send_frame(server: &mut DuplexStream, t: FrameType, data: &[u8]) {
        let mut b = BytesMut::new();
        write_frame(&mut b, t, data);
        server.write_all(&b).await.unwrap();
    }

    fn opts() -> ConnectOptions {
        ConnectOptions {
            client_id: Some("me".into()),
            hostname: Some("me.example".into()),
            heartbeat_interval: Some(Duration::from_millis(5000)),
            msg_timeout: Some(Duration::from_secs(90)),
            ..Default::default()
        }
    }

    #[tokio::test]
    async fn identify_negotiates_and_frames_are_surfaced() {
        let (client, mut server) = tokio::io::duplex(64 * 1024);
        let srv = tokio::spawn(async move {
            let req = read_identify(&mut server).await;
            send_frame(
                &mut server,
                FrameType::Response,
                br#"{"max_rdy_count":2500,"version":"1.3.0","max_msg_timeout":900000,"msg_timeout":90000,"tls_v1":false,"deflate":false,"deflate_level":6,"max_deflate_level":6,"snappy":false,"sample_rate":0,"auth_required":false,"output_buffer_size":16384,"output_buffer_timeout":250,"max_msg_size":1000}"#,
            )
            .await;
            send_frame(&mut server, FrameType::Response, HEARTBEAT).await;
            send_frame(&mut server, FrameType::Response, b"OK").await;
            send_frame(&mut server, FrameType::Error, b"E_FIN_FAILED FIN x failed").await;
            let mut b = BytesMut::new();
            write_message_frame(
                &mut b,
                &Message {
                    id: MessageId::from_u64(1),
                    timestamp: 5,
                    attempts: 1,
                    body: Bytes::from_static(b"hi"),
                },
            );
            server.write_all(&b).await.unwrap();
            // Then read what the client wrote after the handshake.
            let mut got = vec![0u8; 4];
            server.read_exact(&mut got).await.unwrap();
            assert_eq!(&got, b"NOP\n");
            drop(server);
            req
        });
        let conn = Connection::handshake(Box::new(client), "test:4150", &opts())
            .await
            .unwrap();
        assert_eq!(conn.features().max_msg_size, Some(1000));
        assert_eq!(conn.features().msg_timeout, Some(90000));
        let (mut r, mut w) = conn.into_split();
        assert_eq!(r.next().await.unwrap(), Inbound::Heartbeat);
        w.send(&Command::Nop).await.unwrap();
        assert_eq!(
            r.next().await.unwrap(),
            Inbound::Response(Bytes::from_static(b"OK"))
        );
        match r.next().await.unwrap() {
            Inbound::Error(e) => {
                assert_eq!(e.code, "E_FIN_FAILED");
                assert!(!e.is_fatal());
            }
            other => panic!("expected an error frame, got {other:?}"),
        }
        assert!(matches!(r.next().await.unwrap(), Inbound::Message(m) if &m.body[..] == b"hi"));
        let req = srv.await.unwrap();
        assert_eq!(req.feature_negotiation, Some(true));
        assert_eq!(req.client_id.as_deref(), Some("me"));
        assert_eq!(req.heartbeat_interval, Some(5000));
        assert_eq!(req.msg_timeout, Some(90000));
        assert_eq!(req.user_agent, Some(user_agent()));
        match r.next().await {
            Err(ConnError::Closed { addr }) => assert_eq!(addr, "test:4150"),
            other => panic!("expected Closed, got {other:?}"),
        }
    }

    #[tokio::test]
    async fn identify_error_and_plain_ok() {
        let (client, mut server) = tokio::io::duplex(4096);
        tokio::spawn(async move {
            read_identify(&mut server).await;
            send_frame(
                &mut server,
                FrameType::Error,
                b"E_BAD_BODY IDENTIFY heartbeat interval (1) is invalid",
            )
            .await;
        });
        let err = Connection::handshake(Box::new(client), "h:1", &opts())
            .await
            .err()
            .unwrap();
        assert_eq!(
            err.to_string(),
            "nsqd at h:1 refused IDENTIFY: E_BAD_BODY IDENTIFY heartbeat interval (1) is invalid"
        );

        let (client, mut server) = tokio::io::duplex(4096);
        tokio::spawn(async move {
            read_identify(&mut server).await;
            send_frame(&mut server, FrameType::Response, b"OK").await;
            std::future::pending::<()>().await;
        });
        let conn = Connection::handshake(Box::new(client), "h:1", &opts())
            .await
            .unwrap();
        assert_eq!(conn.features(), &NegotiatedFeatures::default());
    }

    /// A server answering IDENTIFY with `json` (and nothing else).
    async fn answer_identify(json: &'static str, opts: &ConnectOptions) -> ConnError {
        let (client, mut server) = tokio::io::duplex(4096);
        tokio::spawn(async move {
            read_identify(&mut server).await;
            send_frame(&mut server, FrameType::Response, json.as_bytes()).await;
            std::future::pending::<()>().await;
        });
        Connection::handshake(Box::new(client), "h:1", opts)
            .await
            .err()
            .expect("handshake must fail")
    }

    #[tokio::test]
    async fn features_we_did_not_ask_for_are_refused() {
        let err = answer_identify(r#"{"snappy":true}"#, &opts()).await;
        assert_eq!(
            err.to_string(),
            "nsqd at h:1 turned on snappy compression without being asked; refusing to continue"
        );
        let mut o = opts();
        o.compression = Some(Compression::Snappy);
        let err = answer_identify(r#"{"deflate":true}"#, &o).await;
        assert!(matches!(
            err,
            ConnError::Unsupported {
                feature: "deflate compression",
                ..
            }
        ));
        let err = answer_identify(r#"{"tls_v1":true}"#, &opts()).await;
        assert!(matches!(err, ConnError::Unsupported { feature: "TLS", .. }));
    }

    #[tokio::test]
    async fn auth_required_without_a_secret_says_how_to_give_one() {
        let err = answer_identify(r#"{"auth_required":true}"#, &opts()).await;
        assert_eq!(
            err.to_string(),
            "nsqd at h:1 requires authentication: set NSQ_AUTH_SECRET or --auth-secret-file"
        );
        assert!(err.is_permanent(), "reconnecting will not bring a secret");
        assert_eq!(format!("{:?}", AuthSecret("hush".into())), "AuthSecret(..)");
    }

    #[tokio::test]
    async fn an_http_server_answering_is_a_permanent_error_that_says_so() {
        let (client, mut server) = tokio::io::duplex(4096);
        tokio::spawn(async move {
            read_identify(&mut server).await;
            let _ = server
                .write_all(b"HTTP/1.1 400 Bad Request\r\nConnection: close\r\n\r\n400 Bad Request")
                .await;
            std::future::pending::<()>().await;
        });
        let err = Connection::handshake(Box::new(client), "h:4151", &opts())
            .await
            .err()
            .expect("handshake must fail");
        assert_eq!(
            err.to_string(),
            "h:4151 answered with HTTP, not the NSQ TCP protocol: is this nsqd's HTTP port? (its TCP port is usually 4150)"
        );
        assert!(err.is_permanent());
    }

    #[tokio::test]
    async fn silence_for_two_heartbeats_is_a_dead_connection() {
        let (client, mut server) = tokio::io::duplex(4096);
        tokio::spawn(async move {
            read_identify(&mut server).await;
            send_frame(&mut server, FrameType::Response, b"OK").await;
            // Keep the stream open but say nothing.
            std::future::pending::<()>().await;
        });
        let mut o = opts();
        o.heartbeat_interval = Some(Duration::from_millis(100));
        let conn = Connection::handshake(Box::new(client), "h:1", &o)
            .await
            .unwrap();
        let (mut r, _w) = conn.into_split();
        let err = r.next().await.err().unwrap();
        assert!(matches!(err, ConnError::HeartbeatTimeout { .. }));
        assert!(!err.is_permanent(), "a restarted node answers again");
    }

    #[tokio::test]
    async fn refused_connection_names_the_address() {
        // Bind then drop a listener so the port is (almost certainly) closed.
        let l = std::net::TcpListener::bind("127.0.0.1:0").unwrap();
        let addr = l.local_addr().unwrap().to_string();
        drop(l);
        let err = Connection::connect(&addr, &opts()).await.err().unwrap();
        assert!(err.is_connect_failure());
        assert!(!err.is_permanent());
        assert_eq!(
            err.to_string(),
            format!("cannot connect to nsqd at {addr}: connection refused")
        );
    }

    #[test]
    fn default_port_is_added_only_when_missing() {
        assert_eq!(with_default_port("localhost", 4150), "localhost:4150");
        assert_eq!(with_default_port("h:1", 4150), "h:1");
        assert_eq!(with_default_port("[::1]:5", 4150), "[::1]:5");
        assert_eq!(with_default_port("::1", 4150), "[::1]:4150");
        assert_eq!(with_default_port("[::1]", 4150), "[::1]:4150");
    }
}
