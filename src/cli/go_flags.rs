//! Go-style flags: NSQ's own tools (and the tutorial) write long flags with one
//! dash (`-topic test`). Go's rule is ours: a single-dash word longer than one
//! letter is a LONG flag. We rewrite `-name` to `--name` before clap sees it when
//! `name` is a long flag (or alias) of the subcommand being parsed or a global
//! flag; any other such word is refused, naming it, so a misspelling is never read
//! as a short flag with the rest of the word as its value (`-msg=hi` is not
//! `-m sg=hi`). Real short flags (`-n 5`, `-q`, `-m=hi`), values in value
//! positions (`-message -x`, `-n -5`) and everything after `--` keep their meaning.

use clap::{Arg, Command};
use std::ffi::OsString;
use std::fmt;

/// A single-dash word that names no flag (shown as the user typed it).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct UnknownFlag {
    /// `-msg`: the word up to any `=`.
    pub flag: String,
    /// `did you mean -message?`, or how to write a short flag with its value.
    pub hint: Option<String>,
}

impl fmt::Display for UnknownFlag {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "unknown flag {}", self.flag)?;
        if let Some(h) = &self.hint {
            write!(f, " ({h})")?;
        }
        Ok(())
    }
}

impl std::error::Error for UnknownFlag {}

/// What the walk knows at one point: the subcommand being parsed and the global
/// flags in scope.
struct Scope<'a> {
    cmd: &'a Command,
    globals: Vec<&'a Arg>,
}

impl<'a> Scope<'a> {
    fn args(&self) -> impl Iterator<Item = &'a Arg> + '_ {
        self.cmd.get_arguments().chain(self.globals.iter().copied())
    }

    fn long(&self, name: &str) -> Option<&'a Arg> {
        self.args().find(|a| {
            a.get_long() == Some(name) || a.get_all_aliases().is_some_and(|al| al.contains(&name))
        })
    }

    fn short(&self, c: char) -> Option<&'a Arg> {
        self.args().find(|a| a.get_short() == Some(c))
    }

    fn enter(&mut self, word: &str) {
        if let Some(sub) = self.cmd.find_subcommand(word) {
            self.cmd = sub;
            self.globals
                .extend(sub.get_arguments().filter(|a| a.is_global_set()));
        }
    }

    /// Every long name a single-dash word may spell here.
    fn long_names(&self) -> Vec<&'a str> {
        let mut names: Vec<&str> = self
            .args()
            .flat_map(|a| {
                a.get_long()
                    .into_iter()
                    .chain(a.get_all_aliases().unwrap_or_default())
            })
            .collect();
        names.push("help");
        if self.cmd.get_version().is_some() {
            names.push("version");
        }
        names
    }
}

/// Whether the word after `a` is its value (`--topic x`), not a flag of its own.
/// Optional values (`--watch [INTERVAL]`) and `--deflate=LEVEL` never take it.
fn takes_next_word(a: &Arg) -> bool {
    a.get_action().takes_values()
        && !a.is_require_equals_set()
        && a.get_num_args().is_none_or(|r| r.min_values() > 0)
}

/// Rewrites Go-style `-name` flags to `--name`; refuses a single-dash word that
/// names no flag.
pub fn normalize_go_flags(
    args: Vec<OsString>,
    root: &Command,
) -> Result<Vec<OsString>, UnknownFlag> {
    let mut out = Vec::with_capacity(args.len());
    let mut scope = Scope {
        cmd: root,
        globals: root.get_arguments().filter(|a| a.is_global_set()).collect(),
    };
    let mut iter = args.into_iter();
    out.extend(iter.next());
    let mut expect_value = false;
    while let Some(arg) = iter.next() {
        if std::mem::take(&mut expect_value) {
            push_value(&mut out, arg);
            continue;
        }
        let Some(s) = arg.to_str() else {
            out.push(arg);
            continue;
        };
        if s == "--" {
            out.push(arg);
            out.extend(iter);
            break;
        }
        if let Some(body) = s.strip_prefix("--") {
            let (name, value) = split_value(body);
            expect_value = value.is_none() && scope.long(name).is_some_and(takes_next_word);
        } else if let Some(body) = s.strip_prefix('-').filter(|b| !b.is_empty()) {
            let (long, takes) = single_dash(&scope, body)?;
            expect_value = takes;
            if long {
                out.push(OsString::from(format!("-{s}")));
                continue;
            }
        } else {
            scope.enter(s);
        }
        out.push(arg);
    }
    Ok(out)
}

/// A single-dash word (`body` after the dash) outside a value position: whether
/// it is a long flag (to be passed on as `--body`), and whether the next word is
/// its value. A short flag (`-n`, `-m=hi`) or a negative number stays as it is.
fn single_dash(scope: &Scope, body: &str) -> Result<(bool, bool), UnknownFlag> {
    let (name, value) = split_value(body);
    if name.chars().count() == 1 || is_number(body) {
        let c = name.chars().next().unwrap_or('-');
        return Ok((
            false,
            value.is_none() && scope.short(c).is_some_and(takes_next_word),
        ));
    }
    if scope.long_names().contains(&name) {
        return Ok((
            true,
            value.is_none() && scope.long(name).is_some_and(takes_next_word),
        ));
    }
    Err(UnknownFlag {
        flag: format!("-{name}"),
        hint: suggest(scope, name),
    })
}

/// The word after a flag that takes a value is its value, whatever it looks like
/// (Go's rule). One that starts with a dash is joined to its flag (`--message=-x`,
/// `-n=-5`, `--delimiter=--`), so that clap takes it as the value too and its
/// value parser judges it, rather than reading it as flags nobody typed.
fn push_value(out: &mut Vec<OsString>, value: OsString) {
    let dashed = value.as_encoded_bytes().starts_with(b"-") && value.len() > 1;
    match out.last_mut() {
        Some(flag) if dashed => {
            flag.push("=");
            flag.push(value);
        }
        _ => out.push(value),
    }
}

fn split_value(body: &str) -> (&str, Option<&str>) {
    match body.split_once('=') {
        Some((n, v)) => (n, Some(v)),
        None => (body, None),
    }
}

/// `5`, `1.5`, `.5`: the body of a negative number, never a flag.
fn is_number(body: &str) -> bool {
    body.starts_with(|c: char| c.is_ascii_digit() || c == '.') && body.parse::<f64>().is_ok()
}

/// The hint for an unknown single-dash word: the closest long flag, else how to
/// write the short flags the word begins with.
fn suggest(scope: &Scope, name: &str) -> Option<String> {
    if let Some(close) = closest(name, &scope.long_names()) {
        return Some(format!("did you mean -{close}?"));
    }
    let mut chars = name.chars();
    let first = chars.next()?;
    let rest = chars.as_str();
    let a = scope.short(first)?;
    if takes_next_word(a) {
        // `-n5`, `-f/tmp/x`; a word like `-dry-run` is not a glued value.
        return (!rest.starts_with(char::is_alphabetic))
            .then(|| format!("short flags take their value as the next word: -{first} {rest}"));
    }
    let all_switches = name.chars().all(|c| {
        scope
            .short(c)
            .is_some_and(|a| !a.get_action().takes_values())
    });
    all_switches.then(|| {
        let split: Vec<String> = name.chars().map(|c| format!("-{c}")).collect();
        format!("short flags are not combined: {}", split.join(" "))
    })
}

/// The candidate `name` most likely misspells: close by Jaro-Winkler (clap's
/// measure) or an abbreviation of it (`msg` for `message`); of several, the one
/// fewest edits away (`message`, not `max-msg-size`).
fn closest<'a>(name: &str, candidates: &[&'a str]) -> Option<&'a str> {
    candidates
        .iter()
        .filter(|c| strsim::jaro_winkler(name, c) > 0.8 || is_abbreviation(name, c))
        .map(|c| (strsim::normalized_damerau_levenshtein(name, c), *c))
        .max_by(|a, b| a.0.total_cmp(&b.0))
        .map(|(_, c)| c)
}

/// `msg` in `message`: same first letter, then the rest in order.
fn is_abbreviation(short: &str, long: &str) -> bool {
    if short.len() < 2 || short.len() >= long.len() || short.chars().next() != long.chars().next() {
        return false;
    }
    let mut rest = long.chars();
    short.chars().all(|c| rest.any(|l| l == c))
}

#[cfg(test)]
mod tests {
    use super::*;
    use clap::ArgAction;

    fn root() -> Command {
        Command::new("x")
            .version("1")
            .arg(
                Arg::new("quiet")
                    .short('q')
                    .long("quiet")
                    .action(ArgAction::SetTrue)
                    .global(true),
            )
            .arg(
                Arg::new("verbose")
                    .short('v')
                    .long("verbose")
                    .action(ArgAction::Count)
                    .global(true),
            )
            .subcommand(
                Command::new("publish")
                    .arg(Arg::new("topic").long("topic"))
                    .arg(Arg::new("message").short('m').long("message"))
                    .arg(Arg::new("delimiter").short('d').long("delimiter"))
                    .arg(
                        Arg::new("addr")
                            .long("nsqd-tcp-address")
                            .visible_alias("addr"),
                    )
                    .arg(Arg::new("count").short('n').long("count"))
                    .arg(Arg::new("max").long("max-msg-size"))
                    .arg(
                        Arg::new("watch")
                            .long("watch")
                            .num_args(0..=1)
                            .default_missing_value("2s"),
                    )
                    .arg(Arg::new("name").num_args(0..)),
            )
    }

    fn try_norm(v: &[&str]) -> Result<Vec<String>, String> {
        normalize_go_flags(v.iter().map(OsString::from).collect(), &root())
            .map(|o| o.into_iter().map(|s| s.into_string().unwrap()).collect())
            .map_err(|e| e.to_string())
    }

    fn norm(v: &[&str]) -> Vec<String> {
        try_norm(v).unwrap()
    }

    #[test]
    fn single_dash_long_flags_become_double_dash() {
        assert_eq!(
            norm(&["x", "publish", "-topic", "test", "-message", "hello world"]),
            [
                "x",
                "publish",
                "--topic",
                "test",
                "--message",
                "hello world"
            ]
        );
        assert_eq!(
            norm(&["x", "publish", "-topic=t"]),
            ["x", "publish", "--topic=t"]
        );
        assert_eq!(
            norm(&["x", "publish", "-quiet"]),
            ["x", "publish", "--quiet"]
        );
        assert_eq!(
            norm(&["x", "-quiet", "publish"]),
            ["x", "--quiet", "publish"]
        );
        assert_eq!(
            norm(&["x", "publish", "-addr", "a"]),
            ["x", "publish", "--addr", "a"]
        );
        assert_eq!(norm(&["x", "publish", "-help"]), ["x", "publish", "--help"]);
        assert_eq!(norm(&["x", "-version"]), ["x", "--version"]);
    }

    #[test]
    fn values_short_flags_and_numbers_are_left_alone() {
        // a value that looks like a flag stays a value, joined so that clap agrees
        assert_eq!(
            norm(&["x", "publish", "-message", "-topic"]),
            ["x", "publish", "--message=-topic"]
        );
        assert_eq!(
            norm(&["x", "publish", "--message", "-nope", "-topic", "t"]),
            ["x", "publish", "--message=-nope", "--topic", "t"]
        );
        assert_eq!(
            norm(&["x", "publish", "-n", "-5"]),
            ["x", "publish", "-n=-5"]
        );
        assert_eq!(
            norm(&["x", "publish", "-m", "-msg"]),
            ["x", "publish", "-m=-msg"]
        );
        assert_eq!(
            norm(&["x", "publish", "-delimiter", "--", "-q"]),
            ["x", "publish", "--delimiter=--", "-q"]
        );
        assert_eq!(
            norm(&["x", "publish", "-m", "-", "-topic", "t"]),
            ["x", "publish", "-m", "-", "--topic", "t"]
        );
        assert_eq!(
            norm(&["x", "publish", "-m=hi", "-q"]),
            ["x", "publish", "-m=hi", "-q"]
        );
        assert_eq!(norm(&["x", "publish", "-12"]), ["x", "publish", "-12"]);
        assert_eq!(norm(&["x", "publish", "-1.5"]), ["x", "publish", "-1.5"]);
        assert_eq!(norm(&["x", "publish", "-"]), ["x", "publish", "-"]);
        assert_eq!(
            norm(&["x", "publish", "--", "-topic", "-msg"]),
            ["x", "publish", "--", "-topic", "-msg"]
        );
        // an optional value does not swallow the flag after it
        assert_eq!(
            norm(&["x", "publish", "--watch", "-topic", "t"]),
            ["x", "publish", "--watch", "--topic", "t"]
        );
        // a misspelled double-dash flag is clap's to refuse
        assert_eq!(
            norm(&["x", "publish", "--mesage"]),
            ["x", "publish", "--mesage"]
        );
    }

    #[test]
    fn unknown_single_dash_words_are_refused_by_name() {
        let err = |v: &[&str]| try_norm(v).unwrap_err();
        assert_eq!(
            err(&["x", "publish", "-topic", "x", "-msg=hello"]),
            "unknown flag -msg (did you mean -message?)"
        );
        assert_eq!(
            err(&["x", "publish", "-mesage=hello"]),
            "unknown flag -mesage (did you mean -message?)"
        );
        assert_eq!(
            err(&["x", "publish", "-topci", "x"]),
            "unknown flag -topci (did you mean -topic?)"
        );
        assert_eq!(err(&["x", "publish", "-dry-run"]), "unknown flag -dry-run");
        assert_eq!(
            err(&["x", "publish", "-n5"]),
            "unknown flag -n5 (short flags take their value as the next word: -n 5)"
        );
        assert_eq!(
            err(&["x", "publish", "-qv"]),
            "unknown flag -qv (short flags are not combined: -q -v)"
        );
        // a flag of another subcommand is unknown here
        assert_eq!(err(&["x", "-topic", "publish"]), "unknown flag -topic");
    }

    /// Every flag of every nsq-cli subcommand: its short form is left to clap
    /// (with the next word as its value when it takes one) and its long name and
    /// aliases work with one dash.
    #[test]
    fn every_flag_of_every_subcommand_is_understood() {
        use clap::CommandFactory;
        let root = crate::cli::Cli::command();
        let globals: Vec<&Arg> = root.get_arguments().filter(|a| a.is_global_set()).collect();
        let mut todo = vec![(&root, vec!["nsq-cli".to_string()])];
        let mut checked = 0;
        while let Some((cmd, path)) = todo.pop() {
            let norm = |extra: &[&str]| {
                let args = path.iter().map(String::as_str).chain(extra.iter().copied());
                normalize_go_flags(args.map(OsString::from).collect(), &root)
                    .unwrap_or_else(|e| panic!("{path:?} {extra:?}: {e}"))
            };
            let with = |extra: &[&str]| -> Vec<OsString> {
                path.iter()
                    .map(String::as_str)
                    .chain(extra.iter().copied())
                    .map(OsString::from)
                    .collect()
            };
            for a in cmd.get_arguments().chain(globals.iter().copied()) {
                if let Some(c) = a.get_short() {
                    let short = format!("-{c}");
                    if takes_next_word(a) {
                        let joined = format!("{short}=-topic");
                        assert_eq!(norm(&[&short, "-topic"]), with(&[&joined]), "{path:?}");
                    } else {
                        assert_eq!(norm(&[&short]), with(&[&short]), "{path:?}");
                    }
                    checked += 1;
                }
                let longs = a
                    .get_long()
                    .into_iter()
                    .chain(a.get_all_aliases().unwrap_or_default());
                for l in longs {
                    assert_eq!(
                        norm(&[&format!("-{l}")]),
                        with(&[&format!("--{l}")]),
                        "{path:?}"
                    );
                    checked += 1;
                }
            }
            for sub in cmd.get_subcommands() {
                let mut p = path.clone();
                p.push(sub.get_name().to_string());
                todo.push((sub, p));
            }
        }
        assert!(checked > 100, "only {checked} flags checked");
    }
}
