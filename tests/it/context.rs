//! `nsq-cli context` and `--context` / `NSQ_CONTEXT`: each test has its own
//! configuration directory (XDG_CONFIG_HOME on the child), and shows precedence
//! (flag > environment > context > default) by where a command actually went: a
//! dev broker's address against a dead one.

use crate::common;
use crate::common::process::{line_stream, stderr, wait_line, OutputWithin};
use common::raw::publish;
use common::{bin, free_addr, DevBroker};
use std::path::{Path, PathBuf};
use std::process::{Command, Output, Stdio};

/// A configuration directory of its own.
struct Home {
    dir: tempfile::TempDir,
}

impl Home {
    fn new() -> Home {
        Home {
            dir: tempfile::tempdir().unwrap(),
        }
    }

    /// `nsq-cli` with this configuration and no address variables of ours.
    fn cmd(&self) -> Command {
        let mut c = Command::new(bin());
        self.setup(&mut c);
        c
    }

    fn setup(&self, c: &mut Command) {
        c.env("XDG_CONFIG_HOME", self.dir.path())
            .env("NO_COLOR", "1")
            .env_remove("NSQ_CONTEXT")
            .env_remove("NSQ_TO_CONTEXT")
            .env_remove("NSQ_AUTH_SECRET")
            .env_remove("NSQ_TO_AUTH_SECRET");
        for v in [
            "NSQD_TCP_ADDRESS",
            "NSQD_HTTP_ADDRESS",
            "NSQLOOKUPD_HTTP_ADDRESS",
            "NSQ_MAP_ADDRESS",
        ] {
            c.env_remove(v);
        }
    }

    fn run(&self, args: &[&str]) -> Output {
        self.cmd().args(args).output_within().unwrap()
    }

    fn ok(&self, args: &[&str]) -> String {
        let o = self.run(args);
        assert!(o.status.success(), "{args:?}: {}", stderr(&o));
        String::from_utf8(o.stdout).unwrap()
    }

    fn contexts(&self) -> PathBuf {
        self.dir.path().join("nsq-cli/contexts")
    }

    fn file(&self, name: &str) -> PathBuf {
        self.contexts().join(format!("{name}.toml"))
    }

    /// Context `name` pointing at the lookupd at `lookupd`.
    fn add_lookupd(&self, name: &str, lookupd: &str) {
        self.ok(&["context", "add", name, "--lookupd-http-address", lookupd]);
    }
}

/// Refused before anything ran: exit 2 and one line.
fn refused(o: &Output) -> String {
    let e = stderr(o);
    assert_eq!(o.status.code(), Some(2), "{e}");
    assert_eq!(e.trim_end().lines().count(), 1, "{e}");
    e
}

/// A lookupd HTTP address nobody listens on.
fn dead() -> String {
    free_addr()
}

/// `lookup -topic T` finds T's node only at the broker: the broker's TCP
/// address when the command asked the broker's lookupd.
fn lookup(home: &Home, extra: &[&str], env: &[(&str, &str)]) -> Output {
    home.cmd()
        .args(["lookup", "-topic", "ctx"])
        .args(extra)
        .envs(env.iter().copied())
        .output_within()
        .unwrap()
}

fn asked_broker(o: &Output, b: &DevBroker) {
    assert!(o.status.success(), "{}", stderr(o));
    assert_eq!(String::from_utf8_lossy(&o.stdout), format!("{}\n", b.tcp));
}

fn asked_dead(o: &Output, dead: &str) {
    assert_eq!(o.status.code(), Some(1), "{}", stderr(o));
    assert!(stderr(o).contains(dead), "{}", stderr(o));
}

fn broker_with_topic() -> DevBroker {
    let b = DevBroker::start();
    publish(&b.tcp, "ctx", &["x"]);
    b
}

#[test]
fn add_ls_use_show_rm() {
    let h = Home::new();
    h.add_lookupd("prod", "10.0.0.1:4161");
    h.ok(&[
        "context",
        "add",
        "dev",
        "--nsqd-tcp-address",
        "127.0.0.1:4150",
        "--snappy",
    ]);
    assert_eq!(h.ok(&["context", "ls"]), "  dev\n  prod\n");
    h.ok(&["context", "use", "prod"]);
    assert_eq!(h.ok(&["context", "ls"]), "  dev\n* prod\n");
    assert_eq!(h.ok(&["context", "ls", "--names"]), "dev\nprod\n");
    let v: serde_json::Value = serde_json::from_str(&h.ok(&["context", "ls", "--json"])).unwrap();
    assert_eq!(v[1]["name"], "prod");
    assert_eq!(v[1]["selected"], true);
    assert_eq!(v[0]["selected"], false);
    assert_eq!(
        h.ok(&["context", "show"]),
        "lookupd_http_address = [\"10.0.0.1:4161\"]\n"
    );
    let v: serde_json::Value =
        serde_json::from_str(&h.ok(&["context", "show", "dev", "--json"])).unwrap();
    assert_eq!(v["name"], "dev");
    assert_eq!(v["selected"], false);
    assert_eq!(v["settings"]["nsqd_tcp_address"][0], "127.0.0.1:4150");
    assert_eq!(v["settings"]["snappy"], true);
    // --context / NSQ_CONTEXT decide which one is in use, for ls too.
    assert_eq!(
        h.ok(&["--context", "dev", "context", "ls"]),
        "* dev\n  prod\n"
    );
    h.ok(&["context", "rm", "prod"]);
    assert!(!h.file("prod").exists());
    assert_eq!(h.ok(&["context", "ls"]), "  dev\n");
    // Removing the selected one leaves none selected, not a dangling name.
    assert!(refused(&h.run(&["context", "show"])).contains("no context in use"));
    h.ok(&["context", "use", "dev"]);
    h.ok(&["context", "use", "--none"]);
    assert_eq!(h.ok(&["context", "ls"]), "  dev\n");
}

#[test]
fn files_are_private_and_written_without_leftovers() {
    use std::os::unix::fs::PermissionsExt;
    let h = Home::new();
    h.add_lookupd("a", "h:4161");
    h.ok(&[
        "context",
        "add",
        "a",
        "--force",
        "--lookupd-http-address",
        "h2:4161",
    ]);
    h.ok(&["context", "use", "a"]);
    let mode = |p: &Path| std::fs::metadata(p).unwrap().permissions().mode() & 0o777;
    assert_eq!(mode(&h.file("a")), 0o600);
    assert_eq!(mode(&h.dir.path().join("nsq-cli/selected-context")), 0o600);
    assert_eq!(mode(&h.contexts()), 0o700);
    let mut left: Vec<_> = std::fs::read_dir(h.dir.path().join("nsq-cli"))
        .unwrap()
        .chain(std::fs::read_dir(h.contexts()).unwrap())
        .map(|e| e.unwrap().file_name().into_string().unwrap())
        .collect();
    left.sort();
    assert_eq!(left, ["a.toml", "contexts", "selected-context"]);
    assert!(std::fs::read_to_string(h.file("a"))
        .unwrap()
        .contains("h2:4161"));
}

#[test]
fn add_refuses_an_existing_name_a_bad_name_and_nothing_to_store() {
    let h = Home::new();
    h.add_lookupd("a", "h:4161");
    let e = refused(&h.run(&["context", "add", "a", "--lookupd-http-address", "x:4161"]));
    assert!(
        e.contains("context a exists") && e.contains("--force"),
        "{e}"
    );
    assert!(std::fs::read_to_string(h.file("a"))
        .unwrap()
        .contains("h:4161"));
    let e = refused(&h.run(&["context", "add", "../x", "--tls"]));
    assert!(
        e.contains("invalid context name \"../x\": it must be 1-64 letters"),
        "{e}"
    );
    let e = refused(&h.run(&["context", "add", "empty"]));
    assert!(e.contains("would be empty"), "{e}");
    let e = refused(&h.run(&["context", "add", "b", "--nsqd-tcp-address", "http://h:4150"]));
    assert!(e.contains("nsqd_tcp_address"), "{e}");
    assert!(!h.file("b").exists() && !h.file("empty").exists());
}

#[test]
fn secrets_are_stored_as_file_paths_made_absolute() {
    let h = Home::new();
    let d = tempfile::tempdir().unwrap();
    std::fs::write(d.path().join("secret"), "s3cret\n").unwrap();
    let o = h
        .cmd()
        .current_dir(d.path())
        .args(["context", "add", "a", "--auth-secret-file", "secret"])
        .output_within()
        .unwrap();
    assert!(o.status.success(), "{}", stderr(&o));
    let text = std::fs::read_to_string(h.file("a")).unwrap();
    assert!(!text.contains("s3cret"), "{text}");
    let want = d.path().join("secret").display().to_string();
    assert_eq!(text, format!("auth_secret_file = {want:?}\n"));
}

#[test]
fn an_unknown_context_lists_the_known_ones() {
    let h = Home::new();
    h.add_lookupd("prod", "h:4161");
    h.add_lookupd("dev", "h:4161");
    let want = "unknown context \"stage\": known: dev, prod";
    assert!(refused(&h.run(&["--context", "stage", "stats"])).contains(want));
    let o = h
        .cmd()
        .env("NSQ_CONTEXT", "stage")
        .arg("stats")
        .output_within()
        .unwrap();
    assert!(refused(&o).contains(want));
    assert!(refused(&h.run(&["context", "use", "stage"])).contains(want));
    assert!(refused(&h.run(&["context", "rm", "stage"])).contains(want));
    // A selection whose file went away says so, rather than using nothing.
    h.ok(&["context", "use", "dev"]);
    std::fs::remove_file(h.file("dev")).unwrap();
    let e = refused(&h.run(&["stats"]));
    assert!(
        e.contains("the selected context \"dev\" no longer exists"),
        "{e}"
    );
    let o = Home::new().run(&["--context", "x", "stats"]);
    assert!(refused(&o).contains("unknown context \"x\": there are none yet"));
}

#[test]
fn a_malformed_file_is_named_with_its_line_and_key() {
    let h = Home::new();
    h.add_lookupd("a", "h:4161");
    let f = h.file("a");
    std::fs::write(&f, "lookupd_http_address = [\"h:4161\"]\ntls = \"yes\"\n").unwrap();
    let e = refused(&h.run(&["--context", "a", "stats"]));
    let want = format!("context file {}, line 2, key tls: ", f.display());
    assert!(e.contains(&want), "{e}");
    std::fs::write(&f, "lookupd = [\"h:4161\"]\n").unwrap();
    let e = refused(&h.run(&["--context", "a", "stats"]));
    assert!(e.contains("line 1, key lookupd: unknown field"), "{e}");
}

#[test]
fn a_missing_ca_or_secret_file_is_named_when_the_context_is_used() {
    let h = Home::new();
    let d = tempfile::tempdir().unwrap();
    let ca = d.path().join("ca.pem");
    let secret = d.path().join("secret");
    std::fs::write(&ca, "x").unwrap();
    std::fs::write(&secret, "x").unwrap();
    let (ca_s, secret_s) = (ca.to_str().unwrap(), secret.to_str().unwrap());
    h.ok(&[
        "context",
        "add",
        "a",
        "--tls-ca",
        ca_s,
        "--auth-secret-file",
        secret_s,
    ]);
    std::fs::remove_file(&ca).unwrap();
    let e = refused(&h.run(&["--context", "a", "tail", "-topic", "t"]));
    assert!(
        e.contains(&format!("tls_ca file {ca_s} does not exist")),
        "{e}"
    );
    std::fs::write(&ca, "x").unwrap();
    std::fs::remove_file(&secret).unwrap();
    let e = refused(&h.run(&["--context", "a", "publish", "-topic", "t", "-message", "m"]));
    assert!(
        e.contains(&format!("auth_secret_file file {secret_s} does not exist")),
        "{e}"
    );
    // At add time too.
    let e = refused(&h.run(&["context", "add", "b", "--auth-secret-file", secret_s]));
    assert!(e.contains("auth_secret_file file"), "{e}");
}

#[test]
fn the_context_beats_the_default() {
    let b = broker_with_topic();
    let h = Home::new();
    h.add_lookupd("dev", &b.lookupd);
    h.ok(&["context", "use", "dev"]);
    asked_broker(&lookup(&h, &[], &[]), &b);
}

#[test]
fn the_environment_beats_the_context() {
    let b = broker_with_topic();
    let h = Home::new();
    h.add_lookupd("dev", &b.lookupd);
    h.ok(&["context", "use", "dev"]);
    let d = dead();
    asked_dead(&lookup(&h, &[], &[("NSQLOOKUPD_HTTP_ADDRESS", &d)]), &d);
}

#[test]
fn a_flag_beats_the_environment_and_the_context() {
    let b = broker_with_topic();
    let h = Home::new();
    let (d1, d2) = (dead(), dead());
    h.add_lookupd("gone", &d1);
    h.ok(&["context", "use", "gone"]);
    asked_dead(&lookup(&h, &[], &[]), &d1);
    let flag = ["--lookupd-http-address", b.lookupd.as_str()];
    asked_broker(&lookup(&h, &flag, &[("NSQLOOKUPD_HTTP_ADDRESS", &d2)]), &b);
}

#[test]
fn given_addresses_leave_out_the_whole_context() {
    let b = broker_with_topic();
    let h = Home::new();
    // Another cluster's context, with a rule that would rewrite the broker's
    // address if it still applied.
    let rule = format!("{}=10.255.255.1:4150", b.tcp);
    let d = dead();
    h.ok(&[
        "context",
        "add",
        "prod",
        "--lookupd-http-address",
        &d,
        "--map-address",
        &rule,
    ]);
    h.ok(&["context", "use", "prod"]);
    let o = lookup(&h, &["-v"], &[("NSQLOOKUPD_HTTP_ADDRESS", &b.lookupd)]);
    asked_broker(&o, &b);
    assert!(stderr(&o).contains("no context used"), "{}", stderr(&o));
    // Without an address the context is used.
    asked_dead(&lookup(&h, &[], &[]), &d);
}

#[test]
fn context_flag_beats_nsq_context_beats_the_selection() {
    let b = broker_with_topic();
    let h = Home::new();
    let (d1, d2) = (dead(), dead());
    h.add_lookupd("good", &b.lookupd);
    h.add_lookupd("bad1", &d1);
    h.add_lookupd("bad2", &d2);
    h.ok(&["context", "use", "bad1"]);
    asked_broker(&lookup(&h, &[], &[("NSQ_CONTEXT", "good")]), &b);
    asked_dead(
        &lookup(&h, &["--context", "bad2"], &[("NSQ_CONTEXT", "good")]),
        &d2,
    );
    asked_broker(&lookup(&h, &["--context", "good"], &[]), &b);
    // Empty is as if unset: the selection again.
    asked_dead(&lookup(&h, &[], &[("NSQ_CONTEXT", "")]), &d1);
}

#[test]
fn publish_takes_the_nsqd_tcp_address() {
    let b = DevBroker::start();
    let h = Home::new();
    h.ok(&["context", "add", "dev", "--nsqd-tcp-address", &b.tcp]);
    let o = h.run(&[
        "--context",
        "dev",
        "publish",
        "-topic",
        "pub_ctx",
        "-message",
        "hi",
    ]);
    assert!(o.status.success(), "{}", stderr(&o));
    let msgs = common::raw::drain_channel(&b.tcp, "pub_ctx", "c");
    assert_eq!(msgs.len(), 1);
    assert_eq!(&msgs[0].body[..], b"hi");
}

#[test]
fn nsq_auth_secret_beats_the_context_secret_file() {
    let b = DevBroker::start();
    let h = Home::new();
    let d = tempfile::tempdir().unwrap();
    let empty = d.path().join("empty.secret");
    std::fs::write(&empty, "").unwrap();
    let secret = empty.to_str().unwrap();
    h.ok(&[
        "context",
        "add",
        "a",
        "--nsqd-tcp-address",
        &b.tcp,
        "--auth-secret-file",
        secret,
    ]);
    let publish = [
        "--context",
        "a",
        "publish",
        "-topic",
        "auth_ctx",
        "-message",
        "m",
    ];
    // The context's file is used (and is empty: refused before connecting)...
    let e = refused(&h.run(&publish));
    assert!(
        e.contains(&format!("--auth-secret-file {secret} is empty")),
        "{e}"
    );
    // ...unless NSQ_AUTH_SECRET is set (nsqd without auth takes no AUTH).
    let o = h
        .cmd()
        .env("NSQ_AUTH_SECRET", "s")
        .args(publish)
        .output_within()
        .unwrap();
    assert!(o.status.success(), "{}", stderr(&o));
}

#[test]
fn from_env_takes_the_addresses_dev_exports() {
    let h = Home::new();
    let o = h
        .cmd()
        .args([
            "dev",
            "-q",
            "--tcp-address",
            "127.0.0.1:0",
            "--http-address",
            "127.0.0.1:0",
        ])
        .args(["--lookupd-http-address", "127.0.0.1:0", "--"])
        .args([bin(), "context", "add", "dev", "--from-env"])
        .output_within()
        .unwrap();
    assert!(o.status.success(), "{}", stderr(&o));
    let v: serde_json::Value =
        serde_json::from_str(&h.ok(&["context", "show", "dev", "--json"])).unwrap();
    for key in [
        "nsqd_tcp_address",
        "nsqd_http_address",
        "lookupd_http_address",
    ] {
        let a = v["settings"][key][0]
            .as_str()
            .unwrap_or_else(|| panic!("{key} in {v}"));
        assert!(
            a.starts_with("127.0.0.1:") && !a.ends_with(":0"),
            "{key} = {a}"
        );
    }
    let e = refused(&h.run(&["context", "add", "none", "--from-env"]));
    assert!(e.contains("--from-env: none of NSQD_TCP_ADDRESS"), "{e}");
}

/// `nsq-cli dev` (plus `extra`) until it printed its addresses, then stopped:
/// its TCP address and its stderr lines.
fn dev_stderr(h: &Home, extra: &[&str]) -> (String, Vec<String>) {
    let mut child = h
        .cmd()
        .args(["dev", "--tcp-address", "127.0.0.1:0"])
        .args([
            "--http-address",
            "127.0.0.1:0",
            "--lookupd-http-address",
            "127.0.0.1:0",
        ])
        .args(extra)
        .stdin(Stdio::null())
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .unwrap();
    let _dog = common::process::watchdog(child.id());
    let err = line_stream(child.stderr.take().unwrap());
    let out = line_stream(child.stdout.take().unwrap());
    let (tcp, _) = wait_line(&out, "NSQD_TCP_ADDRESS=");
    let _ = wait_line(&out, "NSQLOOKUPD_HTTP_ADDRESS=");
    let mut lines = Vec::new();
    if extra.is_empty() {
        // Printed after the address lines; wait for it before stopping.
        let (last, before) = wait_line(&err, "Ctrl-C stops it");
        lines = before;
        lines.push(last);
    }
    common::process::signal(child.id(), "TERM");
    assert!(child.wait().unwrap().success());
    lines.extend(err.iter());
    (tcp["NSQD_TCP_ADDRESS=".len()..].to_string(), lines)
}

#[test]
fn dev_says_how_to_point_a_context_at_it() {
    let h = Home::new();
    let (tcp, err) = dev_stderr(&h, &[]);
    let marker = "Point a context at it: nsq-cli ";
    let line = err
        .iter()
        .find(|l| l.contains(marker))
        .expect("the context line");
    let args: Vec<&str> = line
        .split(marker)
        .nth(1)
        .unwrap()
        .split_whitespace()
        .collect();
    assert_eq!(&args[..4], ["context", "add", "dev", "--force"]);
    // The line works as printed.
    h.ok(&args);
    let v: serde_json::Value =
        serde_json::from_str(&h.ok(&["context", "show", "dev", "--json"])).unwrap();
    assert_eq!(v["settings"]["nsqd_tcp_address"][0], tcp.as_str());
    // -q silences it.
    let (_, quiet) = dev_stderr(&h, &["-q"]);
    assert!(quiet.iter().all(|l| !l.contains("context")), "{quiet:?}");
}

/// An $EDITOR that runs `script` on the file ($1).
fn editor(dir: &Path, script: &str) -> String {
    let p = dir.join("ed.sh");
    std::fs::write(&p, format!("#!/bin/sh\n{script}\n")).unwrap();
    std::fs::set_permissions(&p, std::os::unix::fs::PermissionsExt::from_mode(0o755)).unwrap();
    p.display().to_string()
}

#[test]
fn edit_saves_a_valid_edit_and_refuses_a_broken_one() {
    let h = Home::new();
    let d = tempfile::tempdir().unwrap();
    h.add_lookupd("a", "h:4161");
    let good = editor(d.path(), "echo 'tls = true' >> \"$1\"");
    let mut c = h.cmd();
    c.env("EDITOR", &good)
        .env_remove("VISUAL")
        .args(["context", "edit", "a"]);
    let o = c.output_within().unwrap();
    assert!(o.status.success(), "{}", stderr(&o));
    let saved = std::fs::read_to_string(h.file("a")).unwrap();
    assert_eq!(saved, "lookupd_http_address = [\"h:4161\"]\ntls = true\n");

    let bad = editor(d.path(), "printf 'tls = true\\ndeflate = 12\\n' > \"$1\"");
    let mut c = h.cmd();
    c.env("EDITOR", &bad)
        .env_remove("VISUAL")
        .args(["context", "edit", "a"]);
    let e = refused(&c.output_within().unwrap());
    assert!(e.contains("line 2, key deflate: "), "{e}");
    assert_eq!(std::fs::read_to_string(h.file("a")).unwrap(), saved);
    let kept = e
        .rsplit("the edit is kept in ")
        .next()
        .unwrap()
        .trim_end()
        .trim_end_matches(')');
    assert_eq!(
        std::fs::read_to_string(kept).unwrap(),
        "tls = true\ndeflate = 12\n"
    );
    std::fs::remove_file(kept).unwrap();
    assert_eq!(std::fs::read_dir(h.contexts()).unwrap().count(), 1);
}

/// What bash completes for `words` (the last is the word being completed; bash
/// passes the command, that word and the one before), with the checked-in script and this nsq-cli first on PATH.
fn bash_completes(h: &Home, words: &[&str]) -> Vec<String> {
    let script = Path::new(env!("CARGO_MANIFEST_DIR")).join("completions/nsq-cli.bash");
    let quoted: Vec<String> = words.iter().map(|w| format!("'{w}'")).collect();
    let program = format!(
        "source '{}'; COMP_WORDS=({}); COMP_CWORD={}; _nsq__cli_contexts nsq-cli {} {}; \
         printf '%s\\n' \"${{COMPREPLY[@]}}\"",
        script.display(),
        quoted.join(" "),
        words.len() - 1,
        quoted[words.len() - 1],
        quoted[words.len() - 2],
    );
    let dir = Path::new(bin()).parent().unwrap();
    let path = format!(
        "{}:{}",
        dir.display(),
        std::env::var("PATH").unwrap_or_default()
    );
    let mut c = Command::new("bash");
    h.setup(&mut c);
    let o = c
        .env("PATH", path)
        .args(["-c", &program])
        .output_within()
        .unwrap();
    assert!(o.status.success(), "{}", stderr(&o));
    let out = String::from_utf8(o.stdout).unwrap();
    out.lines()
        .filter(|l| !l.is_empty())
        .map(str::to_string)
        .collect()
}

#[test]
fn bash_completes_context_names() {
    let h = Home::new();
    h.add_lookupd("prod", "h:4161");
    h.add_lookupd("local", "h:4161");
    h.add_lookupd("prod-eu", "h:4161");
    assert_eq!(
        bash_completes(&h, &["nsq-cli", "--context", ""]),
        ["local", "prod", "prod-eu"]
    );
    assert_eq!(
        bash_completes(&h, &["nsq-cli", "stats", "-context", "pr"]),
        ["prod", "prod-eu"]
    );
    assert_eq!(
        bash_completes(&h, &["nsq-cli", "relay", "--to-context", "l"]),
        ["local"]
    );
    assert_eq!(
        bash_completes(&h, &["nsq-cli", "context", "use", "l"]),
        ["local"]
    );
    assert_eq!(
        bash_completes(&h, &["nsq-cli", "context", "rm", ""]).len(),
        3
    );
    // Subcommands' own flags complete too (clap_complete's labels respelled).
    let flags = bash_completes(&h, &["nsq-cli", "publish", "--to"]);
    assert_eq!(flags, ["--topic"], "{flags:?}");
    let flags = bash_completes(&h, &["nsq-cli", "topic", "--ye"]);
    assert_eq!(flags, ["--yes"], "{flags:?}");
    // Elsewhere clap's completion answers: subcommands, not context names.
    let subs = bash_completes(&h, &["nsq-cli", ""]);
    assert!(
        subs.contains(&"context".to_string()) && !subs.contains(&"local".to_string()),
        "{subs:?}"
    );
}

/// `relay --to-context`: the destination's address and TLS come from a second
/// context, the source's from `--context`. The destination requires TLS with
/// the test CA, so the relay only gets there if the TLS settings went to the
/// destination's side.
#[test]
fn relay_takes_its_destination_from_to_context() {
    let pki = common::pki::Pki::new();
    let src = DevBroker::start();
    let mut flags = pki.server_flags();
    flags.push("--tls-required".into());
    let flags: Vec<&str> = flags.iter().map(String::as_str).collect();
    let dst = DevBroker::start_with(&flags);
    let h = Home::new();
    h.ok(&["context", "add", "src", "--nsqd-tcp-address", &src.tcp]);
    let ca = pki.path("ca.pem");
    h.ok(&[
        "context",
        "add",
        "dst",
        "--nsqd-tcp-address",
        &dst.tcp,
        "--tls-ca",
        &ca,
    ]);
    publish(&src.tcp, "rc", &["a", "b", "c"]);
    let relay = |extra: &[&str]| {
        h.cmd()
            .args(["--context", "src", "relay", "-topic", "rc", "-channel", "c"])
            .args(extra)
            .args(["-n", "3", "-q"])
            .output_within()
            .unwrap()
    };
    let o = relay(&["--to-context", "dst"]);
    assert!(o.status.success(), "{}", stderr(&o));
    assert_eq!(common::topic_message_count(&dst.http, "rc"), 3);
    // NSQ_TO_CONTEXT names it too; a --to-tls-ca flag beats the context's.
    publish(&src.tcp, "rc", &["d", "e", "f"]);
    let o = h
        .cmd()
        .env("NSQ_TO_CONTEXT", "dst")
        .args(["--context", "src", "relay", "-topic", "rc", "-channel", "c"])
        .args(["--to-tls-ca", "/nonexistent/ca.pem", "-n", "3"])
        .output_within()
        .unwrap();
    assert!(
        refused(&o).contains("cannot read --to-tls-ca /nonexistent/ca.pem"),
        "{}",
        stderr(&o)
    );
    let o = h
        .cmd()
        .env("NSQ_TO_CONTEXT", "dst")
        .args(["--context", "src", "relay", "-topic", "rc", "-channel", "c"])
        .args(["-n", "3", "-q"])
        .output_within()
        .unwrap();
    assert!(o.status.success(), "{}", stderr(&o));
    assert_eq!(common::topic_message_count(&dst.http, "rc"), 6);
}

/// `--to-context` refuses what would leave the destination unclear: an address
/// flag beside it, a context without addresses, a name that does not exist.
#[test]
fn to_context_refuses_a_second_destination_and_a_context_without_addresses() {
    let h = Home::new();
    h.add_lookupd("dst", "127.0.0.1:4161");
    h.ok(&["context", "add", "tls_only", "--snappy"]);
    let relay = |extra: &[&str]| {
        h.cmd()
            .args(["relay", "-topic", "t", "-channel", "c"])
            .args(["--nsqd-tcp-address", "127.0.0.1:4150"])
            .args(extra)
            .output_within()
            .unwrap()
    };
    let e = refused(&relay(&[
        "--to-context",
        "dst",
        "--to-nsqd-tcp-address",
        "127.0.0.1:5150",
    ]));
    assert!(
        e.contains("--to-context dst and --to-nsqd-tcp-address both name the destination"),
        "{e}"
    );
    // From NSQ_TO_CONTEXT, a typed destination address beats it (as address
    // flags beat NSQ_CONTEXT): here the relay goes on to refuse the loop.
    let o = h
        .cmd()
        .env("NSQ_TO_CONTEXT", "dst")
        .args(["relay", "-topic", "t", "-channel", "c"])
        .args(["--nsqd-tcp-address", "127.0.0.1:4150"])
        .args(["--to-nsqd-tcp-address", "127.0.0.1:4150"])
        .output_within()
        .unwrap();
    let e = refused(&o);
    assert!(e.contains("relayed into itself"), "{e}");
    let e = refused(&relay(&["--to-context", "tls_only"]));
    assert!(
        e.contains("context tls_only has no nsqd_tcp_address or lookupd_http_address"),
        "{e}"
    );
    let e = refused(&relay(&["--to-context", "nope"]));
    assert!(
        e.contains("unknown context \"nope\": known: dst, tls_only"),
        "{e}"
    );
}
