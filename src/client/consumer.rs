//! A consumer: one connection per nsqd (given directly and/or discovered through
//! nsqlookupd), max-in-flight spread over them, heartbeats answered, reconnection
//! with backoff, and a clean stop that lets the caller requeue what it holds.
//!
//! Messages arrive on one channel as batches of [`Delivery`]; the caller FINs, REQs or
//! TOUCHes each through its connection handle. Stopping is two steps so nothing is
//! lost: [`Consumer::stop`] sends RDY 0 and CLS everywhere; the delivery channel
//! then ends once every connection has confirmed (CLOSE_WAIT) that it will send no
//! more, and the caller answers what it still holds before [`Consumer::join`].

use super::conn::{self, Inbound};
use super::discovery::{self, Lookup};
use crate::output;
use crate::protocol::{Command, Message, MessageId};
use std::collections::{BTreeMap, HashMap};
use std::sync::atomic::{AtomicBool, AtomicU64, Ordering};
use std::sync::{Arc, Mutex};
use std::time::Duration;
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
    stopping: watch::Sender<bool>,
    conns: Mutex<BTreeMap<String, Arc<ConnHandle>>>,
    deliveries: Mutex<Option<mpsc::UnboundedSender<Vec<Delivery>>>>,
    tasks: Mutex<Vec<JoinHandle<()>>>,
    /// The first failure that reconnecting cannot fix (refused AUTH, a bad
    /// certificate, an address that is not nsqlookupd); the caller stops on it.
    fatal: watch::Sender<Option<String>>,
}

pub struct Consumer {
    shared: Arc<Shared>,
}

impl Consumer {
    /// Starts connecting; messages arrive on the returned receiver.
    pub fn start(cfg: ConsumerConfig) -> (Consumer, mpsc::UnboundedReceiver<Vec<Delivery>>) {
        let (tx, rx) = mpsc::unbounded_channel();
        let shared = Arc::new(Shared {
            max_in_flight: AtomicU64::new(cfg.max_in_flight.max(1)),
            cfg,
            stopping: watch::channel(false).0,
            conns: Mutex::new(BTreeMap::new()),
            deliveries: Mutex::new(Some(tx)),
            tasks: Mutex::new(Vec::new()),
            fatal: watch::channel(None).0,
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

    /// Subscribed connections right now.
    pub fn connection_count(&self) -> usize {
        self.shared.conns.lock().unwrap().len()
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

/// Spreads max-in-flight over the subscribed connections (each gets at least 1).
fn rebalance(shared: &Shared) {
    let conns = shared.conns.lock().unwrap();
    if conns.is_empty() || *shared.stopping.borrow() {
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
    let mut stopping = shared.stopping.subscribe();
    let mut backoff = Duration::from_secs(1);
    let mut deliveries = Some(deliveries);
    let mut ever_connected = false;
    loop {
        if *stopping.borrow() {
            return;
        }
        let outcome = session(&shared, &addr, &mut deliveries, &mut ever_connected).await;
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
                    set_fatal(&shared, error);
                    return;
                }
                if subscribed {
                    backoff = Duration::from_secs(1);
                }
                if !wanted.load(Ordering::Relaxed) {
                    output::info(&format!(
                        "{error}; not reconnecting to {addr} (it left nsqlookupd)"
                    ));
                    return;
                }
                output::warn(&format!(
                    "{error}; reconnecting in {}",
                    humantime::format_duration(backoff)
                ));
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
    let cfg = &shared.cfg;
    let c = conn::Connection::connect(addr, &cfg.connect)
        .await
        .map_err(|e| conn_fail(false, e))?;
    let features = c.features().clone();
    let msg_timeout =
        Duration::from_millis(features.msg_timeout.unwrap_or(60_000).max(1000) as u64);
    let max_rdy = features.max_rdy_count.unwrap_or(2500).max(1) as u64;
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
            Inbound::Response(r) if r.as_ref() == b"OK" => break,
            Inbound::Error(e) => {
                return Err(SessionError {
                    subscribed: false,
                    permanent: sub_error_is_permanent(&e.code),
                    error: format!("nsqd at {addr} refused SUB: {e}"),
                })
            }
            other => {
                return Err(fail(
                    false,
                    format!("nsqd at {addr} answered SUB with {other:?}"),
                ))
            }
        }
    }

    let (tx, rx) = mpsc::unbounded_channel();
    let weak_tx = tx.downgrade();
    let handle = Arc::new(ConnHandle {
        addr: addr.to_string(),
        msg_timeout,
        max_rdy,
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
    if *ever_connected {
        output::info(&format!("reconnected to nsqd at {addr}"));
    } else {
        output::info(&format!(
            "subscribed to {}/{} on {addr}",
            cfg.topic, cfg.channel
        ));
    }
    *ever_connected = true;
    rebalance(shared);

    let mut handle = Some(handle);
    let mut batch: Vec<Delivery> = Vec::new();
    let result = 'read: loop {
        let mut inbound = match reader.next().await {
            Ok(i) => i,
            Err(conn::ConnError::Closed { .. }) if handle.is_none() => break Ok(()),
            Err(e) => break Err(fail(true, e)),
        };
        // Everything this read brought in goes to the caller as one batch.
        let end = loop {
            match inbound {
                Inbound::Message(msg) => match (&handle, deliveries.as_ref()) {
                    (Some(h), Some(_)) => batch.push(Delivery {
                        msg,
                        conn: h.clone(),
                    }),
                    // Nobody to hand it to any more (stopping): give it back at once.
                    _ => {
                        if let Some(tx) = weak_tx.upgrade() {
                            let _ = tx.send(Cmd::Req(msg.id, 0));
                        }
                    }
                },
                Inbound::Heartbeat => {
                    if let Some(tx) = weak_tx.upgrade() {
                        let _ = tx.send(Cmd::Nop);
                    }
                }
                Inbound::Response(data) if data.as_ref() == b"CLOSE_WAIT" => {
                    // nsqd sends nothing after this: once what it sent is handed
                    // over, the caller may see the delivery channel end.
                    hand_over(&mut batch, deliveries);
                    shared.conns.lock().unwrap().remove(addr);
                    handle = None;
                    deliveries.take();
                }
                Inbound::Response(_) => {}
                Inbound::Error(e) => {
                    if e.is_fatal() {
                        break Some(fail(true, format!("nsqd at {addr} sent {e}")));
                    }
                    output::debug(&format!("nsqd {addr}: {e}"));
                }
            }
            match reader.next_buffered() {
                Ok(Some(i)) => inbound = i,
                Ok(None) => break None,
                Err(e) => break Some(fail(true, e)),
            }
        };
        hand_over(&mut batch, deliveries);
        if let Some(e) = end {
            break 'read Err(e);
        }
    };
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
    let mut known: HashMap<String, Arc<NodeState>> = HashMap::new();
    let mut said_waiting = false;
    let mut failing: HashMap<String, String> = HashMap::new();
    let topic = shared.cfg.topic.clone();
    let direct = &shared.cfg.nsqd_tcp_addresses;
    let mut ever_answered = false;
    loop {
        let mut found: Vec<String> = Vec::new();
        let mut answered = 0;
        let mut not_lookupd: Option<String> = None;
        let mut errors = Vec::new();
        for lookupd in &shared.cfg.lookupd_http_addresses {
            match discovery::lookup(&client, lookupd, &topic).await {
                Ok(res) => {
                    answered += 1;
                    if failing.remove(lookupd).is_some() {
                        output::info(&format!("nsqlookupd {lookupd}: reachable again"));
                    }
                    if let Lookup::Nodes(nodes) = res {
                        found.extend(nodes.into_iter().map(|n| n.tcp));
                    }
                }
                Err(e) => {
                    let msg = format!("{e:#}");
                    if e.downcast_ref::<discovery::NotLookupd>().is_some() {
                        not_lookupd.get_or_insert(msg.clone());
                    }
                    errors.push((lookupd, msg));
                }
            }
        }
        if *stopping.borrow() {
            return;
        }
        ever_answered |= answered > 0;
        // At startup, with nothing else to consume from, an address that answers
        // but is not nsqlookupd is a mistake in the command line: say so and stop
        // rather than poll it forever. (Unreachable lookupds are waited for, and
        // once one has answered, later garbage is only warned about.)
        if let Some(msg) = not_lookupd.filter(|_| !ever_answered && direct.is_empty()) {
            set_fatal(&shared, msg);
            return;
        }
        for (lookupd, msg) in errors {
            if failing.get(lookupd) != Some(&msg) {
                output::warn(&format!("{msg} (retrying; Ctrl-C to stop)"));
                failing.insert(lookupd.clone(), msg);
            }
        }
        for addr in &found {
            if direct.contains(addr) {
                continue;
            }
            let state = known.entry(addr.clone()).or_default();
            state.wanted.store(true, Ordering::Relaxed);
            if !state.running.load(Ordering::Relaxed) {
                spawn_node(&shared, addr.clone(), state.clone());
            }
        }
        if answered > 0 {
            for (addr, state) in &known {
                if !found.contains(addr) && state.wanted.swap(false, Ordering::Relaxed) {
                    output::info(&format!(
                        "nsqd {addr} no longer has topic {topic} at nsqlookupd"
                    ));
                }
            }
            // Forget nodes that left and whose connection has ended.
            known.retain(|_, s| {
                s.wanted.load(Ordering::Relaxed) || s.running.load(Ordering::Relaxed)
            });
        }
        let have_nodes = !found.is_empty() || !direct.is_empty();
        if answered > 0 && !have_nodes && !said_waiting {
            output::info(&format!(
                "topic {topic} has no nsqd at nsqlookupd yet; waiting for it"
            ));
            said_waiting = true;
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
