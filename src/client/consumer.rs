//! A consumer: one connection per nsqd (given directly and/or discovered through
//! nsqlookupd), max-in-flight spread over them, heartbeats answered, reconnection
//! with backoff, and a clean stop that lets the caller requeue what it holds.
//!
//! Messages arrive on one channel as batches of [`Delivery`]; the caller FINs, REQs or
//! TOUCHes each through its connection handle. Stopping is two steps so nothing is
//! lost: [`Consumer::stop`] sends RDY 0 and CLS everywhere; the delivery channel
//! then ends once every connection has confirmed (CLOSE_WAIT) that it will send no
//! more, and the caller answers what it still holds before [`Consumer::join`].

use super::conn::{self, CommandWriter, FrameReader, Inbound};
use super::discovery::{self, Lookup};
use crate::protocol::error::ServerError;
use crate::protocol::{Command, Message, MessageId};
use std::collections::{BTreeMap, HashMap};
use std::sync::atomic::{AtomicBool, AtomicU64, Ordering};
use std::sync::{Arc, Mutex};
use std::time::{Duration, Instant};
use tokio::sync::{mpsc, watch};
use tokio::task::JoinHandle;

#[derive(Debug, Clone)]
pub struct ConsumerConfig {
    pub topic: String,
    pub channel: String,
    pub nsqd_tcp_addresses: Vec<String>,
    pub lookupd_http_addresses: Vec<String>,
    pub lookupd_poll_interval: Duration,
    /// Timeout of each request to nsqlookupd.
    pub http_timeout: Duration,
    pub max_in_flight: u64,
    /// TLS, compression and AUTH for every connection.
    pub connect: conn::ConnectOptions,
}

/// What the consumer reports as it runs, for the caller to show or act on (the
/// library never prints); given to the callback passed to [`Consumer::start`].
#[derive(Debug, Clone)]
pub enum ConsumerEvent {
    /// SUB accepted by `node` for the first time.
    Subscribed { node: String },
    /// SUB accepted again by `node` after its connection was lost.
    Reconnected { node: String },
    /// The connection to `node` failed; the next attempt is in `retry_in`.
    NodeLost {
        node: String,
        error: String,
        retry_in: Duration,
    },
    /// The connection to `node` failed and nsqlookupd no longer lists it: not
    /// reconnecting.
    NodeLeft { node: String, error: String },
    /// nsqd answered a command with an error that does not end the connection
    /// (e.g. E_FIN_FAILED for a message that timed out).
    ServerError { node: String, error: ServerError },
    /// nsqlookupd could not be asked (it is retried); reported once per wording.
    LookupdUnreachable { lookupd: String, error: String },
    /// A nsqlookupd that was failing answered again.
    LookupdReachable { lookupd: String },
    /// nsqlookupd stopped listing `node` for the topic.
    NodeUnlisted { node: String },
    /// nsqlookupd answered but lists no nsqd for the topic yet (said once).
    NoNodesYet,
}

type EventHandler = Arc<dyn Fn(ConsumerEvent) + Send + Sync>;

/// Which of the consumer's nodes are reachable: the nodes it wants (given
/// directly, or listed by nsqlookupd) that it is still making its first attempt
/// to subscribe to, those it failed to reach and is retrying, each since when,
/// and when a node last subscribed. Read it at any time through
/// [`Consumer::reachability`] (e.g. so that time without a source does not pass
/// for time with nothing to take).
#[derive(Debug, Default)]
pub struct Reachability {
    state: Mutex<ReachState>,
}

#[derive(Debug, Default)]
struct ReachState {
    /// First attempt under way (neither failed nor subscribed yet).
    trying: BTreeMap<String, Instant>,
    /// Failed, being retried: since the first attempt, or since the loss.
    down: BTreeMap<String, Instant>,
    /// nsqlookupds whose last answer failed, since their first failure in a row
    /// (nodes only they list would not be known).
    lookupds_down: BTreeMap<String, Instant>,
    last_up: Option<Instant>,
}

/// What could not be reached: an nsqd, or an nsqlookupd it is found through.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord)]
pub enum NodeKind {
    Nsqd,
    Lookupd,
}

impl Reachability {
    /// The wanted nodes that could not be reached and are being retried, each
    /// with how long it has been so (since the connection was lost, or since
    /// the first attempt).
    /// Also the nsqlookupds whose last answer failed.
    pub fn unreachable(&self) -> Vec<(NodeKind, String, Duration)> {
        let st = self.state.lock().unwrap();
        let nsqds = st.down.iter().map(|n| (NodeKind::Nsqd, n));
        let lookupds = st.lookupds_down.iter().map(|n| (NodeKind::Lookupd, n));
        nsqds
            .chain(lookupds)
            .map(|(kind, (n, since))| (kind, n.clone(), since.elapsed()))
            .collect()
    }

    /// Whether a node's first attempt is still under way.
    pub fn connecting(&self) -> bool {
        !self.state.lock().unwrap().trying.is_empty()
    }

    /// When a node last subscribed (first time or again); None before any did.
    pub fn last_up(&self) -> Option<Instant> {
        self.state.lock().unwrap().last_up
    }

    fn trying(&self, node: &str) {
        let mut st = self.state.lock().unwrap();
        if !st.down.contains_key(node) {
            st.trying.insert(node.to_string(), Instant::now());
        }
    }

    fn down(&self, node: &str) {
        let mut st = self.state.lock().unwrap();
        let since = st.trying.remove(node).unwrap_or_else(Instant::now);
        st.down.entry(node.to_string()).or_insert(since);
    }

    fn up(&self, node: &str) {
        let mut st = self.state.lock().unwrap();
        st.trying.remove(node);
        st.down.remove(node);
        st.last_up = Some(Instant::now());
    }

    fn lookupd_failed(&self, lookupd: &str) {
        let mut st = self.state.lock().unwrap();
        st.lookupds_down
            .entry(lookupd.to_string())
            .or_insert_with(Instant::now);
    }

    fn lookupd_answered(&self, lookupd: &str) {
        self.state.lock().unwrap().lookupds_down.remove(lookupd);
    }

    /// No longer wanted (stopping, unlisted, failed for good).
    fn forget(&self, node: &str) {
        let mut st = self.state.lock().unwrap();
        st.trying.remove(node);
        st.down.remove(node);
    }
}

/// A message and the connection it came on (to answer it).
pub struct Delivery {
    pub msg: Message,
    pub conn: Arc<ConnHandle>,
}

enum Cmd {
    Fin(MessageId),
    FinMany(Vec<MessageId>),
    Req(MessageId, u64),
    Touch(MessageId),
    Rdy(u64),
    Nop,
    Cls,
}

/// One subscribed connection, as the caller sees it.
pub struct ConnHandle {
    /// The nsqd's TCP address.
    pub addr: String,
    /// How long a message may stay in flight before nsqd requeues it.
    pub msg_timeout: Duration,
    max_rdy: u64,
    rdy: AtomicU64,
    tx: mpsc::UnboundedSender<Cmd>,
}

impl ConnHandle {
    // Sends fail only once the connection is gone; nsqd then requeues the message
    // itself after msg_timeout, so there is nothing more to do here.
    pub fn fin(&self, id: MessageId) {
        let _ = self.tx.send(Cmd::Fin(id));
    }
    /// FINs several messages with one hand-over to the writer.
    pub fn fin_many(&self, ids: Vec<MessageId>) {
        if !ids.is_empty() {
            let _ = self.tx.send(Cmd::FinMany(ids));
        }
    }
    pub fn req(&self, id: MessageId, delay: Duration) {
        let _ = self.tx.send(Cmd::Req(id, delay.as_millis() as u64));
    }
    pub fn touch(&self, id: MessageId) {
        let _ = self.tx.send(Cmd::Touch(id));
    }
    fn set_rdy(&self, n: u64) {
        let n = n.min(self.max_rdy);
        if self.rdy.swap(n, Ordering::Relaxed) != n {
            let _ = self.tx.send(Cmd::Rdy(n));
        }
    }
}

struct Shared {
    cfg: ConsumerConfig,
    max_in_flight: AtomicU64,
    /// RDY 0 everywhere while set (see [`Consumer::pause`]).
    paused: AtomicBool,
    stopping: watch::Sender<bool>,
    conns: Mutex<BTreeMap<String, Arc<ConnHandle>>>,
    deliveries: Mutex<Option<mpsc::UnboundedSender<Vec<Delivery>>>>,
    tasks: Mutex<Vec<JoinHandle<()>>>,
    /// The first failure that reconnecting cannot fix (refused AUTH, a bad
    /// certificate, an address that is not nsqlookupd); the caller stops on it.
    fatal: watch::Sender<Option<String>>,
    reach: Arc<Reachability>,
    on_event: EventHandler,
}

impl Shared {
    fn emit(&self, event: ConsumerEvent) {
        (self.on_event)(event)
    }
}

pub struct Consumer {
    shared: Arc<Shared>,
}

impl Consumer {
    /// Starts connecting; messages arrive on the returned receiver, and what
    /// happens to connections and discovery is told to `on_event`.
    pub fn start(
        cfg: ConsumerConfig,
        on_event: impl Fn(ConsumerEvent) + Send + Sync + 'static,
    ) -> (Consumer, mpsc::UnboundedReceiver<Vec<Delivery>>) {
        let (tx, rx) = mpsc::unbounded_channel();
        let shared = Arc::new(Shared {
            max_in_flight: AtomicU64::new(cfg.max_in_flight.max(1)),
            paused: AtomicBool::new(false),
            cfg,
            stopping: watch::channel(false).0,
            conns: Mutex::new(BTreeMap::new()),
            deliveries: Mutex::new(Some(tx)),
            tasks: Mutex::new(Vec::new()),
            fatal: watch::channel(None).0,
            reach: Arc::default(),
            on_event: Arc::new(on_event),
        });
        for addr in &shared.cfg.nsqd_tcp_addresses {
            let state = Arc::new(NodeState::default());
            state.wanted.store(true, Ordering::Relaxed);
            spawn_node(&shared, addr.clone(), state);
        }
        if !shared.cfg.lookupd_http_addresses.is_empty() {
            let task = tokio::spawn(lookupd_loop(shared.clone()));
            shared.tasks.lock().unwrap().push(task);
        }
        (Consumer { shared }, rx)
    }

    /// Changes how many messages may be held at once (e.g. fewer as `-n` nears).
    pub fn set_max_in_flight(&self, n: u64) {
        let n = n.max(1);
        if self.shared.max_in_flight.swap(n, Ordering::Relaxed) != n {
            rebalance(&self.shared);
        }
    }

    /// Pauses (RDY 0 on every connection, and on those made meanwhile) or resumes
    /// taking messages, e.g. while the place they go to is unavailable. Messages
    /// already sent by nsqd still arrive and must be answered.
    pub fn pause(&self, paused: bool) {
        if self.shared.paused.swap(paused, Ordering::Relaxed) != paused {
            rebalance(&self.shared);
        }
    }

    /// Which nodes are reachable, kept up to date as the consumer runs.
    pub fn reachability(&self) -> Arc<Reachability> {
        self.shared.reach.clone()
    }

    /// Resolves with the error once a failure that reconnecting cannot fix
    /// happened; the caller should stop the consumer and report it.
    pub async fn fatal(&self) -> String {
        let mut rx = self.shared.fatal.subscribe();
        let r = rx.wait_for(|f| f.is_some()).await;
        match r {
            Ok(f) => f.clone().unwrap_or_default(),
            // The sender lives in `shared`, as long as self: never closed.
            Err(_) => std::future::pending().await,
        }
    }

    /// Stops taking messages: RDY 0 and CLS on every connection, no reconnecting,
    /// no more discovery. The delivery channel ends once all connections confirmed.
    pub fn stop(&self) {
        self.shared.stopping.send_replace(true);
        self.shared.deliveries.lock().unwrap().take();
        let conns = std::mem::take(&mut *self.shared.conns.lock().unwrap());
        for c in conns.values() {
            close_conn(c);
        }
    }

    /// Waits (at most `timeout`) for every connection to finish writing and close.
    pub async fn join(&self, timeout: Duration) {
        let tasks = std::mem::take(&mut *self.shared.tasks.lock().unwrap());
        let all = async {
            for t in tasks {
                let _ = t.await;
            }
        };
        let _ = tokio::time::timeout(timeout, all).await;
    }
}

fn close_conn(c: &ConnHandle) {
    c.rdy.store(0, Ordering::Relaxed);
    let _ = c.tx.send(Cmd::Rdy(0));
    let _ = c.tx.send(Cmd::Cls);
}

/// Spreads max-in-flight over the subscribed connections (each gets at least 1),
/// or gives each RDY 0 while paused.
fn rebalance(shared: &Shared) {
    let conns = shared.conns.lock().unwrap();
    if conns.is_empty() || *shared.stopping.borrow() {
        return;
    }
    if shared.paused.load(Ordering::Relaxed) {
        for c in conns.values() {
            c.set_rdy(0);
        }
        return;
    }
    let total = shared.max_in_flight.load(Ordering::Relaxed);
    let n = conns.len() as u64;
    for (i, c) in conns.values().enumerate() {
        let share = total / n + u64::from((i as u64) < total % n);
        c.set_rdy(share.max(1));
    }
}

/// Whether a node is still wanted (lookupd lists it) and whether its task runs.
#[derive(Default)]
struct NodeState {
    wanted: AtomicBool,
    running: AtomicBool,
}

fn spawn_node(shared: &Arc<Shared>, addr: String, state: Arc<NodeState>) {
    let Some(deliveries) = shared.deliveries.lock().unwrap().clone() else {
        return;
    };
    state.running.store(true, Ordering::Relaxed);
    let shared2 = shared.clone();
    let task = tokio::spawn(async move {
        node_loop(shared2, addr, &state.wanted, deliveries).await;
        state.running.store(false, Ordering::Relaxed);
    });
    shared.tasks.lock().unwrap().push(task);
}

/// Keeps one nsqd connected until stopped, reconnecting with backoff.
async fn node_loop(
    shared: Arc<Shared>,
    addr: String,
    wanted: &AtomicBool,
    deliveries: mpsc::UnboundedSender<Vec<Delivery>>,
) {
    shared.reach.trying(&addr);
    keep_connected(&shared, &addr, wanted, deliveries).await;
    shared.reach.forget(&addr);
}

/// [`node_loop`]'s work: returns once stopped or the node is given up on.
async fn keep_connected(
    shared: &Arc<Shared>,
    addr: &str,
    wanted: &AtomicBool,
    deliveries: mpsc::UnboundedSender<Vec<Delivery>>,
) {
    let mut stopping = shared.stopping.subscribe();
    let mut backoff = Duration::from_secs(1);
    let mut deliveries = Some(deliveries);
    let mut ever_connected = false;
    loop {
        if *stopping.borrow() {
            return;
        }
        let outcome = session(shared, addr, &mut deliveries, &mut ever_connected).await;
        match outcome {
            Ok(()) => return, // closed after CLS
            Err(SessionError {
                subscribed,
                permanent,
                error,
            }) => {
                if *stopping.borrow() {
                    return;
                }
                if permanent {
                    set_fatal(shared, error);
                    return;
                }
                shared.reach.down(addr);
                if subscribed {
                    backoff = Duration::from_secs(1);
                }
                if !wanted.load(Ordering::Relaxed) {
                    shared.emit(ConsumerEvent::NodeLeft {
                        node: addr.to_string(),
                        error,
                    });
                    return;
                }
                shared.emit(ConsumerEvent::NodeLost {
                    node: addr.to_string(),
                    error,
                    retry_in: backoff,
                });
            }
        }
        tokio::select! {
            _ = tokio::time::sleep(backoff) => {}
            _ = stopping.wait_for(|s| *s) => return,
        }
        backoff = (backoff * 2).min(Duration::from_secs(30));
    }
}

struct SessionError {
    subscribed: bool,
    /// Retrying cannot help (see [`conn::ConnError::is_permanent`]).
    permanent: bool,
    error: String,
}

fn fail(subscribed: bool, error: impl std::fmt::Display) -> SessionError {
    SessionError {
        subscribed,
        permanent: false,
        error: error.to_string(),
    }
}

fn conn_fail(subscribed: bool, error: conn::ConnError) -> SessionError {
    SessionError {
        subscribed,
        permanent: error.is_permanent(),
        error: error.to_string(),
    }
}

/// Records the first unfixable failure; the caller learns it from [`Consumer::fatal`].
fn set_fatal(shared: &Shared, error: String) {
    shared.fatal.send_if_modified(|f| {
        if f.is_some() {
            return false;
        }
        *f = Some(error);
        true
    });
}

/// SUB errors that reconnecting cannot fix: names nsqd refuses, and permissions.
fn sub_error_is_permanent(code: &str) -> bool {
    matches!(
        code,
        "E_BAD_TOPIC" | "E_BAD_CHANNEL" | "E_UNAUTHORIZED" | "E_AUTH_FAILED" | "E_AUTH_FIRST"
    )
}

/// One connection's life: connect, IDENTIFY, SUB, then read until CLS or failure.
async fn session(
    shared: &Arc<Shared>,
    addr: &str,
    deliveries: &mut Option<mpsc::UnboundedSender<Vec<Delivery>>>,
    ever_connected: &mut bool,
) -> Result<(), SessionError> {
    let (mut reader, writer, limits) = subscribe(&shared.cfg, addr).await?;
    let (tx, rx) = mpsc::unbounded_channel();
    let weak_tx = tx.downgrade();
    let handle = Arc::new(ConnHandle {
        addr: addr.to_string(),
        msg_timeout: limits.msg_timeout,
        max_rdy: limits.max_rdy,
        rdy: AtomicU64::new(0),
        tx,
    });
    let writer_task = tokio::spawn(write_loop(writer, rx));
    {
        let mut conns = shared.conns.lock().unwrap();
        if *shared.stopping.borrow() {
            close_conn(&handle);
        } else {
            conns.insert(addr.to_string(), handle.clone());
        }
    }
    shared.reach.up(addr);
    let node = addr.to_string();
    shared.emit(if *ever_connected {
        ConsumerEvent::Reconnected { node }
    } else {
        ConsumerEvent::Subscribed { node }
    });
    *ever_connected = true;
    rebalance(shared);

    let mut session = Session {
        shared,
        addr,
        handle: Some(handle),
        weak_tx,
        deliveries,
        batch: Vec::new(),
    };
    let result = session.read_loop(&mut reader).await;
    let handle = session.handle.take();
    // Forget this connection and give its share of max-in-flight to the others.
    {
        let mut conns = shared.conns.lock().unwrap();
        if conns
            .get(addr)
            .is_some_and(|h| handle.as_ref().is_some_and(|mine| Arc::ptr_eq(h, mine)))
        {
            conns.remove(addr);
        }
    }
    drop(handle);
    rebalance(shared);
    if result.is_ok() {
        let _ = writer_task.await;
    } else {
        writer_task.abort();
    }
    result
}

/// What IDENTIFY told us about a connection's limits.
struct Limits {
    msg_timeout: Duration,
    max_rdy: u64,
}

/// Connects, identifies and subscribes; returns the halves once SUB is accepted.
async fn subscribe(
    cfg: &ConsumerConfig,
    addr: &str,
) -> Result<(FrameReader, CommandWriter, Limits), SessionError> {
    let c = conn::Connection::connect(addr, &cfg.connect)
        .await
        .map_err(|e| conn_fail(false, e))?;
    let features = c.features();
    let limits = Limits {
        msg_timeout: Duration::from_millis(features.msg_timeout.unwrap_or(60_000).max(1000) as u64),
        max_rdy: features.max_rdy_count.unwrap_or(2500).max(1) as u64,
    };
    let (mut reader, mut writer) = c.into_split();
    writer
        .send(&Command::Sub {
            topic: &cfg.topic,
            channel: &cfg.channel,
        })
        .await
        .map_err(|e| fail(false, e))?;
    loop {
        match reader.next().await.map_err(|e| fail(false, e))? {
            Inbound::Heartbeat => writer
                .send(&Command::Nop)
                .await
                .map_err(|e| fail(false, e))?,
            Inbound::Response(r) if r.as_ref() == b"OK" => return Ok((reader, writer, limits)),
            Inbound::Error(e) => {
                return Err(SessionError {
                    subscribed: false,
                    permanent: sub_error_is_permanent(&e.code),
                    error: format!("nsqd at {addr} refused SUB: {e}"),
                })
            }
            other => {
                // Named, not dumped: a message frame would print its whole body.
                let what = match other {
                    Inbound::Response(r) => {
                        format!(
                            "the response {:?}",
                            String::from_utf8_lossy(&r[..r.len().min(64)])
                        )
                    }
                    _ => "a message".to_string(),
                };
                return Err(fail(
                    false,
                    format!("nsqd at {addr} answered SUB with {what}"),
                ));
            }
        }
    }
}

/// A subscribed connection's reading side: hands messages over in batches and
/// answers heartbeats until nsqd confirms CLS or the connection fails.
struct Session<'a> {
    shared: &'a Shared,
    addr: &'a str,
    /// None once nsqd confirmed CLS (CLOSE_WAIT).
    handle: Option<Arc<ConnHandle>>,
    weak_tx: mpsc::WeakUnboundedSender<Cmd>,
    deliveries: &'a mut Option<mpsc::UnboundedSender<Vec<Delivery>>>,
    batch: Vec<Delivery>,
}

impl Session<'_> {
    async fn read_loop(&mut self, reader: &mut FrameReader) -> Result<(), SessionError> {
        loop {
            let mut inbound = match reader.next().await {
                Ok(i) => i,
                Err(conn::ConnError::Closed { .. }) if self.handle.is_none() => return Ok(()),
                Err(e) => return Err(fail(true, e)),
            };
            // Everything this read brought in goes to the caller as one batch.
            let end = loop {
                if let Err(e) = self.take(inbound) {
                    break Some(e);
                }
                match reader.next_buffered() {
                    Ok(Some(i)) => inbound = i,
                    Ok(None) => break None,
                    Err(e) => break Some(fail(true, e)),
                }
            };
            hand_over(&mut self.batch, self.deliveries);
            if let Some(e) = end {
                return Err(e);
            }
        }
    }

    /// Deals with one frame; an error ends the connection.
    fn take(&mut self, inbound: Inbound) -> Result<(), SessionError> {
        match inbound {
            Inbound::Message(msg) => match (&self.handle, self.deliveries.as_ref()) {
                (Some(h), Some(_)) => self.batch.push(Delivery {
                    msg,
                    conn: h.clone(),
                }),
                // Nobody to hand it to any more (stopping): give it back at once.
                _ => self.send(Cmd::Req(msg.id, 0)),
            },
            Inbound::Heartbeat => self.send(Cmd::Nop),
            Inbound::Response(data) if data.as_ref() == b"CLOSE_WAIT" => {
                // nsqd sends nothing after this: once what it sent is handed
                // over, the caller may see the delivery channel end.
                hand_over(&mut self.batch, self.deliveries);
                self.shared.conns.lock().unwrap().remove(self.addr);
                self.handle = None;
                self.deliveries.take();
            }
            Inbound::Response(_) => {}
            Inbound::Error(e) => {
                if e.is_fatal() {
                    return Err(fail(true, format!("nsqd at {} sent {e}", self.addr)));
                }
                self.shared.emit(ConsumerEvent::ServerError {
                    node: self.addr.to_string(),
                    error: e,
                });
            }
        }
        Ok(())
    }

    /// Queues a command for the writer while it still runs.
    fn send(&self, cmd: Cmd) {
        if let Some(tx) = self.weak_tx.upgrade() {
            let _ = tx.send(cmd);
        }
    }
}

fn hand_over(batch: &mut Vec<Delivery>, deliveries: &Option<mpsc::UnboundedSender<Vec<Delivery>>>) {
    if batch.is_empty() {
        return;
    }
    let b = std::mem::take(batch);
    if let Some(d) = deliveries {
        let _ = d.send(b);
    }
}

/// Writes queued commands, batching whatever is already waiting into one write.
async fn write_loop(mut w: conn::CommandWriter, mut rx: mpsc::UnboundedReceiver<Cmd>) {
    while let Some(first) = rx.recv().await {
        let mut next = Some(first);
        while let Some(cmd) = next {
            let c = match &cmd {
                Cmd::FinMany(ids) => {
                    for id in ids {
                        w.write(&Command::Fin(*id));
                    }
                    next = rx.try_recv().ok();
                    continue;
                }
                Cmd::Fin(id) => Command::Fin(*id),
                Cmd::Req(id, ms) => Command::Req {
                    id: *id,
                    timeout_ms: *ms,
                },
                Cmd::Touch(id) => Command::Touch(*id),
                Cmd::Rdy(n) => Command::Rdy(*n),
                Cmd::Nop => Command::Nop,
                Cmd::Cls => Command::Cls,
            };
            w.write(&c);
            if w.buffered() >= 64 * 1024 {
                break;
            }
            next = rx.try_recv().ok();
        }
        if w.flush().await.is_err() {
            return;
        }
    }
    // Every holder of this connection is done: tell nsqd we are leaving.
    let _ = w.shutdown().await;
}

/// Polls lookupd for nodes holding the topic; connects to new ones.
async fn lookupd_loop(shared: Arc<Shared>) {
    let client = discovery::http_client(shared.cfg.http_timeout);
    let mut stopping = shared.stopping.subscribe();
    let mut d = Discovery {
        shared: &shared,
        known: HashMap::new(),
        failing: HashMap::new(),
        said_waiting: false,
        ever_answered: false,
    };
    loop {
        let round = d.ask_all(&client).await;
        if *stopping.borrow() {
            return;
        }
        let direct = &shared.cfg.nsqd_tcp_addresses;
        // At startup, an address that answers but is not nsqlookupd is a mistake
        // in the command line, whatever else was given: say so and stop, as every
        // command does, rather than poll it forever. (Unreachable lookupds are
        // waited for, and once the lookupds have answered, an answer that turns
        // into garbage later is only warned about.)
        if let Some(msg) = round.not_lookupd.filter(|_| !d.ever_answered) {
            set_fatal(&shared, msg);
            return;
        }
        d.ever_answered |= round.answered > 0;
        d.report_errors(round.errors);
        d.follow(&round.found);
        if round.answered > 0 {
            d.forget_unlisted(&round.found);
        }
        let have_nodes = !round.found.is_empty() || !direct.is_empty();
        if round.answered > 0 && !have_nodes && !d.said_waiting {
            shared.emit(ConsumerEvent::NoNodesYet);
            d.said_waiting = true;
        }
        // Poll briskly while there is nothing to consume from.
        let wait = if have_nodes {
            shared.cfg.lookupd_poll_interval
        } else {
            shared.cfg.lookupd_poll_interval.min(Duration::from_secs(1))
        };
        tokio::select! {
            _ = tokio::time::sleep(wait) => {}
            _ = stopping.wait_for(|s| *s) => return,
        }
    }
}

/// What discovery remembers between polls.
struct Discovery<'a> {
    shared: &'a Arc<Shared>,
    /// Nodes found through lookupd (not the directly given ones).
    known: HashMap<String, Arc<NodeState>>,
    /// lookupds whose last answer failed, with the wording already reported.
    failing: HashMap<String, String>,
    said_waiting: bool,
    ever_answered: bool,
}

/// One poll of every lookupd.
#[derive(Default)]
struct Round {
    found: Vec<String>,
    answered: usize,
    /// The first answer that came from something other than nsqlookupd.
    not_lookupd: Option<String>,
    errors: Vec<(String, String)>,
}

impl Discovery<'_> {
    async fn ask_all(&mut self, client: &crate::nsq_http::Client) -> Round {
        let mut round = Round::default();
        for lookupd in &self.shared.cfg.lookupd_http_addresses {
            match discovery::lookup(client, lookupd, &self.shared.cfg.topic).await {
                Ok(res) => {
                    round.answered += 1;
                    self.shared.reach.lookupd_answered(lookupd);
                    if self.failing.remove(lookupd).is_some() {
                        self.shared.emit(ConsumerEvent::LookupdReachable {
                            lookupd: lookupd.clone(),
                        });
                    }
                    if let Lookup::Nodes(nodes) = res {
                        round.found.extend(nodes.into_iter().map(|n| n.tcp_address));
                    }
                }
                Err(e) => {
                    self.shared.reach.lookupd_failed(lookupd);
                    let msg = format!("{e:#}");
                    if discovery::is_not_lookupd(&e) {
                        round.not_lookupd.get_or_insert(msg.clone());
                    }
                    round.errors.push((lookupd.clone(), msg));
                }
            }
        }
        round
    }

    /// Reports each failing lookupd once per wording.
    fn report_errors(&mut self, errors: Vec<(String, String)>) {
        for (lookupd, msg) in errors {
            if self.failing.get(&lookupd) != Some(&msg) {
                self.shared.emit(ConsumerEvent::LookupdUnreachable {
                    lookupd: lookupd.clone(),
                    error: msg.clone(),
                });
                self.failing.insert(lookupd, msg);
            }
        }
    }

    /// Connects to every listed node not yet connected.
    fn follow(&mut self, found: &[String]) {
        for addr in found {
            if self.shared.cfg.nsqd_tcp_addresses.contains(addr) {
                continue;
            }
            let state = self.known.entry(addr.clone()).or_default();
            state.wanted.store(true, Ordering::Relaxed);
            if !state.running.load(Ordering::Relaxed) {
                spawn_node(self.shared, addr.clone(), state.clone());
            }
        }
    }

    /// Marks nodes lookupd no longer lists (they are not reconnected once they
    /// fail), and forgets those whose connection has ended.
    fn forget_unlisted(&mut self, found: &[String]) {
        for (addr, state) in &self.known {
            if !found.contains(addr) && state.wanted.swap(false, Ordering::Relaxed) {
                // Not wanted: no longer counted as unreachable while it fails.
                self.shared.reach.forget(addr);
                self.shared
                    .emit(ConsumerEvent::NodeUnlisted { node: addr.clone() });
            }
        }
        self.known
            .retain(|_, s| s.wanted.load(Ordering::Relaxed) || s.running.load(Ordering::Relaxed));
    }
}
