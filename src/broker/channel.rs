//! A channel: its own copy of every message of its topic, spread over its clients
//! within their RDY counts, with in-flight timeouts, requeues and deferrals.

use super::client::{Client, Outbound};
use super::store::{SpillQueue, Staged, Store};
use crate::protocol::{Message, MessageId};
use std::cmp::Reverse;
use std::collections::{BinaryHeap, HashMap};
use std::sync::atomic::Ordering;
use std::sync::{Arc, Mutex, MutexGuard};
use std::time::{Duration, Instant};

#[derive(Debug)]
struct InFlight {
    msg: Message,
    client_id: u64,
    deadline: Instant,
}

#[derive(Debug)]
struct Deferred {
    at: Instant,
    seq: u64,
    msg: Message,
}

impl PartialEq for Deferred {
    fn eq(&self, o: &Self) -> bool {
        (self.at, self.seq) == (o.at, o.seq)
    }
}
impl Eq for Deferred {}
impl PartialOrd for Deferred {
    fn partial_cmp(&self, o: &Self) -> Option<std::cmp::Ordering> {
        Some(self.cmp(o))
    }
}
impl Ord for Deferred {
    fn cmp(&self, o: &Self) -> std::cmp::Ordering {
        (self.at, self.seq).cmp(&(o.at, o.seq))
    }
}

#[derive(Debug)]
pub struct ChannelState {
    queue: SpillQueue<Message>,
    in_flight: HashMap<MessageId, InFlight>,
    /// Deadlines of in-flight messages; stale entries are skipped lazily.
    in_flight_deadlines: BinaryHeap<Reverse<(Instant, MessageId)>>,
    deferred: BinaryHeap<Reverse<Deferred>>,
    deferred_seq: u64,
    clients: Vec<Arc<Client>>,
    next_client: usize,
    pub paused: bool,
    pub message_count: u64,
    pub requeue_count: u64,
    pub timeout_count: u64,
    pub deleted: bool,
}

#[derive(Debug)]
pub struct Channel {
    pub name: String,
    pub topic_name: String,
    pub ephemeral: bool,
    state: Mutex<ChannelState>,
}

/// Why FIN/REQ/TOUCH failed, in nsqd's words.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum InFlightError {
    NotInFlight,
    NotOwner,
}

impl std::fmt::Display for InFlightError {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(match self {
            InFlightError::NotInFlight => "ID not in flight",
            InFlightError::NotOwner => "client does not own message",
        })
    }
}

/// A point-in-time copy of a channel's counters for /stats.
#[derive(Debug, Clone)]
pub struct ChannelStats {
    pub name: String,
    pub depth: u64,
    pub backend_depth: u64,
    pub in_flight_count: u64,
    pub deferred_count: u64,
    pub message_count: u64,
    pub requeue_count: u64,
    pub timeout_count: u64,
    pub paused: bool,
    pub clients: Vec<Arc<Client>>,
}

impl Channel {
    /// A channel, holding what a clean stop saved of it in a durable store.
    pub fn new(topic_name: &str, name: &str, store: Arc<Store>) -> Channel {
        let (queue, head) = SpillQueue::open(store, &format!("{topic_name}:{name}"));
        let mut st = ChannelState {
            queue,
            in_flight: HashMap::new(),
            in_flight_deadlines: BinaryHeap::new(),
            deferred: BinaryHeap::new(),
            deferred_seq: 0,
            clients: Vec::new(),
            next_client: 0,
            paused: false,
            message_count: 0,
            requeue_count: 0,
            timeout_count: 0,
            deleted: false,
        };
        for (m, defer) in head {
            if defer.is_zero() {
                st.queue.push_memory(m);
            } else {
                Self::defer(&mut st, m, defer);
            }
        }
        Channel {
            name: name.to_string(),
            topic_name: topic_name.to_string(),
            ephemeral: crate::protocol::names::is_ephemeral(name),
            state: Mutex::new(st),
        }
    }

    pub(super) fn lock(&self) -> MutexGuard<'_, ChannelState> {
        self.state.lock().unwrap_or_else(|e| e.into_inner())
    }

    /// A message from the topic (a copy per channel), possibly deferred.
    pub fn put(&self, msg: Message, defer: Duration) {
        let mut st = self.lock();
        if st.deleted {
            return;
        }
        st.message_count += 1;
        if defer.is_zero() {
            st.queue.push(msg);
            Self::dispatch(&mut st);
        } else {
            Self::defer(&mut st, msg, defer);
        }
    }

    fn defer(st: &mut ChannelState, msg: Message, defer: Duration) {
        st.deferred_seq += 1;
        let seq = st.deferred_seq;
        st.deferred.push(Reverse(Deferred {
            at: Instant::now() + defer,
            seq,
            msg,
        }));
    }

    /// Hands queued messages to ready clients, round-robin.
    fn dispatch(st: &mut ChannelState) {
        if st.paused || st.clients.is_empty() {
            return;
        }
        while !st.queue.is_empty() {
            let n = st.clients.len();
            let mut chosen = None;
            for i in 0..n {
                let idx = (st.next_client + i) % n;
                if st.clients[idx].is_ready() {
                    chosen = Some(idx);
                    break;
                }
            }
            let Some(idx) = chosen else { return };
            st.next_client = (idx + 1) % n;
            let client = st.clients[idx].clone();
            let Some(mut msg) = st.queue.pop() else {
                return;
            };
            let rate = client.sample_rate.load(Ordering::Relaxed);
            if rate > 0 && rand::random_range(0..100) > rate {
                continue; // sampled out: nsqd drops it for this channel
            }
            msg.attempts = msg.attempts.saturating_add(1);
            let deadline = Instant::now() + client.msg_timeout();
            client.in_flight_count.fetch_add(1, Ordering::Relaxed);
            client.message_count.fetch_add(1, Ordering::Relaxed);
            st.in_flight_deadlines.push(Reverse((deadline, msg.id)));
            st.in_flight.insert(
                msg.id,
                InFlight {
                    msg: msg.clone(),
                    client_id: client.id,
                    deadline,
                },
            );
            client.send(Outbound::Message(msg));
        }
    }

    pub fn add_client(&self, client: Arc<Client>) -> bool {
        let mut st = self.lock();
        if st.deleted {
            return false;
        }
        st.clients.push(client);
        true
    }

    /// Removes a client; returns true when an ephemeral channel became unused.
    pub fn remove_client(&self, client_id: u64) -> bool {
        let mut st = self.lock();
        st.clients.retain(|c| c.id != client_id);
        // Messages it held stay in flight until their timeout, as in nsqd.
        self.ephemeral && st.clients.is_empty() && !st.deleted
    }

    pub fn client_count(&self) -> usize {
        self.lock().clients.len()
    }

    /// A client's RDY changed or it finished a message: try to send more.
    pub fn wake(&self) {
        let mut st = self.lock();
        Self::dispatch(&mut st);
    }

    fn take_in_flight(
        st: &mut ChannelState,
        client_id: u64,
        id: &MessageId,
    ) -> Result<InFlight, InFlightError> {
        match st.in_flight.get(id) {
            None => Err(InFlightError::NotInFlight),
            Some(f) if f.client_id != client_id => Err(InFlightError::NotOwner),
            Some(_) => Ok(st.in_flight.remove(id).unwrap()),
        }
    }

    pub fn finish(&self, client: &Client, id: &MessageId) -> Result<(), InFlightError> {
        let mut st = self.lock();
        Self::take_in_flight(&mut st, client.id, id)?;
        client.finish_count.fetch_add(1, Ordering::Relaxed);
        client.in_flight_count.fetch_sub(1, Ordering::Relaxed);
        Self::dispatch(&mut st);
        Self::shrink_in_flight(&mut st);
        Ok(())
    }

    pub fn requeue(
        &self,
        client: &Client,
        id: &MessageId,
        delay: Duration,
    ) -> Result<(), InFlightError> {
        let mut st = self.lock();
        let f = Self::take_in_flight(&mut st, client.id, id)?;
        client.requeue_count.fetch_add(1, Ordering::Relaxed);
        client.in_flight_count.fetch_sub(1, Ordering::Relaxed);
        st.requeue_count += 1;
        if delay.is_zero() {
            st.queue.push(f.msg);
        } else {
            Self::defer(&mut st, f.msg, delay);
        }
        Self::dispatch(&mut st);
        Ok(())
    }

    pub fn touch(&self, client: &Client, id: &MessageId) -> Result<(), InFlightError> {
        let mut st = self.lock();
        let deadline = Instant::now() + client.msg_timeout();
        match st.in_flight.get_mut(id) {
            None => return Err(InFlightError::NotInFlight),
            Some(f) if f.client_id != client.id => return Err(InFlightError::NotOwner),
            Some(f) => f.deadline = deadline,
        }
        st.in_flight_deadlines.push(Reverse((deadline, *id)));
        Ok(())
    }

    /// Requeues timed-out in-flight messages and releases due deferred ones.
    /// `find_client` maps a client id to its handle so its in-flight count drops.
    pub fn scan(&self, now: Instant) {
        let mut st = self.lock();
        let mut changed = false;
        while let Some(Reverse((deadline, id))) = st.in_flight_deadlines.peek().copied() {
            if deadline > now {
                break;
            }
            st.in_flight_deadlines.pop();
            let current = st.in_flight.get(&id).map(|f| f.deadline);
            if current != Some(deadline) {
                continue; // finished, requeued or touched since
            }
            let f = st.in_flight.remove(&id).unwrap();
            st.timeout_count += 1;
            if let Some(c) = st.clients.iter().find(|c| c.id == f.client_id) {
                c.in_flight_count.fetch_sub(1, Ordering::Relaxed);
            }
            st.queue.push(f.msg);
            changed = true;
        }
        while st.deferred.peek().is_some_and(|d| d.0.at <= now) {
            let d = st.deferred.pop().unwrap().0;
            st.queue.push(d.msg);
            changed = true;
        }
        if changed {
            Self::dispatch(&mut st);
            Self::shrink_in_flight(&mut st);
        }
    }

    /// Gives back the memory of large in-flight and deferred tables once empty.
    fn shrink_in_flight(st: &mut ChannelState) {
        if st.in_flight.is_empty() && st.in_flight.capacity() > 1024 {
            st.in_flight = HashMap::new();
            st.in_flight_deadlines = BinaryHeap::new();
            super::store::want_release();
        }
        if st.deferred.is_empty() && st.deferred.capacity() > 1024 {
            st.deferred = BinaryHeap::new();
            super::store::want_release();
        }
    }

    pub fn set_paused(&self, paused: bool) {
        let mut st = self.lock();
        st.paused = paused;
        Self::dispatch(&mut st);
    }

    /// Drops every queued, deferred and in-flight message.
    pub fn empty(&self) {
        let mut st = self.lock();
        st.queue.clear();
        st.deferred = BinaryHeap::new();
        st.in_flight = HashMap::new();
        st.in_flight_deadlines = BinaryHeap::new();
        for c in &st.clients {
            c.in_flight_count.store(0, Ordering::Relaxed);
        }
    }

    /// Marks the channel deleted and disconnects its clients.
    pub fn delete(&self) {
        let mut st = self.lock();
        st.deleted = true;
        st.queue.clear();
        st.deferred.clear();
        st.in_flight.clear();
        st.in_flight_deadlines.clear();
        for c in st.clients.drain(..) {
            c.close();
        }
    }

    pub fn stats(&self) -> ChannelStats {
        let st = self.lock();
        ChannelStats {
            name: self.name.clone(),
            depth: st.queue.len() as u64,
            backend_depth: st.queue.backend_depth(),
            in_flight_count: st.in_flight.len() as u64,
            deferred_count: st.deferred.len() as u64,
            message_count: st.message_count,
            requeue_count: st.requeue_count,
            timeout_count: st.timeout_count,
            paused: st.paused,
            clients: st.clients.clone(),
        }
    }
}

impl ChannelState {
    /// First half of a publish: the part of `msgs` that does not fit in memory goes
    /// to disk (deferred messages stay in memory, as nsqd). `None`: nothing to undo.
    pub(super) fn stage(
        &mut self,
        msgs: &[Message],
        defer: Duration,
    ) -> std::io::Result<Option<Staged>> {
        if self.deleted || !defer.is_zero() {
            return Ok(None);
        }
        self.queue.stage(msgs, Duration::ZERO).map(Some)
    }

    pub(super) fn unstage(&mut self, s: Option<Staged>) {
        if let Some(s) = s {
            self.queue.unstage(s);
        }
    }

    /// Second half of a publish: counts the messages and hands them out.
    pub(super) fn commit(&mut self, msgs: &[Message], defer: Duration, s: Option<Staged>) {
        if self.deleted {
            return;
        }
        self.message_count += msgs.len() as u64;
        match s {
            Some(s) => self.queue.commit(msgs.iter().cloned(), s),
            None => {
                for m in msgs {
                    Channel::defer(self, m.clone(), defer);
                }
            }
        }
        Channel::dispatch(self);
    }
}

impl Channel {
    /// A clean stop with a durable store: saves in-flight messages (to be sent
    /// again, attempts kept), queued ones and deferred ones (with the time left).
    pub fn save(&self, now: Instant) -> std::io::Result<()> {
        let mut st = self.lock();
        st.deleted = true;
        if self.ephemeral {
            st.queue.clear();
            return Ok(());
        }
        let st = &mut *st;
        let mut in_flight: Vec<&InFlight> = st.in_flight.values().collect();
        in_flight.sort_by_key(|f| f.msg.id.0);
        let mut deferred: Vec<&Deferred> = st.deferred.iter().map(|d| &d.0).collect();
        deferred.sort();
        let head_in_flight = in_flight.into_iter().map(|f| (&f.msg, Duration::ZERO));
        // Due now still counts as deferred (1 ms) so that it comes back deferred.
        let head_deferred = deferred.into_iter().map(|d| {
            (
                &d.msg,
                d.at.saturating_duration_since(now)
                    .max(Duration::from_millis(1)),
            )
        });
        st.queue.save_with(head_in_flight, head_deferred)
    }
}
