//! `nsq-cli dev`'s queues: --mem-queue-size in memory and the rest on disk,
//! backend_depth, --data-path across a restart, a full disk, memory given back.

use crate::common::raw::{drain_channel, publish, Raw};
use crate::common::{self, channel_stats, http_get, wait_until, DevBroker};
use nsq_cli::protocol::command::Command;
use nsq_cli::protocol::frame::Frame;
use std::time::Duration;

fn bodies(from: usize, n: usize) -> Vec<String> {
    (from..from + n).map(|i| format!("m{i:07}")).collect()
}

fn texts(msgs: &[nsq_cli::protocol::Message]) -> Vec<String> {
    msgs.iter()
        .map(|m| String::from_utf8_lossy(&m.body).into_owned())
        .collect()
}

/// A topic's depth and backend_depth from /stats.
fn topic_depths(http: &str, topic: &str) -> (u64, u64) {
    let (_, body) = http_get(http, &format!("/stats?format=json&topic={topic}"));
    let v: serde_json::Value = serde_json::from_str(&body).unwrap();
    let t = v["topics"]
        .as_array()
        .and_then(|ts| ts.iter().find(|t| t["topic_name"] == topic))
        .unwrap_or_else(|| panic!("no {topic} in {body}"))
        .clone();
    (
        t["depth"].as_u64().unwrap(),
        t["backend_depth"].as_u64().unwrap(),
    )
}

/// The broker's resident memory in bytes (VmRSS in /proc/PID/status).
fn rss(pid: u32) -> u64 {
    let status = std::fs::read_to_string(format!("/proc/{pid}/status")).unwrap();
    let line = status.lines().find(|l| l.starts_with("VmRSS:")).unwrap();
    let kb: u64 = line.split_whitespace().nth(1).unwrap().parse().unwrap();
    kb * 1024
}

#[test]
fn beyond_mem_queue_size_messages_go_to_disk_and_come_back_in_order() {
    let b = DevBroker::start_with(&["--mem-queue-size", "100"]);
    // A topic without channels holds them itself: 100 in memory, 900 on disk.
    publish(&b.tcp, "spill", &bodies(0, 1000));
    assert_eq!(topic_depths(&b.http, "spill"), (1000, 900));
    let _c = Raw::subscribe(&b.tcp, "spill", "c", 0);
    // The topic handed them to its channel, which spills them the same way.
    assert_eq!(topic_depths(&b.http, "spill"), (0, 0));
    let s = channel_stats(&b.http, "spill", "c");
    assert_eq!((s.depth, s.backend_depth), (1000, 900));
    publish(&b.tcp, "spill", &bodies(1000, 500));
    let s = channel_stats(&b.http, "spill", "c");
    assert_eq!((s.depth, s.backend_depth), (1500, 1400));
    assert_eq!(texts(&drain_channel(&b.tcp, "spill", "c")), bodies(0, 1500));
    let s = channel_stats(&b.http, "spill", "c");
    assert_eq!((s.depth, s.backend_depth, s.in_flight), (0, 0, 0));
}

#[test]
fn a_zero_mem_queue_size_puts_everything_on_disk_in_order() {
    let b = DevBroker::start_with(&["--mem-queue-size", "0"]);
    let _c = Raw::subscribe(&b.tcp, "z", "c", 0);
    publish(&b.tcp, "z", &bodies(0, 300));
    assert_eq!(channel_stats(&b.http, "z", "c").backend_depth, 300);
    assert_eq!(texts(&drain_channel(&b.tcp, "z", "c")), bodies(0, 300));
}

#[test]
fn memory_stays_bounded_while_two_million_messages_wait() {
    let b = DevBroker::start_with(&[]);
    let idle = rss(b.pid());
    let body = [b'x'; 100];
    let mut raw = Raw::connect(&b.tcp);
    let batch: Vec<&[u8]> = vec![&body[..]; 5000];
    for _ in 0..400 {
        raw.send(Command::Mpub {
            topic: "big",
            bodies: &batch,
        });
        raw.expect_ok();
    }
    assert_eq!(topic_depths(&b.http, "big"), (2_000_000, 1_990_000));
    // In memory that would be ~400 MB (about 190 bytes each before --mem-queue-size).
    let grown = rss(b.pid()).saturating_sub(idle);
    assert!(grown < 100 << 20, "RSS grew by {grown} bytes");
}

#[test]
fn a_drained_queue_gives_its_memory_back() {
    let b = DevBroker::start_with(&["--mem-queue-size", "10000000"]);
    let _c = Raw::subscribe(&b.tcp, "mem", "c", 0);
    let idle = rss(b.pid());
    let body = [b'y'; 100];
    let batch: Vec<&[u8]> = vec![&body[..]; 5000];
    let mut raw = Raw::connect(&b.tcp);
    for _ in 0..100 {
        raw.send(Command::Mpub {
            topic: "mem",
            bodies: &batch,
        });
        raw.expect_ok();
    }
    let peak = rss(b.pid());
    assert!(
        peak - idle > 50 << 20,
        "500k messages in memory: {idle} -> {peak}"
    );
    assert_eq!(drain_channel(&b.tcp, "mem", "c").len(), 500_000);
    // Given back within a few scans of the broker (before, nothing came back).
    // The bound leaves room for allocator caches and for the ~20% that is
    // sometimes kept until the next round (README: Queues, disk and durability):
    // at least half of what the messages took.
    let bound = idle + (peak - idle) / 2;
    let back = wait_until(Duration::from_secs(20), || rss(b.pid()) < bound);
    assert!(
        back,
        "RSS {} after draining, idle {idle}, peak {peak}",
        rss(b.pid())
    );
}

#[test]
fn data_path_keeps_queued_deferred_and_in_flight_messages_across_a_restart() {
    let dir = tempfile::tempdir().unwrap();
    let data = dir.path().to_str().unwrap();
    let mut b = DevBroker::start_with(&["--data-path", data, "--mem-queue-size", "10"]);
    let mut sub = Raw::subscribe(&b.tcp, "keep", "c", 0);
    publish(&b.tcp, "keep", &bodies(0, 50));
    publish(&b.tcp, "alone", &bodies(0, 30));
    let mut p = Raw::connect(&b.tcp);
    p.send(Command::Dpub {
        topic: "keep",
        defer_ms: 3_600_000,
        body: b"later",
    });
    p.expect_ok();
    sub.send(Command::Rdy(3));
    let held: Vec<_> = (0..3).map(|_| sub.message()).collect();
    assert_eq!(texts(&held), bodies(0, 3));
    let s = channel_stats(&b.http, "keep", "c");
    assert_eq!((s.depth, s.in_flight, s.deferred), (47, 3, 1));

    // One process per data path.
    let second = common::process::OutputWithin::output_within(&mut DevBroker::command(
        "127.0.0.1:0",
        &["--data-path", data],
    ))
    .unwrap();
    assert_eq!(second.status.code(), Some(1));
    let err = String::from_utf8_lossy(&second.stderr);
    assert!(
        err.contains("in use by another nsq-cli dev") && err.contains("nsq-cli-dev.lock"),
        "{err}"
    );

    assert!(b.stop().success());
    drop(sub);
    let b = DevBroker::start_with(&["--data-path", data, "--mem-queue-size", "10"]);
    let s = channel_stats(&b.http, "keep", "c");
    assert_eq!((s.depth, s.in_flight, s.deferred), (50, 0, 1));
    assert_eq!(topic_depths(&b.http, "alone").0, 30);
    let again = drain_channel(&b.tcp, "keep", "c");
    // The in-flight ones first (sent again: attempts 2), then the rest in order.
    assert_eq!(texts(&again), bodies(0, 50));
    for (before, after) in held.iter().zip(&again) {
        assert_eq!((before.id, before.attempts + 1), (after.id, after.attempts));
    }
    assert!(again[3..].iter().all(|m| m.attempts == 1));
    assert_eq!(channel_stats(&b.http, "keep", "c").deferred, 1);
}

/// `nsq-cli dev` with files limited to `bytes` (RLIMIT_FSIZE; SIGXFSZ ignored, so
/// a write beyond it fails with EFBIG as on a full disk).
fn broker_with_file_limit(bytes: u64, extra: &[&str]) -> DevBroker {
    use std::os::unix::process::CommandExt;
    let mut cmd = DevBroker::command("127.0.0.1:0", extra);
    // SAFETY: only async-signal-safe calls between fork and exec.
    unsafe {
        cmd.pre_exec(move || {
            libc::signal(libc::SIGXFSZ, libc::SIG_IGN);
            let lim = libc::rlimit {
                rlim_cur: bytes,
                rlim_max: bytes,
            };
            if libc::setrlimit(libc::RLIMIT_FSIZE, &lim) != 0 {
                return Err(std::io::Error::last_os_error());
            }
            Ok(())
        });
    }
    DevBroker::spawn(cmd)
}

#[test]
fn a_full_disk_fails_the_publish_and_loses_nothing_accepted() {
    let b = broker_with_file_limit(64 * 1024, &["--mem-queue-size", "10"]);
    let _c = Raw::subscribe(&b.tcp, "full", "c", 0);
    let mut p = Raw::connect(&b.tcp);
    let mut accepted = Vec::new();
    let error = loop {
        let body = format!("{:0>1000}", accepted.len());
        p.send(Command::Pub {
            topic: "full",
            body: body.as_bytes(),
        });
        match p.frame() {
            Frame::Response(r) if &r[..] == b"OK" => accepted.push(body),
            Frame::Error(e) => break String::from_utf8_lossy(&e).into_owned(),
            other => panic!("unexpected {other:?}"),
        }
        assert!(accepted.len() < 1000, "64 KiB of files took 1 MB");
    };
    assert!(
        error.starts_with("E_PUB_FAILED PUB failed write ") && error.ends_with(": file too large"),
        "{error}"
    );
    // About 64 KiB on disk plus 10 in memory, every one of them delivered.
    assert!(accepted.len() > 60, "{}", accepted.len());
    // The node is unhealthy as nsqd is after a failed write: /ping 500, /stats health.
    let why = error.strip_prefix("E_PUB_FAILED PUB failed ").unwrap();
    let (status, ping) = http_get(&b.http, "/ping");
    assert_eq!(
        (status, ping.as_str()),
        (500, format!("NOK - {why}").as_str())
    );
    let (_, stats) = http_get(&b.http, "/stats?format=json");
    let v: serde_json::Value = serde_json::from_str(&stats).unwrap();
    assert_eq!(v["health"], format!("NOK - {why}"));
    let s = channel_stats(&b.http, "full", "c");
    assert_eq!(s.depth, accepted.len() as u64);
    assert_eq!(texts(&drain_channel(&b.tcp, "full", "c")), accepted);
    // The next accepted publish makes it healthy again.
    publish(&b.tcp, "full", &bodies(0, 1));
    assert_eq!(http_get(&b.http, "/ping"), (200, "OK".to_string()));
}

#[test]
fn each_node_of_a_cluster_keeps_its_own_queues_in_data_path() {
    let dir = tempfile::tempdir().unwrap();
    let data = dir.path().to_str().unwrap();
    let mut b = DevBroker::cluster(3, &["--data-path", data, "--mem-queue-size", "2"]);
    for (i, n) in b.nodes.iter().enumerate() {
        publish(&n.tcp, "t", &bodies(i * 10, i + 4));
    }
    assert!(b.stop().success());
    for i in 0..3 {
        assert!(dir.path().join(format!("node-{i}")).is_dir(), "node-{i}");
    }
    let b = DevBroker::cluster(3, &["--data-path", data, "--mem-queue-size", "2"]);
    for (i, n) in b.nodes.iter().enumerate() {
        assert_eq!(topic_depths(&n.http, "t").0, (i + 4) as u64, "node {i}");
        let mut sub = Raw::subscribe(&n.tcp, "t", "c", 0);
        sub.send(Command::Rdy(100));
        let got: Vec<_> = (0..i + 4).map(|_| sub.message()).collect();
        assert_eq!(texts(&got), bodies(i * 10, i + 4), "node {i}");
    }
}

/// The channel names a node's /stats lists for `topic`.
fn channel_names(http: &str, topic: &str) -> Vec<String> {
    let (_, body) = http_get(http, &format!("/stats?format=json&topic={topic}"));
    let v: serde_json::Value = serde_json::from_str(&body).unwrap();
    let t = v["topics"]
        .as_array()
        .unwrap()
        .iter()
        .find(|t| t["topic_name"] == topic);
    let chans = t.map(|t| t["channels"].as_array().unwrap().clone());
    chans
        .unwrap_or_default()
        .iter()
        .map(|c| c["channel_name"].as_str().unwrap().to_string())
        .collect()
}

#[test]
fn a_start_that_fails_on_one_node_loses_no_other_nodes_saved_queues() {
    let dir = tempfile::tempdir().unwrap();
    let data = dir.path().to_str().unwrap();
    let flags = ["--data-path", data, "--mem-queue-size", "2"];
    let mut b = DevBroker::cluster(2, &flags);
    for (i, n) in b.nodes.iter().enumerate() {
        publish(&n.tcp, "t", &bodies(i * 10, 6));
        publish(&n.tcp, "u", &bodies(i * 10, 5));
    }
    assert!(b.stop().success());
    // Node 1's saved head of "t" can't be read back: the start fails...
    let head = dir.path().join("node-1").join("t.head.dat");
    let saved = std::fs::read(&head).unwrap();
    std::fs::write(&head, [0xff; 8]).unwrap();
    let mut cmd = DevBroker::command("127.0.0.1:0", &flags);
    cmd.args(["--nodes", "2"]);
    let out = common::process::OutputWithin::output_within(&mut cmd).unwrap();
    assert_eq!(out.status.code(), Some(1));
    let err = String::from_utf8_lossy(&out.stderr);
    assert!(err.contains("cannot read the queues saved in"), "{err}");
    // ...and once it is mended every node's queues are all there again.
    std::fs::write(&head, saved).unwrap();
    let b = DevBroker::cluster(2, &flags);
    for (i, n) in b.nodes.iter().enumerate() {
        assert_eq!(topic_depths(&n.http, "t"), (6, 4), "node {i}");
        assert_eq!(topic_depths(&n.http, "u"), (5, 3), "node {i}");
        let mut sub = Raw::subscribe(&n.tcp, "t", "c", 0);
        sub.send(Command::Rdy(100));
        let got: Vec<_> = (0..6).map(|_| sub.message()).collect();
        assert_eq!(texts(&got), bodies(i * 10, 6), "node {i}");
    }
}

#[test]
fn a_restarted_cluster_does_not_give_a_node_the_other_nodes_channels() {
    let dir = tempfile::tempdir().unwrap();
    let data = dir.path().to_str().unwrap();
    let mut b = DevBroker::cluster(2, &["--data-path", data]);
    // Topics first: a topic made later would take the channels lookupd lists.
    for n in &b.nodes {
        publish(&n.tcp, "t", &bodies(0, 1));
    }
    let _a = Raw::subscribe(&b.nodes[0].tcp, "t", "a", 0);
    let _b = Raw::subscribe(&b.nodes[1].tcp, "t", "b", 0);
    assert_eq!(channel_names(&b.nodes[0].http, "t"), ["a"]);
    assert_eq!(channel_names(&b.nodes[1].http, "t"), ["b"]);
    assert!(b.stop().success());
    let b = DevBroker::cluster(2, &["--data-path", data]);
    assert_eq!(channel_names(&b.nodes[0].http, "t"), ["a"]);
    assert_eq!(channel_names(&b.nodes[1].http, "t"), ["b"]);
}

#[test]
fn sigterm_during_dev_command_is_passed_on_and_the_queues_are_saved() {
    use crate::common::process::{line_stream, signal, watchdog};
    let dir = tempfile::tempdir().unwrap();
    let data = dir.path().to_str().unwrap();
    let script = "echo \"$NSQD_TCP_ADDRESS\"; exec sleep 60";
    let mut child = DevBroker::command(
        "127.0.0.1:0",
        &["--data-path", data, "--", "sh", "-c", script],
    )
    .stdin(std::process::Stdio::null())
    .stdout(std::process::Stdio::piped())
    .spawn()
    .unwrap();
    let _dog = watchdog(child.id());
    let lines = line_stream(child.stdout.take().unwrap());
    // CMD runs: the broker serves and its signal handlers are in place.
    let tcp = lines.recv_timeout(Duration::from_secs(30)).unwrap();
    publish(&tcp, "kept", &bodies(0, 5));
    signal(child.id(), "TERM");
    // CMD got the SIGTERM (sleep died of it: 128 + 15), then dev closed.
    assert_eq!(child.wait().unwrap().code(), Some(143));
    let b = DevBroker::start_with(&["--data-path", data]);
    assert_eq!(topic_depths(&b.http, "kept"), (5, 0));
}

#[test]
fn a_data_path_saved_by_another_number_of_nodes_is_refused() {
    let dir = tempfile::tempdir().unwrap();
    let data = dir.path().to_str().unwrap();
    let refused = |nodes: &str| {
        let mut cmd = DevBroker::command("127.0.0.1:0", &["--data-path", data, "--nodes", nodes]);
        let out = common::process::OutputWithin::output_within(&mut cmd).unwrap();
        assert_eq!(out.status.code(), Some(1), "--nodes {nodes}");
        let err = String::from_utf8_lossy(&out.stderr).into_owned();
        assert_eq!(err.trim_end().lines().count(), 1, "{err}");
        assert!(
            err.contains(&format!("--data-path {data} holds the queues of")),
            "{err}"
        );
        err
    };
    let mut b = DevBroker::cluster(3, &["--data-path", data]);
    publish(&b.nodes[2].tcp, "t", &bodies(0, 3));
    assert!(b.stop().success());
    assert!(refused("1").contains("several nodes"));
    assert!(refused("2").contains("node 2"));
    let b = DevBroker::cluster(3, &["--data-path", data]);
    assert_eq!(topic_depths(&b.nodes[2].http, "t").0, 3);
    drop(b);

    let one = tempfile::tempdir().unwrap();
    let data = one.path().to_str().unwrap();
    let mut b = DevBroker::start_with(&["--data-path", data]);
    publish(&b.tcp, "t", &bodies(0, 3));
    assert!(b.stop().success());
    let mut cmd = DevBroker::command("127.0.0.1:0", &["--data-path", data, "--nodes", "2"]);
    let out = common::process::OutputWithin::output_within(&mut cmd).unwrap();
    assert_eq!(out.status.code(), Some(1));
    let err = String::from_utf8_lossy(&out.stderr);
    assert!(
        err.contains("holds the queues of a single node, not --nodes 2"),
        "{err}"
    );
}
