//! A topic's or channel's queue: the first `--mem-queue-size` messages in memory,
//! the rest on disk. While anything is on disk new messages go to disk too and
//! memory is refilled from disk as it empties, so the queue stays first in, first out.

use super::{DiskQueue, Store};
use crate::protocol::Message;
use std::collections::VecDeque;
use std::io;
use std::sync::Arc;
use std::time::Duration;

/// What a queue keeps in memory: a channel's messages, or a topic's with their deferral.
pub trait Item: Sized {
    fn record(&self) -> (&Message, Duration);
    fn from_record(m: Message, defer: Duration) -> Self;
}

impl Item for Message {
    fn record(&self) -> (&Message, Duration) {
        (self, Duration::ZERO)
    }
    fn from_record(m: Message, _defer: Duration) -> Self {
        m
    }
}

impl Item for (Message, Duration) {
    fn record(&self) -> (&Message, Duration) {
        (&self.0, self.1)
    }
    fn from_record(m: Message, defer: Duration) -> Self {
        (m, defer)
    }
}

/// A batch half-way in: the part for disk written, the part for memory not yet added.
#[derive(Debug)]
pub struct Staged {
    to_memory: usize,
    mark: Option<super::disk::Mark>,
}

#[derive(Debug)]
pub struct SpillQueue<T> {
    store: Arc<Store>,
    /// File name prefix: `topic` or `topic:channel`, as nsqd names its files.
    name: String,
    mem: VecDeque<T>,
    disk: Option<DiskQueue>,
    /// Saved at a clean stop: the files are final, anything later stays in memory.
    saved: bool,
}

impl<T: Item> SpillQueue<T> {
    /// An empty queue, or with a durable store what a clean stop left of it.
    pub fn open(store: Arc<Store>, name: &str) -> (SpillQueue<T>, Vec<(Message, Duration)>) {
        let mut q = SpillQueue {
            store,
            name: name.to_string(),
            mem: VecDeque::new(),
            disk: None,
            saved: false,
        };
        let mut head = Vec::new();
        if q.store.durable {
            match q.restore() {
                Ok(h) => head = h,
                Err(e) => q.store.restore_failed(e),
            }
        }
        (q, head)
    }

    /// What a clean stop saved: the head (returned) and the disk part.
    /// The disk part is opened first so that, if the head can't be read, its
    /// files stay where they are and a clean stop saves where reading stood again.
    fn restore(&mut self) -> io::Result<Vec<(Message, Duration)>> {
        self.disk = Some(DiskQueue::open(&self.store.dir()?, &self.name)?);
        self.store.load_head(&self.name)
    }

    pub fn len(&self) -> usize {
        self.mem.len() + self.backend_depth() as usize
    }

    pub fn is_empty(&self) -> bool {
        self.len() == 0
    }

    /// Messages on disk (nsqd's `backend_depth`).
    pub fn backend_depth(&self) -> u64 {
        self.disk.as_ref().map_or(0, |d| d.depth())
    }

    fn limit(&self) -> usize {
        self.store.mem_queue_size
    }

    fn disk(&mut self) -> io::Result<&mut DiskQueue> {
        if self.saved {
            return Err(io::Error::other("exiting"));
        }
        if self.disk.is_none() {
            self.disk = Some(DiskQueue::open(&self.store.dir()?, &self.name)?);
        }
        Ok(self.disk.as_mut().expect("opened above"))
    }

    /// Writes to disk the part of a batch that does not fit in memory; nothing
    /// changes if that fails. [`commit`](Self::commit) or [`unstage`](Self::unstage) follows.
    pub fn stage(&mut self, msgs: &[Message], defer: Duration) -> io::Result<Staged> {
        let room = if self.backend_depth() == 0 {
            self.limit().saturating_sub(self.mem.len())
        } else {
            0
        };
        let to_memory = room.min(msgs.len());
        if to_memory == msgs.len() {
            return Ok(Staged {
                to_memory,
                mark: None,
            });
        }
        let disk = self.disk()?;
        let mark = disk.mark();
        disk.put(msgs[to_memory..].iter().map(|m| (m, defer)))?;
        Ok(Staged {
            to_memory,
            mark: Some(mark),
        })
    }

    /// Takes back a staged batch (another queue of the same publish failed).
    pub fn unstage(&mut self, s: Staged) {
        if let (Some(mark), Some(d)) = (s.mark, self.disk.as_mut()) {
            d.rollback(mark);
        }
    }

    /// Adds the memory part of a staged batch (`items` is the whole batch).
    pub fn commit(&mut self, items: impl IntoIterator<Item = T>, s: Staged) {
        self.mem.extend(items.into_iter().take(s.to_memory));
    }

    /// Adds a message restored at start-up, in memory whatever the limit.
    pub fn push_memory(&mut self, item: T) {
        self.mem.push_back(item);
    }

    /// Adds one message at the back. It never fails: if disk cannot take it, it
    /// stays in memory beyond the limit rather than being lost, and so comes out
    /// before the older messages still on disk (the one break in the queue's order;
    /// README: Queues, disk and durability).
    pub fn push(&mut self, item: T) {
        if self.backend_depth() == 0 && self.mem.len() < self.limit() {
            self.mem.push_back(item);
            return;
        }
        let (m, d) = item.record();
        let written = self.disk().and_then(|q| q.put([(m, d)]));
        if written.is_err() {
            self.mem.push_back(item);
        }
    }

    /// The oldest message, refilling memory from disk when memory is empty.
    pub fn pop(&mut self) -> Option<T> {
        if self.mem.is_empty() {
            self.refill();
        }
        let item = self.mem.pop_front();
        if self.mem.is_empty() && self.backend_depth() == 0 {
            self.shrink();
        }
        item
    }

    fn refill(&mut self) {
        let want = self.limit().max(1);
        let Some(d) = self.disk.as_mut() else { return };
        while self.mem.len() < want {
            match d.pop() {
                Ok(Some((m, defer))) => self.mem.push_back(T::from_record(m, defer)),
                Ok(None) => break,
                // Not readable now (e.g. too many open files): the files stay, and
                // the next pop tries again.
                Err(_) => break,
            }
        }
        // Files that can't be decoded were renamed .bad and skipped (as nsqd does).
        self.store.note_bad_files(d.take_bad());
    }

    /// Gives back the memory of a large drained queue.
    fn shrink(&mut self) {
        if self.mem.capacity() > 1024 {
            self.mem = VecDeque::new();
            super::want_release();
        }
    }

    /// Drops every message, in memory and on disk.
    pub fn clear(&mut self) {
        self.mem = VecDeque::new();
        if let Some(d) = &mut self.disk {
            d.clear();
        }
    }

    /// The messages in memory, oldest first.
    pub fn memory(&self) -> impl Iterator<Item = &T> {
        self.mem.iter()
    }

    /// A clean stop: saves `before`, this queue's memory and `after` (what the owner
    /// held in memory besides this queue, read back first on start), then closes
    /// the disk part.
    pub fn save_with<'a>(
        &mut self,
        before: impl IntoIterator<Item = (&'a Message, Duration)>,
        after: impl IntoIterator<Item = (&'a Message, Duration)>,
    ) -> io::Result<()> {
        let mut all: Vec<(&Message, Duration)> = Vec::new();
        for (m, d) in before {
            all.push((m, d));
        }
        all.extend(self.mem.iter().map(|i| i.record()));
        for (m, d) in after {
            all.push((m, d));
        }
        self.store.save_head(&self.name, all)?;
        self.saved = true;
        match self.disk.take() {
            Some(mut d) => d.close(),
            None => Ok(()),
        }
    }
}
