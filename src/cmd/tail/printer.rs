//! Writing messages to stdout and deciding when each one counts as delivered.
//!
//! A file or a terminal: once its bytes were written (no userspace buffer) it is
//! FINed. A pipe: once its reader has taken all its bytes. The write end of a pipe
//! tells how much is still unread (`ioctl(FIONREAD)`, Linux), so with the
//! cumulative byte offset where each message ends, the messages wholly taken are
//! known exactly. What is still in the pipe when the reader goes away is given back.
//!
//! A reader such as `head` reads ahead whatever the pipe holds, so an idle pipe is
//! not filled at once: at most `window` messages may be unread, and the window
//! grows (1, 2, 4, ...) each time the reader has taken everything.

use super::format::Formatter;
use crate::client::consumer::{ConnHandle, Delivery};
use std::collections::VecDeque;
use std::io::Write;
use std::sync::Arc;
use std::time::Duration;

/// How often messages held unread (or by --requeue) are TOUCHed, at most.
const MAX_TOUCH_EVERY: Duration = Duration::from_secs(20);

pub struct Printer<'a> {
    formatter: &'a Formatter,
    /// --requeue: a delivered message is held (REQed at exit) instead of FINed.
    requeue: bool,
    /// stdout is a pipe whose unread bytes we can ask for.
    pipe: bool,
    /// Pipe: messages that may be unread at once now, and its upper bound.
    window: usize,
    window_max: usize,
    /// Bytes written to stdout so far.
    written: u64,
    /// Pipe: written, not yet wholly taken, with the offset where each ends.
    unread: VecDeque<(u64, Delivery)>,
    /// --requeue: delivered messages, kept in flight until exit.
    held: Vec<Delivery>,
    /// Messages delivered (FINed, or held with --requeue).
    pub delivered: u64,
    touch_every: Duration,
    out: Vec<u8>,
    ends: Vec<u64>,
}

/// A write to stdout that failed (what it did write is accounted for).
pub struct WriteFailed {
    pub error: std::io::Error,
}

impl<'a> Printer<'a> {
    /// `window_max`: the most messages a pipe may hold unread.
    pub fn new(formatter: &'a Formatter, requeue: bool, window_max: usize) -> Printer<'a> {
        let pipe = stdout_is_pipe() && pipe_unread().is_some();
        Printer {
            formatter,
            requeue,
            pipe,
            window: if pipe { 1 } else { usize::MAX },
            window_max: window_max.max(1),
            written: 0,
            unread: VecDeque::new(),
            held: Vec::new(),
            delivered: 0,
            touch_every: MAX_TOUCH_EVERY,
            out: Vec::with_capacity(1 << 20),
            ends: Vec::new(),
        }
    }

    /// How many more messages may be written now.
    pub fn room(&self) -> usize {
        self.window.saturating_sub(self.unread.len())
    }

    /// Messages written to a pipe and not yet taken by its reader.
    pub fn unread(&self) -> usize {
        self.unread.len()
    }

    /// Whether some messages are held in flight (and need TOUCH).
    pub fn holds(&self) -> bool {
        !self.unread.is_empty() || !self.held.is_empty()
    }

    /// How often held messages need TOUCH: half the shortest msg-timeout seen.
    pub fn touch_every(&self) -> Duration {
        self.touch_every
    }

    /// Takes note of the msg-timeout of the connections messages arrive on.
    pub fn arrived(&mut self, batch: &[Delivery]) {
        for d in batch {
            self.touch_every = self.touch_every.min(d.conn.msg_timeout / 2);
        }
    }

    /// Writes a batch. Wholly written messages are delivered (file, terminal) or
    /// wait for the reader (pipe); on a failed write the others are requeued.
    pub fn print(&mut self, batch: Vec<Delivery>) -> Result<(), WriteFailed> {
        self.out.clear();
        self.ends.clear();
        for d in &batch {
            self.formatter.write(&mut self.out, &d.msg, &d.conn.addr);
            self.ends.push(self.written + self.out.len() as u64);
        }
        let result = write_stdout(&self.out);
        let sent = match &result {
            Ok(()) => self.out.len(),
            Err((n, _)) => *n,
        };
        self.written += sent as u64;
        let mut delivered = Vec::new();
        for (d, &end) in batch.into_iter().zip(self.ends.iter()) {
            if end > self.written {
                d.conn.req(d.msg.id, Duration::ZERO);
            } else if self.pipe {
                self.unread.push_back((end, d));
            } else {
                delivered.push(d);
            }
        }
        self.deliver(delivered);
        self.collect();
        result.map_err(|(_, error)| WriteFailed { error })
    }

    /// Pipe: delivers the messages the reader has wholly taken. True if any.
    pub fn collect(&mut self) -> bool {
        if self.unread.is_empty() {
            return false;
        }
        // Unknown: count nothing as taken (at worst a message comes back twice).
        let Some(left) = pipe_unread() else {
            return false;
        };
        let taken = self.written.saturating_sub(left);
        let mut delivered = Vec::new();
        while self.unread.front().is_some_and(|(end, _)| *end <= taken) {
            delivered.push(self.unread.pop_front().unwrap().1);
        }
        let progress = !delivered.is_empty();
        self.deliver(delivered);
        if self.unread.is_empty() && progress {
            // The reader keeps up: let it have more at once.
            self.window = (self.window * 2).min(self.window_max);
        }
        progress
    }

    fn deliver(&mut self, mut batch: Vec<Delivery>) {
        self.delivered += batch.len() as u64;
        if self.requeue {
            self.held.append(&mut batch);
        } else {
            fin_all(&mut batch);
        }
    }

    /// TOUCHes what waits for the reader, what --requeue holds, and `waiting`.
    pub fn touch_all<'b>(&'b self, waiting: impl IntoIterator<Item = &'b Delivery>) {
        let held = self.unread.iter().map(|(_, d)| d).chain(&self.held);
        for d in held.chain(waiting) {
            d.conn.touch(d.msg.id);
        }
    }

    /// At exit: what the reader did not take, and what --requeue held, goes back
    /// at once. Returns (not taken, held) counts.
    pub fn give_back(&mut self) -> (u64, u64) {
        self.collect();
        let untaken = self.unread.len() as u64;
        for (_, d) in self.unread.drain(..) {
            d.conn.req(d.msg.id, Duration::ZERO);
        }
        let held = self.held.len() as u64;
        for d in self.held.drain(..) {
            d.conn.req(d.msg.id, Duration::ZERO);
        }
        (untaken, held)
    }
}

/// FINs a batch, one hand-over per run of messages from the same connection.
fn fin_all(batch: &mut Vec<Delivery>) {
    let mut ids = Vec::new();
    let mut conn: Option<Arc<ConnHandle>> = None;
    for d in batch.drain(..) {
        if conn.as_ref().is_some_and(|c| !Arc::ptr_eq(c, &d.conn)) {
            if let Some(c) = conn.take() {
                c.fin_many(std::mem::take(&mut ids));
            }
        }
        ids.push(d.msg.id);
        conn = Some(d.conn);
    }
    if let Some(c) = conn {
        c.fin_many(ids);
    }
}

/// Writes straight to fd 1 (no userspace buffer, so "written" means handed to the
/// pipe or file). On failure, says how many bytes went out before it.
fn write_stdout(buf: &[u8]) -> Result<(), (usize, std::io::Error)> {
    use std::os::fd::FromRawFd;
    // SAFETY: fd 1 stays open for the life of the process; ManuallyDrop never closes it.
    let mut out = std::mem::ManuallyDrop::new(unsafe { std::fs::File::from_raw_fd(1) });
    let mut pos = 0;
    while pos < buf.len() {
        match out.write(&buf[pos..]) {
            Ok(0) => return Err((pos, std::io::ErrorKind::WriteZero.into())),
            Ok(n) => pos += n,
            Err(e) if e.kind() == std::io::ErrorKind::Interrupted => {}
            Err(e) => return Err((pos, e)),
        }
    }
    Ok(())
}

/// The kind of file on stdout, from fstat.
pub fn stdout_kind() -> Option<libc::mode_t> {
    // SAFETY: fstat only writes into the zeroed struct we own.
    let mut st: libc::stat = unsafe { std::mem::zeroed() };
    if unsafe { libc::fstat(1, &mut st) } != 0 {
        return None;
    }
    Some(st.st_mode & libc::S_IFMT)
}

fn stdout_is_pipe() -> bool {
    stdout_kind() == Some(libc::S_IFIFO)
}

/// Bytes written to the pipe on stdout that its reader has not taken yet.
fn pipe_unread() -> Option<u64> {
    let mut n: libc::c_int = 0;
    // SAFETY: FIONREAD stores one int through the pointer, which points at `n`.
    let r = unsafe { libc::ioctl(1, libc::FIONREAD, &mut n as *mut libc::c_int) };
    (r == 0 && n >= 0).then_some(n as u64)
}
