//! Finding nsqd nodes through nsqlookupd's HTTP API (`/lookup`, `/nodes`), and
//! creating a topic and channel on a node (`/topic/create`, `/channel/create`),
//! over the project's one HTTP client ([`crate::nsq_http::Client`]), in the consumer's
//! words: a 404 from a lookupd means the address is not nsqlookupd.

use crate::nsq_http::cluster::{merge_producers, not_lookupd, Node};
use crate::nsq_http::types::Producer;
use crate::nsq_http::{Client, HttpError};
use anyhow::anyhow;
use serde::Deserialize;
use std::time::Duration;

#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Lookup {
    Nodes(Vec<Node>),
    /// lookupd has never heard of the topic (404 TOPIC_NOT_FOUND).
    TopicNotFound,
}

/// The part of `/lookup` and `/nodes` answers we need; a missing `producers` key
/// means the answer is not nsqlookupd's.
#[derive(Deserialize)]
struct Producers {
    #[serde(deserialize_with = "null_as_empty")]
    producers: Vec<Producer>,
}

fn null_as_empty<'de, D: serde::Deserializer<'de>>(d: D) -> Result<Vec<Producer>, D::Error> {
    Ok(Option::<Vec<Producer>>::deserialize(d)?.unwrap_or_default())
}

/// An HTTP URL for `addr` (`host:port`, or already a URL) and `path`.
pub fn url(addr: &str, path: &str) -> String {
    let base = addr.trim_end_matches('/');
    if base.starts_with("http://") || base.starts_with("https://") {
        format!("{base}{path}")
    } else {
        format!("http://{base}{path}")
    }
}

/// The project's one HTTP client, with `timeout` for each request.
pub fn http_client(timeout: Duration) -> Client {
    Client::new(timeout).expect("HTTP client with static settings")
}

/// Asks one lookupd which nodes hold `topic`.
pub async fn lookup(client: &Client, lookupd: &str, topic: &str) -> anyhow::Result<Lookup> {
    match client
        .get_text(lookupd, "/lookup", &[("topic", topic)])
        .await
    {
        Ok(body) => Ok(Lookup::Nodes(parse_producers(
            lookupd,
            &request_url(lookupd, "/lookup", Some(topic)),
            body.as_bytes(),
        )?)),
        Err(e) if e.status() == Some((404, "TOPIC_NOT_FOUND")) => Ok(Lookup::TopicNotFound),
        Err(e) => Err(lookupd_error(lookupd, "/lookup", e)),
    }
}

/// Every node one lookupd knows.
pub async fn nodes(client: &Client, lookupd: &str) -> anyhow::Result<Vec<Node>> {
    match client.get_text(lookupd, "/nodes", &[]).await {
        Ok(body) => parse_producers(
            lookupd,
            &request_url(lookupd, "/nodes", None),
            body.as_bytes(),
        ),
        Err(e) => Err(lookupd_error(lookupd, "/nodes", e)),
    }
}

/// The URL of a lookupd request, as errors name it.
fn request_url(lookupd: &str, path: &str, topic: Option<&str>) -> String {
    let base = crate::nsq_http::base_url(lookupd).unwrap_or_else(|_| url(lookupd, ""));
    match topic {
        Some(t) => format!("{base}{path}?topic={}", crate::nsq_http::encode(t)),
        None => format!("{base}{path}"),
    }
}

/// A failed lookupd request: a 404 means the address is not nsqlookupd (worded
/// as by every command; retrying will not change it); other statuses and
/// network failures are retried.
fn lookupd_error(lookupd: &str, path: &str, e: HttpError) -> anyhow::Error {
    match e.status() {
        Some((404, _)) => not_lookupd(lookupd, path).into(),
        Some((code, message)) => anyhow!(
            "nsqlookupd {lookupd} answered {path} with {}: {message}",
            status_text(code)
        ),
        None => anyhow!("nsqlookupd {lookupd} unreachable: {}", why_unreachable(&e)),
    }
}

/// Why a request got no HTTP answer, in the HTTP client's words ("connection
/// refused", "no answer within 5s (--http-timeout)"); "unreachable" already says
/// that we could not connect.
fn why_unreachable(e: &HttpError) -> &str {
    e.detail
        .strip_prefix("cannot connect: ")
        .unwrap_or(&e.detail)
}

/// `404 Not Found`, as reqwest words a status.
fn status_text(code: u16) -> String {
    match reqwest::StatusCode::from_u16(code) {
        Ok(s) => s.to_string(),
        Err(_) => code.to_string(),
    }
}

/// Whether a lookupd failure is one retrying cannot fix: the address answered
/// 404 for a path nsqlookupd serves, or 200 with something not nsqlookupd's.
pub fn is_not_lookupd(e: &anyhow::Error) -> bool {
    e.downcast_ref::<NotLookupd>().is_some()
        || e.downcast_ref::<HttpError>()
            .is_some_and(|h| h.kind == crate::nsq_http::ErrorKind::NotLookupd)
}

/// A 2xx answer that is not what nsqlookupd sends: the address is most likely not
/// an nsqlookupd (an nsqd, a proxy's page), which retrying will not change.
#[derive(Debug, thiserror::Error)]
#[error("{url}: {what} ({detail}), got {body:?}; is {lookupd} an nsqlookupd HTTP address?")]
pub struct NotLookupd {
    pub lookupd: String,
    pub url: String,
    pub what: &'static str,
    pub detail: String,
    pub body: String,
}

impl NotLookupd {
    fn new(lookupd: &str, url: &str, what: &'static str, detail: String, body: &[u8]) -> Self {
        let text = String::from_utf8_lossy(body);
        let mut short: String = text.trim().chars().take(60).collect();
        if text.trim().chars().count() > 60 {
            short.push_str("...");
        }
        NotLookupd {
            lookupd: lookupd.to_string(),
            url: url.to_string(),
            what,
            detail,
            body: short,
        }
    }
}

fn parse_producers(lookupd: &str, url: &str, body: &[u8]) -> anyhow::Result<Vec<Node>> {
    let not_lookupd = |what, detail: serde_json::Error| {
        NotLookupd::new(lookupd, url, what, detail.to_string(), body)
    };
    // nsqlookupd before 1.0 wrapped answers in {"status_code", "data"}; accept both.
    let v: serde_json::Value =
        serde_json::from_slice(body).map_err(|e| not_lookupd("the answer is not JSON", e))?;
    let v = match v.get("data") {
        Some(d) if v.get("status_code").is_some() => d.clone(),
        _ => v,
    };
    let p: Producers = serde_json::from_value(v)
        .map_err(|e| not_lookupd("the answer is not nsqlookupd's JSON", e))?;
    Ok(merge_producers(p.producers))
}

/// Creates `topic` and `channel` on one nsqd through its HTTP API.
pub async fn create_topic_channel(
    client: &Client,
    nsqd_http: &str,
    topic: &str,
    channel: &str,
) -> anyhow::Result<()> {
    for (path, query) in [
        ("/topic/create", vec![("topic", topic)]),
        (
            "/channel/create",
            vec![("topic", topic), ("channel", channel)],
        ),
    ] {
        if let Err(e) = client.post(nsqd_http, path, &query).await {
            return Err(match e.status() {
                Some((code, message)) => anyhow!(
                    "nsqd {nsqd_http} refused {path}: {} {message}",
                    status_text(code)
                ),
                None => anyhow!("nsqd {nsqd_http} unreachable: {}", why_unreachable(&e)),
            });
        }
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn producers_from_v1_and_legacy_answers() {
        let v1 = br#"{"channels":["c"],"producers":[{"remote_address":"127.0.0.1:1","hostname":"h","broadcast_address":"127.0.0.1","tcp_port":4150,"http_port":4151,"version":"1.3.0"}]}"#;
        let n = parse_producers("l", "u", v1).unwrap();
        assert_eq!(n.len(), 1);
        assert_eq!(
            (n[0].tcp_address.as_str(), n[0].http_address.as_str()),
            ("127.0.0.1:4150", "127.0.0.1:4151")
        );
        let legacy = br#"{"status_code":200,"status_txt":"OK","data":{"producers":[{"broadcast_address":"::1","tcp_port":1,"http_port":2}]}}"#;
        assert_eq!(
            parse_producers("l", "u", legacy).unwrap()[0].tcp_address,
            "[::1]:1"
        );
        assert_eq!(url("h:1", "/x"), "http://h:1/x");
        assert_eq!(url("https://h:1/", "/x"), "https://h:1/x");
    }
}
