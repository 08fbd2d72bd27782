//! Conformance of `nsq-cli dev` with NSQ clients written elsewhere: pynsq (Python) and
//! nsqjs (Node.js). Each test starts a fresh broker on free ports and runs one scenario
//! script from `tests/conformance/scenarios/` with the broker's addresses in its
//! environment (as `nsq-cli dev -- CMD` would). The clients are installed, pinned, by
//! `tests/conformance/setup.sh`, which runs once per test binary; if it fails, every test
//! here fails with its output.

use crate::common;

use common::DevBroker;
use std::io::Read;
use std::path::{Path, PathBuf};
use std::process::{Command, Stdio};
use std::sync::mpsc;
use std::sync::OnceLock;
use std::time::{Duration, Instant};

/// A scenario script has its own deadline (45 s); this is the backstop if it ignores it.
const SCENARIO_TIMEOUT: Duration = Duration::from_secs(90);

pub(crate) fn conformance_dir() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/conformance")
}

/// Runs setup.sh once; Err carries its output.
pub(crate) fn setup() -> &'static Result<(), String> {
    static SETUP: OnceLock<Result<(), String>> = OnceLock::new();
    SETUP.get_or_init(|| {
        let script = conformance_dir().join("setup.sh");
        // Installing pynsq and nsqjs on a new machine takes a while: a long limit,
        // but a limit.
        let child = Command::new("bash")
            .arg(&script)
            .stdin(Stdio::null())
            .stdout(Stdio::piped())
            .stderr(Stdio::piped())
            .spawn()
            .map_err(|e| format!("could not run {}: {e}", script.display()))?;
        let out = crate::common::process::wait_output_within(child, Duration::from_secs(900));
        let text = format!(
            "--- stdout ---\n{}\n--- stderr ---\n{}",
            String::from_utf8_lossy(&out.stdout),
            String::from_utf8_lossy(&out.stderr)
        );
        if out.status.success() {
            Ok(())
        } else {
            Err(format!(
                "{} failed ({})\n{text}",
                script.display(),
                out.status
            ))
        }
    })
}

/// Reads a pipe to its end on a thread; the text arrives on the returned channel.
fn drain(mut pipe: impl Read + Send + 'static) -> mpsc::Receiver<String> {
    let (tx, rx) = mpsc::channel();
    std::thread::spawn(move || {
        let mut buf = Vec::new();
        let _ = pipe.read_to_end(&mut buf);
        let _ = tx.send(String::from_utf8_lossy(&buf).into_owned());
    });
    rx
}

fn run_scenario(script: &str, broker_flags: &[&str]) {
    if let Err(e) = setup() {
        panic!("conformance setup failed, so scenario {script} cannot run:\n{e}");
    }
    let dir = conformance_dir();
    let path = dir.join("scenarios").join(script);
    assert!(path.is_file(), "no scenario script {}", path.display());
    let program: PathBuf = if script.ends_with(".py") {
        dir.join(".venv/bin/python")
    } else {
        std::env::var_os("NODE")
            .map(PathBuf::from)
            .unwrap_or_else(|| "node".into())
    };

    let broker = DevBroker::start_with(broker_flags);
    let started = Instant::now();
    let mut child = Command::new(&program)
        .arg(&path)
        .current_dir(&dir)
        .envs(broker.envs())
        .env("CONFORMANCE_PYTHON", dir.join(".venv/bin/python"))
        .env("PYTHONDONTWRITEBYTECODE", "1")
        .stdin(Stdio::null())
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .unwrap_or_else(|e| {
            panic!(
                "could not start {} {}: {e}",
                program.display(),
                path.display()
            )
        });
    let stdout = drain(child.stdout.take().unwrap());
    let stderr = drain(child.stderr.take().unwrap());

    // The pipes close when the script (and anything it started) has exited.
    let deadline = started + SCENARIO_TIMEOUT;
    let out = stdout.recv_timeout(deadline.saturating_duration_since(Instant::now()));
    let err = stderr.recv_timeout(deadline.saturating_duration_since(Instant::now()));
    let (out, err) = match (out, err) {
        (Ok(out), Ok(err)) => (out, err),
        (out, err) => {
            let _ = child.kill();
            let _ = child.wait();
            let grace = Duration::from_secs(2);
            let out = out
                .or_else(|_| stdout.recv_timeout(grace))
                .unwrap_or_default();
            let err = err
                .or_else(|_| stderr.recv_timeout(grace))
                .unwrap_or_default();
            panic!(
                "scenario {script} did not finish within {SCENARIO_TIMEOUT:?}; killed\n\
                 --- stdout ---\n{out}\n--- stderr ---\n{err}"
            );
        }
    };
    let status = child.wait().expect("wait for scenario");
    drop(broker);
    let elapsed = started.elapsed();
    if !status.success() {
        panic!(
            "scenario {script} failed ({status}) after {elapsed:.1?}\n\
             --- stdout ---\n{out}\n--- stderr ---\n{err}"
        );
    }
    assert!(
        out.lines().any(|l| l.trim() == format!("PASS {}", scenario_name(script))),
        "scenario {script} exited 0 without its PASS line\n--- stdout ---\n{out}\n--- stderr ---\n{err}"
    );
    eprintln!("{out}{err}scenario {script} passed in {elapsed:.1?}");
}

fn scenario_name(script: &str) -> &str {
    script.rsplit_once('.').map_or(script, |(stem, _)| stem)
}

/// `test_name => "script" [broker flags...]`: one #[test] per scenario script.
macro_rules! scenarios {
    ($($test:ident => $file:literal [$($flag:literal),*]),* $(,)?) => {
        const SCENARIOS: &[&str] = &[$($file),*];
        $(
            #[test]
            fn $test() {
                run_scenario($file, &[$($flag),*]);
            }
        )*
    };
}

scenarios! {
    py_pub_js_sub => "py_pub_js_sub.py" [],
    js_pub_py_sub => "js_pub_py_sub.js" [],
    py_mpub => "py_mpub.py" [],
    js_mpub => "js_mpub.js" [],
    py_req => "py_req.py" [],
    js_req => "js_req.js" [],
    py_shared_channel => "py_shared_channel.py" [],
    js_shared_channel => "js_shared_channel.js" [],
    py_two_channels => "py_two_channels.py" [],
    js_two_channels => "js_two_channels.js" [],
    py_lookupd => "py_lookupd.py" [],
    js_lookupd => "js_lookupd.js" [],
    py_stats => "py_stats.py" [],
    js_stats => "js_stats.js" [],
    py_deflate => "py_deflate.py" [],
    js_deflate => "js_deflate.js" [],
    py_snappy => "py_snappy.py" [],
    js_snappy => "js_snappy.js" [],
    py_timeout => "py_timeout.py" ["--msg-timeout", "1s"],
    js_timeout => "js_timeout.js" ["--msg-timeout", "1s"],
    py_limits => "py_limits.py" ["--max-msg-size", "1024", "--max-body-size", "2048"],
    js_limits => "js_limits.js" ["--max-msg-size", "1024", "--max-body-size", "2048"],
}

/// Every script in scenarios/ has a test above (so none is silently left out).
#[test]
fn every_scenario_script_has_a_test() {
    let mut on_disk: Vec<String> = std::fs::read_dir(conformance_dir().join("scenarios"))
        .expect("read scenarios/")
        .filter_map(|e| e.ok())
        .map(|e| e.file_name().to_string_lossy().into_owned())
        .filter(|n| n.ends_with(".py") || n.ends_with(".js"))
        .collect();
    on_disk.sort();
    let mut listed: Vec<String> = SCENARIOS.iter().map(|s| s.to_string()).collect();
    listed.sort();
    assert_eq!(
        on_disk, listed,
        "scenario scripts vs the scenarios! list in tests/conformance.rs"
    );
}
