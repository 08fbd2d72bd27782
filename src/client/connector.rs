//! Connecting to nsqd, one function per step (the connector; [`super::conn`] is
//! the connection it produces): TCP connect with a timeout, the V2 magic and
//! IDENTIFY with feature negotiation, then what was negotiated in nsqd's order:
//! TLS, then compression over it (each confirmed by an `OK`), then AUTH when the
//! server requires it.

use super::conn::{
    read_frame, AuthIdentity, AuthSecret, BoxStream, ConnError, ConnEvent, ConnectOptions,
    Connection, TlsConnect, DEFAULT_HEARTBEAT_INTERVAL,
};
use crate::error::describe_io;
use crate::protocol::compression::{Compression, Compressor, DecompressingReader};
use crate::protocol::error::ServerError;
use crate::protocol::identify::{IdentifyRequest, NegotiatedFeatures};
use crate::protocol::{Command, Frame, FrameDecoder, MAGIC_V2};
use bytes::{Buf, BytesMut};
use std::io;
use std::pin::Pin;
use std::task::{ready, Context, Poll};
use std::time::Duration;
use tokio::io::{AsyncRead, AsyncWrite, AsyncWriteExt};

impl Connection {
    /// Connects over TCP, then performs the handshake (magic + IDENTIFY).
    pub async fn connect(addr: &str, opts: &ConnectOptions) -> Result<Connection, ConnError> {
        // The one address rule (default port, IPv6 brackets); commands have already
        // refused malformed addresses, so one that fails here is tried as given.
        let addr = crate::addr::tcp_address("address", addr).unwrap_or_else(|_| addr.to_string());
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

    /// Sends the magic and IDENTIFY over an already-open stream, reads the answer,
    /// and upgrades the stream as negotiated.
    pub async fn handshake(
        stream: BoxStream,
        addr: &str,
        opts: &ConnectOptions,
    ) -> Result<Connection, ConnError> {
        let mut h = Handshake {
            addr: addr.to_string(),
            stream,
            read_buf: BytesMut::with_capacity(64 * 1024),
            opts,
        };
        h.send_identify().await?;
        let features = h.read_features().await?;
        refuse_unasked(&features, opts, &h.addr)?;
        let h = h.start_tls(&features).await?;
        let mut h = h.start_compression(&features).await?;
        let auth = h.authenticate_if_required(&features).await?;
        let heartbeat_interval = match opts.heartbeat_interval {
            Some(d) if d.is_zero() => None,
            Some(d) => Some(d),
            None => Some(DEFAULT_HEARTBEAT_INTERVAL),
        };
        Ok(Connection {
            addr: h.addr,
            stream: h.stream,
            read_buf: h.read_buf,
            features,
            heartbeat_interval,
            write_timeout: opts.write_timeout,
            auth,
        })
    }
}

/// What we ask nsqd for in IDENTIFY.
fn identify_request(opts: &ConnectOptions) -> IdentifyRequest {
    let heartbeat_ms = opts.heartbeat_interval.map(|d| {
        if d.is_zero() {
            -1
        } else {
            d.as_millis() as i64
        }
    });
    IdentifyRequest {
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
    }
}

/// A server that turns on what we did not ask for is not speaking our protocol
/// any more; refuse rather than read garbage.
fn refuse_unasked(
    features: &NegotiatedFeatures,
    opts: &ConnectOptions,
    addr: &str,
) -> Result<(), ConnError> {
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
            return Err(ConnError::Unsupported {
                addr: addr.to_string(),
                feature,
            });
        }
    }
    Ok(())
}

/// A connection being set up: the stream so far and what was read past the last
/// frame (which belongs to the next layer once the stream is upgraded).
struct Handshake<'a> {
    addr: String,
    stream: BoxStream,
    read_buf: BytesMut,
    opts: &'a ConnectOptions,
}

impl Handshake<'_> {
    /// Writes the magic and IDENTIFY.
    async fn send_identify(&mut self) -> Result<(), ConnError> {
        let body = serde_json::to_vec(&identify_request(self.opts)).expect("IDENTIFY serialises");
        let mut out = BytesMut::with_capacity(64 + body.len());
        out.extend_from_slice(MAGIC_V2);
        Command::Identify(&body).encode(&mut out);
        let timeout = self.opts.connect_timeout;
        let stream = &mut self.stream;
        match tokio::time::timeout(timeout, async {
            stream.write_all(&out).await?;
            stream.flush().await
        })
        .await
        {
            Err(_) => Err(ConnError::WriteTimeout {
                addr: self.addr.clone(),
                timeout,
            }),
            Ok(r) => r.map_err(|source| ConnError::Io {
                addr: self.addr.clone(),
                source,
            }),
        }
    }

    /// Reads the answer to IDENTIFY: the negotiated features (defaults when nsqd
    /// only said `OK`).
    async fn read_features(&mut self) -> Result<NegotiatedFeatures, ConnError> {
        let addr = self.addr.clone();
        let frame = read_frame_within(
            &mut self.stream,
            &mut self.read_buf,
            &addr,
            self.opts.connect_timeout,
        )
        .await?;
        match frame {
            Frame::Response(data) if &data[..] == b"OK" => Ok(NegotiatedFeatures::default()),
            Frame::Response(data) => {
                serde_json::from_slice::<NegotiatedFeatures>(&data).map_err(|_| {
                    ConnError::BadIdentify {
                        addr,
                        answer: String::from_utf8_lossy(&data).into_owned(),
                    }
                })
            }
            Frame::Error(data) => Err(ConnError::Identify {
                addr,
                error: ServerError::parse(&data),
            }),
            Frame::Message(_) => Err(ConnError::BadIdentify {
                addr,
                answer: "a message frame".into(),
            }),
        }
    }

    /// Upgrades to TLS when we asked for it (and refuses a server that does not
    /// offer it).
    async fn start_tls(mut self, features: &NegotiatedFeatures) -> Result<Self, ConnError> {
        let Some(tls) = &self.opts.tls else {
            return Ok(self);
        };
        if !features.tls_v1 {
            return Err(ConnError::TlsNotOffered { addr: self.addr });
        }
        let timeout = self.opts.connect_timeout;
        self.stream =
            upgrade_tls(self.stream, &mut self.read_buf, &self.addr, tls, timeout).await?;
        expect_ok(
            &mut self.stream,
            &mut self.read_buf,
            &self.addr,
            "TLS",
            timeout,
        )
        .await?;
        Ok(self)
    }

    /// Wraps the stream in the compression nsqd granted. Compression asked for but
    /// not granted is no error: we just go uncompressed.
    async fn start_compression(mut self, features: &NegotiatedFeatures) -> Result<Self, ConnError> {
        let c = if features.snappy {
            Compression::Snappy
        } else if features.deflate {
            Compression::Deflate(features.deflate_level.unwrap_or(6).clamp(1, 9) as u32)
        } else {
            return Ok(self);
        };
        // Bytes read past the last plain frame are already compressed.
        let already_read = self.read_buf.split();
        let mut reader = DecompressingReader::new(self.stream);
        reader
            .enable(c, &already_read)
            .map_err(|e| ConnError::Upgrade {
                addr: self.addr.clone(),
                feature: "compression",
                answer: e.to_string(),
            })?;
        self.stream = Box::new(CompressedStream {
            inner: reader,
            compressor: Compressor::new(c),
            pending: BytesMut::new(),
        });
        let timeout = self.opts.connect_timeout;
        expect_ok(
            &mut self.stream,
            &mut self.read_buf,
            &self.addr,
            "compression",
            timeout,
        )
        .await?;
        Ok(self)
    }

    /// Like go-nsq, AUTH only when asked: a secret is never sent to a server that
    /// has no use for it.
    async fn authenticate_if_required(
        &mut self,
        features: &NegotiatedFeatures,
    ) -> Result<Option<AuthIdentity>, ConnError> {
        if !features.auth_required {
            return Ok(None);
        }
        let Some(secret) = &self.opts.auth_secret else {
            return Err(ConnError::AuthRequired {
                addr: self.addr.clone(),
            });
        };
        let id = authenticate(
            &mut self.stream,
            &mut self.read_buf,
            &self.addr,
            secret,
            self.opts.connect_timeout,
        )
        .await?;
        self.opts.on_event.emit(ConnEvent::Authenticated {
            addr: self.addr.clone(),
            identity: id.clone(),
        });
        Ok(Some(id))
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

#[cfg(test)]
mod tests {
    use super::*;
    use crate::client::conn::{user_agent, Inbound};
    use crate::protocol::frame::{write_frame, write_message_frame};
    use crate::protocol::{FrameType, MessageId};
    use crate::protocol::{Message, HEARTBEAT};
    use bytes::Bytes;
    use tokio::io::AsyncReadExt;
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
}
