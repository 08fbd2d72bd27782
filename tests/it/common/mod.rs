//! Shared helpers for integration tests: a throwaway `nsq-cli dev` broker on free
//! ports, with one node or several (`DevBroker::cluster`).
#![allow(dead_code)]

pub mod exposition;
pub mod pki;
pub mod process;
pub mod raw;

use std::io::{BufRead, BufReader};
use std::process::{Child, Command, Stdio};
use std::time::{Duration, Instant};

/// Path of the binary under test (built by cargo for integration tests).
pub fn bin() -> &'static str {
    env!("CARGO_BIN_EXE_nsq-cli")
}

/// A `nsq-cli dev` process listening on free loopback ports; killed on drop.
/// `tcp` and `http` are node 0's addresses, `nodes` every node's (node 0 first).
pub struct DevBroker {
    child: Child,
    pub tcp: String,
    pub http: String,
    pub lookupd: String,
    pub nodes: Vec<Node>,
}

/// One nsqd node of a broker: its TCP and HTTP addresses.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Node {
    pub tcp: String,
    pub http: String,
}

/// What `nsq-cli dev` prints once it listens: `NAME=value` lines by name.
#[derive(Default)]
struct AddressLines(std::collections::HashMap<String, String>);

impl AddressLines {
    const NAMES: [&'static str; 5] = [
        "NSQD_TCP_ADDRESS",
        "NSQD_HTTP_ADDRESS",
        "NSQLOOKUPD_HTTP_ADDRESS",
        "NSQD_TCP_ADDRESSES",
        "NSQD_HTTP_ADDRESSES",
    ];

    fn complete(&self) -> bool {
        Self::NAMES.iter().all(|n| self.0.contains_key(*n))
    }

    fn get(&self, name: &str) -> String {
        self.0[name].clone()
    }

    fn nodes(&self) -> Vec<Node> {
        let tcp = self.get("NSQD_TCP_ADDRESSES");
        let http = self.get("NSQD_HTTP_ADDRESSES");
        let (tcp, http): (Vec<_>, Vec<_>) = (tcp.split(',').collect(), http.split(',').collect());
        assert_eq!(tcp.len(), http.len(), "{tcp:?} / {http:?}");
        tcp.iter()
            .zip(&http)
            .map(|(t, h)| Node {
                tcp: t.to_string(),
                http: h.to_string(),
            })
            .collect()
    }
}

impl DevBroker {
    pub fn start() -> DevBroker {
        DevBroker::start_with(&[])
    }

    /// Starts the broker with extra flags (e.g. `--msg-timeout 1s`). Readiness is the
    /// broker's own signal: the three `NAME=host:port` lines it prints once listening.
    pub fn start_with(extra: &[&str]) -> DevBroker {
        DevBroker::start_at("127.0.0.1:0", extra)
    }

    /// Starts `nsq-cli dev --nodes n` (every node on free ports) with extra flags.
    pub fn cluster(n: usize, extra: &[&str]) -> DevBroker {
        let n = n.to_string();
        let args: Vec<&str> = ["--nodes", n.as_str()]
            .into_iter()
            .chain(extra.iter().copied())
            .collect();
        let b = DevBroker::start_with(&args);
        assert_eq!(b.nodes.len().to_string(), n, "nodes: {:?}", b.nodes);
        b
    }

    /// Starts the broker with its TCP port at `tcp` (e.g. where a killed broker was,
    /// so that clients find the restarted one at the same address).
    pub fn start_at(tcp: &str, extra: &[&str]) -> DevBroker {
        DevBroker::spawn(DevBroker::command(tcp, extra))
    }

    /// The command [`start_at`](Self::start_at) runs, to adjust before [`spawn`](Self::spawn)
    /// (e.g. a resource limit set in the child).
    pub fn command(tcp: &str, extra: &[&str]) -> Command {
        let mut c = Command::new(bin());
        c.args([
            "dev",
            "-q",
            "--tcp-address",
            tcp,
            "--http-address",
            "127.0.0.1:0",
            "--lookupd-http-address",
            "127.0.0.1:0",
        ])
        .args(extra);
        c
    }

    /// Starts `cmd` (a `nsq-cli dev` command) and waits for its addresses.
    pub fn spawn(mut cmd: Command) -> DevBroker {
        let mut child = cmd
            .stdin(Stdio::null())
            .stdout(Stdio::piped())
            .stderr(Stdio::inherit())
            .spawn()
            .expect("spawn nsq-cli dev");
        let stdout = child.stdout.take().unwrap();
        let mut lines = BufReader::new(stdout).lines();
        let mut printed = AddressLines::default();
        while !printed.complete() {
            let line = match lines.next() {
                Some(Ok(l)) => l,
                _ => panic!("nsq-cli dev exited before printing its addresses"),
            };
            if let Some((k, v)) = line.split_once('=') {
                printed.0.insert(k.to_string(), v.to_string());
            }
        }
        // Keep draining stdout so the broker never blocks on a full pipe.
        std::thread::spawn(move || for _ in lines {});
        DevBroker {
            child,
            tcp: printed.get("NSQD_TCP_ADDRESS"),
            http: printed.get("NSQD_HTTP_ADDRESS"),
            lookupd: printed.get("NSQLOOKUPD_HTTP_ADDRESS"),
            nodes: printed.nodes(),
        }
    }

    /// The environment `nsq-cli dev -- CMD` would give CMD.
    pub fn envs(&self) -> Vec<(&'static str, String)> {
        let all = |f: fn(&Node) -> &String| {
            let v: Vec<&str> = self.nodes.iter().map(|n| f(n).as_str()).collect();
            v.join(",")
        };
        vec![
            ("NSQD_TCP_ADDRESS", self.tcp.clone()),
            ("NSQD_HTTP_ADDRESS", self.http.clone()),
            ("NSQLOOKUPD_HTTP_ADDRESS", self.lookupd.clone()),
            ("NSQD_TCP_ADDRESSES", all(|n| &n.tcp)),
            ("NSQD_HTTP_ADDRESSES", all(|n| &n.http)),
        ]
    }

    /// A `nsq-cli` command with this broker's addresses in its environment.
    pub fn cmd(&self) -> Command {
        let mut c = Command::new(bin());
        without_contexts(&mut c);
        c.envs(self.envs());
        c.env("NO_COLOR", "1");
        c
    }

    pub fn pid(&self) -> u32 {
        self.child.id()
    }

    /// Stops the broker as a user does (SIGTERM) and returns its exit status.
    pub fn stop(&mut self) -> std::process::ExitStatus {
        let pid = self.child.id();
        process::signal(pid, "TERM");
        let _dog = process::watchdog(pid);
        self.child.wait().unwrap()
    }

    /// Kills the broker now (for fault tests).
    pub fn kill(&mut self) {
        let _ = self.child.kill();
        let _ = self.child.wait();
    }
}

impl Drop for DevBroker {
    /// A clean stop (SIGTERM: the broker removes its temporary queue files), or
    /// SIGKILL if it has not exited within 10 s.
    fn drop(&mut self) {
        if let Ok(None) = self.child.try_wait() {
            let _ = Command::new("kill")
                .args(["-TERM", &self.child.id().to_string()])
                .status();
            let child = &mut self.child;
            wait_until(Duration::from_secs(10), || {
                !matches!(child.try_wait(), Ok(None))
            });
        }
        self.kill();
    }
}

/// Keeps the developer's nsq-cli contexts (a selected one, NSQ_CONTEXT,
/// NSQ_TO_CONTEXT) and a relay destination's secret out of a test's command: a
/// configuration directory that does not exist.
pub fn without_contexts(c: &mut Command) -> &mut Command {
    c.env(
        "XDG_CONFIG_HOME",
        std::path::Path::new(env!("CARGO_TARGET_TMPDIR")).join("no-nsq-cli-config"),
    )
    .env_remove("NSQ_CONTEXT")
    .env_remove("NSQ_TO_CONTEXT")
    .env_remove("NSQ_TO_AUTH_SECRET")
}

/// A stand-in HTTP server on a free loopback port (a fake nsqlookupd or auth
/// server): `answer` maps each request's target (`/lookup?topic=t`) to a status and
/// a JSON body. Returns its `host:port`.
pub fn fake_http(answer: impl Fn(&str) -> (u16, String) + Send + 'static) -> String {
    use std::io::{BufRead, Write};
    let l = std::net::TcpListener::bind("127.0.0.1:0").unwrap();
    let addr = l.local_addr().unwrap().to_string();
    std::thread::spawn(move || {
        for conn in l.incoming() {
            let Ok(mut conn) = conn else { continue };
            let mut reader = std::io::BufReader::new(conn.try_clone().unwrap());
            let mut first = String::new();
            if reader.read_line(&mut first).is_err() {
                continue;
            }
            loop {
                let mut h = String::new();
                if reader.read_line(&mut h).unwrap_or(0) == 0 || h == "\r\n" {
                    break;
                }
            }
            let target = first.split(' ').nth(1).unwrap_or_default().to_string();
            let (status, body) = answer(&target);
            let _ = write!(
                conn,
                "HTTP/1.1 {status} X\r\nContent-Type: application/json\r\nContent-Length: {}\r\nConnection: close\r\n\r\n{body}",
                body.len()
            );
        }
    });
    addr
}

/// GET over plain HTTP/1.1 (a read deadline, no client library): (status, body).
pub fn http_get(addr: &str, path: &str) -> (u16, String) {
    use std::io::{Read, Write};
    let mut s = std::net::TcpStream::connect(addr).unwrap();
    s.set_read_timeout(Some(process::DEADLINE)).unwrap();
    write!(
        s,
        "GET {path} HTTP/1.1\r\nHost: {addr}\r\nConnection: close\r\n\r\n"
    )
    .unwrap();
    let mut resp = String::new();
    s.read_to_string(&mut resp).unwrap();
    let status = resp[9..12].parse().unwrap();
    let body = resp.split_once("\r\n\r\n").unwrap().1.to_string();
    (status, body)
}

/// One channel's counters from nsqd's /stats (FINed = messages - depth - in_flight).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct ChannelStats {
    pub depth: u64,
    pub in_flight: u64,
    /// Messages the channel received.
    pub messages: u64,
    /// Of `depth`, how many are on disk (beyond --mem-queue-size).
    pub backend_depth: u64,
    /// Deferred (DPUB, REQ with a delay).
    pub deferred: u64,
    /// REQed (and timed out).
    pub requeued: u64,
    /// Connected subscribers.
    pub clients: u64,
}

/// The counters of `topic/channel` on the nsqd whose HTTP API is at `http`.
pub fn channel_stats(http: &str, topic: &str, channel: &str) -> ChannelStats {
    let (_, body) = http_get(
        http,
        &format!("/stats?format=json&topic={topic}&channel={channel}"),
    );
    let v: serde_json::Value = serde_json::from_str(&body).unwrap();
    let c = v["topics"]
        .as_array()
        .and_then(|t| t.iter().find(|t| t["topic_name"] == topic))
        .and_then(|t| t["channels"].as_array())
        .and_then(|cs| cs.iter().find(|c| c["channel_name"] == channel))
        .unwrap_or_else(|| panic!("no {topic}/{channel} in {body}"))
        .clone();
    let n = |k: &str| c[k].as_u64().unwrap_or_else(|| panic!("{k} in {c}"));
    ChannelStats {
        depth: n("depth"),
        in_flight: n("in_flight_count"),
        messages: n("message_count"),
        backend_depth: n("backend_depth"),
        deferred: n("deferred_count"),
        requeued: n("requeue_count") + n("timeout_count"),
        clients: n("client_count"),
    }
}

/// A loopback address with a port that was free a moment ago (for a broker that
/// must come back at the same address after being killed).
pub fn free_addr() -> String {
    let l = std::net::TcpListener::bind("127.0.0.1:0").unwrap();
    l.local_addr().unwrap().to_string()
}

/// Polls `cond` until it is true or `timeout` passes; for conditions that have no
/// signal of their own (e.g. a counter in /stats reaching a value).
pub fn wait_until(timeout: Duration, mut cond: impl FnMut() -> bool) -> bool {
    let deadline = Instant::now() + timeout;
    loop {
        if cond() {
            return true;
        }
        if Instant::now() >= deadline {
            return false;
        }
        std::thread::sleep(Duration::from_millis(20));
    }
}

/// Messages `topic` received in all (nsqd's topic `message_count`; 0 when the
/// topic does not exist), on the nsqd whose HTTP API is at `http`.
pub fn topic_message_count(http: &str, topic: &str) -> u64 {
    let (_, body) = http_get(http, &format!("/stats?format=json&topic={topic}"));
    let v: serde_json::Value = serde_json::from_str(&body).unwrap();
    v["topics"]
        .as_array()
        .and_then(|t| t.iter().find(|t| t["topic_name"] == topic))
        .map_or(0, |t| t["message_count"].as_u64().unwrap())
}

/// A consuming command's last stderr line when its --idle-timeout came with a
/// source unreachable: one line naming `addr` and ending with what it counted
/// (`stopping (N printed)`), said once.
pub fn assert_unreachable_line(err: &str, addr: &str, counted: &str) {
    let last = err.lines().last().unwrap_or_default();
    assert!(
        last.contains(&format!("{addr} unreachable for")) && last.ends_with(counted),
        "{err}"
    );
    assert_eq!(err.matches("unreachable for").count(), 1, "{err}");
}
