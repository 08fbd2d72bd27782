//! `nsq-cli relay`: move messages from source topics to a destination topic
//! (this cluster or another), each FINed only after the destination acknowledged
//! it. The work is the library's (`client::relay`: one lane per source topic over
//! the consumer and the producer pool); this file checks the flags, starts the
//! lanes, decides when to stop, and [`report`] tells the outcome.

pub mod args;
mod filter;
mod report;

use super::refuse;
use crate::client::conn::ConnectOptions;
use crate::client::consumer::ConsumerConfig;
use crate::client::producer::ProducerOptions;
use crate::client::relay::{Destination, Filter, Halt, Lane, RelayEvent, Tally};
use crate::cmd::flags::source::checked_addresses;
use crate::cmd::signals::Signals;
use crate::cmd::stall::{Stalls, STALL};
use crate::output;
use crate::protocol::names::{check_channel_name, check_topic_name};
use anyhow::Context;
use args::RelayArgs;
use report::{Outcome, Progress, Why};
use std::process::ExitCode;
use std::sync::atomic::{AtomicU64, Ordering};
use std::sync::Arc;
use std::time::Duration;
use tokio::sync::watch;
use tokio::task::JoinHandle;
use tokio::time::Instant;

/// How often the lanes' counts are looked at (progress, -n, --idle-timeout).
const TICK: Duration = Duration::from_millis(50);

/// One source topic and where it goes.
pub struct Route {
    pub topic: String,
    pub to_topic: String,
}

/// Everything checked before anything connects.
struct Plan {
    routes: Vec<Route>,
    channel: String,
    nsqd: Vec<String>,
    lookupd: Vec<String>,
    to_nsqd: Vec<String>,
    to_lookupd: Vec<String>,
    filter: Option<Filter>,
    source_connect: ConnectOptions,
    dest_connect: ConnectOptions,
    http: crate::nsq_http::Client,
}

pub async fn run(args: RelayArgs) -> anyhow::Result<ExitCode> {
    // One thread, as tail: handing a message from a socket reader to the pool and
    // its FIN to the writer are then task switches, not cross-thread wake-ups.
    // The lanes are local tasks (the pool is not Sync).
    tokio::task::spawn_blocking(move || {
        let rt = tokio::runtime::Builder::new_current_thread()
            .enable_all()
            .build()
            .context("cannot start the async runtime")?;
        tokio::task::LocalSet::new().block_on(&rt, run_here(args))
    })
    .await
    .context("relay stopped unexpectedly")?
}

async fn run_here(args: RelayArgs) -> anyhow::Result<ExitCode> {
    let plan = plan(&args)?;
    let signals = Signals::install()?;
    let started = std::time::Instant::now();
    let (halt_tx, halt_rx) = watch::channel(Halt::Run);
    let budget = args.count.map(|n| Arc::new(AtomicU64::new(n)));
    let lanes: Vec<Running> = plan
        .routes
        .iter()
        .map(|r| start_lane(&args, &plan, r, &budget, halt_rx.clone()))
        .collect();
    let progress = Progress::new();
    let why = supervise(&args, &lanes, &halt_tx, signals, &progress).await;
    progress.finish();
    let mut results = Vec::new();
    for lane in lanes {
        let r = match lane.task.await {
            Ok(r) => r,
            Err(e) => Err(format!("relay of {} stopped unexpectedly: {e}", lane.topic)),
        };
        results.push((lane.topic, lane.to_topic, lane.tally.counts(), r));
    }
    report::finish(
        &args,
        Outcome {
            channel: &plan.channel,
            lanes: results,
            why,
            elapsed: started.elapsed(),
        },
    )
}

/// A lane started: its names, counts and task.
struct Running {
    topic: String,
    to_topic: String,
    tally: Arc<Tally>,
    task: JoinHandle<Result<(), String>>,
}

fn start_lane(
    args: &RelayArgs,
    plan: &Plan,
    route: &Route,
    budget: &Option<Arc<AtomicU64>>,
    halt: watch::Receiver<Halt>,
) -> Running {
    let tally = Arc::new(Tally::default());
    let lanes = plan.routes.len() as f64;
    let max_in_flight = args.max_in_flight.min(args.count.unwrap_or(u64::MAX));
    let lane = Lane {
        source: ConsumerConfig {
            topic: route.topic.clone(),
            channel: plan.channel.clone(),
            nsqd_tcp_addresses: plan.nsqd.clone(),
            lookupd_http_addresses: plan.lookupd.clone(),
            lookupd_poll_interval: args.source.lookupd_poll_interval,
            http_timeout: args.source.http.http_timeout,
            max_in_flight,
            connect: plan.source_connect.clone(),
        },
        dest: Destination {
            topic: route.to_topic.clone(),
            nsqd_tcp_addresses: plan.to_nsqd.clone(),
            lookupd_http_addresses: plan.to_lookupd.clone(),
            http: plan.http.clone(),
            producer: ProducerOptions {
                connect: plan.dest_connect.clone(),
                ..Default::default()
            },
            batch_size: args.batch_size,
            // The rate is shared equally by the source topics.
            rate: args.rate.map(|r| r / lanes),
        },
        filter: plan
            .filter
            .clone()
            .unwrap_or_else(|| Arc::new(|_: &[u8]| true)),
        budget: budget.clone(),
        tally: tally.clone(),
        halt,
        on_source: Arc::new(super::consumer_events::printer(&route.topic, &plan.channel)),
        on_event: Arc::new(show_event),
    };
    Running {
        topic: route.topic.clone(),
        to_topic: route.to_topic.clone(),
        tally,
        task: tokio::task::spawn_local(lane.run()),
    }
}

fn show_event(e: RelayEvent) {
    match e {
        RelayEvent::Connected {
            source,
            nodes,
            again,
        } => output::info(&format!(
            "{}relaying {source} to nsqd at {}",
            if again { "destination back: " } else { "" },
            nodes.join(", ")
        )),
        RelayEvent::DestinationFailed {
            source,
            error,
            requeued,
            retry_in,
        } => {
            let held = match requeued {
                0 => String::new(),
                n => format!("{n} held message(s) of {source} requeued; "),
            };
            output::warn(&format!(
                "{error}; {held}{source} paused, reconnecting in {}",
                humantime::format_duration(retry_in)
            ))
        }
    }
}

/// Watches the lanes until they all ended: shows progress, and halts them on
/// -n, --idle-timeout, a signal (a second one: at once) or a lane's failure.
async fn supervise(
    args: &RelayArgs,
    lanes: &[Running],
    halt: &watch::Sender<Halt>,
    mut signals: Signals,
    progress: &Progress,
) -> Why {
    let mut why: Option<Why> = None;
    let mut tick = tokio::time::interval(TICK);
    let mut idle = Idle::new(args.idle_timeout);
    loop {
        tokio::select! {
            s = signals.recv() => {
                if why.is_none() {
                    why = Some(Why::Signal(s));
                    halt.send_replace(Halt::Finish);
                } else {
                    output::warn("second signal: requeueing what is held without waiting");
                    halt.send_replace(Halt::Now);
                }
            }
            _ = tick.tick() => {}
        }
        if lanes.iter().all(|l| l.task.is_finished()) {
            return why.unwrap_or(Why::Failed);
        }
        progress.show(lanes.iter().map(|l| l.tally.counts()));
        if why.is_some() {
            continue;
        }
        why = reason_to_stop(args, lanes, &mut idle);
        if why.is_some() {
            halt.send_replace(Halt::Finish);
        }
    }
}

/// -n reached, the source idle for --idle-timeout (or unreachable), or a lane
/// ended (failed).
fn reason_to_stop(args: &RelayArgs, lanes: &[Running], idle: &mut Idle) -> Option<Why> {
    let relayed: u64 = lanes.iter().map(|l| l.tally.counts().relayed).sum();
    if args.count.is_some_and(|n| relayed >= n) {
        return Some(Why::Count);
    }
    if lanes.iter().any(|l| l.task.is_finished()) {
        return Some(Why::Failed);
    }
    if !idle.expired(lanes) {
        return None;
    }
    let down = lanes
        .iter()
        .filter_map(|l| l.tally.source.get())
        .flat_map(|r| r.unreachable());
    Some(match super::consumer_events::unreachable(down) {
        Some(line) => Why::Unreachable(line),
        None => Why::Idle,
    })
}

/// --idle-timeout: no message taken for that long, none held, no destination
/// failing (a paused source takes nothing but is not empty), no source node
/// (re)subscribed meanwhile or still making its first attempt. Only time the
/// relay watched counts: a gap between two looks counts at most [`STALL`], and
/// the first look after such a stall never expires ([`Stalls`]), so a relay that
/// was stopped (SIGSTOP, a starved machine) does not wake up to find itself
/// "idle" with messages waiting in its socket: its lanes read them before the
/// next look. Time with a source node unreachable counts, but then expiry is not
/// "idle" (see [`reason_to_stop`]), and the node's return starts the quiet time
/// over.
struct Idle {
    limit: Option<Duration>,
    taken: u64,
    /// When a source node last subscribed, as last seen.
    up: Option<std::time::Instant>,
    quiet: Duration,
    last: Instant,
    stalls: Stalls,
}

/// What one look at the lanes sees.
#[derive(Clone, Copy, PartialEq, Eq)]
struct Seen {
    /// Messages taken so far.
    taken: u64,
    /// Messages held, a destination down, or a source not yet tried.
    busy: bool,
    /// When a source node last subscribed.
    up: Option<std::time::Instant>,
}

impl Idle {
    fn new(limit: Option<Duration>) -> Idle {
        Idle {
            limit,
            taken: 0,
            up: None,
            quiet: Duration::ZERO,
            last: Instant::now(),
            stalls: Stalls::default(),
        }
    }

    fn expired(&mut self, lanes: &[Running]) -> bool {
        let taken: u64 = lanes
            .iter()
            .map(|l| l.tally.taken.load(Ordering::Relaxed))
            .sum();
        // A source not started yet (the destination connects first) or still
        // making its first attempt has not been watched either.
        let busy = lanes.iter().any(|l| {
            l.tally.held.load(Ordering::Relaxed) > 0
                || l.tally.down.load(Ordering::Relaxed)
                || l.tally.source.get().is_none_or(|r| r.connecting())
        });
        let up = lanes
            .iter()
            .filter_map(|l| l.tally.source.get()?.last_up())
            .max();
        self.look(Instant::now(), Seen { taken, busy, up })
    }

    /// One look at `now`. True once the quiet time reached the limit.
    fn look(&mut self, now: Instant, seen: Seen) -> bool {
        let gap = now.saturating_duration_since(self.last);
        self.last = now;
        // A look is due every TICK: a longer gap is the stall.
        let woke = self.stalls.hold_back(gap.saturating_sub(TICK));
        let gap = gap.min(STALL);
        let Some(limit) = self.limit else {
            return false;
        };
        if seen.taken != self.taken || seen.up != self.up || seen.busy {
            self.taken = seen.taken;
            self.up = seen.up;
            self.quiet = Duration::ZERO;
            return false;
        }
        self.quiet += gap;
        self.quiet >= limit && !woke
    }
}

/// Checks every flag and value; refusals are exit 2, before anything connects.
fn plan(args: &RelayArgs) -> anyhow::Result<Plan> {
    let routes = routes(args)?;
    check_channel_name(&args.channel).or_else(refuse)?;
    let (nsqd, lookupd) = args.source.addresses().or_else(refuse)?;
    let (to_nsqd, to_lookupd) = destination_addresses(args, &nsqd, &lookupd)?;
    let regex = match &args.filter {
        Some(r) => match regex::bytes::Regex::new(r) {
            Ok(re) => Some(re),
            Err(e) => return refuse(format!("invalid --filter {r:?}: {}", regex_error(&e))),
        },
        None => None,
    };
    let source_connect = args
        .conn
        .connect_options(ConnectOptions::default())
        .or_else(|e| refuse(format!("{e:#}")))?;
    let dest_connect = args
        .to_conn
        .connect_options(ConnectOptions {
            connect_timeout: args.connect_timeout,
            ..Default::default()
        })
        .or_else(|e| refuse(format!("{e:#}")))?;
    let plan = Plan {
        routes,
        channel: args.channel.clone(),
        nsqd,
        lookupd,
        to_nsqd,
        to_lookupd,
        filter: filter::build(regex, args.json_field.clone()),
        source_connect,
        dest_connect,
        http: args.source.http.client()?,
    };
    refuse_loops(&plan, &args.to_topic)?;
    Ok(plan)
}

/// The source topics (checked, each once) and their destination names.
fn routes(args: &RelayArgs) -> anyhow::Result<Vec<Route>> {
    let mut routes: Vec<Route> = Vec::new();
    for t in &args.topic {
        check_topic_name(t).or_else(refuse)?;
        if routes.iter().any(|r| &r.topic == t) {
            return refuse(format!("-topic {t} was given more than once"));
        }
        let to_topic = args.to_topic.replace("{topic}", t);
        if let Err(e) = check_topic_name(&to_topic) {
            return refuse(format!("--to-topic {:?}: {e}", args.to_topic));
        }
        routes.push(Route {
            topic: t.clone(),
            to_topic,
        });
    }
    Ok(routes)
}

/// --to-nsqd-tcp-address or --to-lookupd-http-address, checked; without either
/// (or with only empty values), the source's own cluster.
fn destination_addresses(
    args: &RelayArgs,
    nsqd: &[String],
    lookupd: &[String],
) -> anyhow::Result<(Vec<String>, Vec<String>)> {
    let (to_nsqd, to_lookupd) = checked_addresses(
        ("--to-nsqd-tcp-address", &args.to_nsqd_tcp_address),
        ("--to-lookupd-http-address", &args.to_lookupd_http_address),
    )
    .or_else(refuse)?;
    if to_nsqd.is_empty() && to_lookupd.is_empty() {
        return Ok((nsqd.to_vec(), lookupd.to_vec()));
    }
    Ok((to_nsqd, to_lookupd))
}

/// A topic relayed into itself would go round forever: refused when a route
/// keeps its name and the resolved destination names an nsqd or a lookupd the
/// source also uses. (A destination nsqd that the source only finds through its
/// lookupd cannot be seen here; the README says so.)
fn refuse_loops(plan: &Plan, to_topic: &str) -> anyhow::Result<()> {
    let Some(r) = plan.routes.iter().find(|r| r.topic == r.to_topic) else {
        return Ok(());
    };
    let key = |a: &String| {
        crate::nsq_http::base_url(a)
            .unwrap_or_else(|_| a.clone())
            .to_lowercase()
    };
    let shared = |to: &[String], from: &[String]| {
        to.iter()
            .find(|t| from.iter().any(|f| key(f) == key(t)))
            .cloned()
    };
    let same =
        shared(&plan.to_nsqd, &plan.nsqd).or_else(|| shared(&plan.to_lookupd, &plan.lookupd));
    match same {
        Some(addr) => refuse(format!(
            "--to-topic {:?} is the source topic {} and {addr} is both source and destination: \
             it would be relayed into itself forever; give another --to-topic or another destination",
            to_topic, r.topic
        )),
        None => Ok(()),
    }
}

/// A regex error on one line: its last line (the others draw the pattern).
fn regex_error(e: &regex::Error) -> String {
    let text = e.to_string();
    let last = text.lines().last().unwrap_or_default();
    last.strip_prefix("error: ").unwrap_or(last).to_string()
}

#[cfg(test)]
mod tests {
    use super::*;

    const MS: Duration = Duration::from_millis(1);

    fn seen(taken: u64, busy: bool) -> Seen {
        Seen {
            taken,
            busy,
            up: None,
        }
    }

    #[test]
    fn idle_counts_only_watched_quiet_time() {
        let t0 = Instant::now();
        let mut idle = Idle::new(Some(1000 * MS));
        idle.last = t0;
        // Ten looks 50 ms apart with nothing taken: 500 ms, not yet.
        for i in 1..=10 {
            assert!(!idle.look(t0 + 50 * MS * i, seen(0, false)));
        }
        // Stopped for a minute: the gap adds at most STALL.
        assert!(!idle.look(t0 + 60_500 * MS, seen(0, false)));
        assert_eq!(idle.quiet, 500 * MS + STALL);
        // A message taken starts the quiet time over.
        assert!(!idle.look(t0 + 60_550 * MS, seen(1, false)));
        assert_eq!(idle.quiet, Duration::ZERO);
        // Held messages or a destination down are never idle.
        for i in 1..=100 {
            assert!(!idle.look(t0 + 60_550 * MS + 50 * MS * i, seen(1, true)));
        }
        // Then 1000 ms of watched quiet: expired at the twentieth look.
        let t1 = t0 + 65_550 * MS;
        idle.last = t1;
        for i in 1..20 {
            assert!(!idle.look(t1 + 50 * MS * i, seen(1, false)), "look {i}");
        }
        assert!(idle.look(t1 + 50 * MS * 20, seen(1, false)));
    }

    #[test]
    fn without_a_limit_never_idle() {
        let t0 = Instant::now();
        let mut idle = Idle::new(None);
        assert!(!idle.look(t0 + Duration::from_secs(3600), seen(0, false)));
    }

    #[test]
    fn a_source_node_back_starts_the_quiet_time_over() {
        let t0 = Instant::now();
        let mut idle = Idle::new(Some(1000 * MS));
        idle.last = t0;
        for i in 1..=19 {
            assert!(!idle.look(t0 + 50 * MS * i, seen(0, false)));
        }
        // A node subscribed again just before the limit: it may have messages.
        let back = Seen {
            up: Some(std::time::Instant::now()),
            ..seen(0, false)
        };
        assert!(!idle.look(t0 + 50 * MS * 20, back));
        assert_eq!(idle.quiet, Duration::ZERO);
        let t1 = t0 + 50 * MS * 20;
        for i in 1..20 {
            assert!(!idle.look(t1 + 50 * MS * i, back), "look {i}");
        }
        assert!(idle.look(t1 + 50 * MS * 20, back));
    }

    #[test]
    fn the_first_look_after_a_stall_never_expires_but_a_busy_machine_still_does() {
        let t0 = Instant::now();
        let mut idle = Idle::new(Some(1000 * MS));
        idle.last = t0;
        for i in 1..=19 {
            assert!(!idle.look(t0 + 50 * MS * i, seen(0, false)));
        }
        // 950 ms of quiet, then a stall: the limit is reached, but the lanes
        // get to read their sockets before the next look decides.
        let t1 = t0 + 5000 * MS;
        assert!(!idle.look(t1, seen(0, false)));
        assert!(idle.look(t1 + 50 * MS, seen(0, false)));
        // Every look stalled: only the first of the run is held back.
        let mut idle = Idle::new(Some(1000 * MS));
        idle.last = t0;
        let expired: Vec<bool> = (1..=6)
            .map(|i| idle.look(t0 + 300 * MS * i, seen(0, false)))
            .collect();
        assert_eq!(expired, [false, false, false, false, true, true]);
    }
}
