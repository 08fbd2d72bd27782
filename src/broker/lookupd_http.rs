//! nsqlookupd's HTTP API over the nodes of the embedded broker: the registrations
//! in [`super::registry`], which every node keeps up to date for itself, and each
//! node described as nsqlookupd describes a registered nsqd.

use super::http_api::{route, Reply, Request, Router};
use super::registry::{NodeId, Registration, Registry};
use crate::nsq_http::types::Producer;
use crate::protocol::names::{is_valid_channel_name, is_valid_topic_name};
use crate::protocol::NSQD_VERSION;
use hyper::Method;
use serde::Serialize;
use std::collections::BTreeMap;
use std::net::{IpAddr, Ipv4Addr, SocketAddr};
use std::sync::{Arc, Mutex, MutexGuard, OnceLock};
use tokio::net::TcpListener;

/// The embedded nsqlookupd: the registry all nodes share and, once they listen, how
/// it describes each of them (indexed by [`NodeId`]).
#[derive(Debug, Default)]
pub struct Lookupd {
    registry: Mutex<Registry>,
    peers: OnceLock<Vec<PeerInfo>>,
}

impl Lookupd {
    pub fn registry(&self) -> MutexGuard<'_, Registry> {
        self.registry.lock().unwrap_or_else(|e| e.into_inner())
    }

    /// Sets the nodes' descriptions (once, after every node is listening).
    pub fn set_peers(&self, peers: Vec<PeerInfo>) {
        let _ = self.peers.set(peers);
    }

    fn peers(&self) -> &[PeerInfo] {
        self.peers.get().map(Vec::as_slice).unwrap_or_default()
    }

    fn peer(&self, node: NodeId) -> Option<&PeerInfo> {
        self.peers().get(node)
    }

    /// The producers of a registration that /lookup shows: those not tombstoned.
    fn active_producers(&self, regs: Vec<(NodeId, Registration)>) -> Vec<PeerInfo> {
        regs.into_iter()
            .filter(|(_, r)| !r.is_tombstoned())
            .filter_map(|(n, _)| self.peer(n).cloned())
            .collect()
    }
}

type Result<T> = std::result::Result<T, Reply>;

fn err(status: u16, message: &str) -> Reply {
    Reply::error(status, message)
}

pub fn router() -> Router<Lookupd> {
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

pub async fn serve(lookupd: Arc<Lookupd>, listener: TcpListener) {
    super::http_api::serve(lookupd, router(), listener).await;
}

fn reply(r: Result<Reply>) -> Reply {
    r.unwrap_or_else(|e| e)
}

/// How nsqlookupd describes a registered nsqd.
#[derive(Debug, Clone, Serialize)]
pub struct PeerInfo {
    pub remote_address: String,
    pub hostname: String,
    pub broadcast_address: String,
    pub tcp_port: u16,
    pub http_port: u16,
    pub version: &'static str,
}

impl PeerInfo {
    /// A node listening on `tcp` and `http`, announced as `broadcast_address`.
    pub fn new(tcp: SocketAddr, http: SocketAddr, hostname: &str, broadcast_address: &str) -> Self {
        // The address nsqlookupd would see this nsqd's connection come from.
        let ip = match tcp.ip() {
            ip if !ip.is_unspecified() => ip,
            _ => IpAddr::V4(Ipv4Addr::LOCALHOST),
        };
        PeerInfo {
            remote_address: SocketAddr::new(ip, tcp.port()).to_string(),
            hostname: hostname.to_string(),
            broadcast_address: broadcast_address.to_string(),
            tcp_port: tcp.port(),
            http_port: http.port(),
            version: NSQD_VERSION,
        }
    }

    /// How /topic/tombstone's `node` names a producer: `<broadcast_address>:<http_port>`.
    fn node_name(&self) -> String {
        format!("{}:{}", self.broadcast_address, self.http_port)
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

fn info(_: &Lookupd, _: &Request) -> Reply {
    #[derive(Serialize)]
    struct Info {
        version: &'static str,
    }
    Reply::json(&Info {
        version: NSQD_VERSION,
    })
}

fn lookup(n: &Lookupd, r: &Request) -> Result<Reply> {
    let topic = param(r, "topic", "MISSING_ARG_TOPIC")?;
    #[derive(Serialize)]
    struct Lookup {
        channels: Vec<String>,
        producers: Vec<PeerInfo>,
    }
    let (channels, regs) = {
        let reg = n.registry();
        if !reg.has_topic(topic) {
            return Err(err(404, "TOPIC_NOT_FOUND"));
        }
        (reg.channels(topic), reg.producers(topic, ""))
    };
    // A tombstoned producer is hidden for the tombstone lifetime.
    Ok(Reply::json(&Lookup {
        channels,
        producers: n.active_producers(regs),
    }))
}

fn topics(n: &Lookupd, _: &Request) -> Reply {
    #[derive(Serialize)]
    struct Topics {
        topics: Vec<String>,
    }
    Reply::json(&Topics {
        topics: n.registry().topics(),
    })
}

fn channels(n: &Lookupd, r: &Request) -> Result<Reply> {
    let topic = param(r, "topic", "MISSING_ARG_TOPIC")?;
    #[derive(Serialize)]
    struct Channels {
        channels: Vec<String>,
    }
    Ok(Reply::json(&Channels {
        channels: n.registry().channels(topic),
    }))
}

/// Every node, each with the topics it produces and whether it is tombstoned for
/// each (nsqlookupd lists tombstoned producers here).
fn nodes(n: &Lookupd, _: &Request) -> Reply {
    #[derive(Serialize)]
    struct Nodes {
        producers: Vec<Producer>,
    }
    let reg = n.registry();
    let producers = n
        .peers()
        .iter()
        .enumerate()
        .map(|(node, peer)| {
            let (topics, tombstones) = reg.produced_topics(node).into_iter().unzip();
            Producer {
                remote_address: peer.remote_address.clone(),
                hostname: peer.hostname.clone(),
                broadcast_address: peer.broadcast_address.clone(),
                tcp_port: peer.tcp_port,
                http_port: peer.http_port,
                version: peer.version.to_string(),
                tombstones,
                topics,
            }
        })
        .collect();
    Reply::json(&Nodes { producers })
}

fn topic_create(n: &Lookupd, r: &Request) -> Result<Reply> {
    let topic = param(r, "topic", "MISSING_ARG_TOPIC")?;
    if !is_valid_topic_name(topic.as_bytes()) {
        return Err(err(400, "INVALID_ARG_TOPIC"));
    }
    n.registry().create_topic(topic);
    Ok(Reply::empty())
}

fn topic_delete(n: &Lookupd, r: &Request) -> Result<Reply> {
    let topic = param(r, "topic", "MISSING_ARG_TOPIC")?;
    // Deleting an unknown topic is not an error.
    n.registry().delete_topic(topic);
    Ok(Reply::empty())
}

fn channel_create(n: &Lookupd, r: &Request) -> Result<Reply> {
    let (topic, channel) = topic_and_channel(r)?;
    n.registry().create_channel(topic, channel);
    Ok(Reply::empty())
}

fn channel_delete(n: &Lookupd, r: &Request) -> Result<Reply> {
    let (topic, channel) = topic_and_channel(r)?;
    if !n.registry().delete_channel(topic, channel) {
        return Err(err(404, "CHANNEL_NOT_FOUND"));
    }
    Ok(Reply::empty())
}

/// Tombstones the topic's producers that `node` names as
/// `<broadcast_address>:<http_port>`; anything else is quietly accepted, as nsqlookupd.
fn tombstone(n: &Lookupd, r: &Request) -> Result<Reply> {
    let topic = param(r, "topic", "MISSING_ARG_TOPIC")?;
    let node = param(r, "node", "MISSING_ARG_NODE")?;
    let mut reg = n.registry();
    for (id, _) in reg.producers(topic, "") {
        if n.peer(id).is_some_and(|p| p.node_name() == node) {
            reg.tombstone(id, topic);
        }
    }
    Ok(Reply::empty())
}

/// nsqlookupd's /debug entry for one producer.
fn debug_producer(p: &PeerInfo, tombstoned: bool, now: i64) -> serde_json::Value {
    // Go's zero time.Time in UnixNano, which nsqlookupd shows when not tombstoned.
    const GO_ZERO_TIME_NS: i64 = -6795364578871345152;
    serde_json::json!({
        "broadcast_address": p.broadcast_address,
        "hostname": p.hostname,
        "http_port": p.http_port,
        "id": p.remote_address,
        "last_update": now,
        "tcp_port": p.tcp_port,
        "tombstoned": tombstoned,
        "tombstoned_at": if tombstoned { now } else { GO_ZERO_TIME_NS },
        "version": p.version,
    })
}

/// nsqlookupd's /debug: each registration with producers, keyed
/// `category:key:subkey`, with the producers' details (keys sorted, as Go's maps).
fn debug(n: &Lookupd, _: &Request) -> Reply {
    let now = crate::clock::now_ns();
    let entries = |regs: Vec<(NodeId, Registration)>| -> Vec<serde_json::Value> {
        regs.into_iter()
            .filter_map(|(id, r)| Some(debug_producer(n.peer(id)?, r.is_tombstoned(), now)))
            .collect()
    };
    let mut out: BTreeMap<String, Vec<serde_json::Value>> = BTreeMap::new();
    let clients = n.peers().iter().map(|p| debug_producer(p, false, now));
    out.insert("client::".into(), clients.collect());
    let reg = n.registry();
    for topic in reg.topics() {
        let producers = entries(reg.producers(&topic, ""));
        if !producers.is_empty() {
            out.insert(format!("topic:{topic}:"), producers);
        }
        for ch in reg.channels(&topic) {
            let producers = entries(reg.producers(&topic, &ch));
            if !producers.is_empty() {
                out.insert(format!("channel:{topic}:{ch}"), producers);
            }
        }
    }
    Reply::json(&out)
}
