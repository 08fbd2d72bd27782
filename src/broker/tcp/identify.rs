//! IDENTIFY, server side: the client's settings validated in nsqd's order, the
//! negotiated features answered, then TLS and compression switched on.

use super::{bad_body, frame, go_cipher_suite, go_tls_version, read_sized_body, Conn, Reader};
use crate::broker::client::{BoxTransport, Outbound, TlsSwap, STATE_INIT};
use crate::broker::Options;
use crate::protocol::compression::Compression;
use crate::protocol::frame::FrameType;
use crate::protocol::identify::{IdentifyRequest, IdentifyResponse};
use crate::protocol::ClientError;
use bytes::Bytes;
use std::sync::atomic::Ordering;
use std::time::Duration;
use tokio::io::AsyncBufRead;

/// What a valid IDENTIFY sets on the connection.
struct Settings {
    /// None: heartbeats disabled.
    heartbeat: Option<Duration>,
    output_buffer_timeout: i64,
    output_buffer_size: i64,
    sample_rate: i64,
    /// Milliseconds; None keeps the broker's default.
    msg_timeout: Option<u64>,
}

/// Validates the client's settings in nsqd's order; each failure names the bad
/// value. `heartbeat` is the connection's current (default) interval.
fn settings(
    req: &IdentifyRequest,
    opts: &Options,
    heartbeat: Option<Duration>,
) -> Result<Settings, ClientError> {
    let heartbeat = heartbeat_of(req, opts, heartbeat)?;
    let (output_buffer_timeout, output_buffer_size) = output_buffering(req, opts)?;
    let sample_rate = req.sample_rate.unwrap_or(0);
    if !(0..=99).contains(&sample_rate) {
        return Err(bad_body(format!(
            "IDENTIFY sample rate ({sample_rate}) is invalid"
        )));
    }
    let max_mt = opts.max_msg_timeout.as_millis() as i64;
    let msg_timeout = match req.msg_timeout.unwrap_or(0) {
        0 => None,
        v if (1000..=max_mt).contains(&v) => Some(v as u64),
        v => return Err(bad_body(format!("IDENTIFY msg timeout ({v}) is invalid"))),
    };
    Ok(Settings {
        heartbeat,
        output_buffer_timeout,
        output_buffer_size,
        sample_rate,
        msg_timeout,
    })
}

fn heartbeat_of(
    req: &IdentifyRequest,
    opts: &Options,
    default: Option<Duration>,
) -> Result<Option<Duration>, ClientError> {
    let max_hb = opts.max_heartbeat_interval.as_millis() as i64;
    match req.heartbeat_interval.unwrap_or(0) {
        -1 => Ok(None),
        0 => Ok(default),
        v if (1000..=max_hb).contains(&v) => Ok(Some(Duration::from_millis(v as u64))),
        v => Err(bad_body(format!(
            "IDENTIFY heartbeat interval ({v}) is invalid"
        ))),
    }
}

/// (output buffer timeout in ms, output buffer size); a size of -1 disables
/// buffering altogether.
fn output_buffering(req: &IdentifyRequest, opts: &Options) -> Result<(i64, i64), ClientError> {
    let min_t = opts.min_output_buffer_timeout.as_millis() as i64;
    let max_t = opts.max_output_buffer_timeout.as_millis() as i64;
    let mut timeout = match req.output_buffer_timeout.unwrap_or(0) {
        -1 => 0,
        0 => opts.output_buffer_timeout.as_millis() as i64,
        v if (min_t..=max_t).contains(&v) => v,
        v => {
            return Err(bad_body(format!(
                "IDENTIFY output buffer timeout ({v}) is invalid"
            )))
        }
    };
    let size = match req.output_buffer_size.unwrap_or(0) {
        -1 => {
            timeout = 0;
            1
        }
        0 => 16 * 1024,
        v if (64..=opts.max_output_buffer_size).contains(&v) => v,
        v => {
            return Err(bad_body(format!(
                "IDENTIFY output buffer size ({v}) is invalid"
            )))
        }
    };
    Ok((timeout, size))
}

/// The compression the client asked for; both at once is refused.
fn compression_of(
    req: &IdentifyRequest,
    opts: &Options,
) -> Result<Option<Compression>, ClientError> {
    let deflate = req.deflate == Some(true);
    let snappy = req.snappy == Some(true);
    if deflate && snappy {
        return Err(ClientError::fatal(
            "E_IDENTIFY_FAILED",
            "cannot enable both deflate and snappy compression",
        ));
    }
    Ok(if snappy {
        Some(Compression::Snappy)
    } else if deflate {
        Some(Compression::Deflate(deflate_level(req, opts) as u32))
    } else {
        None
    })
}

fn deflate_level(req: &IdentifyRequest, opts: &Options) -> i64 {
    match req.deflate_level {
        Some(l) if l > 0 && req.deflate == Some(true) => l.min(opts.max_deflate_level),
        _ => 6.min(opts.max_deflate_level),
    }
}

fn identify_failed(e: impl std::fmt::Display) -> ClientError {
    ClientError::fatal("E_IDENTIFY_FAILED", format!("IDENTIFY failed {e}"))
}

impl Conn {
    pub(super) async fn identify(
        &mut self,
        r: &mut Reader,
    ) -> Result<Option<Vec<u8>>, ClientError> {
        if self.state() != STATE_INIT {
            return Err(ClientError::invalid("cannot IDENTIFY in current state"));
        }
        let body = read_sized_body(r, "IDENTIFY", self.nsqd.opts.max_body_size).await?;
        let req = IdentifyRequest::parse(&body)
            .map_err(|_| bad_body("IDENTIFY failed to decode JSON body"))?;
        {
            let mut m = self.client.meta.lock().unwrap();
            m.client_id = req.client_id.clone().unwrap_or_default();
            m.hostname = req.hostname.clone().unwrap_or_default();
            m.user_agent = req.user_agent.clone().unwrap_or_default();
        }
        let settings = settings(&req, &self.nsqd.opts, self.heartbeat)?;
        self.apply(&settings);
        if req.feature_negotiation != Some(true) {
            return Ok(Some(b"OK".to_vec()));
        }
        let compression = compression_of(&req, &self.nsqd.opts)?;
        let tls_v1 = self.nsqd.opts.tls.is_some() && req.tls_v1 == Some(true);
        let json = self.features_response(&req, &settings, tls_v1);
        if !tls_v1 && compression.is_none() {
            return Ok(Some(json));
        }
        self.start_features(r, &json, tls_v1, compression).await?;
        Ok(None)
    }

    fn apply(&mut self, s: &Settings) {
        if let Some(ms) = s.msg_timeout {
            self.client.msg_timeout_ms.store(ms, Ordering::Relaxed);
        }
        self.client.meta.lock().unwrap().sample_rate = s.sample_rate;
        self.client
            .sample_rate
            .store(s.sample_rate, Ordering::Relaxed);
        self.heartbeat = s.heartbeat;
        self.client.send(Outbound::Heartbeat(s.heartbeat));
    }

    /// The JSON answer to a feature-negotiating IDENTIFY.
    fn features_response(&self, req: &IdentifyRequest, s: &Settings, tls_v1: bool) -> Vec<u8> {
        let opts = &self.nsqd.opts;
        let resp = IdentifyResponse {
            max_rdy_count: opts.max_rdy_count,
            version: crate::protocol::NSQD_VERSION.to_string(),
            max_msg_timeout: opts.max_msg_timeout.as_millis() as i64,
            msg_timeout: self.client.msg_timeout().as_millis() as i64,
            tls_v1,
            deflate: req.deflate == Some(true),
            deflate_level: deflate_level(req, opts),
            max_deflate_level: opts.max_deflate_level,
            snappy: req.snappy == Some(true),
            sample_rate: s.sample_rate,
            auth_required: !opts.auth_http_addresses.is_empty(),
            output_buffer_size: s.output_buffer_size,
            output_buffer_timeout: s.output_buffer_timeout,
        };
        serde_json::to_vec(&resp).expect("serialisable")
    }

    /// The answer goes out plain; then TLS (confirmed by an OK over TLS), then
    /// compression (confirmed by a compressed OK), as nsqd does.
    async fn start_features(
        &mut self,
        r: &mut Reader,
        json: &[u8],
        tls_v1: bool,
        compression: Option<Compression>,
    ) -> Result<(), ClientError> {
        self.client
            .send(Outbound::Frame(frame(FrameType::Response, json)));
        if tls_v1 {
            self.upgrade_tls(r).await.map_err(identify_failed)?;
            self.client
                .send(Outbound::Frame(frame(FrameType::Response, b"OK")));
        }
        let Some(c) = compression else {
            return Ok(());
        };
        self.client.send(Outbound::Compress(c));
        self.client
            .send(Outbound::Frame(frame(FrameType::Response, b"OK")));
        {
            let mut m = self.client.meta.lock().unwrap();
            m.deflate = matches!(c, Compression::Deflate(_));
            m.snappy = matches!(c, Compression::Snappy);
        }
        let buffered = r.buffer().to_vec();
        std::pin::Pin::new(&mut *r).consume(buffered.len());
        r.get_mut().enable(c, &buffered).map_err(identify_failed)
    }

    /// Hands the socket to rustls right after the IDENTIFY response went out.
    async fn upgrade_tls(&mut self, r: &mut Reader) -> Result<(), String> {
        let config = self.nsqd.opts.tls.clone().ok_or("TLS is not configured")?;
        let (give_tx, give_rx) = tokio::sync::oneshot::channel();
        let (take_tx, take_rx) = tokio::sync::oneshot::channel();
        self.client.send(Outbound::UpgradeTls(TlsSwap {
            give: give_tx,
            take: take_rx,
        }));
        // Whatever the client sent after IDENTIFY is the start of its handshake.
        let buffered = Bytes::copy_from_slice(r.buffer());
        std::pin::Pin::new(&mut *r).consume(buffered.len());
        let rd = r.get_mut().get_mut().0.take().ok_or("connection closed")?;
        let wr = give_rx.await.map_err(|_| "connection closed")?;
        let sock = rd.unsplit(wr);
        let acceptor = tokio_rustls::TlsAcceptor::from(config);
        let tls = tokio::time::timeout(
            Duration::from_secs(5),
            acceptor.accept(crate::tls::Prefixed::new(buffered, sock)),
        )
        .await
        .map_err(|_| "TLS handshake timed out".to_string())?
        .map_err(|e| e.to_string())?;
        let (version, suite, common_name) = {
            let session = tls.get_ref().1;
            (
                session.protocol_version().map(go_tls_version),
                session
                    .negotiated_cipher_suite()
                    .map(|s| go_cipher_suite(u16::from(s.suite()))),
                session
                    .peer_certificates()
                    .and_then(|c| c.first())
                    .and_then(|c| crate::broker::auth::subject_common_name(c)),
            )
        };
        self.common_name = common_name.unwrap_or_default();
        let transport: BoxTransport = Box::new(tls);
        let (rd, wr) = tokio::io::split(transport);
        r.get_mut().get_mut().0 = Some(rd);
        let _ = take_tx.send(wr);
        self.tls = true;
        let mut m = self.client.meta.lock().unwrap();
        m.tls = true;
        m.tls_version = version.unwrap_or_default();
        m.tls_cipher_suite = suite.unwrap_or_default();
        Ok(())
    }
}
