//! nsqd's /stats: a snapshot of topics, channels and clients in nsqd's JSON schema
//! (field names and order, null-versus-[] included) and its text rendering.

use super::channel::ChannelStats;
use super::client::Client;
use super::topic::TopicStats;
use super::Nsqd;
use serde::Serialize;
use std::sync::atomic::Ordering;
use std::sync::Arc;

/// What to include, from the query string.
#[derive(Debug, Clone, Default)]
pub struct StatsFilter {
    /// Only this topic ("" = all); an unknown topic gives `"topics":null`.
    pub topic: String,
    /// Only this channel ("" = all); topics without it are left out.
    pub channel: String,
    pub include_clients: bool,
    pub include_mem: bool,
}

#[derive(Debug, Serialize)]
pub struct Stats {
    pub version: &'static str,
    pub health: String,
    pub start_time: i64,
    pub topics: Option<Vec<TopicJson>>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub memory: Option<MemStats>,
    pub producers: Option<Vec<ClientJson>>,
}

/// nsqd's e2e latency block; we keep no percentiles (nsqd's default too).
#[derive(Debug, Serialize, Default)]
pub struct E2eLatency {
    pub count: u64,
    pub percentiles: Option<Vec<serde_json::Value>>,
}

#[derive(Debug, Serialize)]
pub struct TopicJson {
    pub topic_name: String,
    pub channels: Vec<ChannelJson>,
    pub depth: u64,
    pub backend_depth: u64,
    pub message_count: u64,
    pub message_bytes: u64,
    pub paused: bool,
    pub e2e_processing_latency: E2eLatency,
}

#[derive(Debug, Serialize)]
pub struct ChannelJson {
    pub channel_name: String,
    pub depth: u64,
    pub backend_depth: u64,
    pub in_flight_count: u64,
    pub deferred_count: u64,
    pub message_count: u64,
    pub requeue_count: u64,
    pub timeout_count: u64,
    pub client_count: usize,
    pub clients: Option<Vec<ClientJson>>,
    pub paused: bool,
    pub e2e_processing_latency: E2eLatency,
}

#[derive(Debug, Serialize)]
pub struct PubCount {
    pub topic: String,
    pub count: u64,
}

#[derive(Debug, Serialize)]
pub struct ClientJson {
    pub client_id: String,
    pub hostname: String,
    pub version: &'static str,
    pub remote_address: String,
    pub state: i32,
    pub ready_count: i64,
    pub in_flight_count: i64,
    pub message_count: u64,
    pub finish_count: u64,
    pub requeue_count: u64,
    pub connect_ts: i64,
    pub sample_rate: i64,
    pub deflate: bool,
    pub snappy: bool,
    pub user_agent: String,
    #[serde(skip_serializing_if = "std::ops::Not::not")]
    pub authed: bool,
    #[serde(skip_serializing_if = "String::is_empty")]
    pub auth_identity: String,
    #[serde(skip_serializing_if = "String::is_empty")]
    pub auth_identity_url: String,
    #[serde(skip_serializing_if = "Vec::is_empty")]
    pub pub_counts: Vec<PubCount>,
    pub tls: bool,
    pub tls_cipher_suite: String,
    pub tls_version: String,
    pub tls_negotiated_protocol: String,
    pub tls_negotiated_protocol_is_mutual: bool,
}

/// Go runtime figures in nsqd; ours come from the process where they exist.
#[derive(Debug, Serialize, Default)]
pub struct MemStats {
    pub heap_objects: u64,
    pub heap_idle_bytes: u64,
    pub heap_in_use_bytes: u64,
    pub heap_released_bytes: u64,
    pub gc_pause_usec_100: u64,
    pub gc_pause_usec_99: u64,
    pub gc_pause_usec_95: u64,
    pub next_gc_bytes: u64,
    pub gc_total_runs: u32,
}

impl MemStats {
    /// We have no garbage collector: the resident size stands in for the heap in
    /// use, and the GC figures are zero.
    fn read() -> MemStats {
        let page = 4096u64;
        let resident = std::fs::read_to_string("/proc/self/statm")
            .ok()
            .and_then(|s| s.split_whitespace().nth(1)?.parse::<u64>().ok())
            .map(|pages| pages * page)
            .unwrap_or(0);
        MemStats {
            heap_in_use_bytes: resident,
            ..MemStats::default()
        }
    }
}

pub fn client_json(c: &Client, topic_filter: &str) -> ClientJson {
    let meta = c.meta.lock().unwrap_or_else(|e| e.into_inner()).clone();
    // nsqd reports a single pub count (the first its map yields, for the filter
    // topic when there is one); we take the first by name.
    let pub_counts = meta
        .pub_counts
        .iter()
        .find(|(t, _)| topic_filter.is_empty() || t.as_str() == topic_filter)
        .map(|(t, n)| PubCount {
            topic: t.clone(),
            count: *n,
        })
        .into_iter()
        .collect();
    ClientJson {
        client_id: meta.client_id,
        hostname: meta.hostname,
        version: "V2",
        remote_address: c.remote_address.clone(),
        state: c.state.load(Ordering::Relaxed),
        ready_count: c.ready_count.load(Ordering::Relaxed),
        in_flight_count: c.in_flight_count.load(Ordering::Relaxed),
        message_count: c.message_count.load(Ordering::Relaxed),
        finish_count: c.finish_count.load(Ordering::Relaxed),
        requeue_count: c.requeue_count.load(Ordering::Relaxed),
        connect_ts: c.connect_ts,
        sample_rate: c.sample_rate.load(Ordering::Relaxed),
        deflate: meta.deflate,
        snappy: meta.snappy,
        user_agent: meta.user_agent,
        authed: meta.authed,
        auth_identity: meta.auth_identity,
        auth_identity_url: meta.auth_identity_url,
        pub_counts,
        tls: meta.tls,
        tls_cipher_suite: meta.tls_cipher_suite,
        tls_version: meta.tls_version,
        tls_negotiated_protocol: String::new(),
        tls_negotiated_protocol_is_mutual: false,
    }
}

fn channel_json(s: ChannelStats, f: &StatsFilter) -> ChannelJson {
    ChannelJson {
        channel_name: s.name,
        depth: s.depth,
        backend_depth: s.backend_depth,
        in_flight_count: s.in_flight_count,
        deferred_count: s.deferred_count,
        message_count: s.message_count,
        requeue_count: s.requeue_count,
        timeout_count: s.timeout_count,
        client_count: s.clients.len(),
        clients: f
            .include_clients
            .then(|| s.clients.iter().map(|c| client_json(c, &f.topic)).collect()),
        paused: s.paused,
        e2e_processing_latency: E2eLatency::default(),
    }
}

fn topic_json(s: TopicStats, f: &StatsFilter) -> TopicJson {
    TopicJson {
        topic_name: s.name,
        channels: s.channels.into_iter().map(|c| channel_json(c, f)).collect(),
        depth: s.depth,
        backend_depth: s.backend_depth,
        message_count: s.message_count,
        message_bytes: s.message_bytes,
        paused: s.paused,
        e2e_processing_latency: E2eLatency::default(),
    }
}

pub fn collect(nsqd: &Nsqd, f: &StatsFilter) -> Stats {
    let topics = if f.topic.is_empty() {
        Some(nsqd.topics())
    } else {
        nsqd.topic(&f.topic).map(|t| vec![t])
    };
    let channel = (!f.channel.is_empty()).then_some(f.channel.as_str());
    let topics = topics.map(|ts| {
        ts.iter()
            .map(|t| t.stats(channel))
            // With a channel filter, topics without that channel are left out.
            .filter(|s| channel.is_none() || !s.channels.is_empty())
            .map(|s| topic_json(s, f))
            .collect()
    });
    let producers = f.include_clients.then(|| {
        nsqd.clients()
            .iter()
            .filter(|c| is_producer(c))
            .map(|c| client_json(c, &f.topic))
            .collect::<Vec<_>>()
    });
    Stats {
        version: crate::protocol::NSQD_VERSION,
        health: nsqd.health(),
        start_time: nsqd.start_time,
        topics,
        memory: f.include_mem.then(MemStats::read),
        // Go leaves the list nil when there are no producers.
        producers: producers.filter(|p| !p.is_empty()),
    }
}

fn is_producer(c: &Arc<Client>) -> bool {
    !c.meta
        .lock()
        .unwrap_or_else(|e| e.into_inner())
        .pub_counts
        .is_empty()
}

/// Go's `time.Duration.String()` for a non-negative duration.
pub fn go_duration(d: std::time::Duration) -> String {
    let ns = d.as_nanos();
    if ns == 0 {
        return "0s".into();
    }
    if ns < 1_000_000_000 {
        let (unit, div) = if ns < 1_000 {
            ("ns", 1)
        } else if ns < 1_000_000 {
            ("µs", 1_000)
        } else {
            ("ms", 1_000_000)
        };
        return format!("{}{unit}", go_fraction(ns, div));
    }
    let secs = ns / 1_000_000_000;
    let frac = ns % 1_000_000_000;
    let (h, m, s) = (secs / 3600, secs / 60 % 60, secs % 60);
    let s = go_fraction(u128::from(s as u64) * 1_000_000_000 + frac, 1_000_000_000);
    if h > 0 {
        format!("{h}h{m}m{s}s")
    } else if m > 0 {
        format!("{m}m{s}s")
    } else {
        format!("{s}s")
    }
}

/// `n / div` with the remainder as decimals, trailing zeros dropped.
fn go_fraction(n: u128, div: u128) -> String {
    let whole = n / div;
    let rem = n % div;
    if rem == 0 {
        return whole.to_string();
    }
    let width = div.to_string().len() - 1;
    let frac = format!("{rem:0width$}");
    format!("{whole}.{}", frac.trim_end_matches('0'))
}

fn client_line(c: &ClientJson, now_s: i64) -> String {
    let connected = go_duration(std::time::Duration::from_secs(
        (now_s - c.connect_ts).max(0) as u64,
    ));
    let port = c
        .remote_address
        .rsplit_once(':')
        .map(|(_, p)| p)
        .unwrap_or("");
    let id = format!("{}:{port} {}", c.hostname, c.user_agent);
    if !c.pub_counts.is_empty() {
        let total: u64 = c.pub_counts.iter().map(|p| p.count).sum();
        let topics: Vec<String> = c
            .pub_counts
            .iter()
            .map(|p| format!("{}={}", p.topic, p.count))
            .collect();
        return format!(
            "[{} {id:<21}] msgs: {total:<8} topics: {} connected: {connected}",
            c.version,
            topics.join(",")
        );
    }
    format!(
        "[{} {id:<21}] state: {} inflt: {:<4} rdy: {:<4} fin: {:<8} re-q: {:<8} msgs: {:<8} connected: {connected}",
        c.version,
        c.state,
        c.in_flight_count,
        c.ready_count,
        c.finish_count,
        c.requeue_count,
        c.message_count,
    )
}

/// The text form of /stats, laid out exactly as nsqd prints it.
pub fn render_text(s: &Stats) -> String {
    use std::fmt::Write;
    let now = crate::clock::now_ns();
    let now_s = now / 1_000_000_000;
    let start = std::time::UNIX_EPOCH + std::time::Duration::from_secs(s.start_time.max(0) as u64);
    let uptime = std::time::Duration::from_nanos(
        (now - s.start_time.saturating_mul(1_000_000_000)).max(0) as u64,
    );
    let mut w = String::new();
    let _ = writeln!(w, "nsqd v{} (built w/{})", s.version, rustc_version());
    let _ = writeln!(w, "start_time {}", humantime::format_rfc3339_seconds(start));
    let _ = writeln!(w, "uptime {}", go_duration(uptime));
    let _ = writeln!(w, "\nHealth: {}", s.health);
    if let Some(m) = &s.memory {
        let _ = writeln!(w, "\nMemory:");
        for (k, v) in [
            ("heap_objects", m.heap_objects),
            ("heap_idle_bytes", m.heap_idle_bytes),
            ("heap_in_use_bytes", m.heap_in_use_bytes),
            ("heap_released_bytes", m.heap_released_bytes),
            ("gc_pause_usec_100", m.gc_pause_usec_100),
            ("gc_pause_usec_99", m.gc_pause_usec_99),
            ("gc_pause_usec_95", m.gc_pause_usec_95),
            ("next_gc_bytes", m.next_gc_bytes),
            ("gc_total_runs", u64::from(m.gc_total_runs)),
        ] {
            let _ = writeln!(w, "   {k:<25}\t{v}");
        }
    }
    let topics = s.topics.as_deref().unwrap_or_default();
    if topics.is_empty() {
        let _ = writeln!(w, "\nTopics: None");
    } else {
        let _ = write!(w, "\nTopics:");
    }
    for t in topics {
        let prefix = if t.paused { "*P " } else { "   " };
        let _ = writeln!(
            w,
            "\n{prefix}[{:<15}] depth: {:<5} be-depth: {:<5} msgs: {:<8} e2e%: ",
            t.topic_name, t.depth, t.backend_depth, t.message_count
        );
        for c in &t.channels {
            let prefix = if c.paused { "   *P " } else { "      " };
            let _ = writeln!(
                w,
                "{prefix}[{:<25}] depth: {:<5} be-depth: {:<5} inflt: {:<4} def: {:<4} re-q: {:<5} timeout: {:<5} msgs: {:<8} e2e%: ",
                c.channel_name,
                c.depth,
                c.backend_depth,
                c.in_flight_count,
                c.deferred_count,
                c.requeue_count,
                c.timeout_count,
                c.message_count
            );
            for client in c.clients.as_deref().unwrap_or_default() {
                let _ = writeln!(w, "        {}", client_line(client, now_s));
            }
        }
    }
    let producers = s.producers.as_deref().unwrap_or_default();
    if producers.is_empty() {
        let _ = writeln!(w, "\nProducers: None");
    } else {
        let _ = writeln!(w, "\nProducers:");
        for p in producers {
            let _ = writeln!(w, "   {}", client_line(p, now_s));
        }
    }
    w
}

/// Where nsqd names its Go toolchain we name ours.
fn rustc_version() -> &'static str {
    concat!("nsq-cli/", env!("CARGO_PKG_VERSION"))
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::time::Duration;

    #[test]
    fn durations_print_like_go() {
        assert_eq!(go_duration(Duration::ZERO), "0s");
        assert_eq!(
            go_duration(Duration::from_nanos(57_403_178_458)),
            "57.403178458s"
        );
        assert_eq!(go_duration(Duration::from_secs(90)), "1m30s");
        assert_eq!(go_duration(Duration::from_secs(3600)), "1h0m0s");
        assert_eq!(go_duration(Duration::from_millis(1500)), "1.5s");
        assert_eq!(go_duration(Duration::from_micros(2500)), "2.5ms");
        assert_eq!(go_duration(Duration::from_nanos(1500)), "1.5µs");
        assert_eq!(go_duration(Duration::from_nanos(7)), "7ns");
    }
}
