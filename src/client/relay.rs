//! A relay: messages taken from a topic through the [`Consumer`] and published
//! to another topic (often in another cluster) through the producer [`Pool`].
//!
//! Exactness: a source message is FINed only once the destination acknowledged
//! it (PUB/MPUB OK). Until then it is held; if the destination fails, every held
//! message is REQed at once (no delay), the consumer is paused (RDY 0) and the
//! destination is reconnected with backoff. What the destination acknowledged
//! just before failing may have been counted by nsqd without our seeing the OK:
//! delivery is at-least-once, a message may arrive twice, none is lost. A relay
//! killed at any moment holds nothing nsqd has forgotten: unanswered messages
//! return after the source's msg-timeout.
//!
//! One [`Lane`] per source topic. The library never prints: lanes report through
//! [`RelayEvent`]s and keep their counts in a [`Tally`] the caller reads.

use super::consumer::{
    ConnHandle, Consumer, ConsumerConfig, ConsumerEvent, Delivery, Reachability,
};
use super::discovery;
use super::pool::{self, Pool, PoolOptions};
use super::producer::ProducerOptions;
use crate::protocol::MessageId;
use std::collections::BTreeMap;
use std::sync::atomic::{AtomicBool, AtomicU64, Ordering};
use std::sync::{Arc, OnceLock};
use std::time::Duration;
use tokio::sync::{mpsc, watch};

/// First wait before reconnecting a failed destination; doubles up to [`MAX_BACKOFF`].
const FIRST_BACKOFF: Duration = Duration::from_secs(1);
const MAX_BACKOFF: Duration = Duration::from_secs(30);
/// Once stopping: how long what is held may wait for the destination's acks.
pub const FINISH_GRACE: Duration = Duration::from_secs(10);
/// Once stopping: how long to wait for nsqd to confirm CLS (and our last FIN/REQ).
pub const DRAIN_TIMEOUT: Duration = Duration::from_secs(10);
/// While paused because the -n budget is spent: how often to look whether a
/// reservation came back (what another lane held was requeued).
const BUDGET_POLL: Duration = Duration::from_millis(50);

/// Whether a body is relayed (true) or filtered out (FINed and counted).
pub type Filter = Arc<dyn Fn(&[u8]) -> bool + Send + Sync>;
type SourceEvents = Arc<dyn Fn(ConsumerEvent) + Send + Sync>;
type RelayEvents = Arc<dyn Fn(RelayEvent) + Send + Sync>;

/// What the caller asks of the running lanes.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Halt {
    Run,
    /// Stop taking messages; what is held waits (at most [`FINISH_GRACE`]) for
    /// the destination's acks, the rest is REQed.
    Finish,
    /// Stop now: what is held is REQed without waiting.
    Now,
}

/// What a lane reports (the library never prints).
#[derive(Debug, Clone)]
pub enum RelayEvent {
    /// The destination nodes of `topic` are connected (`again` after a failure).
    Connected {
        source: String,
        nodes: Vec<String>,
        again: bool,
    },
    /// The destination failed: `requeued` held messages were REQed at once, the
    /// source is paused, and the next attempt is in `retry_in`.
    DestinationFailed {
        source: String,
        error: String,
        requeued: u64,
        retry_in: Duration,
    },
}

/// A lane's counts, updated as it runs (read them at any time).
#[derive(Debug, Default)]
pub struct Tally {
    /// Messages received from the source.
    pub taken: AtomicU64,
    /// FINed after the destination acknowledged them.
    pub relayed: AtomicU64,
    /// FINed because the filter refused them.
    pub filtered: AtomicU64,
    /// Given back to the source (REQ, no delay).
    pub requeued: AtomicU64,
    /// Held now: published or being published, not yet acknowledged.
    pub held: AtomicU64,
    /// The destination is failing (the lane is waiting to reconnect).
    pub down: AtomicBool,
    /// The source consumer's reachability, once it started (after the
    /// destination first connected).
    pub source: OnceLock<Arc<Reachability>>,
}

/// A snapshot of a [`Tally`].
#[derive(Debug, Default, Clone, Copy, PartialEq, Eq, serde::Serialize)]
pub struct Counts {
    pub relayed: u64,
    pub filtered: u64,
    pub requeued: u64,
}

impl Tally {
    pub fn counts(&self) -> Counts {
        Counts {
            relayed: self.relayed.load(Ordering::Relaxed),
            filtered: self.filtered.load(Ordering::Relaxed),
            requeued: self.requeued.load(Ordering::Relaxed),
        }
    }

    fn add(c: &AtomicU64, n: u64) {
        c.fetch_add(n, Ordering::Relaxed);
    }
}

/// Where a lane publishes.
#[derive(Clone)]
pub struct Destination {
    pub topic: String,
    /// nsqd TCP addresses; if empty, every nsqd the lookupds list (asked again
    /// at each reconnection).
    pub nsqd_tcp_addresses: Vec<String>,
    pub lookupd_http_addresses: Vec<String>,
    /// For the lookupds.
    pub http: crate::nsq_http::Client,
    pub producer: ProducerOptions,
    pub batch_size: usize,
    pub rate: Option<f64>,
}

impl Destination {
    /// The nodes to publish to; an error says whether retrying cannot help.
    async fn nodes(&self) -> Result<Vec<String>, (String, bool)> {
        if !self.nsqd_tcp_addresses.is_empty() {
            return Ok(self.nsqd_tcp_addresses.clone());
        }
        let mut found = Vec::new();
        let mut errors = Vec::new();
        for l in &self.lookupd_http_addresses {
            match discovery::nodes(&self.http, l).await {
                Ok(nodes) => found.extend(nodes.into_iter().map(|n| n.tcp_address)),
                Err(e) if discovery::is_not_lookupd(&e) => return Err((format!("{e:#}"), true)),
                Err(e) => errors.push(format!("{e:#}")),
            }
        }
        found.sort();
        found.dedup();
        match (found.is_empty(), errors.is_empty()) {
            (false, _) => Ok(found),
            (true, true) => Err((
                format!(
                    "nsqlookupd {} lists no nsqd to publish {} to",
                    self.lookupd_http_addresses.join(", "),
                    self.topic
                ),
                false,
            )),
            (true, false) => Err((errors.join("; "), false)),
        }
    }

    /// A connected pool (no retries of its own: the lane retries).
    async fn connect(&self) -> Result<(Pool, Vec<String>), (String, bool)> {
        let addrs = self.nodes().await?;
        let mut pool = Pool::new(PoolOptions {
            batch_size: self.batch_size,
            rate: self.rate,
            ..PoolOptions::forwarding(&self.topic, addrs.clone(), self.producer.clone())
        });
        match pool.connect().await {
            Ok(()) => Ok((pool, addrs)),
            Err(e) => Err((e, pool.failed_permanently())),
        }
    }
}

/// One source topic relayed to one destination topic.
pub struct Lane {
    pub source: ConsumerConfig,
    pub dest: Destination,
    pub filter: Filter,
    /// Messages still to relay over all lanes (-n), reserved one by one.
    pub budget: Option<Arc<AtomicU64>>,
    pub tally: Arc<Tally>,
    pub halt: watch::Receiver<Halt>,
    pub on_source: SourceEvents,
    pub on_event: RelayEvents,
}

/// A running lane's moving parts.
struct State {
    consumer: Consumer,
    rx: mpsc::UnboundedReceiver<Vec<Delivery>>,
    pool: Pool,
    /// Pushed to the pool, not yet acknowledged, by record number.
    held: BTreeMap<u64, Delivery>,
    next: u64,
    /// Paused (RDY 0) because the -n budget is spent: taking more would only
    /// give them back.
    spent: bool,
}

impl Lane {
    /// Connects the destination, then relays until halted. An error is a failure
    /// retrying cannot fix (refused AUTH or publish, a bad certificate, ...) or,
    /// when stopping, messages the destination did not acknowledge in time (they
    /// were requeued).
    pub async fn run(self) -> Result<(), String> {
        let mut halt = self.halt.clone();
        let (pool, nodes) = match self.dest.connect().await {
            Ok(p) => p,
            Err((e, true)) => return Err(e),
            Err((e, false)) => {
                self.tally.down.store(true, Ordering::Relaxed);
                let again = self.reconnect(e, 0, &mut halt, None).await;
                self.tally.down.store(false, Ordering::Relaxed);
                match again? {
                    Some(p) => p,
                    None => return Ok(()),
                }
            }
        };
        self.emit(RelayEvent::Connected {
            source: self.source.topic.clone(),
            nodes,
            again: false,
        });
        let on_source = self.on_source.clone();
        let (consumer, rx) = Consumer::start(self.source.clone(), move |e| on_source(e));
        let _ = self.tally.source.set(consumer.reachability());
        let mut st = State {
            consumer,
            rx,
            pool,
            held: BTreeMap::new(),
            next: 1,
            spent: false,
        };
        let result = self.relay(&mut st, &mut halt).await;
        let finish = result.is_ok() && *halt.borrow() == Halt::Finish;
        let wound = self.wind_down(&mut st, finish, &mut halt).await;
        result.and(wound)
    }

    fn emit(&self, e: RelayEvent) {
        (self.on_event)(e)
    }

    /// Takes, filters and publishes until halted or failed for good.
    async fn relay(&self, st: &mut State, halt: &mut watch::Receiver<Halt>) -> Result<(), String> {
        loop {
            if *halt.borrow() != Halt::Run {
                return Ok(());
            }
            let waiting = st.pool.has_in_flight();
            let spent = st.spent;
            let step = tokio::select! {
                biased;
                c = halt.changed() => {
                    if c.is_err() {
                        return Ok(());
                    }
                    continue;
                }
                e = st.consumer.fatal() => return Err(e),
                b = st.rx.recv() => match b {
                    Some(b) => self.take_all(st, b).await,
                    None => return Ok(()),
                },
                _ = st.pool.wait_progress(), if waiting => st.pool.check_failures().await,
                _ = tokio::time::sleep(BUDGET_POLL), if spent => {
                    self.resume_if_budget(st);
                    continue;
                }
            };
            match step {
                Ok(()) => self.fin_acked(st),
                Err(e) => self.failed(st, e, halt).await?,
            }
        }
    }

    /// Takes `first` and every batch already waiting, then sends what they left
    /// in the pool's partial batch: the source is not waited for (its next
    /// messages come only once these are acknowledged and FINed).
    async fn take_all(&self, st: &mut State, first: Vec<Delivery>) -> Result<(), String> {
        self.take(st, first).await?;
        while let Ok(b) = st.rx.try_recv() {
            self.take(st, b).await?;
        }
        st.pool.send_batch().await
    }

    /// Deals with one batch from the source: filter, -n, then into the pool.
    async fn take(&self, st: &mut State, batch: Vec<Delivery>) -> Result<(), String> {
        Tally::add(&self.tally.taken, batch.len() as u64);
        let mut batch = batch.into_iter();
        while let Some(d) = batch.next() {
            if !(self.filter)(&d.msg.body) {
                d.conn.fin(d.msg.id);
                Tally::add(&self.tally.filtered, 1);
                continue;
            }
            if !self.reserve() {
                self.give_back(d);
                self.pause_spent(st);
                continue;
            }
            if self.budget_left() == Some(0) {
                self.pause_spent(st);
            }
            let record = st.next;
            st.next += 1;
            let body = d.msg.body.clone();
            st.held.insert(record, d);
            Tally::add(&self.tally.held, 1);
            let m = pool::Message {
                body,
                record,
                offset: 0,
            };
            if let Err(e) = st.pool.push(m).await {
                batch.for_each(|d| self.give_back(d));
                return Err(e);
            }
        }
        Ok(())
    }

    /// One message from the -n budget; false once it is spent.
    fn reserve(&self) -> bool {
        self.budget.as_ref().is_none_or(|b| {
            b.fetch_update(Ordering::Relaxed, Ordering::Relaxed, |n| n.checked_sub(1))
                .is_ok()
        })
    }

    fn budget_left(&self) -> Option<u64> {
        self.budget.as_ref().map(|b| b.load(Ordering::Relaxed))
    }

    /// The -n budget is spent: RDY 0, so that nsqd stops sending what could only
    /// be given back (and come straight back again).
    fn pause_spent(&self, st: &mut State) {
        if !st.spent {
            st.spent = true;
            st.consumer.pause(true);
        }
    }

    /// Takes messages again once some of the budget came back (unless the
    /// destination is down: then [`Lane::failed`] resumes).
    fn resume_if_budget(&self, st: &mut State) {
        if self.budget_left() != Some(0) {
            st.spent = false;
            st.consumer.pause(false);
        }
    }

    /// REQ at once, without delay.
    fn give_back(&self, d: Delivery) {
        d.conn.req(d.msg.id, Duration::ZERO);
        Tally::add(&self.tally.requeued, 1);
    }

    /// FINs every held message the destination acknowledged: those before the
    /// pool's first unacknowledged record.
    fn fin_acked(&self, st: &mut State) {
        let upto = st.pool.resume().record;
        let rest = st.held.split_off(&upto);
        let acked = std::mem::replace(&mut st.held, rest);
        if acked.is_empty() {
            return;
        }
        let n = acked.len() as u64;
        let mut by_conn: Vec<(Arc<ConnHandle>, Vec<MessageId>)> = Vec::new();
        for d in acked.into_values() {
            match by_conn.iter_mut().find(|(c, _)| Arc::ptr_eq(c, &d.conn)) {
                Some((_, ids)) => ids.push(d.msg.id),
                None => by_conn.push((d.conn, vec![d.msg.id])),
            }
        }
        for (conn, ids) in by_conn {
            conn.fin_many(ids);
        }
        self.tally.held.fetch_sub(n, Ordering::Relaxed);
        Tally::add(&self.tally.relayed, n);
    }

    /// REQs everything held (their -n reservations return to the budget).
    fn requeue_held(&self, st: &mut State) -> u64 {
        let held = std::mem::take(&mut st.held);
        let n = held.len() as u64;
        for d in held.into_values() {
            self.give_back(d);
        }
        self.tally.held.fetch_sub(n, Ordering::Relaxed);
        if let Some(b) = &self.budget {
            b.fetch_add(n, Ordering::Relaxed);
        }
        n
    }

    /// The destination failed: requeue what is held, pause the source, and
    /// reconnect with backoff (unless retrying cannot help, or we are halted).
    async fn failed(
        &self,
        st: &mut State,
        error: String,
        halt: &mut watch::Receiver<Halt>,
    ) -> Result<(), String> {
        let permanent = st.pool.failed_permanently();
        st.consumer.pause(true);
        self.fin_acked(st);
        let too_big = permanent
            .then(|| name_too_big(&error, st.held.values()))
            .flatten();
        let requeued = self.requeue_held(st);
        if permanent {
            return Err(too_big.unwrap_or(error));
        }
        self.tally.down.store(true, Ordering::Relaxed);
        let again = self
            .reconnect(error, requeued, halt, Some(&mut st.rx))
            .await;
        self.tally.down.store(false, Ordering::Relaxed);
        if let Some((pool, nodes)) = again? {
            st.pool = pool;
            st.consumer.pause(st.spent);
            self.emit(RelayEvent::Connected {
                source: self.source.topic.clone(),
                nodes,
                again: true,
            });
        }
        Ok(())
    }

    /// Reconnects the destination with backoff, REQing at once what the source
    /// still sends meanwhile. None when halted first.
    async fn reconnect(
        &self,
        mut error: String,
        mut requeued: u64,
        halt: &mut watch::Receiver<Halt>,
        mut rx: Option<&mut mpsc::UnboundedReceiver<Vec<Delivery>>>,
    ) -> Result<Option<(Pool, Vec<String>)>, String> {
        let mut backoff = FIRST_BACKOFF;
        loop {
            self.emit(RelayEvent::DestinationFailed {
                source: self.source.topic.clone(),
                error,
                requeued,
                retry_in: backoff,
            });
            requeued = 0;
            let wake = tokio::time::sleep(backoff);
            tokio::pin!(wake);
            loop {
                tokio::select! {
                    _ = &mut wake => break,
                    _ = halt.wait_for(|h| *h != Halt::Run) => return Ok(None),
                    Some(b) = async { rx.as_mut()?.recv().await }, if rx.is_some() => {
                        Tally::add(&self.tally.taken, b.len() as u64);
                        b.into_iter().for_each(|d| self.give_back(d));
                    }
                }
            }
            match self.dest.connect().await {
                Ok(p) => return Ok(Some(p)),
                Err((e, true)) => return Err(e),
                Err((e, false)) => error = e,
            }
            backoff = (backoff * 2).min(MAX_BACKOFF);
        }
    }

    /// Stops the source; with `finish`, what is held gets [`FINISH_GRACE`] to be
    /// acknowledged; the rest, and what is still arriving, goes back at once.
    async fn wind_down(
        &self,
        st: &mut State,
        finish: bool,
        halt: &mut watch::Receiver<Halt>,
    ) -> Result<(), String> {
        st.consumer.stop();
        let mut result = Ok(());
        if finish && !st.held.is_empty() {
            let done = tokio::select! {
                r = tokio::time::timeout(FINISH_GRACE, st.pool.finish()) => match r {
                    Ok(r) => r,
                    Err(_) => Err(format!(
                        "the destination did not acknowledge within {}",
                        humantime::format_duration(FINISH_GRACE)
                    )),
                },
                _ = halt.wait_for(|h| *h == Halt::Now) => Err("stopped before the destination acknowledged".to_string()),
            };
            self.fin_acked(st);
            if let Err(e) = done {
                let n = st.held.len();
                result = Err(format!("{e}; {n} message(s) requeued"));
            }
        }
        self.requeue_held(st);
        let quick = *halt.borrow() == Halt::Now;
        if !quick {
            let end = tokio::time::Instant::now() + DRAIN_TIMEOUT;
            while let Ok(Some(b)) = tokio::time::timeout_at(end, st.rx.recv()).await {
                Tally::add(&self.tally.taken, b.len() as u64);
                b.into_iter().for_each(|d| self.give_back(d));
            }
        }
        while let Ok(b) = st.rx.try_recv() {
            Tally::add(&self.tally.taken, b.len() as u64);
            b.into_iter().for_each(|d| self.give_back(d));
        }
        st.rx.close();
        if !quick {
            st.consumer.join(DRAIN_TIMEOUT).await;
        }
        result
    }
}

/// When the destination refused a publish because a message is bigger than its
/// max-msg-size (nsqd: `E_BAD_MESSAGE MPUB message too big 2003 > 1024`; nsqd
/// 1.3.0 does not tell its limit before), the error naming the first held
/// message that is too big: its id and size, so the operator can act. None for
/// any other error.
fn name_too_big<'a>(error: &str, held: impl Iterator<Item = &'a Delivery>) -> Option<String> {
    let max = refused_size_limit(error)?;
    let big: Vec<&Delivery> = held.filter(|d| d.msg.body.len() > max).collect();
    let first = big.first()?;
    let others = match big.len() - 1 {
        0 => String::new(),
        n => format!(" ({n} more held message(s) too big as well)"),
    };
    Some(format!(
        "message {} ({} bytes) refused by the destination: {error}{others}; \
         every held message was requeued",
        first.msg.id,
        first.msg.body.len()
    ))
}

/// The max-msg-size a refusal names (`E_BAD_MESSAGE ... message too big 2003 > 1024`).
fn refused_size_limit(error: &str) -> Option<usize> {
    let (_, rest) = error.split_once("E_BAD_MESSAGE")?;
    let (_, max) = rest.split_once("message too big ")?.1.split_once(" > ")?;
    max.split_whitespace().next()?.parse().ok()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_size_limit_is_read_from_nsqds_refusal() {
        let e = "nsqd at 127.0.0.1:4150 refused the publish: E_BAD_MESSAGE MPUB message too big 2003 > 1024";
        assert_eq!(refused_size_limit(e), Some(1024));
        let pub_ = "refused the publish: E_BAD_MESSAGE PUB message too big 9 > 8";
        assert_eq!(refused_size_limit(pub_), Some(8));
        for other in [
            "refused the publish: E_BAD_MESSAGE MPUB invalid message body size 0",
            "refused the publish: E_BAD_TOPIC PUB topic name \"a b\" is not valid",
            "refused the publish: E_BAD_BODY MPUB body too big 9 > 8",
        ] {
            assert_eq!(refused_size_limit(other), None, "{other}");
        }
    }
}
