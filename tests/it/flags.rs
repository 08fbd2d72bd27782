//! Flags and values as users mistype them, against `nsq-cli dev`: a typo or an
//! absurd value is refused before anything runs (exit 2, one line naming what was
//! typed), and the broker receives nothing. Also the man pages.

use crate::common;

use common::process::{run_with_stdin, wait_output};
use common::raw::Raw;
use common::DevBroker;
use std::process::{Output, Stdio};

/// Runs nsq-cli against `b` with `stdin`, under the common deadline.
fn run(b: &DevBroker, args: &[&str], stdin: &[u8]) -> Output {
    run_with_stdin(b.cmd().args(args), stdin)
}

fn stderr(o: &Output) -> String {
    String::from_utf8_lossy(&o.stderr).into_owned()
}

/// Asserts the broker holds no topic at all: nothing was published (or created).
fn assert_broker_got_nothing(b: &DevBroker) {
    let o = run(b, &["stats", "--json", "--sample", "0"], b"");
    assert!(o.status.success(), "{}", stderr(&o));
    let v: serde_json::Value = serde_json::from_slice(&o.stdout).unwrap();
    assert_eq!(v["nodes"][0]["ok"], true, "{v}");
    assert_eq!(v["topics"], serde_json::json!([]), "{v}");
}

/// The issue's cases: a misspelled single-dash flag used to be read as a short
/// flag with the rest of the word as its value, and published.
#[test]
fn typos_in_single_dash_flags_are_refused_by_name_and_nothing_is_published() {
    let b = DevBroker::start();
    let cases: [(&[&str], &str); 6] = [
        (
            &["publish", "-topic", "x", "-msg=hello"],
            "error: unknown flag -msg (did you mean -message?)",
        ),
        (
            &["publish", "-topic", "x", "-mesage=hello"],
            "error: unknown flag -mesage (did you mean -message?)",
        ),
        (
            &["publish", "-topic", "orders", "-dry-run"],
            "error: unknown flag -dry-run",
        ),
        (
            &["publish", "-topci", "x", "-message", "hi"],
            "error: unknown flag -topci (did you mean -topic?)",
        ),
        (
            &["tail", "-topic", "x", "-n5"],
            "error: unknown flag -n5 (short flags take their value as the next word: -n 5)",
        ),
        (
            &["-qv", "publish", "-topic", "x", "-message", "hi"],
            "error: unknown flag -qv (short flags are not combined: -q -v)",
        ),
    ];
    for (args, want) in cases {
        let o = run(&b, args, b"1\n2\n3\n");
        let err = stderr(&o);
        assert_eq!(o.status.code(), Some(2), "{args:?}: {err}");
        assert_eq!(
            err,
            format!("{want}\n"),
            "{args:?}: one line, naming the flag"
        );
        assert!(o.stdout.is_empty(), "{args:?}");
    }
    assert_broker_got_nothing(&b);
}

/// What must keep working: Go-style long flags (with `=` too), real short flags
/// with their value as the next word or after `=`, a value that starts with a dash
/// (the word after a flag that takes a value is its value, as in Go).
#[test]
fn go_style_long_flags_and_real_short_flags_still_publish() {
    let b = DevBroker::start();
    let mut sub = Raw::subscribe(&b.tcp, "ok", "c", 10);
    let runs: [&[&str]; 4] = [
        &["publish", "-topic", "ok", "-m=one", "-q"],
        &["publish", "-topic=ok", "-m", "two"],
        &["-quiet", "publish", "-topic", "ok", "-message", "-three"],
        &[
            "publish",
            "-topic",
            "ok",
            "-delimiter",
            ",",
            "-addr",
            &b.tcp,
        ],
    ];
    for args in runs {
        let o = run(&b, args, b"four,");
        assert!(o.status.success(), "{args:?}: {}", stderr(&o));
    }
    let got: Vec<String> = (0..4)
        .map(|_| String::from_utf8(sub.message().body.to_vec()).unwrap())
        .collect();
    assert_eq!(got, ["one", "two", "-three", "four"]);
}

/// Zero and absurd values are refused at parse time: exit 2, the message names
/// the flag, the value and the rule, and nothing reaches the broker.
#[test]
fn zero_and_absurd_values_are_refused_before_anything_is_sent() {
    let b = DevBroker::start();
    let cases: &[(&[&str], &str, &str, &str)] = &[
        (
            &["tail", "-topic", "z", "--lookupd-poll-interval", "0s"],
            "--lookupd-poll-interval",
            "0s",
            "at least 1s",
        ),
        (
            &[
                "tail",
                "-topic",
                "z",
                "--exec",
                "true",
                "--requeue-delay",
                "2h",
            ],
            "--requeue-delay",
            "2h",
            "at most 1h",
        ),
        (
            &["tail", "-topic", "z", "--idle-timeout", "0s"],
            "--idle-timeout",
            "0s",
            "above 0",
        ),
        (
            &["tail", "-topic", "z", "--http-timeout", "0s"],
            "--http-timeout",
            "0s",
            "above 0",
        ),
        (
            &["stats", "--watch", "0s"],
            "--watch",
            "0s",
            "at least 100ms",
        ),
        (&["bench", "--duration", "0"], "--duration", "0", "above 0"),
        (
            &["bench", "pub", "--duration", "0s"],
            "--duration",
            "0s",
            "above 0",
        ),
        (&["bench", "--size", "0"], "--size", "0", "at least 1"),
        (
            &["bench", "pub", "--connections", "0"],
            "--connections",
            "0",
            "at least 1",
        ),
        (
            &["bench", "pub", "--batch-size", "0"],
            "--batch-size",
            "0",
            "at least 1",
        ),
        (
            &["bench", "sub", "--max-in-flight", "0"],
            "--max-in-flight",
            "0",
            "at least 1",
        ),
        (&["bench", "-n", "0"], "--count", "0", "at least 1"),
        (
            &["publish", "-topic", "z", "-m", "x", "--rate", "0"],
            "--rate",
            "0",
            "above 0",
        ),
        (
            &["publish", "-topic", "z", "-m", "x", "--rate", "-2"],
            "--rate",
            "-2",
            "above 0",
        ),
        (
            &["publish", "-topic", "z", "-m", "x", "--rate", "NaN"],
            "--rate",
            "NaN",
            "above 0",
        ),
        (
            &["publish", "-topic", "z", "-m", "x", "--max-msg-size", "0"],
            "--max-msg-size",
            "0",
            "at least 1",
        ),
        (
            &["publish", "-topic", "z", "-m", "x", "--timeout", "0s"],
            "--timeout",
            "0s",
            "above 0",
        ),
        (
            &["publish", "-topic", "z", "-m", "x", "--defer", "2h"],
            "--defer",
            "2h",
            "at most 1h",
        ),
        (
            &["publish", "-topic", "z", "-m", "x", "--count", "0"],
            "--count",
            "0",
            "at least 1",
        ),
        (
            &[
                "publish",
                "-topic",
                "z",
                "-m",
                "x",
                "--heartbeat-interval",
                "0s",
            ],
            "--heartbeat-interval",
            "0s",
            "at least 1s",
        ),
        (
            &["check", "--topic", "z", "--max-depth", "-1"],
            "--max-depth",
            "-1",
            "at least 0",
        ),
        (
            &["tail", "-topic", "z", "-n", "-5"],
            "--count",
            "-5",
            "at least 1",
        ),
    ];
    for (args, flag, value, rule) in cases {
        let o = run(&b, args, b"");
        let err = stderr(&o);
        assert_eq!(o.status.code(), Some(2), "{args:?}: {err}");
        assert_eq!(err.lines().count(), 1, "one line: {err}");
        let first = err.lines().next().unwrap_or_default();
        assert!(
            first.contains(&format!("invalid value '{value}' for '{flag}")),
            "{args:?}: {err}"
        );
        assert!(first.contains(rule), "{args:?}: {err}");
    }
    assert_broker_got_nothing(&b);
}

/// `man --dir` writes a page per subcommand; every page any page refers to
/// (SUBCOMMANDS, SEE ALSO) is among them, each subcommand's page carries its long
/// flags, and `man SUBCOMMAND...` prints the same page.
#[test]
fn man_pages_exist_for_every_reference_and_carry_their_flags() {
    use clap::CommandFactory;
    let dir = tempfile::tempdir().unwrap();
    let mut cmd = std::process::Command::new(common::bin());
    cmd.args(["man", "--dir"]).arg(dir.path());
    let o = wait_output(
        cmd.stdout(Stdio::piped())
            .stderr(Stdio::piped())
            .spawn()
            .unwrap(),
    );
    assert!(o.status.success(), "{}", stderr(&o));
    let written: Vec<String> = std::fs::read_dir(dir.path())
        .unwrap()
        .map(|e| e.unwrap().file_name().into_string().unwrap())
        .collect();
    for name in &written {
        assert!(stderr(&o).contains(name), "{name} not listed on stderr");
    }
    let reference = regex::Regex::new(r"nsq\\-cli((?:\\-[a-z]+)*)(?:\\fR)?\(1\)").unwrap();
    let mut cmd = nsq_cli::cli::Cli::command();
    cmd.build();
    let mut todo = vec![(cmd, vec![])];
    while let Some((c, path)) = todo.pop() {
        let page = format!(
            "nsq-cli{}.1",
            path.iter().map(|p| format!("-{p}")).collect::<String>()
        );
        assert!(written.contains(&page), "no {page} in {written:?}");
        let text = std::fs::read_to_string(dir.path().join(&page)).unwrap();
        for r in reference.captures_iter(&text) {
            let named = format!("nsq-cli{}.1", r[1].replace("\\-", "-"));
            assert!(
                written.contains(&named),
                "{page} refers to {named}, not written"
            );
        }
        // Hidden (deprecated) flags are left out of the pages on purpose.
        for long in c
            .get_arguments()
            .filter(|a| !a.is_hide_set())
            .filter_map(|a| a.get_long())
        {
            let roff = format!("\\-\\-{}", long.replace('-', "\\-"));
            assert!(text.contains(&roff), "{page} lacks --{long}");
        }
        if !path.is_empty() {
            let mut one = std::process::Command::new(common::bin());
            one.arg("man").args(&path);
            let printed = wait_output(one.stdout(Stdio::piped()).spawn().unwrap());
            assert_eq!(
                String::from_utf8(printed.stdout).unwrap(),
                text,
                "man {path:?}"
            );
        }
        for sub in c.get_subcommands().filter(|s| s.get_name() != "help") {
            let mut p = path.clone();
            p.push(sub.get_name().to_string());
            todo.push((sub.clone(), p));
        }
    }
    let mut bad = std::process::Command::new(common::bin());
    bad.args(["man", "bench", "nope"]).env("NO_COLOR", "1");
    let o = wait_output(
        bad.stdout(Stdio::piped())
            .stderr(Stdio::piped())
            .spawn()
            .unwrap(),
    );
    assert_eq!(o.status.code(), Some(2));
    assert!(
        stderr(&o).starts_with("error: no man page for \"bench nope\""),
        "{}",
        stderr(&o)
    );
    assert!(o.stdout.is_empty());
}
