//! Finding the cluster: asking every lookupd at once, merging their answers into one
//! list of nsqd nodes (with `--map-address` applied), and fanning requests out.

use super::map::{join_host_port, map_address};
use super::types::{LookupResponse, NodesResponse, Producer};
use super::{base_url, Client, HttpError};
use crate::cli::{ClusterArgs, HttpOpts};
use serde::Serialize;
use std::collections::BTreeMap;
use std::future::Future;

/// Installs `--map-address` and builds the HTTP client.
pub fn client_from(opts: &HttpOpts) -> anyhow::Result<Client> {
    super::set_address_map(super::AddressMap::new(opts.map_address.clone()));
    Client::new(opts.http_timeout)
}

/// Checks every address up front so a typo fails before anything is sent.
pub fn validate_addrs(addrs: &[String]) -> anyhow::Result<()> {
    for a in addrs {
        base_url(a)?;
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
pub fn resolve(args: &ClusterArgs) -> anyhow::Result<(Vec<String>, Vec<String>)> {
    let mut lookupds = dedup_addrs(args.lookupd_http_address.iter().cloned());
    let nsqds = dedup_addrs(args.nsqd_http_address.iter().cloned());
    if lookupds.is_empty() && nsqds.is_empty() {
        lookupds.push("localhost:4161".to_string());
    }
    validate_addrs(&lookupds)?;
    validate_addrs(&nsqds)?;
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
}

/// Merges producers from several lookupds: one node per
/// (broadcast_address, tcp_port, http_port); topics are united and a topic is
/// tombstoned if any lookupd says so. Sorted by tcp_address.
pub fn merge_producers(producers: impl IntoIterator<Item = Producer>) -> Vec<Node> {
    let mut nodes: BTreeMap<(String, u16, u16), Node> = BTreeMap::new();
    for p in producers {
        let key = (p.broadcast_address.clone(), p.tcp_port, p.http_port);
        let node = nodes.entry(key).or_insert_with(|| Node {
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

    /// Warns about each lookupd that failed; an error if none answered.
    pub fn require_one(&self, what: &str) -> anyhow::Result<()> {
        if self.answers.is_empty() && !self.failures.is_empty() {
            let errors: Vec<String> = self.failures.iter().map(|(_, e)| e.to_string()).collect();
            anyhow::bail!("no nsqlookupd answered {what}: {}", errors.join("; "));
        }
        for (_, e) in &self.failures {
            crate::output::warn(&format!("nsqlookupd did not answer, using the others: {e}"));
        }
        Ok(())
    }
}

/// `GET /nodes` on every lookupd.
pub async fn gather_nodes(client: &Client, lookupds: &[String]) -> Gathered<NodesResponse> {
    let c = client.clone();
    Gathered::from_results(
        each(lookupds, move |a| {
            let c = c.clone();
            async move { c.get_json::<NodesResponse>(&a, "/nodes", &[]).await }
        })
        .await,
    )
}

/// `GET /lookup?topic=T` on every lookupd; a 404 (topic unknown to that lookupd)
/// is an empty answer, not a failure.
pub async fn gather_lookup(
    client: &Client,
    lookupds: &[String],
    topic: &str,
) -> Gathered<Option<LookupResponse>> {
    let c = client.clone();
    let topic = topic.to_string();
    Gathered::from_results(
        each(lookupds, move |a| {
            let c = c.clone();
            let topic = topic.clone();
            async move {
                match c
                    .get_json::<LookupResponse>(&a, "/lookup", &[("topic", &topic)])
                    .await
                {
                    Ok(r) => Ok(Some(r)),
                    Err(e) if e.is_not_found() => Ok(None),
                    Err(e) => Err(e),
                }
            }
        })
        .await,
    )
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
