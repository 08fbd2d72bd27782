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

use super::settings::{Entry, Settings};
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

/// Whether the command `matches` ran was given an address flag or its
/// environment variable (`matches` is the parse without the context).
pub fn addresses_given(cli: &Command, matches: &ArgMatches) -> bool {
    match matches.subcommand() {
        Some((name, sub)) => cli
            .find_subcommand(name)
            .is_some_and(|c| addresses_given(c, sub)),
        None => ADDRESSES.iter().any(|l| given(cli, matches, l)),
    }
}

/// `cli` with the context's settings as defaults of the flags of the command
/// `matches` ran (`matches` is the parse without the context).
pub fn apply(cli: Command, matches: &ArgMatches, settings: &Settings) -> Command {
    match matches.subcommand() {
        Some((name, sub)) => {
            let name = name.to_string();
            cli.mut_subcommand(name, |c| apply(c, sub, settings))
        }
        None => fill(cli, matches, settings),
    }
}

/// The flags of one (leaf) command.
fn fill(mut cmd: Command, matches: &ArgMatches, settings: &Settings) -> Command {
    let entries = settings.entries();
    for entry in &entries {
        if overridden(&cmd, matches, entry.long) {
            continue;
        }
        let Some(arg) = cmd
            .get_arguments()
            .find(|a| a.get_long() == Some(entry.long))
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

/// Whether the user gave `long`, or a flag of its group, on the command line or
/// in its environment variable; --auth-secret-file also when NSQ_AUTH_SECRET is
/// set.
fn overridden(cmd: &Command, matches: &ArgMatches, long: &str) -> bool {
    if long == "auth-secret-file"
        && std::env::var_os(crate::client::security::AUTH_SECRET_ENV).is_some_and(|v| !v.is_empty())
    {
        return true;
    }
    let alone = [long];
    let group = GROUPS
        .iter()
        .find(|g| g.contains(&long))
        .map_or(&alone[..], |g| g);
    group.iter().any(|l| given(cmd, matches, l))
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
        apply(cmd(), &first, s).try_get_matches_from(args).unwrap()
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
            addresses_given(&cmd(), &m)
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
        assert!(addresses_given(&with_env, &m));
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
        let m = apply(one, &first, &ctx())
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
}
