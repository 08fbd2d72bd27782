//! nsqlookupd's HTTP API, describing this single node: the registrations in
//! [`super::registry`] and this nsqd as the one producer.

use super::http_api::{route, Reply, Request, Router};
use super::Nsqd;
use crate::nsq_http::types::Producer;
use crate::protocol::names::{is_valid_channel_name, is_valid_topic_name};
use crate::protocol::NSQD_VERSION;
use hyper::Method;
use serde::Serialize;
use std::collections::BTreeMap;
use std::net::{IpAddr, Ipv4Addr};
use std::sync::Arc;
use tokio::net::TcpListener;

type Result<T> = std::result::Result<T, Reply>;

fn err(status: u16, message: &str) -> Reply {
    Reply::error(status, message)
}

pub fn router() -> Router<Nsqd> {
    let routes = vec![
        route(Method::GET, "/ping", |_, _| Reply::plain_text("OK")),
        route(Method::GET, "/info", info),
        route(Method::GET, "/debug", debug),
        route(Method::GET, "/lookup", |n, r| reply(lookup(n, r))),
        route(Method::GET, "/topics", topics),
        route(Method::GET, "/channels", |n, r| reply(channels(n, r))),
        route(Method::GET, "/nodes", nodes),
        route(Method::POST, "/topic/create", |n, r| {
            reply(topic_create(n, r))
        }),
        route(Method::POST, "/topic/delete", |n, r| {
            reply(topic_delete(n, r))
        }),
        route(Method::POST, "/channel/create", |n, r| {
            reply(channel_create(n, r))
        }),
        route(Method::POST, "/channel/delete", |n, r| {
            reply(channel_delete(n, r))
        }),
        route(Method::POST, "/topic/tombstone", |n, r| {
            reply(tombstone(n, r))
        }),
    ];
    // nsqlookupd reads bodies but uses none.
    Router::new(routes, 64 * 1024)
}

pub async fn serve(nsqd: Arc<Nsqd>, listener: TcpListener) {
    super::http_api::serve(nsqd, router(), listener).await;
}

fn reply(r: Result<Reply>) -> Reply {
    r.unwrap_or_else(|e| e)
}

/// How nsqlookupd describes a registered nsqd.
#[derive(Debug, Serialize)]
pub struct PeerInfo {
    pub remote_address: String,
    pub hostname: String,
    pub broadcast_address: String,
    pub tcp_port: u16,
    pub http_port: u16,
    pub version: &'static str,
}

fn peer_info(n: &Nsqd) -> PeerInfo {
    let tcp = n.tcp_addr.get().copied();
    // The address nsqlookupd would see this nsqd's connection come from.
    let ip = match tcp.map(|a| a.ip()) {
        Some(ip) if !ip.is_unspecified() => ip,
        _ => IpAddr::V4(Ipv4Addr::LOCALHOST),
    };
    let tcp_port = tcp.map(|a| a.port()).unwrap_or(0);
    PeerInfo {
        remote_address: std::net::SocketAddr::new(ip, tcp_port).to_string(),
        hostname: n.hostname.clone(),
        broadcast_address: n.opts.broadcast_address.clone(),
        tcp_port,
        http_port: n.http_addr.get().map(|a| a.port()).unwrap_or(0),
        version: NSQD_VERSION,
    }
}

fn param<'a>(r: &'a Request, key: &str, missing: &str) -> Result<&'a str> {
    if r.query.malformed {
        return Err(err(400, "INVALID_REQUEST"));
    }
    r.query.get(key).ok_or_else(|| err(400, missing))
}

/// nsqd's GetTopicChannelArgs, as nsqlookupd uses it.
fn topic_and_channel(r: &Request) -> Result<(&str, &str)> {
    let topic = param(r, "topic", "MISSING_ARG_TOPIC")?;
    if !is_valid_topic_name(topic.as_bytes()) {
        return Err(err(400, "INVALID_ARG_TOPIC"));
    }
    let channel = param(r, "channel", "MISSING_ARG_CHANNEL")?;
    if !is_valid_channel_name(channel.as_bytes()) {
        return Err(err(400, "INVALID_ARG_CHANNEL"));
    }
    Ok((topic, channel))
}

fn info(_: &Nsqd, _: &Request) -> Reply {
    #[derive(Serialize)]
    struct Info {
        version: &'static str,
    }
    Reply::json(&Info {
        version: NSQD_VERSION,
    })
}

fn lookup(n: &Nsqd, r: &Request) -> Result<Reply> {
    let topic = param(r, "topic", "MISSING_ARG_TOPIC")?;
    #[derive(Serialize)]
    struct Lookup {
        channels: Vec<String>,
        producers: Vec<PeerInfo>,
    }
    let (channels, producer) = {
        let reg = n.registry();
        if !reg.has_topic(topic) {
            return Err(err(404, "TOPIC_NOT_FOUND"));
        }
        (reg.channels(topic), reg.producer(topic))
    };
    // A tombstoned producer is hidden for the tombstone lifetime.
    let producers = producer
        .filter(|p| !p.is_tombstoned())
        .map(|_| peer_info(n))
        .into_iter()
        .collect();
    Ok(Reply::json(&Lookup {
        channels,
        producers,
    }))
}

fn topics(n: &Nsqd, _: &Request) -> Reply {
    #[derive(Serialize)]
    struct Topics {
        topics: Vec<String>,
    }
    Reply::json(&Topics {
        topics: n.registry().topics(),
    })
}

fn channels(n: &Nsqd, r: &Request) -> Result<Reply> {
    let topic = param(r, "topic", "MISSING_ARG_TOPIC")?;
    #[derive(Serialize)]
    struct Channels {
        channels: Vec<String>,
    }
    Ok(Reply::json(&Channels {
        channels: n.registry().channels(topic),
    }))
}

fn nodes(n: &Nsqd, _: &Request) -> Reply {
    #[derive(Serialize)]
    struct Nodes {
        producers: Vec<Producer>,
    }
    let (topics, tombstones) = n.registry().produced_topics().into_iter().unzip();
    let peer = peer_info(n);
    Reply::json(&Nodes {
        producers: vec![Producer {
            remote_address: peer.remote_address,
            hostname: peer.hostname,
            broadcast_address: peer.broadcast_address,
            tcp_port: peer.tcp_port,
            http_port: peer.http_port,
            version: peer.version.to_string(),
            tombstones,
            topics,
        }],
    })
}

fn topic_create(n: &Nsqd, r: &Request) -> Result<Reply> {
    let topic = param(r, "topic", "MISSING_ARG_TOPIC")?;
    if !is_valid_topic_name(topic.as_bytes()) {
        return Err(err(400, "INVALID_ARG_TOPIC"));
    }
    n.registry().create_topic(topic);
    Ok(Reply::empty())
}

fn topic_delete(n: &Nsqd, r: &Request) -> Result<Reply> {
    let topic = param(r, "topic", "MISSING_ARG_TOPIC")?;
    // Deleting an unknown topic is not an error.
    n.registry().delete_topic(topic);
    Ok(Reply::empty())
}

fn channel_create(n: &Nsqd, r: &Request) -> Result<Reply> {
    let (topic, channel) = topic_and_channel(r)?;
    n.registry().create_channel(topic, channel);
    Ok(Reply::empty())
}

fn channel_delete(n: &Nsqd, r: &Request) -> Result<Reply> {
    let (topic, channel) = topic_and_channel(r)?;
    if !n.registry().delete_channel(topic, channel) {
        return Err(err(404, "CHANNEL_NOT_FOUND"));
    }
    Ok(Reply::empty())
}

/// Tombstones this node's registration of a topic when `node` names it as
/// `<broadcast_address>:<http_port>`; anything else is quietly accepted, as nsqlookupd.
fn tombstone(n: &Nsqd, r: &Request) -> Result<Reply> {
    let topic = param(r, "topic", "MISSING_ARG_TOPIC")?;
    let node = param(r, "node", "MISSING_ARG_NODE")?;
    let me = peer_info(n);
    if node == format!("{}:{}", me.broadcast_address, me.http_port) {
        n.registry().tombstone(topic);
    }
    Ok(Reply::empty())
}

/// nsqlookupd's /debug: each registration this node produces, keyed
/// `category:key:subkey`, with the producer's details (keys sorted, as Go's maps).
fn debug(n: &Nsqd, _: &Request) -> Reply {
    let me = peer_info(n);
    let now = crate::clock::now_ns();
    // Go's zero time.Time in UnixNano, which nsqlookupd shows when not tombstoned.
    const GO_ZERO_TIME_NS: i64 = -6795364578871345152;
    let producer = |tombstoned: bool| {
        serde_json::json!({
            "broadcast_address": me.broadcast_address,
            "hostname": me.hostname,
            "http_port": me.http_port,
            "id": me.remote_address,
            "last_update": now,
            "tcp_port": me.tcp_port,
            "tombstoned": tombstoned,
            "tombstoned_at": if tombstoned { now } else { GO_ZERO_TIME_NS },
            "version": me.version,
        })
    };
    let mut out: BTreeMap<String, Vec<serde_json::Value>> = BTreeMap::new();
    out.insert("client::".into(), vec![producer(false)]);
    let reg = n.registry();
    for topic in reg.topics() {
        if let Some(p) = reg.producer(&topic) {
            out.insert(format!("topic:{topic}:"), vec![producer(p.is_tombstoned())]);
        }
        for ch in reg.channels(&topic) {
            if reg.channel_has_producer(&topic, &ch) {
                out.insert(format!("channel:{topic}:{ch}"), vec![producer(false)]);
            }
        }
    }
    Reply::json(&out)
}
