//! How a context reaches every command: its settings become the *defaults* of
//! the flags of the same name, in the command the user ran. clap then gives the
//! order flags > environment variables > context > built-in defaults by itself
//! (an environment variable beats a default). This works on the clap definitions,
//! not on any command's args struct, so a command built on the shared flag groups
//! (ClusterArgs, HttpOpts, ConnFlags, or flags of the same names) gets contexts
//! without code of its own.
//!
//! A context is one cluster's settings: given any address flag or its variable
//! (lookupd HTTP, nsqd TCP, nsqd HTTP), the command names another cluster and
//! uses nothing of the context ([`addresses_given`]): one cluster's TLS, secret
//! or --map-address is never sent to another's addresses (`nsq-cli dev -- CMD`
//! with a production context selected talks to dev, in plain text).
//!
//! Some settings only make sense together, and are taken or left as a whole:
//! - compression (--snappy / --deflate) and the client certificate (--tls-cert
//!   with --tls-key);
//! - --auth-secret-file also gives way to NSQ_AUTH_SECRET (the environment
//!   beats the context).
//!
//! A second context can fill relay's destination flags (`relay --to-context`):
//! the same settings, to the flags of the same names behind `to-` ([`Side`]).

use super::settings::{Entry, Settings};
use crate::client::security::{AUTH_SECRET_ENV, TO_AUTH_SECRET_ENV};
use clap::parser::ValueSource;
use clap::{ArgAction, ArgMatches, Command};

/// Settings that are taken or left as a whole (by their flags).
const GROUPS: &[&[&str]] = &[ADDRESSES, &["snappy", "deflate"], &["tls-cert", "tls-key"]];

/// The flags naming a cluster: given one of them, no context is used.
const ADDRESSES: &[&str] = &[
    "lookupd-http-address",
    "nsqd-tcp-address",
    "nsqd-http-address",
];

/// Which flags a context fills: the command's own cluster flags, or relay's
/// destination flags (the same names behind `to-`).
#[derive(Debug, Clone, Copy)]
pub struct Side {
    prefix: &'static str,
    /// The variable that gives the secret itself, beating a context's file.
    secret_env: &'static str,
}

/// `--context`: the flags of the command's own cluster.
pub const SOURCE: Side = Side {
    prefix: "",
    secret_env: AUTH_SECRET_ENV,
};

/// `relay --to-context`: the destination's `--to-*` flags.
pub const DESTINATION: Side = Side {
    prefix: "to-",
    secret_env: TO_AUTH_SECRET_ENV,
};

impl Side {
    fn long(&self, long: &str) -> String {
        format!("{}{long}", self.prefix)
    }
}

/// Whether the command `matches` ran was given an address flag of `side` or its
/// environment variable (`matches` is the parse without the context).
pub fn addresses_given(cli: &Command, matches: &ArgMatches, side: Side) -> bool {
    address_given(cli, matches, side).is_some()
}

/// The first address flag of `side` given (as `--flag`), if any.
pub fn address_given(cli: &Command, matches: &ArgMatches, side: Side) -> Option<String> {
    let (cmd, matches) = leaf(cli, matches);
    ADDRESSES
        .iter()
        .map(|l| side.long(l))
        .find(|l| given(cmd, matches, l))
        .map(|l| format!("--{l}"))
}

/// The value of the flag `long` of the command `matches` ran, if it has one,
/// and whether it came from its environment variable rather than the command line.
pub fn value_of(cli: &Command, matches: &ArgMatches, long: &str) -> Option<(String, bool)> {
    let (cmd, matches) = leaf(cli, matches);
    let id = cmd
        .get_arguments()
        .find(|a| a.get_long() == Some(long))?
        .get_id()
        .as_str();
    let value = matches.try_get_one::<String>(id).ok().flatten()?.clone();
    let from_env = matches.value_source(id) == Some(ValueSource::EnvVariable);
    Some((value, from_env))
}

/// The (leaf) command `matches` ran, with its matches.
fn leaf<'a>(cli: &'a Command, matches: &'a ArgMatches) -> (&'a Command, &'a ArgMatches) {
    match matches.subcommand() {
        Some((name, sub)) => match cli.find_subcommand(name) {
            Some(c) => leaf(c, sub),
            None => (cli, matches),
        },
        None => (cli, matches),
    }
}

/// `cli` with the context's settings as defaults of the flags of `side` of the
/// command `matches` ran (`matches` is the parse without the context).
pub fn apply(cli: Command, matches: &ArgMatches, settings: &Settings, side: Side) -> Command {
    match matches.subcommand() {
        Some((name, sub)) => {
            let name = name.to_string();
            cli.mut_subcommand(name, |c| apply(c, sub, settings, side))
        }
        None => fill(cli, matches, settings, side),
    }
}

/// The flags of one (leaf) command.
fn fill(mut cmd: Command, matches: &ArgMatches, settings: &Settings, side: Side) -> Command {
    for entry in &settings.entries() {
        if overridden(&cmd, matches, entry.long, side) {
            continue;
        }
        let long = side.long(entry.long);
        let Some(arg) = cmd
            .get_arguments()
            .find(|a| a.get_long() == Some(long.as_str()))
        else {
            continue;
        };
        let id = arg.get_id().clone();
        let values = default_values(arg.get_action(), entry);
        cmd = cmd.mut_arg(id, |a| a.default_values(values));
    }
    cmd
}

/// The defaults for a flag: all of the context's values for a repeatable flag,
/// the first for a flag that takes one (bench's one nsqd).
fn default_values(action: &ArgAction, entry: &Entry) -> Vec<String> {
    match action {
        ArgAction::Append => entry.values.clone(),
        _ => entry.values.iter().take(1).cloned().collect(),
    }
}

/// Whether the user gave `long` (of `side`), or a flag of its group, on the
/// command line or in its environment variable; the secret file also when the
/// side's secret variable is set.
fn overridden(cmd: &Command, matches: &ArgMatches, long: &str, side: Side) -> bool {
    if long == "auth-secret-file"
        && std::env::var_os(side.secret_env).is_some_and(|v| !v.is_empty())
    {
        return true;
    }
    let alone = [long];
    let group = GROUPS
        .iter()
        .find(|g| g.contains(&long))
        .map_or(&alone[..], |g| g);
    group.iter().any(|l| given(cmd, matches, &side.long(l)))
}

fn given(cmd: &Command, matches: &ArgMatches, long: &str) -> bool {
    cmd.get_arguments()
        .filter(|a| a.get_long() == Some(long))
        .any(|a| {
            matches!(
                matches.value_source(a.get_id().as_str()),
                Some(ValueSource::CommandLine | ValueSource::EnvVariable)
            )
        })
}

#[cfg(test)]
mod tests {
    use super::*;
    use clap::Arg;

    fn cmd() -> Command {
        Command::new("t").subcommand(
            Command::new("stats")
                .arg(
                    Arg::new("lookupd")
                        .long("lookupd-http-address")
                        .action(ArgAction::Append)
                        .env("TEST_CTX_LOOKUPD"),
                )
                .arg(
                    Arg::new("nsqd")
                        .long("nsqd-http-address")
                        .action(ArgAction::Append),
                )
                .arg(Arg::new("ca").long("tls-ca"))
                .arg(Arg::new("snappy").long("snappy").action(ArgAction::SetTrue))
                .arg(Arg::new("deflate").long("deflate")),
        )
    }

    fn run(args: &[&str], s: &Settings) -> ArgMatches {
        let first = cmd().try_get_matches_from(args).unwrap();
        apply(cmd(), &first, s, SOURCE)
            .try_get_matches_from(args)
            .unwrap()
    }

    fn values(m: &ArgMatches, id: &str) -> Vec<String> {
        let (_, sub) = m.subcommand().unwrap();
        sub.get_many::<String>(id)
            .map(|v| v.cloned().collect())
            .unwrap_or_default()
    }

    fn ctx() -> Settings {
        Settings {
            lookupd_http_address: vec!["ctx:4161".into(), "ctx2:4161".into()],
            tls_ca: Some("/ctx/ca.pem".into()),
            snappy: true,
            ..Settings::default()
        }
    }

    #[test]
    fn the_context_fills_what_is_not_given() {
        let m = run(&["t", "stats"], &ctx());
        assert_eq!(values(&m, "lookupd"), ["ctx:4161", "ctx2:4161"]);
        assert_eq!(values(&m, "ca"), ["/ctx/ca.pem"]);
        assert!(m.subcommand().unwrap().1.get_flag("snappy"));
    }

    #[test]
    fn a_flag_beats_the_context() {
        let m = run(&["t", "stats", "--tls-ca", "/mine.pem"], &ctx());
        assert_eq!(values(&m, "ca"), ["/mine.pem"]);
        assert_eq!(values(&m, "lookupd"), ["ctx:4161", "ctx2:4161"]);
    }

    #[test]
    fn any_address_flag_leaves_out_all_the_context_addresses() {
        let m = run(&["t", "stats", "--nsqd-http-address", "n:4151"], &ctx());
        assert_eq!(values(&m, "nsqd"), ["n:4151"]);
        assert!(values(&m, "lookupd").is_empty());
    }

    #[test]
    fn an_address_flag_or_variable_is_seen_in_the_command_run() {
        let given = |args: &[&str]| {
            let m = cmd().try_get_matches_from(args).unwrap();
            addresses_given(&cmd(), &m, SOURCE)
        };
        assert!(!given(&["t", "stats", "--tls-ca", "/mine.pem"]));
        assert!(given(&["t", "stats", "--nsqd-http-address", "n:4151"]));
        std::env::set_var("TEST_CTX_LOOKUPD_GIVEN", "l:4161");
        let with_env = Command::new("t").subcommand(
            Command::new("stats").arg(
                Arg::new("lookupd")
                    .long("lookupd-http-address")
                    .env("TEST_CTX_LOOKUPD_GIVEN"),
            ),
        );
        let m = with_env
            .clone()
            .try_get_matches_from(["t", "stats"])
            .unwrap();
        assert!(addresses_given(&with_env, &m, SOURCE));
    }

    #[test]
    fn compression_is_taken_as_a_whole() {
        let m = run(&["t", "stats", "--deflate", "3"], &ctx());
        assert!(!m.subcommand().unwrap().1.get_flag("snappy"));
    }

    #[test]
    fn a_flag_taking_one_value_gets_the_first() {
        let one = Command::new("t").subcommand(
            Command::new("bench").arg(Arg::new("lookupd").long("lookupd-http-address")),
        );
        let first = one.clone().try_get_matches_from(["t", "bench"]).unwrap();
        let m = apply(one, &first, &ctx(), SOURCE)
            .try_get_matches_from(["t", "bench"])
            .unwrap();
        let (_, sub) = m.subcommand().unwrap();
        assert_eq!(sub.get_one::<String>("lookupd").unwrap(), "ctx:4161");
    }

    #[test]
    fn flags_the_command_lacks_are_left_out() {
        let s = Settings {
            nsqd_tcp_address: vec!["x:4150".into()],
            ..ctx()
        };
        let m = run(&["t", "stats"], &s);
        assert_eq!(values(&m, "lookupd"), ["ctx:4161", "ctx2:4161"]);
    }

    fn relay() -> Command {
        Command::new("t").subcommand(
            Command::new("relay")
                .arg(
                    Arg::new("nsqd")
                        .long("nsqd-tcp-address")
                        .action(ArgAction::Append),
                )
                .arg(Arg::new("to_ctx").long("to-context"))
                .arg(
                    Arg::new("to_nsqd")
                        .long("to-nsqd-tcp-address")
                        .action(ArgAction::Append),
                )
                .arg(Arg::new("ca").long("tls-ca"))
                .arg(Arg::new("to_ca").long("to-tls-ca"))
                .arg(
                    Arg::new("to_snappy")
                        .long("to-snappy")
                        .action(ArgAction::SetTrue),
                )
                .arg(Arg::new("to_deflate").long("to-deflate")),
        )
    }

    fn relay_run(args: &[&str], s: &Settings) -> ArgMatches {
        let first = relay().try_get_matches_from(args).unwrap();
        apply(relay(), &first, s, DESTINATION)
            .try_get_matches_from(args)
            .unwrap()
    }

    fn dest() -> Settings {
        Settings {
            nsqd_tcp_address: vec!["dst:4150".into()],
            ..ctx()
        }
    }

    #[test]
    fn a_destination_context_fills_only_the_to_flags() {
        let m = relay_run(&["t", "relay", "--nsqd-tcp-address", "src:4150"], &dest());
        assert_eq!(values(&m, "to_nsqd"), ["dst:4150"]);
        assert_eq!(values(&m, "nsqd"), ["src:4150"]);
        assert_eq!(values(&m, "to_ca"), ["/ctx/ca.pem"]);
        assert!(values(&m, "ca").is_empty());
        assert!(m.subcommand().unwrap().1.get_flag("to_snappy"));
    }

    #[test]
    fn a_to_flag_beats_the_destination_context_group_by_group() {
        let m = relay_run(
            &[
                "t",
                "relay",
                "--to-tls-ca",
                "/mine.pem",
                "--to-deflate",
                "2",
            ],
            &dest(),
        );
        assert_eq!(values(&m, "to_ca"), ["/mine.pem"]);
        assert!(!m.subcommand().unwrap().1.get_flag("to_snappy"));
        assert_eq!(values(&m, "to_nsqd"), ["dst:4150"]);
    }

    #[test]
    fn destination_addresses_and_the_to_context_name_are_seen() {
        let m = relay()
            .try_get_matches_from([
                "t",
                "relay",
                "--to-context",
                "b",
                "--nsqd-tcp-address",
                "s:1",
            ])
            .unwrap();
        assert_eq!(
            value_of(&relay(), &m, "to-context"),
            Some(("b".to_string(), false))
        );
        assert!(!addresses_given(&relay(), &m, DESTINATION));
        assert!(addresses_given(&relay(), &m, SOURCE));
        let m = relay()
            .try_get_matches_from(["t", "relay", "--to-nsqd-tcp-address", "d:1"])
            .unwrap();
        assert!(addresses_given(&relay(), &m, DESTINATION));
        assert!(!addresses_given(&relay(), &m, SOURCE));
        assert_eq!(value_of(&relay(), &m, "to-context"), None);
        assert_eq!(
            address_given(&relay(), &m, DESTINATION).as_deref(),
            Some("--to-nsqd-tcp-address")
        );
    }
}
