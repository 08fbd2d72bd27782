//! One nsqd the pool publishes to: a pipelined TCP producer, or nsqd's HTTP
//! `/pub` and `/mpub` through the project's HTTP client.

use crate::client::producer::{Failure, Limits, Publish, PublishError, Publisher};
use crate::nsq_http::{self, ErrorKind, HttpError};
use bytes::BytesMut;

/// Why a node stopped, with the batches (tags) it had not acknowledged, in order.
pub(super) struct NodeFailure {
    pub error: String,
    /// Retrying would fail the same way (see `PublishError::is_permanent`).
    pub permanent: bool,
    pub unacked: Vec<u64>,
}

impl From<Failure<u64>> for NodeFailure {
    fn from(f: Failure<u64>) -> NodeFailure {
        let error: &PublishError = &f.error;
        NodeFailure {
            error: error.to_string(),
            permanent: error.is_permanent(),
            unacked: f.unacked,
        }
    }
}

/// The link to one nsqd we publish to, over TCP or HTTP.
pub(super) enum Link {
    Tcp(Publisher<u64>),
    Http(HttpNode),
}

impl Link {
    pub async fn send(&mut self, p: Publish, seq: u64) -> Result<(), NodeFailure> {
        match self {
            Link::Tcp(prod) => prod.send(p, seq).await.map_err(NodeFailure::from),
            Link::Http(h) => h.send(p, seq).await,
        }
    }

    pub fn take_acked(&mut self) -> Vec<u64> {
        match self {
            Link::Tcp(p) => p.take_acked(),
            Link::Http(h) => std::mem::take(&mut h.acked),
        }
    }

    pub async fn flush(&mut self) -> Result<(), NodeFailure> {
        match self {
            Link::Tcp(prod) => prod.flush().await.map_err(NodeFailure::from),
            Link::Http(_) => Ok(()),
        }
    }

    pub fn limits(&self) -> Limits {
        match self {
            Link::Tcp(p) => p.limits(),
            Link::Http(h) => h.limits,
        }
    }

    /// Commands sent and not yet acknowledged (HTTP requests complete in `send`).
    pub fn in_flight(&self) -> usize {
        match self {
            Link::Tcp(p) => p.in_flight(),
            Link::Http(_) => 0,
        }
    }

    /// The failure of a TCP producer that failed while nothing was being sent.
    pub fn take_failure(&mut self) -> Option<NodeFailure> {
        match self {
            Link::Tcp(p) => p.take_failure().map(NodeFailure::from),
            Link::Http(_) => None,
        }
    }
}

pub(super) struct HttpNode {
    pub client: nsq_http::Client,
    /// `http(s)://host:port`.
    pub base: String,
    pub topic: String,
    pub limits: Limits,
    pub acked: Vec<u64>,
}

impl HttpNode {
    async fn send(&mut self, p: Publish, seq: u64) -> Result<(), NodeFailure> {
        let topic = self.topic.as_str();
        let (path, defer, body) = match p {
            Publish::Pub(b) => ("/pub", None, b.to_vec()),
            Publish::Dpub { defer_ms, body } => ("/pub", Some(defer_ms.to_string()), body.to_vec()),
            Publish::Mpub(bodies) => {
                // The binary /mpub body is an MPUB body: count, then size + bytes each.
                let mut out = BytesMut::new();
                crate::protocol::command::put_mpub_body(&mut out, &bodies);
                ("/mpub", None, out.to_vec())
            }
        };
        let mut query = vec![("topic", topic)];
        match (&defer, path) {
            (Some(d), _) => query.push(("defer", d.as_str())),
            (None, "/mpub") => query.push(("binary", "true")),
            _ => {}
        }
        match self.client.post_body(&self.base, path, &query, body).await {
            Ok(_) => {
                self.acked.push(seq);
                Ok(())
            }
            Err(e) => Err(self.failure(&e, seq)),
        }
    }

    fn failure(&self, e: &HttpError, seq: u64) -> NodeFailure {
        let addr = nsq_http::display_addr(&self.base);
        let (error, permanent) = match (&e.kind, e.status()) {
            (ErrorKind::Timeout, _) => (
                format!(
                    "request to nsqd at {addr} (HTTP) timed out after {} (--http-timeout)",
                    humantime::format_duration(self.client.timeout())
                ),
                false,
            ),
            // 4xx: the request itself is refused (bad topic, too big); 5xx may pass.
            (_, Some((code, _))) => (
                format!("nsqd at {addr} (HTTP) refused the publish: {}", e.detail),
                (400..500).contains(&code),
            ),
            (ErrorKind::Unreachable, _) => match e.detail.strip_prefix("cannot connect: ") {
                Some(why) => (
                    format!("cannot connect to nsqd at {addr} (HTTP): {why}"),
                    false,
                ),
                None => (
                    format!("lost the connection to nsqd at {addr} (HTTP): {}", e.detail),
                    false,
                ),
            },
            _ => (
                format!("request to nsqd at {addr} (HTTP) failed: {}", e.detail),
                false,
            ),
        };
        NodeFailure {
            error,
            permanent,
            unacked: vec![seq],
        }
    }
}
