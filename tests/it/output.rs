//! stdout is data, stderr is for people: colours only when asked for or on a
//! terminal, never with `--color never`; `-q` keeps stderr quiet.

use crate::common;
use crate::common::process::OutputWithin;

use common::DevBroker;

const ESC: &str = "\x1b[";

fn stats(b: &DevBroker, color: Option<&str>) -> (String, String) {
    let mut c = b.cmd();
    c.env_remove("NO_COLOR");
    if let Some(mode) = color {
        c.args(["--color", mode]);
    }
    let out = c.args(["stats", "--sample", "0"]).output_within().unwrap();
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    (
        String::from_utf8(out.stdout).unwrap(),
        String::from_utf8(out.stderr).unwrap(),
    )
}

#[test]
fn colours_only_when_asked_for_or_on_a_terminal() {
    let b = DevBroker::start();
    common::raw::publish(&b.tcp, "coloured", &[b"x"]);
    let (always, _) = stats(&b, Some("always"));
    assert!(always.contains(ESC), "--color always: {always:?}");
    assert!(always.contains("coloured"));
    let (never, _) = stats(&b, Some("never"));
    assert!(!never.contains(ESC), "--color never: {never:?}");
    // auto: stdout is a pipe here, so no colour
    let (auto, _) = stats(&b, None);
    assert!(!auto.contains(ESC), "auto into a pipe: {auto:?}");
    assert_eq!(never, auto);
}

#[test]
fn no_color_and_never_keep_errors_plain() {
    let out = common::DevBroker::start()
        .cmd()
        .env_remove("NO_COLOR")
        .args([
            "--color", "always", "publish", "-topic", "bad/name", "-m", "x",
        ])
        .output_within()
        .unwrap();
    assert!(String::from_utf8_lossy(&out.stderr).contains(ESC));
    for args in [
        vec!["--color", "never", "publish"],
        vec!["publish"], // NO_COLOR=1 is set by DevBroker::cmd
    ] {
        let out = common::DevBroker::start()
            .cmd()
            .args(&args)
            .args(["-topic", "bad/name", "-m", "x"])
            .output_within()
            .unwrap();
        let err = String::from_utf8_lossy(&out.stderr);
        assert!(!err.contains(ESC), "{args:?}: {err:?}");
        assert!(
            err.starts_with("error: invalid topic name \"bad/name\""),
            "{err}"
        );
    }
}

#[test]
fn quiet_silences_chatter_but_not_data_or_errors() {
    let b = DevBroker::start();
    let out = b
        .cmd()
        .args(["-q", "publish", "-topic", "q", "-m", "x", "--json"])
        .output_within()
        .unwrap();
    assert!(out.status.success());
    assert!(
        out.stderr.is_empty(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    let summary: serde_json::Value = serde_json::from_slice(&out.stdout).unwrap();
    assert_eq!(summary["messages"], 1);
    let out = b
        .cmd()
        .args(["-q", "publish", "-topic", "bad/name", "-m", "x"])
        .output_within()
        .unwrap();
    assert!(!out.stderr.is_empty(), "errors still go to stderr with -q");
}
