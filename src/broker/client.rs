//! Per-connection state shared between a client's connection task and the channel
//! it is subscribed to.

use crate::protocol::Message;
use bytes::Bytes;
use std::collections::BTreeMap;
use std::sync::atomic::{AtomicBool, AtomicI64, AtomicU64, Ordering};
use std::sync::Mutex;
use std::time::Duration;
use tokio::sync::mpsc;

/// What a connection's writer task is asked to do, in order.
#[derive(Debug)]
pub enum Outbound {
    /// An already-encoded frame (responses and errors).
    Frame(Bytes),
    /// A message to send in a message frame.
    Message(Message),
    /// Change (or, with None, stop) the heartbeat interval.
    Heartbeat(Option<Duration>),
    /// Compress everything written from here on (after the IDENTIFY response).
    Compress(crate::protocol::compression::Compression),
    /// Flush everything queued so far, then hand the socket's write half over for
    /// the TLS handshake and carry on with the half given back.
    UpgradeTls(TlsSwap),
    /// Flush everything queued so far and close the connection.
    Close,
}

/// Anything a broker connection runs over: the TCP socket, then maybe TLS.
pub trait Transport: tokio::io::AsyncRead + tokio::io::AsyncWrite + Unpin + Send + 'static {}
impl<T: tokio::io::AsyncRead + tokio::io::AsyncWrite + Unpin + Send + 'static> Transport for T {}
pub type BoxTransport = Box<dyn Transport>;
pub type WriteSide = tokio::io::WriteHalf<BoxTransport>;

/// The writer's half of the TLS upgrade: it gives its write half away and waits
/// for the TLS one (a dropped sender means the handshake failed).
pub struct TlsSwap {
    pub give: tokio::sync::oneshot::Sender<WriteSide>,
    pub take: tokio::sync::oneshot::Receiver<WriteSide>,
}

impl std::fmt::Debug for TlsSwap {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str("TlsSwap")
    }
}

/// nsqd's client states as reported in /stats.
pub const STATE_INIT: i32 = 0;
pub const STATE_SUBSCRIBED: i32 = 3;
pub const STATE_CLOSING: i32 = 4;

#[derive(Debug, Default, Clone)]
pub struct ClientMeta {
    pub client_id: String,
    pub hostname: String,
    pub user_agent: String,
    pub sample_rate: i64,
    pub deflate: bool,
    pub snappy: bool,
    pub tls: bool,
    /// As nsqd names them: "TLS1.3", and Go's cipher suite name or "Unknown N".
    pub tls_version: String,
    pub tls_cipher_suite: String,
    /// The auth server granted something; who it says the client is.
    pub authed: bool,
    pub auth_identity: String,
    pub auth_identity_url: String,
    pub pub_counts: BTreeMap<String, u64>,
}

#[derive(Debug)]
pub struct Client {
    pub id: u64,
    pub remote_address: String,
    pub connect_ts: i64,
    tx: mpsc::UnboundedSender<Outbound>,
    pub state: std::sync::atomic::AtomicI32,
    pub ready_count: AtomicI64,
    pub in_flight_count: AtomicI64,
    pub message_count: AtomicU64,
    pub finish_count: AtomicU64,
    pub requeue_count: AtomicU64,
    pub msg_timeout_ms: AtomicU64,
    /// IDENTIFY's sample_rate: deliver only this percentage of messages (0 = all).
    pub sample_rate: AtomicI64,
    pub closed: AtomicBool,
    pub meta: Mutex<ClientMeta>,
}

impl Client {
    pub fn new(
        id: u64,
        remote_address: String,
        tx: mpsc::UnboundedSender<Outbound>,
        msg_timeout: Duration,
    ) -> Client {
        let host = remote_address
            .rsplit_once(':')
            .map(|(h, _)| h.trim_start_matches('[').trim_end_matches(']').to_string())
            .unwrap_or_default();
        Client {
            id,
            remote_address,
            connect_ts: crate::clock::now_ns() / 1_000_000_000,
            tx,
            state: std::sync::atomic::AtomicI32::new(STATE_INIT),
            ready_count: AtomicI64::new(0),
            in_flight_count: AtomicI64::new(0),
            message_count: AtomicU64::new(0),
            finish_count: AtomicU64::new(0),
            requeue_count: AtomicU64::new(0),
            msg_timeout_ms: AtomicU64::new(msg_timeout.as_millis() as u64),
            sample_rate: AtomicI64::new(0),
            closed: AtomicBool::new(false),
            meta: Mutex::new(ClientMeta {
                client_id: host.clone(),
                hostname: host,
                ..Default::default()
            }),
        }
    }

    pub fn send(&self, out: Outbound) -> bool {
        self.tx.send(out).is_ok()
    }

    /// Whether the channel may hand this client another message.
    pub fn is_ready(&self) -> bool {
        if self.closed.load(Ordering::Relaxed)
            || self.state.load(Ordering::Relaxed) != STATE_SUBSCRIBED
        {
            return false;
        }
        let rdy = self.ready_count.load(Ordering::Relaxed);
        rdy > 0 && self.in_flight_count.load(Ordering::Relaxed) < rdy
    }

    pub fn msg_timeout(&self) -> Duration {
        Duration::from_millis(self.msg_timeout_ms.load(Ordering::Relaxed))
    }

    pub fn published(&self, topic: &str, n: u64) {
        let mut m = self.meta.lock().unwrap();
        *m.pub_counts.entry(topic.to_string()).or_default() += n;
    }

    /// Disconnects the client (topic/channel deleted, broker shutting down).
    pub fn close(&self) {
        self.closed.store(true, Ordering::Relaxed);
        let _ = self.tx.send(Outbound::Close);
    }
}
