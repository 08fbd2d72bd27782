//! What a connection to nsqd is asked for: timeouts, who we say we are, TLS,
//! compression, the AUTH secret, and who hears about the handshake.

use crate::protocol::compression::Compression;
use std::sync::Arc;
use std::time::Duration;

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
    Authenticated {
        addr: String,
        identity: AuthIdentity,
    },
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
        f.write_str(if self.0.is_some() {
            "ConnEvents(..)"
        } else {
            "ConnEvents(none)"
        })
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
