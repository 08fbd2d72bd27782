//! Finding the cluster: asking every lookupd at once, merging their answers into one
//! list of nsqd nodes (with `--map-address` applied), and fanning requests out.

use super::map::{join_host_port, map_address, MapRule};
use super::types::{LookupResponse, NodesResponse, NsqdStats, Producer};
use super::{base_url, check_address, display_addr, Client, ErrorKind, HttpError};
use serde::de::DeserializeOwned;
use serde::Serialize;
use std::collections::BTreeMap;
use std::future::Future;
use std::time::Duration;

/// Installs the `--map-address` rules and builds the HTTP client.
pub fn client_with_map(rules: Vec<MapRule>, timeout: Duration) -> anyhow::Result<Client> {
    super::set_address_map(super::AddressMap::new(rules));
    Client::new(timeout)
}

/// Which kind of server a node is, where both appear in one list.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "lowercase")]
pub enum Role {
    Lookupd,
    Nsqd,
}

impl Role {
    pub fn name(self) -> &'static str {
        match self {
            Role::Lookupd => "lookupd",
            Role::Nsqd => "nsqd",
        }
    }
}

/// Checks every address of `flag` up front so a typo fails before anything is
/// sent; the error is one line naming the flag, the value and the rule.
pub fn validate_addrs(flag: &str, addrs: &[String]) -> Result<(), String> {
    for a in addrs {
        check_address(flag, a)?;
    }
    Ok(())
}

/// De-duplicates addresses by their base URL, keeping the first spelling.
pub fn dedup_addrs(addrs: impl IntoIterator<Item = String>) -> Vec<String> {
    let mut seen = std::collections::HashSet::new();
    addrs
        .into_iter()
        .filter(|a| seen.insert(base_url(a).unwrap_or_else(|_| a.clone()).to_lowercase()))
        .collect()
}

/// The lookupds and nsqds to talk to: lookupd defaults to localhost:4161 only
/// when no nsqd address was given either.
/// The error is a malformed address (to be refused, exit 2).
pub fn resolve(
    lookupd_http_address: &[String],
    nsqd_http_address: &[String],
) -> Result<(Vec<String>, Vec<String>), String> {
    validate_addrs("--lookupd-http-address", lookupd_http_address)?;
    validate_addrs("--nsqd-http-address", nsqd_http_address)?;
    let mut lookupds = dedup_addrs(lookupd_http_address.iter().cloned());
    let nsqds = dedup_addrs(nsqd_http_address.iter().cloned());
    if lookupds.is_empty() && nsqds.is_empty() {
        lookupds.push("localhost:4161".to_string());
    }
    Ok((lookupds, nsqds))
}

/// Runs `f` for every address concurrently; results keep the input order.
pub async fn each<T, F, Fut>(addrs: &[String], f: F) -> Vec<(String, T)>
where
    F: Fn(String) -> Fut,
    Fut: Future<Output = T> + Send + 'static,
    T: Send + 'static,
{
    let handles: Vec<_> = addrs
        .iter()
        .map(|a| (a.clone(), tokio::spawn(f(a.clone()))))
        .collect();
    let mut out = Vec::with_capacity(handles.len());
    for (a, h) in handles {
        match h.await {
            Ok(v) => out.push((a, v)),
            Err(e) => std::panic::resume_unwind(e.into_panic()),
        }
    }
    out
}

/// An nsqd node as the lookupds describe it, merged across lookupds.
#[derive(Debug, Clone, Serialize, PartialEq, Eq)]
pub struct Node {
    /// `broadcast_address:http_port` after `--map-address`: the node's name in
    /// every command (what `node tombstone` takes).
    pub node: String,
    pub hostname: String,
    pub broadcast_address: String,
    pub tcp_port: u16,
    pub http_port: u16,
    pub version: String,
    /// `broadcast_address:tcp_port` after `--map-address`: where clients connect.
    pub tcp_address: String,
    /// `broadcast_address:http_port` after `--map-address`: where we send HTTP.
    pub http_address: String,
    /// Topics with their tombstone flag (from `/nodes`; empty from `/lookup`).
    pub topics: Vec<NodeTopic>,
}

#[derive(Debug, Clone, Serialize, PartialEq, Eq)]
pub struct NodeTopic {
    pub topic: String,
    pub tombstoned: bool,
}

impl Node {
    /// The name lookupd uses for this node in `/topic/tombstone` (unmapped).
    pub fn lookupd_node_name(&self) -> String {
        join_host_port(&self.broadcast_address, self.http_port)
    }

    /// Whether `addr` names this node: its TCP or HTTP address, as announced
    /// (`broadcast_address:port`) or after `--map-address`.
    pub fn is_named(&self, addr: &str) -> bool {
        let addr = display_addr(addr);
        [
            self.lookupd_node_name(),
            join_host_port(&self.broadcast_address, self.tcp_port),
            self.tcp_address.clone(),
            self.http_address.clone(),
        ]
        .iter()
        .any(|n| n.eq_ignore_ascii_case(&addr))
    }
}

/// Merges producers from several lookupds: one node per
/// (broadcast_address, tcp_port, http_port); topics are united and a topic is
/// tombstoned if any lookupd says so. Sorted by tcp_address.
pub fn merge_producers(producers: impl IntoIterator<Item = Producer>) -> Vec<Node> {
    let mut nodes: BTreeMap<(String, u16, u16), Node> = BTreeMap::new();
    for p in producers {
        let key = (p.broadcast_address.clone(), p.tcp_port, p.http_port);
        let node = nodes.entry(key).or_insert_with(|| Node {
            node: map_address(&join_host_port(&p.broadcast_address, p.http_port)),
            hostname: p.hostname.clone(),
            broadcast_address: p.broadcast_address.clone(),
            tcp_port: p.tcp_port,
            http_port: p.http_port,
            version: p.version.clone(),
            tcp_address: map_address(&join_host_port(&p.broadcast_address, p.tcp_port)),
            http_address: map_address(&join_host_port(&p.broadcast_address, p.http_port)),
            topics: Vec::new(),
        });
        for (i, t) in p.topics.iter().enumerate() {
            let tomb = p.tombstones.get(i).copied().unwrap_or(false);
            match node.topics.iter_mut().find(|nt| &nt.topic == t) {
                Some(nt) => nt.tombstoned |= tomb,
                None => node.topics.push(NodeTopic {
                    topic: t.clone(),
                    tombstoned: tomb,
                }),
            }
        }
    }
    let mut out: Vec<Node> = nodes.into_values().collect();
    for n in &mut out {
        n.topics.sort_by(|a, b| a.topic.cmp(&b.topic));
    }
    out.sort_by(|a, b| a.tcp_address.cmp(&b.tcp_address));
    out
}

/// Answers of several lookupds: who answered what, who failed.
pub struct Gathered<T> {
    pub answers: Vec<(String, T)>,
    pub failures: Vec<(String, HttpError)>,
}

impl<T> Gathered<T> {
    pub fn from_results(results: Vec<(String, Result<T, HttpError>)>) -> Gathered<T> {
        let mut g = Gathered {
            answers: Vec::new(),
            failures: Vec::new(),
        };
        for (a, r) in results {
            match r {
                Ok(v) => g.answers.push((a, v)),
                Err(e) => g.failures.push((a, e)),
            }
        }
        g
    }

    /// An error if none answered, or if one is not an nsqlookupd at all (a
    /// wrong address is not an outage to work around: acting on the others would
    /// skip or misdirect a step); otherwise a warning for each lookupd that
    /// failed, for the caller to show.
    pub fn require_one(&self, what: &str) -> anyhow::Result<Vec<String>> {
        if let Some((_, e)) = self
            .failures
            .iter()
            .find(|(_, e)| e.kind == ErrorKind::NotLookupd)
        {
            anyhow::bail!("{e}");
        }
        if self.answers.is_empty() && !self.failures.is_empty() {
            let errors: Vec<String> = self.failures.iter().map(|(_, e)| e.to_string()).collect();
            anyhow::bail!("no nsqlookupd answered {what}: {}", errors.join("; "));
        }
        Ok(self
            .failures
            .iter()
            .map(|(_, e)| format!("nsqlookupd did not answer, using the others: {e}"))
            .collect())
    }
}

/// `GET path` on one lookupd. `None` is nsqlookupd's own 404 `TOPIC_NOT_FOUND`;
/// any other 404 means the address is not an nsqlookupd at all (nsqd's HTTP port,
/// some web server), which is said as such.
pub async fn lookupd_get<T: DeserializeOwned>(
    client: &Client,
    addr: &str,
    path: &str,
    query: &[(&str, &str)],
) -> Result<Option<T>, HttpError> {
    match client.get_json::<T>(addr, path, query).await {
        Ok(v) => Ok(Some(v)),
        Err(e) => match e.status() {
            Some((404, m)) if m.contains("TOPIC_NOT_FOUND") => Ok(None),
            Some((404, _)) => Err(not_lookupd(addr, path)),
            _ => Err(e),
        },
    }
}

/// The one wording of "this address answered 404 for a path every nsqlookupd
/// serves": it is not an nsqlookupd (nsqd's HTTP port, some web server).
pub fn not_lookupd(addr: &str, path: &str) -> HttpError {
    HttpError {
        kind: ErrorKind::NotLookupd,
        request: String::new(),
        detail: format!(
            "{} is not an nsqlookupd: GET {path} answered 404 \
             (nsqlookupd's HTTP port is usually 4161)",
            display_addr(addr)
        ),
    }
}

/// `GET path?query` on every lookupd at once (see [`lookupd_get`]).
pub async fn gather<T>(
    client: &Client,
    lookupds: &[String],
    path: &'static str,
    query: &[(&str, &str)],
) -> Gathered<Option<T>>
where
    T: DeserializeOwned + Send + 'static,
{
    let c = client.clone();
    let query: Vec<(String, String)> = query
        .iter()
        .map(|(k, v)| (k.to_string(), v.to_string()))
        .collect();
    Gathered::from_results(
        each(lookupds, move |a| {
            let c = c.clone();
            let query = query.clone();
            async move {
                let q: Vec<(&str, &str)> = query
                    .iter()
                    .map(|(k, v)| (k.as_str(), v.as_str()))
                    .collect();
                lookupd_get::<T>(&c, &a, path, &q).await
            }
        })
        .await,
    )
}

/// `GET /nodes` on every lookupd.
pub async fn gather_nodes(client: &Client, lookupds: &[String]) -> Gathered<NodesResponse> {
    let g = gather::<NodesResponse>(client, lookupds, "/nodes", &[]).await;
    Gathered {
        answers: g
            .answers
            .into_iter()
            .map(|(a, r)| (a, r.unwrap_or_default()))
            .collect(),
        failures: g.failures,
    }
}

/// `GET /lookup?topic=T` on every lookupd; `None` where that lookupd does not
/// know the topic.
pub async fn gather_lookup(
    client: &Client,
    lookupds: &[String],
    topic: &str,
) -> Gathered<Option<LookupResponse>> {
    gather(client, lookupds, "/lookup", &[("topic", topic)]).await
}

/// Every nsqd the lookupds know, merged.
pub fn nodes_of(g: &Gathered<NodesResponse>) -> Vec<Node> {
    merge_producers(
        g.answers
            .iter()
            .flat_map(|(_, r)| r.producers.iter().cloned()),
    )
}

/// The nsqds holding a topic per the lookupds, merged.
pub fn producers_of(g: &Gathered<Option<LookupResponse>>) -> Vec<Node> {
    merge_producers(
        g.answers
            .iter()
            .filter_map(|(_, r)| r.as_ref())
            .flat_map(|r| r.producers.iter().cloned()),
    )
}

/// nsqd HTTP addresses: the nodes' (mapped) ones, then the given ones, de-duplicated.
pub fn nsqd_http_addrs(nodes: &[Node], given: &[String]) -> Vec<String> {
    dedup_addrs(
        nodes
            .iter()
            .map(|n| n.http_address.clone())
            .chain(given.iter().cloned()),
    )
}

/// What to ask every nsqd's `/stats` for.
#[derive(Debug, Clone, Default)]
pub struct StatsQuery {
    /// Sent to nsqd: only this topic.
    pub topic: Option<String>,
    /// Picked here from the topic's channels: nsqd leaves out a topic lacking
    /// the channel asked for, and a missing channel would read as a missing topic.
    pub channel: Option<String>,
    /// Each channel's clients and the node's producers.
    pub include_clients: bool,
}

/// `GET /stats?format=json` of one nsqd, without memory figures; clients, one
/// topic and one channel as `query` asks.
pub async fn node_stats(
    client: &Client,
    addr: &str,
    query: &StatsQuery,
) -> Result<NsqdStats, HttpError> {
    let clients = if query.include_clients {
        "true"
    } else {
        "false"
    };
    let mut q = vec![
        ("format", "json"),
        ("include_clients", clients),
        ("include_mem", "false"),
    ];
    if let Some(t) = &query.topic {
        q.push(("topic", t));
    }
    let mut stats = client.get_json::<NsqdStats>(addr, "/stats", &q).await?;
    if let Some(ch) = &query.channel {
        for t in &mut stats.topics {
            t.channels.retain(|c| &c.channel_name == ch);
        }
    }
    Ok(stats)
}

/// [`node_stats`] of every nsqd at once; results keep the input order.
pub async fn fetch_stats(
    client: &Client,
    nsqds: &[String],
    query: &StatsQuery,
) -> Vec<(String, Result<NsqdStats, HttpError>)> {
    let c = client.clone();
    let query = query.clone();
    each(nsqds, move |a| {
        let (c, query) = (c.clone(), query.clone());
        async move { node_stats(&c, &a, &query).await }
    })
    .await
}

#[cfg(test)]
mod tests {
    use super::*;

    fn producer(addr: &str, tcp: u16, http: u16, topics: &[(&str, bool)]) -> Producer {
        Producer {
            remote_address: String::new(),
            hostname: format!("host-{addr}"),
            broadcast_address: addr.to_string(),
            tcp_port: tcp,
            http_port: http,
            version: "1.3.0".to_string(),
            tombstones: topics.iter().map(|t| t.1).collect(),
            topics: topics.iter().map(|t| t.0.to_string()).collect(),
        }
    }

    #[test]
    fn merges_nodes_across_lookupds() {
        let nodes = merge_producers([
            producer("b", 4150, 4151, &[("t", false)]),
            producer("a", 4150, 4151, &[("t", false), ("u", false)]),
            producer("b", 4150, 4151, &[("t", true), ("v", false)]),
        ]);
        assert_eq!(nodes.len(), 2);
        assert_eq!(nodes[0].tcp_address, "a:4150");
        assert_eq!(nodes[1].http_address, "b:4151");
        assert_eq!(
            nodes[1].topics,
            [
                NodeTopic {
                    topic: "t".into(),
                    tombstoned: true
                },
                NodeTopic {
                    topic: "v".into(),
                    tombstoned: false
                }
            ]
        );
        assert_eq!(nodes[1].lookupd_node_name(), "b:4151");
        assert_eq!(nodes[1].node, "b:4151");
        for name in ["b:4151", "b:4150", "http://b:4151/", "B:4150"] {
            assert!(nodes[1].is_named(name), "{name}");
        }
        assert!(!nodes[1].is_named("a:4150"));
    }

    #[test]
    fn addresses_dedup_by_url() {
        assert_eq!(
            dedup_addrs([
                "127.0.0.1:4151".to_string(),
                "http://127.0.0.1:4151/".to_string(),
                "127.0.0.1:4152".to_string()
            ]),
            ["127.0.0.1:4151", "127.0.0.1:4152"]
        );
    }
}
