//! `nsq-cli dev` as a user runs it: alone, or around one command.

use crate::common;
use crate::common::process::{self, OutputWithin};

use common::process::wait_output;
use std::io::{BufRead, BufReader};
use std::process::{Command, Stdio};

const FREE_PORTS: [&str; 6] = [
    "--tcp-address",
    "127.0.0.1:0",
    "--http-address",
    "127.0.0.1:0",
    "--lookupd-http-address",
    "127.0.0.1:0",
];

fn dev() -> Command {
    let mut c = Command::new(common::bin());
    c.arg("dev").args(FREE_PORTS);
    c.env_remove("NSQD_TCP_ADDRESS")
        .env_remove("NSQD_HTTP_ADDRESS")
        .env_remove("NSQLOOKUPD_HTTP_ADDRESS");
    c
}

#[test]
fn the_readme_quick_start_prints_hello_world() {
    // The README's quick start, with the binary under test first on PATH.
    let dir = std::path::Path::new(common::bin()).parent().unwrap();
    let path = format!(
        "{}:{}",
        dir.display(),
        std::env::var("PATH").unwrap_or_default()
    );
    let out = dev()
        .env("PATH", path)
        .args([
            "--",
            "sh",
            "-c",
            "nsq-cli publish -topic test -message \"hello world\" && nsq-cli tail -topic test -channel foo -n 1",
        ])
        .output_within()
        .unwrap();
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    assert_eq!(String::from_utf8_lossy(&out.stdout), "hello world\n");
}

#[test]
fn the_command_gets_the_addresses_and_its_exit_status_is_ours() {
    let out = dev()
        .args([
            "--",
            "sh",
            "-c",
            "echo \"$NSQD_TCP_ADDRESS $NSQD_HTTP_ADDRESS $NSQLOOKUPD_HTTP_ADDRESS\"; exit 7",
        ])
        .output_within()
        .unwrap();
    assert_eq!(out.status.code(), Some(7));
    let stdout = String::from_utf8(out.stdout).unwrap();
    let addrs: Vec<&str> = stdout.split_whitespace().collect();
    assert_eq!(addrs.len(), 3, "{stdout}");
    for a in &addrs {
        let (host, port) = a.rsplit_once(':').unwrap();
        assert_eq!(host, "127.0.0.1");
        assert_ne!(
            port.parse::<u16>().unwrap(),
            0,
            "a real port was picked: {a}"
        );
    }
    // in `-- CMD` mode stdout belongs to CMD: no address lines of ours
    assert!(!stdout.contains("NSQD_TCP_ADDRESS="), "{stdout}");
}

#[test]
fn a_command_that_cannot_run_is_a_clear_error() {
    let out = dev()
        .args(["--", "/nonexistent/command"])
        .output_within()
        .unwrap();
    assert_eq!(out.status.code(), Some(1));
    let err = String::from_utf8_lossy(&out.stderr);
    assert!(err.contains("/nonexistent/command"), "{err}");
}

#[test]
fn alone_it_prints_its_addresses_and_stops_on_sigterm() {
    let mut child = dev()
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .unwrap();
    let mut lines = BufReader::new(child.stdout.take().unwrap()).lines();
    let mut names = vec![];
    for _ in 0..3 {
        let line = lines.next().unwrap().unwrap();
        let (name, addr) = line.split_once('=').unwrap();
        assert!(addr.starts_with("127.0.0.1:"), "{line}");
        // the broker really listens there
        std::net::TcpStream::connect(addr).unwrap();
        names.push(name.to_string());
    }
    assert_eq!(
        names,
        [
            "NSQD_TCP_ADDRESS",
            "NSQD_HTTP_ADDRESS",
            "NSQLOOKUPD_HTTP_ADDRESS"
        ]
    );
    let status = Command::new("kill")
        .args(["-TERM", &child.id().to_string()])
        .status()
        .unwrap();
    assert!(status.success());
    let _watchdog = process::watchdog(child.id());
    let exit = child.wait().unwrap();
    assert!(exit.success(), "SIGTERM is a clean stop: {exit:?}");
}

#[test]
fn a_taken_port_names_the_address_and_the_flag() {
    let taken = std::net::TcpListener::bind("127.0.0.1:0").unwrap();
    let addr = taken.local_addr().unwrap().to_string();
    let out = Command::new(common::bin())
        .args([
            "dev",
            "--tcp-address",
            &addr,
            "--http-address",
            "127.0.0.1:0",
        ])
        .args(["--lookupd-http-address", "127.0.0.1:0"])
        .output_within()
        .unwrap();
    assert_eq!(out.status.code(), Some(1));
    let err = String::from_utf8_lossy(&out.stderr);
    assert!(
        err.contains(&addr) && err.contains("--tcp-address"),
        "{err}"
    );
    assert_eq!(err.lines().count(), 1, "{err}");
    assert!(
        out.stdout.is_empty(),
        "no address lines when it could not start"
    );
}

/// Limits are refused before listening, like any bad flag: exit 2, one line naming
/// the flag and the value, and no address lines.
#[test]
fn limits_are_validated_before_listening() {
    let cases: [(&[&str], &str); 5] = [
        (
            &["--max-msg-size", "0"],
            "invalid value '0' for '--max-msg-size",
        ),
        (
            &["--max-rdy-count", "0"],
            "invalid value '0' for '--max-rdy-count",
        ),
        (
            &["--msg-timeout", "0s"],
            "invalid value '0s' for '--msg-timeout",
        ),
        (
            &["--max-msg-size", "100", "--max-body-size", "50"],
            "--max-body-size 50 must be at least --max-msg-size 100",
        ),
        (
            &["--msg-timeout", "20m"],
            "--msg-timeout 1200s must be at most --max-msg-timeout (900s)",
        ),
    ];
    for (args, want) in cases {
        let mut c = dev();
        c.args(args);
        assert_refused_before_listening(c, want);
    }
}

/// Runs `nsq-cli dev ...` and asserts it is refused before it listens: exit 2, one
/// `error:` line containing `want`, nothing on stdout.
pub fn assert_refused_before_listening(mut dev: Command, want: &str) {
    let out = wait_output(
        dev.stdout(Stdio::piped())
            .stderr(Stdio::piped())
            .spawn()
            .unwrap(),
    );
    let args: Vec<_> = dev.get_args().collect();
    let err = String::from_utf8_lossy(&out.stderr);
    assert_eq!(out.status.code(), Some(2), "{args:?}: {err}");
    assert!(err.contains(want), "{args:?}: {err}");
    assert!(err.starts_with("error:"), "{err}");
    assert_eq!(err.lines().count(), 1, "one line: {err}");
    assert!(out.stdout.is_empty(), "{args:?}: it must not listen");
}
