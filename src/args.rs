//! Go-style flags: NSQ's own tools (and the tutorial) write long flags with one
//! dash (`-topic test`). We rewrite `-name` to `--name` before clap sees it, but only
//! when `name` is a long flag of the subcommand being parsed, so real short flags
//! (`-n 5`, `-q`) and negative numbers keep their meaning.

use clap::Command;
use std::ffi::OsString;

pub fn normalize_go_flags(args: Vec<OsString>, root: &Command) -> Vec<OsString> {
    let mut out = Vec::with_capacity(args.len());
    let mut cmd = root;
    let mut globals: Vec<&clap::Arg> = root.get_arguments().filter(|a| a.is_global_set()).collect();
    let mut iter = args.into_iter();
    if let Some(prog) = iter.next() {
        out.push(prog);
    }
    let mut expect_value = false;
    let mut rest_verbatim = false;
    for arg in iter {
        if rest_verbatim {
            out.push(arg);
            continue;
        }
        if expect_value {
            expect_value = false;
            out.push(arg);
            continue;
        }
        let Some(s) = arg.to_str() else {
            out.push(arg);
            continue;
        };
        if s == "--" {
            rest_verbatim = true;
            out.push(arg);
            continue;
        }
        let long = if let Some(rest) = s.strip_prefix("--") {
            Some(rest)
        } else if s.len() > 2 && s.starts_with('-') {
            Some(&s[1..])
        } else {
            None
        };
        if let Some(body) = long {
            let (name, has_value) = match body.split_once('=') {
                Some((n, _)) => (n, true),
                None => (body, false),
            };
            let found = cmd
                .get_arguments()
                .chain(globals.iter().copied())
                .find(|a| {
                    a.get_long() == Some(name)
                        || a.get_all_aliases().is_some_and(|al| al.contains(&name))
                });
            if let Some(a) = found {
                expect_value = !has_value && a.get_action().takes_values();
                out.push(OsString::from(format!("--{body}")));
                continue;
            }
            if name == "help" || name == "version" {
                out.push(OsString::from(format!("--{body}")));
                continue;
            }
            out.push(arg);
            continue;
        }
        if !s.starts_with('-') {
            if let Some(sub) = cmd.find_subcommand(s) {
                cmd = sub;
                globals.extend(sub.get_arguments().filter(|a| a.is_global_set()));
            }
        } else if s.len() == 2 {
            // A real short flag: skip its value if it takes one (`-n 5`).
            let c = s.chars().nth(1).unwrap();
            if let Some(a) = cmd
                .get_arguments()
                .chain(globals.iter().copied())
                .find(|a| a.get_short() == Some(c))
            {
                expect_value = a.get_action().takes_values();
            }
        }
        out.push(arg);
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;
    use clap::{Arg, ArgAction};

    fn root() -> Command {
        Command::new("x")
            .arg(
                Arg::new("quiet")
                    .short('q')
                    .long("quiet")
                    .action(ArgAction::SetTrue)
                    .global(true),
            )
            .subcommand(
                Command::new("publish")
                    .arg(Arg::new("topic").long("topic"))
                    .arg(Arg::new("message").long("message"))
                    .arg(Arg::new("count").short('n').long("count")),
            )
    }

    fn norm(v: &[&str]) -> Vec<String> {
        normalize_go_flags(v.iter().map(OsString::from).collect(), &root())
            .into_iter()
            .map(|s| s.into_string().unwrap())
            .collect()
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
    }

    #[test]
    fn values_short_flags_and_unknowns_are_left_alone() {
        // a value that looks like a flag stays a value
        assert_eq!(
            norm(&["x", "publish", "-message", "-topic"]),
            ["x", "publish", "--message", "-topic"]
        );
        assert_eq!(
            norm(&["x", "publish", "-n", "-5"]),
            ["x", "publish", "-n", "-5"]
        );
        assert_eq!(norm(&["x", "publish", "-nope"]), ["x", "publish", "-nope"]);
        assert_eq!(
            norm(&["x", "publish", "--", "-topic"]),
            ["x", "publish", "--", "-topic"]
        );
    }
}
