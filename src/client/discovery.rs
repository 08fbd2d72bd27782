//! Finding nsqd nodes through nsqlookupd's HTTP API (`/lookup`, `/nodes`), and
//! creating a topic and channel on a node (`/topic/create`, `/channel/create`).

use crate::http::map::join_host_port;
use crate::http::types::Producer;
use anyhow::anyhow;
use serde::Deserialize;
use std::time::Duration;

/// An nsqd node as lookupd describes it.
#[derive(Debug, Clone, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub struct Node {
    /// host:port of its TCP protocol.
    pub tcp: String,
    /// host:port of its HTTP API.
    pub http: String,
}

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

impl From<Producer> for Node {
    fn from(p: Producer) -> Node {
        // --map-address rules (docker-compose's `nsqd:4150` and the like) apply here.
        let map = crate::http::map::map_address;
        Node {
            tcp: map(&join_host_port(&p.broadcast_address, p.tcp_port)),
            http: map(&join_host_port(&p.broadcast_address, p.http_port)),
        }
    }
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

pub fn http_client(timeout: Duration) -> reqwest::Client {
    reqwest::Client::builder()
        .timeout(timeout)
        .user_agent(concat!("nsq-cli/", env!("CARGO_PKG_VERSION")))
        .build()
        .expect("HTTP client with static settings")
}

/// Asks one lookupd which nodes hold `topic`.
pub async fn lookup(
    client: &reqwest::Client,
    lookupd: &str,
    topic: &str,
) -> anyhow::Result<Lookup> {
    let resp = client
        .get(url(lookupd, "/lookup"))
        .query(&[("topic", topic)])
        .send()
        .await
        .map_err(|e| anyhow!("nsqlookupd {lookupd} unreachable: {}", short(&e)))?;
    let status = resp.status();
    let final_url = resp.url().to_string();
    let body = resp.bytes().await.unwrap_or_default();
    if status == reqwest::StatusCode::NOT_FOUND && body_says(&body, "TOPIC_NOT_FOUND") {
        return Ok(Lookup::TopicNotFound);
    }
    not_found_is_not_lookupd(lookupd, &final_url, status, &body)?;
    if !status.is_success() {
        return Err(anyhow!(
            "nsqlookupd {lookupd} answered /lookup with {status}: {}",
            String::from_utf8_lossy(&body).trim()
        ));
    }
    Ok(Lookup::Nodes(parse_producers(lookupd, &final_url, &body)?))
}

/// Every node one lookupd knows.
pub async fn nodes(client: &reqwest::Client, lookupd: &str) -> anyhow::Result<Vec<Node>> {
    let resp = client
        .get(url(lookupd, "/nodes"))
        .send()
        .await
        .map_err(|e| anyhow!("nsqlookupd {lookupd} unreachable: {}", short(&e)))?;
    let status = resp.status();
    let final_url = resp.url().to_string();
    let body = resp.bytes().await.unwrap_or_default();
    not_found_is_not_lookupd(lookupd, &final_url, status, &body)?;
    if !status.is_success() {
        return Err(anyhow!(
            "nsqlookupd {lookupd} answered /nodes with {status}: {}",
            String::from_utf8_lossy(&body).trim()
        ));
    }
    parse_producers(lookupd, &final_url, &body)
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

/// nsqlookupd knows `/lookup` and `/nodes`: a 404 for them (other than
/// TOPIC_NOT_FOUND) comes from another server, e.g. nsqd's HTTP port.
fn not_found_is_not_lookupd(
    lookupd: &str,
    url: &str,
    status: reqwest::StatusCode,
    body: &[u8],
) -> Result<(), NotLookupd> {
    if status != reqwest::StatusCode::NOT_FOUND {
        return Ok(());
    }
    Err(NotLookupd::new(
        lookupd,
        url,
        "not found",
        format!("{status}; nsqlookupd serves this path"),
        body,
    ))
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
    let mut nodes: Vec<Node> = p.producers.into_iter().map(Node::from).collect();
    nodes.sort();
    nodes.dedup();
    Ok(nodes)
}

/// A request failure in a few words ("connection refused", "timed out").
fn short(e: &reqwest::Error) -> String {
    if e.is_timeout() {
        return "timed out".to_string();
    }
    let mut source: Option<&(dyn std::error::Error + 'static)> = Some(e);
    while let Some(s) = source {
        if let Some(io) = s.downcast_ref::<std::io::Error>() {
            return crate::error::describe_io(io);
        }
        source = s.source();
    }
    e.to_string()
}

fn body_says(body: &[u8], message: &str) -> bool {
    serde_json::from_slice::<serde_json::Value>(body)
        .ok()
        .and_then(|v| {
            v.get("message")
                .and_then(|m| m.as_str())
                .map(|m| m == message)
        })
        .unwrap_or(false)
}

/// Creates `topic` and `channel` on one nsqd through its HTTP API.
pub async fn create_topic_channel(
    client: &reqwest::Client,
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
        let resp = client
            .post(url(nsqd_http, path))
            .query(&query)
            .send()
            .await
            .map_err(|e| anyhow!("nsqd {nsqd_http} unreachable: {}", short(&e)))?;
        let status = resp.status();
        if !status.is_success() {
            let body = resp.text().await.unwrap_or_default();
            return Err(anyhow!(
                "nsqd {nsqd_http} refused {path}: {status} {}",
                body.trim()
            ));
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
        assert_eq!(
            n,
            vec![Node {
                tcp: "127.0.0.1:4150".into(),
                http: "127.0.0.1:4151".into()
            }]
        );
        let legacy = br#"{"status_code":200,"status_txt":"OK","data":{"producers":[{"broadcast_address":"::1","tcp_port":1,"http_port":2}]}}"#;
        assert_eq!(parse_producers("l", "u", legacy).unwrap()[0].tcp, "[::1]:1");
        assert!(body_says(
            br#"{"message":"TOPIC_NOT_FOUND"}"#,
            "TOPIC_NOT_FOUND"
        ));
        assert_eq!(url("h:1", "/x"), "http://h:1/x");
        assert_eq!(url("https://h:1/", "/x"), "https://h:1/x");
    }
}
