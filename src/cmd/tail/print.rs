//! Printing messages: the loop that prints them in batches and FINs each once
//! written (or, into a pipe, once its reader took it), and the clean stop after.

use super::format::Formatter;
use super::printer::{self, Printer};
use super::stop::{idle_deadline, idle_over, Settings, Signals, Stop, DRAIN_TIMEOUT};
use crate::client::consumer::{Consumer, Delivery};
use crate::output;
use std::collections::VecDeque;
use std::time::Duration;
use tokio::sync::mpsc;
use tokio::time::Instant;

/// Most messages printed per write+flush.
const MAX_BATCH: usize = 4096;

/// Resolves when stdout is a pipe or socket whose reader went away (`| head`), so
/// tail exits at once instead of at the next write. None for files and terminals.
fn watch_stdout_closed() -> Option<tokio::sync::oneshot::Receiver<()>> {
    let kind = printer::stdout_kind()?;
    if kind != libc::S_IFIFO && kind != libc::S_IFSOCK {
        return None;
    }
    let (tx, rx) = tokio::sync::oneshot::channel();
    // A plain thread: it may block in poll() until the process exits.
    std::thread::spawn(move || loop {
        // With no events requested, poll() reports only POLLERR/POLLHUP, which is
        // what a pipe's write end gets once its reader closed it.
        let mut pfd = libc::pollfd {
            fd: 1,
            events: 0,
            revents: 0,
        };
        // SAFETY: one valid pollfd, length 1.
        let r = unsafe { libc::poll(&mut pfd, 1, -1) };
        if r > 0 && pfd.revents & (libc::POLLERR | libc::POLLHUP) != 0 {
            let _ = tx.send(());
            return;
        }
        if r < 0 && std::io::Error::last_os_error().kind() != std::io::ErrorKind::Interrupted {
            return;
        }
    });
    Some(rx)
}

/// How long to wait before asking a pipe again whether its reader took more.
const POLL_MIN: Duration = Duration::from_millis(1);
const POLL_MAX: Duration = Duration::from_millis(50);

type Closed = Option<tokio::sync::oneshot::Receiver<()>>;

/// Resolves when the reader of stdout went away; never when that cannot be known.
async fn reader_gone(closed: &mut Closed) {
    let Some(rx) = closed.as_mut() else {
        return std::future::pending().await;
    };
    let gone = rx.await.is_ok();
    // A finished receiver must not be polled again.
    *closed = None;
    if !gone {
        std::future::pending::<()>().await
    }
}

/// Prints messages in batches; each is FINed (or held, for --requeue) once
/// written, or, into a pipe, once its reader took it (see [`printer`]).
pub async fn print_loop(
    s: &Settings,
    formatter: &Formatter,
    requeue: bool,
    consumer: &Consumer,
    mut rx: mpsc::UnboundedReceiver<Vec<Delivery>>,
    mut signals: Signals,
) -> Stop {
    let mut printed: u64 = 0;
    let mut pending: VecDeque<Delivery> = VecDeque::new();
    // Print and FIN in slices of an eighth of the window: FINs for the first slice are on
    // the wire while later ones are printed, keeping nsqd's pipe full.
    let chunk = (s.max_in_flight as usize / 8).clamp(16, MAX_BATCH);
    let window = (s.max_in_flight as usize / 2).clamp(16, MAX_BATCH);
    let mut out = Printer::new(formatter, requeue, window);
    let mut poll = POLL_MIN;
    let mut next_touch = Instant::now() + out.touch_every();
    let mut deadline = idle_deadline(s.idle);
    let mut stdout_closed = watch_stdout_closed();
    let reach = consumer.reachability();
    let stop = loop {
        let can_write = !pending.is_empty() && out.room() > 0;
        tokio::select! {
            biased;
            _ = signals.recv() => break Stop::Signal,
            e = consumer.fatal() => break Stop::Fatal(e),
            _ = reader_gone(&mut stdout_closed) => break Stop::StdoutClosed,
            _ = std::future::ready(()), if can_write => {
                let complete = match print_next(s, consumer, &mut out, &mut pending, &mut printed, chunk) {
                    Ok(complete) => complete,
                    Err(stop) => break stop,
                };
                deadline = idle_deadline(s.idle);
                poll = POLL_MIN;
                if complete {
                    break Stop::Count;
                }
                if !pending.is_empty() {
                    // Let the writer send these FINs now, so nsqd refills the
                    // window while we print the rest.
                    tokio::task::yield_now().await;
                }
            }
            d = rx.recv() => {
                // The consumer keeps a sender until stop(), so None cannot happen here.
                let Some(incoming) = d else { break Stop::Signal };
                receive(&mut out, &mut pending, incoming, &mut rx);
                // Held in flight from now on: TOUCHed in time if the pipe is slow.
                next_touch = next_touch.min(Instant::now() + out.touch_every());
                out.collect();
            }
            _ = tokio::time::sleep(poll), if out.unread() > 0 => {
                poll = if out.collect() { POLL_MIN } else { (poll * 2).min(POLL_MAX) };
            }
            _ = tokio::time::sleep_until(next_touch), if out.holds() || !pending.is_empty() => {
                out.touch_all(&pending);
                next_touch = Instant::now() + out.touch_every();
            }
            _ = tokio::time::sleep_until(deadline.at), if s.idle.is_some() => {
                match idle_over(s.idle, &reach, &mut deadline) {
                    Some(Stop::Unreachable(line)) => {
                        break Stop::Unreachable(format!("{line}; stopping ({printed} printed)"))
                    }
                    Some(stop) => break stop,
                    None => {}
                }
            }
        }
    };
    wind_down(stop, consumer, out, pending, rx, signals, stdout_closed).await
}

/// After the loop: hands back what was not printed, lets the pipe's reader take
/// what was (see [`settle`]), then waits for the connections to close.
async fn wind_down(
    stop: Stop,
    consumer: &Consumer,
    mut out: Printer<'_>,
    mut pending: VecDeque<Delivery>,
    mut rx: mpsc::UnboundedReceiver<Vec<Delivery>>,
    mut signals: Signals,
    mut stdout_closed: Closed,
) -> Stop {
    consumer.stop();
    let unprinted = pending.len() as u64;
    for d in pending.drain(..) {
        d.conn.req(d.msg.id, Duration::ZERO);
    }
    let mut returned = 0;
    let settles = matches!(
        stop,
        Stop::Count | Stop::Idle | Stop::Unreachable(_) | Stop::Signal
    );
    if out.unread() > 0 && settles {
        let limit = matches!(stop, Stop::Signal).then(|| Instant::now() + DRAIN_TIMEOUT);
        returned += settle(&mut out, limit, &mut rx, &mut signals, &mut stdout_closed).await;
    }
    let (untaken, held) = out.give_back();
    returned += drain(consumer, rx, &mut signals).await;
    if matches!(stop, Stop::Signal) {
        output::info(&format!(
            "stopped: {} printed, {} requeued",
            out.delivered - held,
            returned + held + untaken + unprinted
        ));
    }
    stop
}

/// Prints the next slice of `pending`, handing back at once what -n no longer
/// wants. Ok(true) once -n is reached (the consumer is then stopped), Err when
/// stdout failed.
fn print_next(
    s: &Settings,
    consumer: &Consumer,
    out: &mut Printer<'_>,
    pending: &mut VecDeque<Delivery>,
    printed: &mut u64,
    chunk: usize,
) -> Result<bool, Stop> {
    let n = pending.len().min(chunk).min(out.room());
    let mut batch: Vec<Delivery> = pending.drain(..n).collect();
    let take = match s.count {
        Some(c) => batch.len().min((c - *printed) as usize),
        None => batch.len(),
    };
    for d in batch.split_off(take) {
        d.conn.req(d.msg.id, Duration::ZERO);
    }
    *printed += take as u64;
    let complete = s.count.is_some_and(|c| *printed >= c);
    if complete {
        // RDY 0 and CLS go out before the FINs, so the room they free
        // is not filled with messages we would only hand back.
        consumer.stop();
    } else if let Some(c) = s.count {
        // Ask for no more than is still wanted before FINs free up room.
        consumer.set_max_in_flight(s.max_in_flight.min(c - *printed));
    }
    match out.print(batch) {
        Ok(_) => Ok(complete),
        Err(e) if e.error.kind() == std::io::ErrorKind::BrokenPipe => Err(Stop::StdoutClosed),
        Err(e) => Err(Stop::StdoutError(e.error)),
    }
}

/// Queues a batch that arrived, with whatever else is already waiting (up to
/// [`MAX_BATCH`]).
fn receive(
    out: &mut Printer<'_>,
    pending: &mut VecDeque<Delivery>,
    incoming: Vec<Delivery>,
    rx: &mut mpsc::UnboundedReceiver<Vec<Delivery>>,
) {
    out.arrived(&incoming);
    pending.extend(incoming);
    while pending.len() < MAX_BATCH {
        match rx.try_recv() {
            Ok(more) => {
                out.arrived(&more);
                pending.extend(more);
            }
            Err(_) => break,
        }
    }
}

/// Once stopping, waits for the pipe's reader to take what was written into the
/// pipe, TOUCHing it meanwhile: until `limit` if given; a signal or the reader
/// going away ends the wait (what it did not take is then given back). Messages
/// still arriving are requeued at once; returns how many.
async fn settle(
    out: &mut Printer<'_>,
    limit: Option<Instant>,
    rx: &mut mpsc::UnboundedReceiver<Vec<Delivery>>,
    signals: &mut Signals,
    closed: &mut Closed,
) -> u64 {
    let mut requeued = 0;
    let mut poll = POLL_MIN;
    let mut next_touch = Instant::now() + out.touch_every();
    let far = Instant::now() + Duration::from_secs(86400 * 365);
    while out.unread() > 0 {
        tokio::select! {
            biased;
            _ = signals.recv() => return requeued,
            _ = reader_gone(closed) => return requeued,
            _ = tokio::time::sleep_until(limit.unwrap_or(far)) => return requeued,
            Some(batch) = rx.recv() => {
                requeued += batch.len() as u64;
                for d in batch {
                    d.conn.req(d.msg.id, Duration::ZERO);
                }
            }
            _ = tokio::time::sleep(poll) => {
                poll = if out.collect() { POLL_MIN } else { (poll * 2).min(POLL_MAX) };
            }
            _ = tokio::time::sleep_until(next_touch) => {
                out.touch_all([]);
                next_touch = Instant::now() + out.touch_every();
            }
        }
    }
    requeued
}

/// After stop(): requeue everything still arriving until every connection confirmed
/// CLS, then wait for the last commands to be written. Returns how many were requeued.
async fn drain(
    consumer: &Consumer,
    mut rx: mpsc::UnboundedReceiver<Vec<Delivery>>,
    signals: &mut Signals,
) -> u64 {
    let deadline = Instant::now() + DRAIN_TIMEOUT;
    let mut n = 0;
    loop {
        tokio::select! {
            biased;
            _ = signals.recv() => {
                output::warn("second signal: exiting now; messages still held return to their channel after nsqd's msg-timeout");
                return n;
            }
            b = tokio::time::timeout_at(deadline, rx.recv()) => match b {
                Ok(Some(batch)) => {
                    for d in batch {
                        d.conn.req(d.msg.id, Duration::ZERO);
                        n += 1;
                    }
                }
                Ok(None) | Err(_) => break,
            },
        }
    }
    // What is still queued goes back at once, not after the msg-timeout.
    while let Ok(batch) = rx.try_recv() {
        for d in batch {
            d.conn.req(d.msg.id, Duration::ZERO);
            n += 1;
        }
    }
    drop(rx);
    let wait = deadline.saturating_duration_since(Instant::now()) + Duration::from_secs(1);
    tokio::select! {
        biased;
        _ = signals.recv() => {
            output::warn("second signal: exiting now");
        }
        _ = consumer.join(wait) => {}
    }
    n
}
