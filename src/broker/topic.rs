//! A topic: buffers messages until it has a channel, then gives every channel a copy.

use super::channel::{Channel, ChannelStats};
use crate::protocol::Message;
use std::collections::{BTreeMap, VecDeque};
use std::sync::{Arc, Mutex, MutexGuard};
use std::time::Duration;

#[derive(Debug, Default)]
struct TopicState {
    channels: BTreeMap<String, Arc<Channel>>,
    /// Messages waiting for a first channel (or for unpause), with their deferral.
    queue: VecDeque<(Message, Duration)>,
    paused: bool,
    message_count: u64,
    message_bytes: u64,
    deleted: bool,
}

#[derive(Debug)]
pub struct Topic {
    pub name: String,
    pub ephemeral: bool,
    state: Mutex<TopicState>,
}

#[derive(Debug, Clone)]
pub struct TopicStats {
    pub name: String,
    pub depth: u64,
    pub message_count: u64,
    pub message_bytes: u64,
    pub paused: bool,
    pub channels: Vec<ChannelStats>,
}

impl Topic {
    pub fn new(name: &str) -> Topic {
        Topic {
            name: name.to_string(),
            ephemeral: crate::protocol::names::is_ephemeral(name),
            state: Mutex::new(TopicState::default()),
        }
    }

    fn lock(&self) -> MutexGuard<'_, TopicState> {
        self.state.lock().unwrap_or_else(|e| e.into_inner())
    }

    /// Publishes messages (all or nothing: one lock for the batch).
    pub fn put(&self, msgs: Vec<Message>, defer: Duration) -> bool {
        let mut st = self.lock();
        if st.deleted {
            return false;
        }
        for m in &msgs {
            st.message_count += 1;
            st.message_bytes += m.body.len() as u64;
        }
        if st.paused || st.channels.is_empty() {
            st.queue.extend(msgs.into_iter().map(|m| (m, defer)));
            return true;
        }
        Self::fan_out(&st.channels, msgs, defer);
        true
    }

    fn fan_out(channels: &BTreeMap<String, Arc<Channel>>, msgs: Vec<Message>, defer: Duration) {
        for ch in channels.values() {
            if defer.is_zero() {
                ch.put_many(msgs.iter().cloned());
            } else {
                for m in &msgs {
                    ch.put(m.clone(), defer);
                }
            }
        }
    }

    /// Moves buffered messages to the channels, if there are any and we're not paused.
    fn flush_queue(st: &mut TopicState) {
        if st.paused || st.channels.is_empty() || st.queue.is_empty() {
            return;
        }
        let queued: Vec<_> = st.queue.drain(..).collect();
        for ch in st.channels.values() {
            for (m, d) in &queued {
                ch.put(m.clone(), *d);
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
        let ch = Arc::new(Channel::new(&self.name, name));
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
        let (depth, message_count, message_bytes, paused) = (
            st.queue.len() as u64,
            st.message_count,
            st.message_bytes,
            st.paused,
        );
        drop(st);
        TopicStats {
            name: self.name.clone(),
            depth,
            message_count,
            message_bytes,
            paused,
            channels: channels.iter().map(|c| c.stats()).collect(),
        }
    }
}
