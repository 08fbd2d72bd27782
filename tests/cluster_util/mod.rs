//! Helpers for the cluster command tests (lookup, stats, admin, check).
#![allow(dead_code)]

use crate::common::DevBroker;
use std::io::{Read, Write};
use std::net::TcpStream;
use std::process::Output;

/// Publishes `bodies` to `topic` over nsqd's TCP protocol and waits for each OK.
pub fn publish(b: &DevBroker, topic: &str, bodies: &[&str]) {
    let mut s = TcpStream::connect(&b.tcp).expect("connect nsqd tcp");
    s.write_all(b"  V2").unwrap();
    for body in bodies {
        let mut cmd = format!("PUB {topic}\n").into_bytes();
        cmd.extend_from_slice(&(body.len() as u32).to_be_bytes());
        cmd.extend_from_slice(body.as_bytes());
        s.write_all(&cmd).unwrap();
        let mut head = [0u8; 8];
        s.read_exact(&mut head).unwrap();
        let size = u32::from_be_bytes(head[..4].try_into().unwrap()) as usize;
        let mut data = vec![0u8; size - 4];
        s.read_exact(&mut data).unwrap();
        assert_eq!(
            data,
            b"OK",
            "PUB {topic} answered {:?}",
            String::from_utf8_lossy(&data)
        );
    }
}

/// Runs a command against one broker (its addresses in the environment).
pub fn run(b: &DevBroker, args: &[&str]) -> Output {
    b.cmd().args(args).output().expect("run nsq-cli")
}

/// Runs nsq-cli with a clean environment (addresses only from `args`).
pub fn run_bare(args: &[&str]) -> Output {
    std::process::Command::new(crate::common::bin())
        .env_remove("NSQD_HTTP_ADDRESS")
        .env_remove("NSQLOOKUPD_HTTP_ADDRESS")
        .env_remove("NSQD_TCP_ADDRESS")
        .env_remove("NSQ_MAP_ADDRESS")
        .env("NO_COLOR", "1")
        .args(args)
        .output()
        .expect("run nsq-cli")
}

pub fn stdout(o: &Output) -> String {
    String::from_utf8_lossy(&o.stdout).into_owned()
}

pub fn stderr(o: &Output) -> String {
    String::from_utf8_lossy(&o.stderr).into_owned()
}

pub fn json(o: &Output) -> serde_json::Value {
    serde_json::from_slice(&o.stdout).unwrap_or_else(|e| {
        panic!(
            "stdout is not JSON ({e}): {}\nstderr: {}",
            stdout(o),
            stderr(o)
        )
    })
}

/// Asserts success and returns stdout.
pub fn ok(o: &Output) -> String {
    assert!(
        o.status.success(),
        "exit {:?}\nstdout: {}\nstderr: {}",
        o.status.code(),
        stdout(o),
        stderr(o)
    );
    stdout(o)
}

/// `host:port` of the broker's nsqd TCP address as lookupd announces it (127.0.0.1).
pub fn tcp_port(b: &DevBroker) -> u16 {
    b.tcp.rsplit_once(':').unwrap().1.parse().unwrap()
}

pub fn http_port(b: &DevBroker) -> u16 {
    b.http.rsplit_once(':').unwrap().1.parse().unwrap()
}
