//! The embedded broker's delivery semantics over TCP, as nsqd's: fan-out to every
//! channel, sharing within a channel, buffering until the first channel,
//! timeouts, requeues, deferral and compression. (Error strings and frame bytes
//! are checked against a real nsqd's captures in tests/reference_tcp.rs.)

use crate::common;

use common::raw::{self, Raw};
use common::DevBroker;
use nsq_cli::protocol::compression::Compression;
use nsq_cli::protocol::{Command, Frame};
use std::collections::HashSet;
use std::time::{Duration, Instant};

fn publish(addr: &str, topic: &str, bodies: &[&[u8]]) {
    raw::publish(addr, topic, bodies);
}

fn bodies(n: usize) -> Vec<Vec<u8>> {
    (0..n).map(|i| format!("msg-{i}").into_bytes()).collect()
}

#[test]
fn every_channel_gets_a_copy_of_every_message() {
    let b = DevBroker::start();
    let mut c1 = Raw::subscribe(&b.tcp, "fanout", "one", 100);
    let mut c2 = Raw::subscribe(&b.tcp, "fanout", "two", 100);
    let msgs = bodies(20);
    let refs: Vec<&[u8]> = msgs.iter().map(|m| m.as_slice()).collect();
    publish(&b.tcp, "fanout", &refs);
    for c in [&mut c1, &mut c2] {
        let got: Vec<Vec<u8>> = (0..20).map(|_| c.message().body.to_vec()).collect();
        assert_eq!(got, msgs, "each channel gets all, in order");
    }
}

#[test]
fn consumers_of_one_channel_share_messages_exactly_once() {
    use std::sync::atomic::{AtomicUsize, Ordering};
    use std::sync::Arc;
    let b = DevBroker::start();
    let consumers: Vec<Raw> = (0..3)
        .map(|_| Raw::subscribe(&b.tcp, "share", "workers", 1))
        .collect();
    let msgs = bodies(60);
    let refs: Vec<&[u8]> = msgs.iter().map(|m| m.as_slice()).collect();
    publish(&b.tcp, "share", &refs);
    let total = Arc::new(AtomicUsize::new(0));
    let handles: Vec<_> = consumers
        .into_iter()
        .map(|mut c| {
            let total = total.clone();
            std::thread::spawn(move || {
                let mut got = vec![];
                let deadline = Instant::now() + Duration::from_secs(20);
                while total.load(Ordering::SeqCst) < 60 && Instant::now() < deadline {
                    if c.quiet_for(Duration::from_millis(50)) {
                        continue;
                    }
                    let m = c.message();
                    got.push(m.body.to_vec());
                    c.send(Command::Fin(m.id));
                    total.fetch_add(1, Ordering::SeqCst);
                }
                got
            })
        })
        .collect();
    let per_consumer: Vec<Vec<Vec<u8>>> = handles.into_iter().map(|h| h.join().unwrap()).collect();
    let all: Vec<Vec<u8>> = per_consumer.iter().flatten().cloned().collect();
    let unique: HashSet<_> = all.iter().cloned().collect();
    assert_eq!(all.len(), 60, "no duplicates, none lost");
    assert_eq!(unique.len(), 60);
    assert!(
        per_consumer.iter().all(|g| !g.is_empty()),
        "every consumer got work: {:?}",
        per_consumer.iter().map(|g| g.len()).collect::<Vec<_>>()
    );
}

#[test]
fn a_topic_without_channels_keeps_messages_for_its_first_channel() {
    let b = DevBroker::start();
    publish(&b.tcp, "buffered", &[b"early-1", b"early-2"]);
    let mut first = Raw::subscribe(&b.tcp, "buffered", "first", 10);
    assert_eq!(&first.message().body[..], b"early-1");
    assert_eq!(&first.message().body[..], b"early-2");
    // A channel created later only sees what is published after it exists.
    let mut late = Raw::subscribe(&b.tcp, "buffered", "late", 10);
    publish(&b.tcp, "buffered", &[b"after"]);
    assert_eq!(&late.message().body[..], b"after");
    assert_eq!(&first.message().body[..], b"after");
}

#[test]
fn unfinished_messages_time_out_and_come_back_with_more_attempts() {
    let b = DevBroker::start();
    let mut c = Raw::connect(&b.tcp);
    let answer = c.identify(r#"{"feature_negotiation":true,"msg_timeout":1000}"#);
    assert!(answer.contains(r#""msg_timeout":1000"#), "{answer}");
    c.send(Command::Sub {
        topic: "slow",
        channel: "c",
    });
    c.expect_ok();
    c.send(Command::Rdy(1));
    // Taken before publishing: the timeout runs from delivery, which comes later,
    // so the bound holds however late this thread reads the frames.
    let started = Instant::now();
    publish(&b.tcp, "slow", &[b"too slow"]);
    let first = c.message();
    assert_eq!(first.attempts, 1);
    let again = c.message(); // never FINed: the broker requeues it after msg_timeout
    assert!(started.elapsed() >= Duration::from_millis(900));
    assert_eq!((again.id, again.attempts), (first.id, 2));
}

#[test]
fn req_with_a_delay_and_dpub_defer_delivery() {
    let b = DevBroker::start();
    let mut c = Raw::subscribe(&b.tcp, "later", "c", 10);
    let mut p = Raw::connect(&b.tcp);
    // Instants are taken before sending: the broker's delay starts later still.
    let sent = Instant::now();
    p.send(Command::Dpub {
        topic: "later",
        defer_ms: 700,
        body: b"deferred",
    });
    p.expect_ok();
    assert!(
        c.quiet_for(Duration::from_millis(300)),
        "deferred message came early"
    );
    let m = c.message();
    assert_eq!(&m.body[..], b"deferred");
    assert!(sent.elapsed() >= Duration::from_millis(700));

    let requeued = Instant::now();
    c.send(Command::Req {
        id: m.id,
        timeout_ms: 600,
    });
    let again = c.message();
    assert!(requeued.elapsed() >= Duration::from_millis(600));
    assert_eq!(again.attempts, 2);
    c.send(Command::Fin(again.id));
    // Finishing twice is a non-fatal error naming the id.
    c.send(Command::Fin(again.id));
    assert_eq!(
        c.frame(),
        Frame::Error(format!("E_FIN_FAILED FIN {} failed ID not in flight", again.id).into())
    );
}

#[test]
fn compressed_connections_deliver_messages_both_ways() {
    let b = DevBroker::start();
    for (ask, mode) in [
        (
            r#"{"feature_negotiation":true,"snappy":true}"#,
            Compression::Snappy,
        ),
        (
            r#"{"feature_negotiation":true,"deflate":true,"deflate_level":1}"#,
            Compression::Deflate(1),
        ),
    ] {
        let topic = if mode == Compression::Snappy {
            "snappy"
        } else {
            "deflate"
        };
        let mut c = Raw::connect(&b.tcp);
        let answer = c.identify(ask);
        assert!(
            answer.contains(r#""snappy":true"#) || answer.contains(r#""deflate":true"#),
            "{answer}"
        );
        c.use_compression(mode);
        c.expect_ok(); // the first compressed frame
        c.send(Command::Sub {
            topic,
            channel: "c",
        });
        c.expect_ok();
        c.send(Command::Rdy(5));
        let big = vec![b'z'; 200_000];
        c.send(Command::Pub { topic, body: &big }); // publish on the same compressed conn
                                                    // the OK and the message may come in either order
        let mut got_ok = false;
        let mut got_msg = None;
        while !got_ok || got_msg.is_none() {
            match c.frame() {
                Frame::Response(r) if &r[..] == b"OK" => got_ok = true,
                Frame::Message(m) => got_msg = Some(m),
                other => panic!("{other:?}"),
            }
        }
        assert_eq!(got_msg.unwrap().body.len(), 200_000);
    }
}
