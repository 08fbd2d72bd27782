//! Helpers for the cluster command tests (lookup, stats, admin, check).
#![allow(dead_code)]

use crate::common::process::OutputWithin;
use crate::common::DevBroker;
use std::process::Output;

/// Publishes `bodies` to `topic` over nsqd's TCP protocol, each acknowledged.
pub fn publish(b: &DevBroker, topic: &str, bodies: &[&str]) {
    crate::common::raw::publish(&b.tcp, topic, bodies);
}

/// Runs a command against one broker (its addresses in the environment).
pub fn run(b: &DevBroker, args: &[&str]) -> Output {
    b.cmd().args(args).output_within().expect("run nsq-cli")
}

/// nsq-cli with a clean environment: no address variable, no context of the
/// developer's (addresses only from the arguments the test gives).
pub fn bare_cmd() -> std::process::Command {
    let mut c = std::process::Command::new(crate::common::bin());
    crate::common::without_contexts(&mut c)
        .env_remove("NSQD_HTTP_ADDRESS")
        .env_remove("NSQLOOKUPD_HTTP_ADDRESS")
        .env_remove("NSQD_TCP_ADDRESS")
        .env_remove("NSQ_MAP_ADDRESS")
        .env("NO_COLOR", "1");
    c
}

/// Runs nsq-cli with a clean environment (addresses only from `args`).
pub fn run_bare(args: &[&str]) -> Output {
    bare_cmd().args(args).output_within().expect("run nsq-cli")
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
