//! Authorization through an external auth server, as nsqd's `--auth-http-address`:
//! `GET /auth?remote_ip=..&tls=..&secret=..&common_name=..` answers with a TTL, an
//! identity and a list of topic/channel regexes with permissions.

use regex::Regex;
use serde::Deserialize;
use std::time::{Duration, Instant};

#[derive(Debug, Deserialize)]
struct AuthorizationJson {
    #[serde(default)]
    topic: String,
    #[serde(default)]
    channels: Vec<String>,
    #[serde(default)]
    permissions: Vec<String>,
}

#[derive(Debug, Deserialize)]
struct StateJson {
    #[serde(default)]
    ttl: i64,
    #[serde(default)]
    authorizations: Vec<AuthorizationJson>,
    #[serde(default)]
    identity: String,
    #[serde(default)]
    identity_url: String,
}

#[derive(Debug)]
pub struct Authorization {
    topic: Regex,
    channels: Vec<Regex>,
    publish: bool,
    subscribe: bool,
}

impl Authorization {
    /// Go's regexp.MatchString semantics: unanchored. Publishing is checked with an
    /// empty channel, which the channel list must still match (e.g. `.*`).
    fn allows(&self, topic: &str, channel: &str) -> bool {
        let permitted = if channel.is_empty() {
            self.publish
        } else {
            self.subscribe
        };
        permitted && self.topic.is_match(topic) && self.channels.iter().any(|c| c.is_match(channel))
    }
}

/// What the auth server granted one connection, until it expires.
#[derive(Debug)]
pub struct AuthState {
    pub identity: String,
    pub identity_url: String,
    pub authorizations: Vec<Authorization>,
    pub expires: Instant,
}

impl AuthState {
    pub fn allows(&self, topic: &str, channel: &str) -> bool {
        self.authorizations.iter().any(|a| a.allows(topic, channel))
    }

    pub fn is_expired(&self) -> bool {
        Instant::now() >= self.expires
    }
}

/// What the connection tells the auth server about itself.
#[derive(Debug, Clone)]
pub struct AuthQuery<'a> {
    pub remote_ip: &'a str,
    pub tls: bool,
    pub common_name: &'a str,
    pub secret: &'a str,
}

/// Asks each auth server in turn (starting at a random one) until one answers.
/// The error is for the broker's log only: clients just see "AUTH failed".
pub async fn query_any(addresses: &[String], q: &AuthQuery<'_>) -> Result<AuthState, String> {
    let start = rand::random_range(0..addresses.len().max(1));
    let mut errors = Vec::new();
    for i in 0..addresses.len() {
        let a = &addresses[(start + i) % addresses.len()];
        match query(a, q).await {
            Ok(s) => return Ok(s),
            Err(e) => errors.push(format!("failed to auth against {a} - {e}")),
        }
    }
    Err(errors.join("; "))
}

fn http_client() -> &'static reqwest::Client {
    static CLIENT: std::sync::OnceLock<reqwest::Client> = std::sync::OnceLock::new();
    CLIENT.get_or_init(|| {
        crate::nsq_http::builder(Duration::from_secs(5), Duration::from_secs(2))
            .build()
            .expect("HTTP client")
    })
}

async fn query(address: &str, q: &AuthQuery<'_>) -> Result<AuthState, String> {
    let url = if address.contains("://") {
        address.to_string()
    } else {
        format!("http://{address}/auth")
    };
    let tls = if q.tls { "true" } else { "false" };
    let resp = http_client()
        .get(&url)
        .query(&[
            ("common_name", q.common_name),
            ("remote_ip", q.remote_ip),
            ("secret", q.secret),
            ("tls", tls),
        ])
        .send()
        .await
        .map_err(|e| e.to_string())?;
    let status = resp.status();
    let body = resp.bytes().await.map_err(|e| e.to_string())?;
    if status != reqwest::StatusCode::OK {
        return Err(format!(
            "got response {} {}",
            status.as_u16(),
            String::from_utf8_lossy(&body)
        ));
    }
    let state: StateJson = serde_json::from_slice(&body).map_err(|e| e.to_string())?;
    let mut authorizations = Vec::with_capacity(state.authorizations.len());
    for a in state.authorizations {
        let (mut publish, mut subscribe) = (false, false);
        for p in &a.permissions {
            match p.as_str() {
                "publish" => publish = true,
                "subscribe" => subscribe = true,
                other => return Err(format!("unknown permission {other}")),
            }
        }
        let topic = Regex::new(&a.topic)
            .map_err(|e| format!("unable to compile topic {:?} {e}", a.topic))?;
        let channels = a
            .channels
            .iter()
            .map(|c| Regex::new(c).map_err(|e| format!("unable to compile channel {c:?} {e}")))
            .collect::<Result<Vec<_>, _>>()?;
        authorizations.push(Authorization {
            topic,
            channels,
            publish,
            subscribe,
        });
    }
    if state.ttl <= 0 {
        return Err(format!("invalid TTL {} (must be >0)", state.ttl));
    }
    Ok(AuthState {
        identity: state.identity,
        identity_url: state.identity_url,
        authorizations,
        expires: Instant::now() + Duration::from_secs(state.ttl as u64),
    })
}

/// One DER element: (tag, contents, rest).
fn der_next(b: &[u8]) -> Option<(u8, &[u8], &[u8])> {
    let (&tag, b) = b.split_first()?;
    let (&first, mut b) = b.split_first()?;
    let len = if first < 0x80 {
        first as usize
    } else {
        let n = (first & 0x7f) as usize;
        if n == 0 || n > 4 || b.len() < n {
            return None;
        }
        let len = b[..n]
            .iter()
            .fold(0usize, |acc, &x| (acc << 8) | x as usize);
        b = &b[n..];
        len
    };
    if b.len() < len {
        return None;
    }
    Some((tag, &b[..len], &b[len..]))
}

/// The subject's common name in an X.509 certificate (what nsqd passes to the
/// auth server as `common_name` for TLS clients with a certificate).
pub fn subject_common_name(cert_der: &[u8]) -> Option<String> {
    const SEQUENCE: u8 = 0x30;
    const CN_OID: &[u8] = &[0x55, 0x04, 0x03];
    let (_, cert, _) = der_next(cert_der).filter(|(t, ..)| *t == SEQUENCE)?;
    let (_, tbs, _) = der_next(cert).filter(|(t, ..)| *t == SEQUENCE)?;
    let mut rest = tbs;
    // version [0] (optional), serial, signature algorithm, issuer, validity, subject
    let (tag, _, r) = der_next(rest)?;
    if tag == 0xa0 {
        rest = r;
    }
    for _ in 0..4 {
        rest = der_next(rest)?.2;
    }
    let (_, mut subject, _) = der_next(rest).filter(|(t, ..)| *t == SEQUENCE)?;
    let mut cn = None;
    while let Some((_, set, r)) = der_next(subject) {
        subject = r;
        let mut attrs = set;
        while let Some((_, attr, r)) = der_next(attrs) {
            attrs = r;
            let (_, oid, value) = der_next(attr)?;
            if oid == CN_OID {
                let (_, v, _) = der_next(value)?;
                cn = Some(String::from_utf8_lossy(v).into_owned());
            }
        }
    }
    cn
}

#[cfg(test)]
mod tests {
    use super::*;

    fn auth(topic: &str, channels: &[&str], perms: &[&str]) -> Authorization {
        Authorization {
            topic: Regex::new(topic).unwrap(),
            channels: channels.iter().map(|c| Regex::new(c).unwrap()).collect(),
            publish: perms.contains(&"publish"),
            subscribe: perms.contains(&"subscribe"),
        }
    }

    #[test]
    fn permissions_and_unanchored_regexes_as_nsqd() {
        let a = auth("^orders$", &[".*"], &["publish"]);
        assert!(a.allows("orders", ""));
        assert!(!a.allows("orders2", ""));
        assert!(!a.allows("orders", "ch"), "no subscribe permission");
        let b = auth("logs", &["^archive$"], &["subscribe"]);
        assert!(b.allows("app-logs", "archive"), "unanchored topic match");
        assert!(!b.allows("app-logs", "other"));
        assert!(!b.allows("app-logs", ""), "no publish permission");
        // A publish authorization whose channel list matches nothing grants nothing.
        assert!(!auth("x", &["^a$"], &["publish"]).allows("x", ""));
    }

    #[test]
    fn common_name_parser_survives_garbage() {
        assert_eq!(subject_common_name(b""), None);
        assert_eq!(subject_common_name(b"\x30\x84\xff\xff\xff\xff"), None);
        assert_eq!(subject_common_name(b"\x30\x03\x30\x01"), None);
    }
}
