//! The checked-in completion scripts must be what `nsq-cli completions` generates;
//! regenerate with `scripts/update-completions.sh` after changing flags.

use crate::common;
use crate::common::process::OutputWithin;

use std::process::Command;

const SHELLS: &[(&str, &str)] = &[
    ("bash", "nsq-cli.bash"),
    ("zsh", "_nsq-cli"),
    ("fish", "nsq-cli.fish"),
    ("powershell", "_nsq-cli.ps1"),
    ("elvish", "nsq-cli.elv"),
];

#[test]
fn checked_in_completions_match_the_generator() {
    let dir = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("completions");
    let mut stale = vec![];
    for (shell, file) in SHELLS {
        let out = Command::new(common::bin())
            .args(["completions", shell])
            .output_within()
            .unwrap();
        assert!(out.status.success(), "completions {shell} failed");
        assert!(!out.stdout.is_empty());
        let checked_in = std::fs::read(dir.join(file)).unwrap_or_default();
        if checked_in != out.stdout {
            stale.push(*file);
        }
    }
    assert!(
        stale.is_empty(),
        "completions/ is out of date for {stale:?}: run scripts/update-completions.sh"
    );
}

#[test]
fn man_page_documents_every_subcommand() {
    let out = Command::new(common::bin())
        .arg("man")
        .output_within()
        .unwrap();
    assert!(out.status.success());
    let page = String::from_utf8(out.stdout).unwrap();
    assert!(
        page.starts_with(".ie"),
        "not roff: {}",
        &page[..40.min(page.len())]
    );
    for sub in ["dev", "publish", "tail", "lookup", "stats", "check"] {
        assert!(page.contains(sub), "man page lacks {sub}");
    }
}

#[test]
fn unknown_shell_is_refused_with_the_choices() {
    let out = Command::new(common::bin())
        .args(["completions", "tcsh"])
        .output_within()
        .unwrap();
    assert_eq!(out.status.code(), Some(2));
    let err = String::from_utf8_lossy(&out.stderr);
    assert!(err.contains("tcsh") && err.contains("bash"), "{err}");
}

#[test]
fn help_of_every_subcommand_fits_80_columns_and_has_examples() {
    let subs = [
        "dev",
        "publish",
        "tail",
        "lookup",
        "stats",
        "topic",
        "channel",
        "node",
        "node tombstone",
        "node drain",
        "node undrain",
        "check",
        "bench",
        "context",
        "completions",
        "man",
    ];
    for sub in std::iter::once("").chain(subs) {
        let mut cmd = Command::new(common::bin());
        cmd.args(sub.split_whitespace());
        let out = cmd.arg("--help").output_within().unwrap();
        assert!(out.status.success(), "{sub} --help");
        let help = String::from_utf8(out.stdout).unwrap();
        for line in help.lines() {
            assert!(
                line.chars().count() <= 80,
                "`nsq-cli {sub} --help` has a line over 80 columns: {line:?}"
            );
        }
        assert!(
            help.contains("Example"),
            "`nsq-cli {sub} --help` has no examples"
        );
    }
}
