//! A topic: buffers messages until it has a channel, then gives every channel a copy.

use super::channel::{Channel, ChannelStats};
use super::store::{SpillQueue, Store};
use crate::protocol::Message;
use std::collections::BTreeMap;
use std::sync::{Arc, Mutex, MutexGuard};
use std::time::{Duration, Instant};

#[derive(Debug)]
struct TopicState {
    channels: BTreeMap<String, Arc<Channel>>,
    /// Messages waiting for a first channel (or for unpause), with their deferral.
    queue: SpillQueue<(Message, Duration)>,
    paused: bool,
    message_count: u64,
    message_bytes: u64,
    deleted: bool,
    /// Saved at a clean stop: publishing is refused ("exiting"), as on nsqd.
    exiting: bool,
}

/// Why a publish was refused; nothing of it was kept.
#[derive(Debug, thiserror::Error)]
pub enum PutError {
    /// The topic is deleted or the broker is stopping (nsqd: "exiting").
    #[error("exiting")]
    Exiting,
    /// Disk could not take the part beyond --mem-queue-size (nsqd: the write error).
    #[error("{}", crate::error::describe_io(.0))]
    Write(std::io::Error),
}

#[derive(Debug)]
pub struct Topic {
    pub name: String,
    pub ephemeral: bool,
    store: Arc<Store>,
    state: Mutex<TopicState>,
}

#[derive(Debug, Clone)]
pub struct TopicStats {
    pub name: String,
    pub depth: u64,
    pub backend_depth: u64,
    pub message_count: u64,
    pub message_bytes: u64,
    pub paused: bool,
    pub channels: Vec<ChannelStats>,
}

impl Topic {
    /// A topic, holding what a clean stop saved of it in a durable store.
    pub fn new(name: &str, store: Arc<Store>) -> Topic {
        let (mut queue, head) = SpillQueue::open(store.clone(), name);
        for item in head {
            queue.push_memory(item);
        }
        let st = TopicState {
            channels: BTreeMap::new(),
            queue,
            paused: false,
            message_count: 0,
            message_bytes: 0,
            deleted: false,
            exiting: false,
        };
        Topic {
            name: name.to_string(),
            ephemeral: crate::protocol::names::is_ephemeral(name),
            store,
            state: Mutex::new(st),
        }
    }

    fn lock(&self) -> MutexGuard<'_, TopicState> {
        self.state.lock().unwrap_or_else(|e| e.into_inner())
    }

    /// Publishes messages, all or nothing: one lock for the batch, and if disk
    /// cannot take its part for one queue, no queue keeps any of it.
    pub fn put(&self, msgs: Vec<Message>, defer: Duration) -> Result<(), PutError> {
        let mut st = self.lock();
        if st.deleted || st.exiting {
            return Err(PutError::Exiting);
        }
        if st.paused || st.channels.is_empty() {
            let staged = st.queue.stage(&msgs, defer).map_err(PutError::Write)?;
            Self::count(&mut st, &msgs);
            st.queue
                .commit(msgs.into_iter().map(|m| (m, defer)), staged);
            return Ok(());
        }
        Self::fan_out(&st.channels, &msgs, defer)?;
        Self::count(&mut st, &msgs);
        Ok(())
    }

    fn count(st: &mut TopicState, msgs: &[Message]) {
        st.message_count += msgs.len() as u64;
        st.message_bytes += msgs.iter().map(|m| m.body.len() as u64).sum::<u64>();
    }

    /// Gives every channel a copy, in two steps with every channel locked: each
    /// writes its disk part, then (all succeeded) each takes its memory part.
    fn fan_out(
        channels: &BTreeMap<String, Arc<Channel>>,
        msgs: &[Message],
        defer: Duration,
    ) -> Result<(), PutError> {
        let mut guards: Vec<_> = channels.values().map(|c| c.lock()).collect();
        let mut staged = Vec::with_capacity(guards.len());
        for i in 0..guards.len() {
            match guards[i].stage(msgs, defer) {
                Ok(s) => staged.push(s),
                Err(e) => {
                    for (g, s) in guards.iter_mut().zip(staged) {
                        g.unstage(s);
                    }
                    return Err(PutError::Write(e));
                }
            }
        }
        for (g, s) in guards.iter_mut().zip(staged) {
            g.commit(msgs, defer, s);
        }
        Ok(())
    }

    /// Moves buffered messages to the channels, if there are any and we're not paused.
    fn flush_queue(st: &mut TopicState) {
        if st.paused || st.channels.is_empty() {
            return;
        }
        while let Some((m, d)) = st.queue.pop() {
            for ch in st.channels.values() {
                ch.put(m.clone(), d);
            }
        }
    }

    /// Returns the channel, creating it if needed (`true` when created).
    pub fn get_or_create_channel(&self, name: &str) -> Option<(Arc<Channel>, bool)> {
        let mut st = self.lock();
        if st.deleted {
            return None;
        }
        if let Some(c) = st.channels.get(name) {
            return Some((c.clone(), false));
        }
        let ch = Arc::new(Channel::new(&self.name, name, self.store.clone()));
        st.channels.insert(name.to_string(), ch.clone());
        Self::flush_queue(&mut st);
        Some((ch, true))
    }

    pub fn channel(&self, name: &str) -> Option<Arc<Channel>> {
        self.lock().channels.get(name).cloned()
    }

    pub fn channel_names(&self) -> Vec<String> {
        self.lock().channels.keys().cloned().collect()
    }

    pub fn channels(&self) -> Vec<Arc<Channel>> {
        self.lock().channels.values().cloned().collect()
    }

    /// Deletes a channel; returns false if it did not exist.
    pub fn delete_channel(&self, name: &str) -> bool {
        let ch = self.lock().channels.remove(name);
        match ch {
            Some(c) => {
                c.delete();
                true
            }
            None => false,
        }
    }

    /// Removes `ch` only if it is still the channel under that name and unused.
    pub fn remove_if_unused(&self, ch: &Arc<Channel>) -> bool {
        let mut st = self.lock();
        let same = st
            .channels
            .get(&ch.name)
            .is_some_and(|c| Arc::ptr_eq(c, ch));
        if same && ch.client_count() == 0 {
            st.channels.remove(&ch.name);
            drop(st);
            ch.delete();
            return true;
        }
        false
    }

    pub fn channel_count(&self) -> usize {
        self.lock().channels.len()
    }

    pub fn set_paused(&self, paused: bool) {
        let mut st = self.lock();
        st.paused = paused;
        Self::flush_queue(&mut st);
    }

    pub fn is_paused(&self) -> bool {
        self.lock().paused
    }

    /// Drops the messages buffered in the topic itself (not its channels'), as nsqd.
    pub fn empty(&self) {
        self.lock().queue.clear();
    }

    /// Refuses publishing from now on (the broker is stopping).
    pub fn refuse_puts(&self) {
        self.lock().exiting = true;
    }

    /// The topic's and its (non-ephemeral) channels' names and paused states.
    pub fn metadata(&self) -> super::store::TopicMeta {
        let st = self.lock();
        let channels = st
            .channels
            .values()
            .filter(|c| !c.ephemeral)
            .map(|c| super::store::ChannelMeta {
                name: c.name.clone(),
                paused: c.lock().paused,
            })
            .collect();
        super::store::TopicMeta {
            name: self.name.clone(),
            paused: st.paused,
            channels,
        }
    }

    /// A clean stop: refuses further publishing and, with a durable store, saves
    /// the topic's own queue and its channels' (see [`Channel::save`]).
    pub fn save(&self, now: Instant) -> std::io::Result<()> {
        let mut st = self.lock();
        st.exiting = true;
        let channels: Vec<Arc<Channel>> = st.channels.values().cloned().collect();
        if self.ephemeral || !self.store.durable {
            st.queue.clear();
        } else {
            st.queue.save_with([], [])?;
        }
        drop(st);
        for c in channels {
            if self.ephemeral || !self.store.durable {
                c.delete();
            } else {
                c.save(now)?;
            }
        }
        Ok(())
    }

    pub fn delete(&self) {
        let mut st = self.lock();
        st.deleted = true;
        st.queue.clear();
        for (_, c) in std::mem::take(&mut st.channels) {
            c.delete();
        }
    }

    pub fn is_deleted(&self) -> bool {
        self.lock().deleted
    }

    pub fn stats(&self, channel_filter: Option<&str>) -> TopicStats {
        let st = self.lock();
        let channels: Vec<Arc<Channel>> = st
            .channels
            .values()
            .filter(|c| channel_filter.is_none_or(|f| c.name == f))
            .cloned()
            .collect();
        let (depth, backend_depth, message_count, message_bytes, paused) = (
            st.queue.len() as u64,
            st.queue.backend_depth(),
            st.message_count,
            st.message_bytes,
            st.paused,
        );
        drop(st);
        TopicStats {
            name: self.name.clone(),
            depth,
            backend_depth,
            message_count,
            message_bytes,
            paused,
            channels: channels.iter().map(|c| c.stats()).collect(),
        }
    }
}
