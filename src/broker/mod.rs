//! The embedded broker behind `nsq-cli dev`: one or more in-memory nsqd nodes (TCP
//! protocol V2 and HTTP API each) plus nsqlookupd's HTTP API describing them all. It
//! follows nsqd v1.3.0's behaviour, error texts and JSON field names so that any NSQ
//! client works.

pub mod auth;
pub mod channel;
pub mod client;
pub mod http;
pub mod http_api;
pub mod lookupd_http;
pub mod registry;
pub mod stats;
pub mod store;
pub mod tcp;
pub mod topic;

use crate::clock::now_ns;
use crate::protocol::{Message, MessageId};
use client::Client;
use lookupd_http::{Lookupd, PeerInfo};
use registry::{NodeId, Registry};
use std::collections::{BTreeMap, HashMap};
use std::net::SocketAddr;
use std::sync::atomic::{AtomicBool, AtomicU64, Ordering};
use std::sync::{Arc, Mutex, MutexGuard, OnceLock};
use std::time::{Duration, Instant};
use tokio::net::TcpListener;
use topic::Topic;

/// Limits and defaults, named and valued as nsqd's flags.
#[derive(Debug, Clone)]
pub struct Options {
    /// Node 0's addresses; see [`node_address`] for the others'.
    pub tcp_address: String,
    pub http_address: String,
    pub lookupd_http_address: String,
    /// How many nsqd nodes to run, all registered with the one lookupd.
    pub nodes: usize,
    pub broadcast_address: String,
    pub max_msg_size: i64,
    pub max_body_size: i64,
    pub max_rdy_count: i64,
    pub max_req_timeout: Duration,
    pub msg_timeout: Duration,
    pub max_msg_timeout: Duration,
    pub max_heartbeat_interval: Duration,
    /// Heartbeat interval for clients that don't ask for one (nsqd: client-timeout / 2).
    pub heartbeat_interval: Duration,
    pub output_buffer_timeout: Duration,
    pub min_output_buffer_timeout: Duration,
    pub max_output_buffer_timeout: Duration,
    pub max_output_buffer_size: i64,
    pub max_deflate_level: i64,
    /// TLS for clients that ask for it in IDENTIFY (--tls-cert/--tls-key).
    pub tls: Option<Arc<rustls::ServerConfig>>,
    /// Refuse every command but IDENTIFY until the connection is upgraded to TLS.
    pub tls_required: bool,
    /// Auth servers asked on AUTH (--auth-http-address); empty: AUTH is disabled.
    pub auth_http_addresses: Vec<String>,
    /// Messages kept in memory per topic and per channel; the rest go to disk.
    pub mem_queue_size: usize,
    /// Where queues are kept, and saved on a clean stop (None: a temporary directory).
    pub data_path: Option<std::path::PathBuf>,
    /// Where the broker reports what only its operator should see.
    pub events: EventHook,
}

/// Something the broker's operator may want to know (the broker never prints).
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Event {
    /// An auth server query failed; clients only see "AUTH failed".
    AuthFailed(String),
    /// A queue file could not be read: renamed `.bad`, its messages skipped.
    BadQueueFile(store::BadFile),
}

impl std::fmt::Display for Event {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match self {
            Event::AuthFailed(e) => write!(f, "nsq-cli dev: AUTH failed {e}"),
            Event::BadQueueFile(b) => write!(
                f,
                "nsq-cli dev: cannot read queue file ({}); renamed {} and skipped its messages",
                b.error,
                b.renamed.display()
            ),
        }
    }
}

/// A callback for [`Event`]s; the default drops them.
#[derive(Clone, Default)]
pub struct EventHook(Option<Arc<dyn Fn(Event) + Send + Sync>>);

impl EventHook {
    pub fn new(f: impl Fn(Event) + Send + Sync + 'static) -> EventHook {
        EventHook(Some(Arc::new(f)))
    }

    pub fn emit(&self, e: Event) {
        if let Some(f) = &self.0 {
            f(e)
        }
    }
}

impl std::fmt::Debug for EventHook {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(if self.0.is_some() {
            "EventHook(set)"
        } else {
            "EventHook(none)"
        })
    }
}

impl Default for Options {
    fn default() -> Self {
        Options {
            tcp_address: "127.0.0.1:4150".into(),
            http_address: "127.0.0.1:4151".into(),
            lookupd_http_address: "127.0.0.1:4161".into(),
            nodes: 1,
            broadcast_address: "127.0.0.1".into(),
            max_msg_size: 1024 * 1024,
            max_body_size: 5 * 1024 * 1024,
            max_rdy_count: 2500,
            max_req_timeout: Duration::from_secs(3600),
            msg_timeout: Duration::from_secs(60),
            max_msg_timeout: Duration::from_secs(15 * 60),
            max_heartbeat_interval: Duration::from_secs(60),
            heartbeat_interval: Duration::from_secs(30),
            output_buffer_timeout: Duration::from_millis(250),
            min_output_buffer_timeout: Duration::from_millis(25),
            max_output_buffer_timeout: Duration::from_secs(30),
            max_output_buffer_size: 64 * 1024,
            max_deflate_level: 6,
            tls: None,
            tls_required: false,
            auth_http_addresses: Vec::new(),
            mem_queue_size: 10000,
            data_path: None,
            events: EventHook::default(),
        }
    }
}

/// Shared state of one nsqd node of the broker.
#[derive(Debug)]
pub struct Nsqd {
    pub opts: Options,
    topics: Mutex<BTreeMap<String, Arc<Topic>>>,
    /// Which node this is: its identity as a producer in the lookupd registry.
    pub node: NodeId,
    lookupd: Arc<Lookupd>,
    clients: Mutex<HashMap<u64, Arc<Client>>>,
    next_client_id: AtomicU64,
    next_message_id: AtomicU64,
    pub start_time: i64,
    pub hostname: String,
    pub tcp_addr: OnceLock<SocketAddr>,
    pub http_addr: OnceLock<SocketAddr>,
    pub store: Arc<store::Store>,
    /// Set by [`Nsqd::close`]: topics created from then on refuse messages.
    exiting: AtomicBool,
    /// The last publish's write error, cleared by the next accepted publish (nsqd's health).
    health: Mutex<Option<String>>,
}

fn lock<T>(m: &Mutex<T>) -> MutexGuard<'_, T> {
    m.lock().unwrap_or_else(|e| e.into_inner())
}

impl Nsqd {
    /// Node `node`, registering its topics and channels with `lookupd`, its
    /// queues beyond memory in `store`.
    pub fn new(
        opts: Options,
        lookupd: Arc<Lookupd>,
        node: NodeId,
        store: Arc<store::Store>,
    ) -> Arc<Nsqd> {
        let now_ms = (now_ns() / 1_000_000) as u64;
        Arc::new(Nsqd {
            opts,
            topics: Mutex::new(BTreeMap::new()),
            node,
            lookupd,
            clients: Mutex::new(HashMap::new()),
            next_client_id: AtomicU64::new(1),
            // Time-ordered ids like nsqd's: milliseconds in the high bits.
            next_message_id: AtomicU64::new(now_ms << 22),
            start_time: now_ns() / 1_000_000_000,
            hostname: gethostname::gethostname().to_string_lossy().into_owned(),
            tcp_addr: OnceLock::new(),
            http_addr: OnceLock::new(),
            store,
            exiting: AtomicBool::new(false),
            health: Mutex::new(None),
        })
    }

    pub fn registry(&self) -> MutexGuard<'_, Registry> {
        self.lookupd.registry()
    }

    pub fn new_message(&self, body: bytes::Bytes) -> Message {
        Message {
            id: MessageId::from_u64(self.next_message_id.fetch_add(1, Ordering::Relaxed)),
            timestamp: now_ns(),
            attempts: 0,
            body,
        }
    }

    /// Publishes to `topic`; a write error (disk full) makes the node unhealthy
    /// until a publish is accepted again, as nsqd's SetHealth.
    pub fn put(
        &self,
        topic: &Topic,
        msgs: Vec<Message>,
        defer: Duration,
    ) -> Result<(), topic::PutError> {
        let r = topic.put(msgs, defer);
        match &r {
            Ok(()) => *lock(&self.health) = None,
            Err(e @ topic::PutError::Write(_)) => *lock(&self.health) = Some(e.to_string()),
            Err(topic::PutError::Exiting) => {}
        }
        r
    }

    /// nsqd's health text: `OK`, or `NOK - <the last write error>`.
    pub fn health(&self) -> String {
        match &*lock(&self.health) {
            Some(e) => format!("NOK - {e}"),
            None => "OK".into(),
        }
    }

    pub fn is_healthy(&self) -> bool {
        lock(&self.health).is_none()
    }

    pub fn next_client_id(&self) -> u64 {
        self.next_client_id.fetch_add(1, Ordering::Relaxed)
    }

    pub fn add_client(&self, c: Arc<Client>) {
        lock(&self.clients).insert(c.id, c);
    }

    pub fn remove_client(&self, id: u64) {
        lock(&self.clients).remove(&id);
        // Its buffers are freed: give them back too.
        store::want_release();
    }

    pub fn clients(&self) -> Vec<Arc<Client>> {
        let mut v: Vec<_> = lock(&self.clients).values().cloned().collect();
        v.sort_by_key(|c| c.id);
        v
    }

    /// Returns the topic, creating it (and the channels lookupd still lists for it,
    /// as nsqd does) when it does not exist.
    pub fn get_topic(&self, name: &str) -> Arc<Topic> {
        self.get_topic_with(name, true)
    }

    /// [`get_topic`](Self::get_topic); `from_lookupd` false while restoring saved
    /// queues (as nsqd's GetTopic while loading): the channels lookupd lists may
    /// be other nodes' and this node's own come from its saved metadata.
    fn get_topic_with(&self, name: &str, from_lookupd: bool) -> Arc<Topic> {
        let mut topics = lock(&self.topics);
        if let Some(t) = topics.get(name) {
            return t.clone();
        }
        let t = Arc::new(Topic::new(name, self.store.clone()));
        if self.exiting.load(Ordering::SeqCst) {
            t.refuse_puts();
        }
        topics.insert(name.to_string(), t.clone());
        drop(topics);
        let restore: Vec<String> = {
            let mut reg = self.registry();
            reg.register_topic(self.node, name);
            if from_lookupd {
                reg.channels(name)
            } else {
                Vec::new()
            }
        };
        for ch in restore {
            if !crate::protocol::names::is_ephemeral(&ch) {
                self.get_channel(&t, &ch);
            }
        }
        t
    }

    pub fn topic(&self, name: &str) -> Option<Arc<Topic>> {
        lock(&self.topics).get(name).cloned()
    }

    pub fn topics(&self) -> Vec<Arc<Topic>> {
        lock(&self.topics).values().cloned().collect()
    }

    /// Returns the channel, creating and registering it if needed.
    pub fn get_channel(&self, topic: &Arc<Topic>, name: &str) -> Option<Arc<channel::Channel>> {
        let (ch, created) = topic.get_or_create_channel(name)?;
        if created {
            self.registry()
                .register_channel(self.node, &topic.name, name);
        }
        Some(ch)
    }

    pub fn delete_topic(&self, name: &str) -> bool {
        let t = lock(&self.topics).remove(name);
        match t {
            Some(t) => {
                t.delete();
                self.registry().unregister_topic(self.node, name);
                true
            }
            None => false,
        }
    }

    pub fn delete_channel(&self, topic: &Arc<Topic>, name: &str) -> bool {
        if !topic.delete_channel(name) {
            return false;
        }
        self.registry()
            .unregister_channel(self.node, &topic.name, name);
        self.delete_ephemeral_topic_if_unused(topic);
        true
    }

    /// A client left `ch`: an ephemeral channel with no clients goes away, and an
    /// ephemeral topic with no channels after it.
    pub fn client_left(&self, topic: &Arc<Topic>, ch: &Arc<channel::Channel>, client_id: u64) {
        if ch.remove_client(client_id) && topic.remove_if_unused(ch) {
            self.registry()
                .unregister_channel(self.node, &topic.name, &ch.name);
            self.delete_ephemeral_topic_if_unused(topic);
        }
    }

    fn delete_ephemeral_topic_if_unused(&self, topic: &Arc<Topic>) {
        if !topic.ephemeral || topic.channel_count() > 0 {
            return;
        }
        let mut topics = lock(&self.topics);
        if topics
            .get(&topic.name)
            .is_some_and(|t| Arc::ptr_eq(t, topic))
        {
            topics.remove(&topic.name);
            drop(topics);
            topic.delete();
            self.registry().unregister_topic(self.node, &topic.name);
        }
    }

    /// Requeues timed-out messages and releases deferred ones, across all channels.
    fn scan(&self) {
        let now = Instant::now();
        for t in self.topics() {
            for c in t.channels() {
                c.scan(now);
            }
        }
        for b in self.store.take_bad_files() {
            self.opts.events.emit(Event::BadQueueFile(b));
        }
    }

    pub fn shutdown(&self) {
        for c in self.clients() {
            c.close();
        }
    }

    /// Recreates the topics and channels a clean stop saved (`meta`, from
    /// [`store::Store::load_metadata`]) with their messages and paused states.
    /// Err: a queue could not be read back; its files are left as they were and
    /// [`close`](Self::close) saves the others again.
    fn restore(&self, meta: Option<store::Metadata>) -> std::io::Result<()> {
        let Some(meta) = meta else {
            return Ok(());
        };
        self.restore_topics(meta);
        match self.store.take_restore_error() {
            Some(e) => Err(e),
            None => Ok(()),
        }
    }

    fn restore_topics(&self, meta: store::Metadata) {
        for tm in meta.topics {
            let t = self.get_topic_with(&tm.name, false);
            t.set_paused(tm.paused);
            for cm in tm.channels {
                if let Some(c) = self.get_channel(&t, &cm.name) {
                    c.set_paused(cm.paused);
                }
            }
        }
    }

    /// Stops: disconnects clients, refuses further publishing and, with
    /// `--data-path`, saves every queued, deferred and in-flight message (as nsqd
    /// does on exit); without it removes the temporary directory.
    pub fn close(&self) -> std::io::Result<()> {
        self.exiting.store(true, Ordering::SeqCst);
        self.shutdown();
        let now = Instant::now();
        let mut meta = store::Metadata::default();
        let mut result = Ok(());
        for t in self.topics() {
            if !t.ephemeral {
                meta.topics.push(t.metadata());
            }
            if let Err(e) = t.save(now) {
                result = result.and(Err(e));
            }
        }
        if self.store.durable {
            result = result.and(self.store.save_metadata(&meta));
        } else {
            self.store.remove_temporary();
        }
        result
    }
}

/// One running nsqd node: its shared state and the addresses it listens on.
pub struct RunningNode {
    pub nsqd: Arc<Nsqd>,
    pub tcp_addr: SocketAddr,
    pub http_addr: SocketAddr,
}

/// A running broker: its nodes (node 0 first) and its lookupd's address.
pub struct Running {
    pub nodes: Vec<RunningNode>,
    pub lookupd_http_addr: SocketAddr,
}

/// Node `node`'s address given node 0's `base` (`host:port`): the same host, the
/// port plus 2 x `node` (4150, 4152, 4154... for TCP; 4151, 4153... for HTTP), so
/// that each node's TCP and HTTP ports sit side by side as nsqd's defaults do. Port
/// 0 stays 0: every node gets a free port. Err: the port is not a number, or the
/// sum is beyond 65535.
pub fn node_address(base: &str, node: NodeId) -> Result<String, String> {
    if node == 0 {
        return Ok(base.to_string());
    }
    let (host, port) = base
        .rsplit_once(':')
        .ok_or_else(|| format!("{base:?} has no :port"))?;
    let port: u16 = port
        .parse()
        .map_err(|_| format!("{base:?}: port {port:?} is not a number"))?;
    if port == 0 {
        return Ok(base.to_string());
    }
    let p = port as usize + 2 * node;
    u16::try_from(p)
        .map(|p| format!("{host}:{p}"))
        .map_err(|_| format!("node {node}'s port would be {p}, beyond 65535"))
}

/// Every node's (TCP, HTTP) address by [`node_address`]; Err names the flag and the
/// value when one can't be had or when two nodes (or a node and lookupd) would
/// share an address.
pub fn node_addresses(o: &Options) -> Result<Vec<(String, String)>, String> {
    let mut taken = vec![(
        "--lookupd-http-address".to_string(),
        o.lookupd_http_address.clone(),
    )];
    let mut out = Vec::with_capacity(o.nodes);
    for node in 0..o.nodes.max(1) {
        let mut pick = |flag: &'static str, base: &str| -> Result<String, String> {
            let addr = node_address(base, node)
                .map_err(|e| format!("--nodes {}: {flag} {base}: {e}", o.nodes))?;
            let fixed = !addr.ends_with(":0");
            if let Some((other, _)) = taken.iter().find(|(_, a)| fixed && *a == addr) {
                return Err(format!(
                    "--nodes {}: node {node}'s {flag} would be {addr}, already taken by {other}; \
                     nodes take ports +2 each from --tcp-address and --http-address",
                    o.nodes
                ));
            }
            taken.push((format!("node {node}'s {flag}"), addr.clone()));
            Ok(addr)
        };
        out.push((
            pick("--tcp-address", &o.tcp_address)?,
            pick("--http-address", &o.http_address)?,
        ));
    }
    Ok(out)
}

async fn bind(what: &str, addr: &str) -> anyhow::Result<TcpListener> {
    TcpListener::bind(addr)
        .await
        .map_err(|e| anyhow::anyhow!("cannot listen on {addr} for {what}: {e}"))
}

/// Which node a listener is for, in bind errors (nothing for a single node).
fn node_suffix(nodes: usize, node: NodeId) -> String {
    if nodes > 1 {
        format!(", node {node}")
    } else {
        String::new()
    }
}

/// Binds every node's TCP and HTTP listeners, in node order.
async fn bind_nodes(opts: &Options) -> anyhow::Result<Vec<(TcpListener, TcpListener)>> {
    let addrs = node_addresses(opts).map_err(anyhow::Error::msg)?;
    let mut out = Vec::with_capacity(addrs.len());
    for (node, (tcp, http)) in addrs.iter().enumerate() {
        let n = node_suffix(addrs.len(), node);
        out.push((
            bind(&format!("nsqd TCP (--tcp-address{n})"), tcp).await?,
            bind(&format!("nsqd HTTP (--http-address{n})"), http).await?,
        ));
    }
    Ok(out)
}

/// Runs one node's servers and its scanner (requeues timed-out messages, releases
/// deferred ones) in background tasks.
fn serve_node(nsqd: &Arc<Nsqd>, tcp: TcpListener, http: TcpListener) {
    tokio::spawn(tcp::serve(nsqd.clone(), tcp));
    tokio::spawn(http::serve(nsqd.clone(), http));
    let scanner = Arc::downgrade(nsqd);
    tokio::spawn(async move {
        let mut tick = tokio::time::interval(Duration::from_millis(20));
        tick.set_missed_tick_behavior(tokio::time::MissedTickBehavior::Delay);
        loop {
            tick.tick().await;
            match scanner.upgrade() {
                Some(n) => n.scan(),
                None => return,
            }
            store::release_memory_if_wanted();
        }
    });
}

/// Node `node`'s store: in `--data-path` itself for a single node, in its
/// `node-<i>` folder when there are several.
fn open_store(opts: &Options, node: NodeId) -> anyhow::Result<Arc<store::Store>> {
    let dir = opts.data_path.as_deref().map(|d| match opts.nodes {
        0 | 1 => d.to_path_buf(),
        _ => d.join(format!("node-{node}")),
    });
    Ok(Arc::new(store::Store::open(
        dir.as_deref(),
        opts.mem_queue_size,
    )?))
}

/// Opens every node's store and reads back its saved queues before any node
/// serves. If one fails, the nodes already read back are closed again (which saves
/// their queues back) so that a failed start loses nothing.
fn open_nodes(opts: &Options, lookupd: &Arc<Lookupd>) -> anyhow::Result<Vec<Arc<Nsqd>>> {
    if let Some(dir) = &opts.data_path {
        check_layout(dir, opts.nodes.max(1))?;
    }
    let mut nodes: Vec<Arc<Nsqd>> = Vec::with_capacity(opts.nodes.max(1));
    for node in 0..opts.nodes.max(1) {
        let store = match open_store(opts, node) {
            Ok(s) => s,
            Err(e) => return Err(give_back(&nodes, e)),
        };
        let nsqd = Nsqd::new(opts.clone(), lookupd.clone(), node, store);
        // Unreadable metadata: nothing of this node was touched, nothing to save.
        let meta = match nsqd.store.load_metadata() {
            Ok(m) => m,
            Err(e) => return Err(give_back(&nodes, restore_error(&nsqd, e))),
        };
        nodes.push(nsqd.clone());
        if let Err(e) = nsqd.restore(meta) {
            return Err(give_back(&nodes, restore_error(&nsqd, e)));
        }
    }
    Ok(nodes)
}

/// Refuses a `--data-path` saved by a different number of nodes (one node keeps
/// its queues in DIR itself, several in DIR/node-<i>), which would hide them.
fn check_layout(dir: &std::path::Path, nodes: usize) -> anyhow::Result<()> {
    let saved_nodes: Vec<usize> = std::fs::read_dir(dir)
        .into_iter()
        .flatten()
        .flatten()
        .filter_map(|e| {
            let name = e.file_name().to_string_lossy().into_owned();
            let i: usize = name.strip_prefix("node-")?.parse().ok()?;
            store::saved_in(&e.path()).then_some(i)
        })
        .collect();
    let d = dir.display();
    let hint = "start with the --nodes it was saved with, or move them away";
    if nodes > 1 && store::saved_in(dir) {
        anyhow::bail!(
            "--data-path {d} holds the queues of a single node, not --nodes {nodes}: {hint}"
        );
    }
    if nodes == 1 && !saved_nodes.is_empty() {
        anyhow::bail!(
            "--data-path {d} holds the queues of several nodes (in {d}/node-<i>), not one: {hint}"
        );
    }
    if let Some(k) = saved_nodes.iter().copied().filter(|&k| k >= nodes).max() {
        anyhow::bail!(
            "--data-path {d} holds the queues of node {k} ({d}/node-{k}), beyond --nodes {nodes}: {hint}"
        );
    }
    Ok(())
}

fn restore_error(nsqd: &Nsqd, e: std::io::Error) -> anyhow::Error {
    anyhow::anyhow!(
        "cannot read the queues saved in {}: {}",
        nsqd.store.describe(),
        crate::error::describe_io(&e)
    )
}

/// Closes `nodes` (saving what they read back) after a failed start; `e` is the
/// failure, with any failure to save added to it.
fn give_back(nodes: &[Arc<Nsqd>], e: anyhow::Error) -> anyhow::Error {
    let mut msg = e.to_string();
    for n in nodes {
        if let Err(ce) = n.close() {
            msg.push_str(&format!(
                "; and cannot save the queues back in {}: {}",
                n.store.describe(),
                crate::error::describe_io(&ce)
            ));
        }
    }
    anyhow::Error::msg(msg)
}

/// Binds all listeners and reads back every node's saved queues (failing before
/// anything runs if one can't be had), then serves in background tasks:
/// `opts.nodes` nsqd nodes and the lookupd they share.
pub async fn start(opts: Options) -> anyhow::Result<Running> {
    let listeners = bind_nodes(&opts).await?;
    let lookupd_listener = bind(
        "nsqlookupd HTTP (--lookupd-http-address)",
        &opts.lookupd_http_address,
    )
    .await?;
    let lookupd = Arc::new(Lookupd::default());
    let opened = open_nodes(&opts, &lookupd)?;
    let mut nodes = Vec::with_capacity(listeners.len());
    let mut peers = Vec::with_capacity(listeners.len());
    for (nsqd, (tcp, http)) in opened.into_iter().zip(listeners) {
        let (tcp_addr, http_addr) = (tcp.local_addr()?, http.local_addr()?);
        let _ = nsqd.tcp_addr.set(tcp_addr);
        let _ = nsqd.http_addr.set(http_addr);
        let broadcast = &opts.broadcast_address;
        peers.push(PeerInfo::new(
            tcp_addr,
            http_addr,
            &nsqd.hostname,
            broadcast,
        ));
        serve_node(&nsqd, tcp, http);
        nodes.push(RunningNode {
            nsqd,
            tcp_addr,
            http_addr,
        });
    }
    lookupd.set_peers(peers);
    let lookupd_http_addr = lookupd_listener.local_addr()?;
    tokio::spawn(lookupd_http::serve(lookupd, lookupd_listener));
    Ok(Running {
        nodes,
        lookupd_http_addr,
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn nodes_take_ports_two_apart_and_port_0_stays_free() {
        assert_eq!(node_address("127.0.0.1:4150", 0).unwrap(), "127.0.0.1:4150");
        assert_eq!(node_address("127.0.0.1:4150", 2).unwrap(), "127.0.0.1:4154");
        assert_eq!(node_address("[::1]:4151", 1).unwrap(), "[::1]:4153");
        assert_eq!(node_address("127.0.0.1:0", 5).unwrap(), "127.0.0.1:0");
        let e = node_address("127.0.0.1:65534", 1).unwrap_err();
        assert!(e.contains("65536"), "{e}");
        assert!(node_address("127.0.0.1:x", 1).is_err());
    }

    #[test]
    fn a_node_may_not_land_on_another_address() {
        let o = |nodes: usize| Options {
            nodes,
            ..Options::default()
        };
        let three = node_addresses(&o(3)).unwrap();
        assert_eq!(
            three[2],
            ("127.0.0.1:4154".to_string(), "127.0.0.1:4155".to_string())
        );
        // 4151 + 2 x 5 = 4161: lookupd's default port
        let e = node_addresses(&o(6)).unwrap_err();
        assert!(
            e.contains("node 5's --http-address would be 127.0.0.1:4161")
                && e.contains("--lookupd-http-address"),
            "{e}"
        );
        let clash = Options {
            nodes: 2,
            http_address: "127.0.0.1:4152".into(),
            ..Options::default()
        };
        let e = node_addresses(&clash).unwrap_err();
        assert!(
            e.contains("node 1's --tcp-address would be 127.0.0.1:4152, already taken by node 0's --http-address"),
            "{e}"
        );
    }
}
