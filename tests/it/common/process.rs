//! Running `nsq-cli` processes in tests: deadlines instead of hangs, readiness
//! lines instead of sleeps, signals.

use std::io::{BufRead, BufReader, Read};
use std::process::{Child, Command, Output};
use std::sync::mpsc;
use std::time::{Duration, Instant};

/// Generous: a loaded 2-core machine runs several builds at once.
pub const DEADLINE: Duration = Duration::from_secs(60);

/// Waits for a child with a deadline; a hung child fails the test instead of
/// hanging it.
pub fn wait_output(child: Child) -> Output {
    wait_output_within(child, DEADLINE)
}

/// [`wait_output`] with another limit (installing a client library takes longer).
pub fn wait_output_within(child: Child, limit: Duration) -> Output {
    let pid = child.id();
    let (tx, rx) = mpsc::channel();
    std::thread::spawn(move || {
        let _ = tx.send(child.wait_with_output());
    });
    match rx.recv_timeout(limit) {
        Ok(o) => o.unwrap(),
        Err(_) => {
            signal(pid, "KILL");
            panic!("child {pid} did not exit within {limit:?}");
        }
    }
}

/// `Command::output` under the deadline: stdin empty, stdout and stderr captured.
pub trait OutputWithin {
    fn output_within(&mut self) -> std::io::Result<Output>;
}

impl OutputWithin for Command {
    fn output_within(&mut self) -> std::io::Result<Output> {
        use std::process::Stdio;
        let child = self
            .stdin(Stdio::null())
            .stdout(Stdio::piped())
            .stderr(Stdio::piped())
            .spawn()?;
        Ok(wait_output(child))
    }
}

/// Kills `pid` (SIGKILL) unless dropped within the deadline: for tests that read
/// a child's streams to the end before waiting for it, so that a hung child
/// fails the test on its status instead of hanging it.
pub struct Watchdog(std::sync::Arc<std::sync::atomic::AtomicBool>);

pub fn watchdog(pid: u32) -> Watchdog {
    use std::sync::atomic::Ordering;
    let done = std::sync::Arc::new(std::sync::atomic::AtomicBool::new(false));
    let seen = done.clone();
    std::thread::spawn(move || {
        if !super::wait_until(DEADLINE, || seen.load(Ordering::Relaxed)) {
            let _ = Command::new("kill").args(["-9", &pid.to_string()]).status();
        }
    });
    Watchdog(done)
}

impl Drop for Watchdog {
    fn drop(&mut self) {
        self.0.store(true, std::sync::atomic::Ordering::Relaxed);
    }
}

/// Runs `cmd` with `stdin` as its input (written from another thread, so a child
/// that stops reading cannot block us), stdout and stderr captured, under the
/// deadline.
pub fn run_with_stdin(cmd: &mut Command, stdin: &[u8]) -> Output {
    use std::io::Write;
    use std::process::Stdio;
    let mut child = cmd
        .stdin(Stdio::piped())
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .unwrap();
    let mut input = child.stdin.take().unwrap();
    let data = stdin.to_vec();
    let writer = std::thread::spawn(move || {
        let _ = input.write_all(&data);
    });
    let out = wait_output(child);
    writer.join().unwrap();
    out
}

/// Sends a signal (`INT`, `TERM`, `KILL`, ...) to a process.
pub fn signal(pid: u32, sig: &str) {
    let ok = Command::new("kill")
        .args([format!("-{sig}"), pid.to_string()])
        .status()
        .unwrap()
        .success();
    assert!(ok, "kill -{sig} {pid}");
}

/// Sends a signal to a whole process group, as a terminal's Ctrl-C does (the
/// child must have been spawned with `process_group(0)`; its pid is the group id).
pub fn signal_group(pgid: u32, sig: &str) {
    let ok = Command::new("kill")
        .args([format!("-{sig}"), "--".into(), format!("-{pgid}")])
        .status()
        .unwrap()
        .success();
    assert!(ok, "kill -{sig} -- -{pgid}");
}

/// Lines of a child's stream, delivered as they come.
pub fn line_stream(r: impl Read + Send + 'static) -> mpsc::Receiver<String> {
    let (tx, rx) = mpsc::channel();
    std::thread::spawn(move || {
        for l in BufReader::new(r).lines() {
            let Ok(l) = l else { break };
            if tx.send(l).is_err() {
                break;
            }
        }
    });
    rx
}

/// Waits for a line containing `needle` (a readiness signal); returns it and the
/// lines seen before it.
pub fn wait_line(rx: &mpsc::Receiver<String>, needle: &str) -> (String, Vec<String>) {
    let end = Instant::now() + DEADLINE;
    let mut seen = Vec::new();
    while let Some(left) = end.checked_duration_since(Instant::now()) {
        match rx.recv_timeout(left) {
            Ok(l) if l.contains(needle) => return (l, seen),
            Ok(l) => seen.push(l),
            Err(_) => break,
        }
    }
    panic!("no line containing {needle:?}; saw {seen:?}");
}

pub fn stderr(o: &Output) -> String {
    String::from_utf8_lossy(&o.stderr).into_owned()
}
