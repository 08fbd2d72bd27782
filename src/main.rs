use clap::{CommandFactory, FromArgMatches};
use nsq_cli::cli::{Cli, Commands};
use nsq_cli::output;
use std::process::ExitCode;

fn main() -> ExitCode {
    let args = match nsq_cli::cli::go_flags::normalize_go_flags(
        std::env::args_os().collect(),
        &Cli::command(),
    ) {
        Ok(a) => a,
        Err(e) => {
            // Refused before anything ran, like clap's own flag errors (exit 2).
            output::error(&e.to_string());
            return ExitCode::from(2);
        }
    };
    let (cli, matches) = parse(Cli::command(), &args);
    cli.global.init_output();
    let cli = match with_context(cli, &matches, &args) {
        Ok(c) => c,
        Err(e) => {
            let status = if e.downcast_ref::<nsq_cli::cmd::Refused>().is_some() {
                2
            } else {
                1
            };
            output::error(&render_error(&e));
            return ExitCode::from(status);
        }
    };

    let runtime = match tokio::runtime::Builder::new_multi_thread()
        .enable_all()
        .build()
    {
        Ok(r) => r,
        Err(e) => {
            output::error(&format!("cannot start the async runtime: {e}"));
            return ExitCode::from(1);
        }
    };
    let result = runtime.block_on(async {
        match cli.command {
            Commands::Dev(args) => nsq_cli::cmd::dev::run(args).await,
            Commands::Publish(args) => nsq_cli::cmd::publish::run(args).await,
            Commands::Tail(args) => nsq_cli::cmd::tail::run(args).await,
            Commands::Relay(args) => nsq_cli::cmd::relay::run(args).await,
            Commands::Lookup(args) => nsq_cli::cmd::lookup::run(args).await,
            Commands::Stats(args) => nsq_cli::cmd::stats::run(args).await,
            Commands::Topic(args) => nsq_cli::cmd::admin::run_topic(args).await,
            Commands::Channel(args) => nsq_cli::cmd::admin::run_channel(args).await,
            Commands::Node(args) => nsq_cli::cmd::admin::run_node(args).await,
            Commands::Check(args) => nsq_cli::cmd::check::run(args).await,
            Commands::Exporter(args) => nsq_cli::cmd::exporter::run(args).await,
            Commands::Bench(args) => nsq_cli::cmd::bench::run(args).await,
            Commands::Context(args) => {
                nsq_cli::cmd::context::run(args, cli.global.context.as_deref())
            }
            Commands::Completions(args) => nsq_cli::cmd::docs::completions(args, Cli::command()),
            Commands::Man(args) => nsq_cli::cmd::docs::man(args, Cli::command()),
        }
    });
    match result {
        Ok(code) => code,
        // Refused before anything was sent: exit 2, like a flag error.
        Err(e) if e.downcast_ref::<nsq_cli::cmd::Refused>().is_some() => {
            output::error(&e.to_string());
            ExitCode::from(2)
        }
        Err(e) => {
            output::error(&render_error(&e));
            ExitCode::from(1)
        }
    }
}

/// The command line parsed by `cmd` (exits on a flag error).
fn parse(cmd: clap::Command, args: &[std::ffi::OsString]) -> (Cli, clap::ArgMatches) {
    let matches = match cmd.try_get_matches_from(args) {
        Ok(m) => m,
        Err(e) => flag_error(e),
    };
    match Cli::from_arg_matches(&matches) {
        Ok(c) => (c, matches),
        Err(e) => flag_error(e),
    }
}

/// The command line parsed again with the contexts in use (if the command takes
/// one) as the defaults of its flags: flags > environment > context > defaults.
fn with_context(
    cli: Cli,
    matches: &clap::ArgMatches,
    args: &[std::ffi::OsString],
) -> anyhow::Result<Cli> {
    if !cli.command.takes_context() {
        return Ok(cli);
    }
    let flag = cli.global.context.as_deref();
    match nsq_cli::cmd::context::apply_to(Cli::command(), matches, flag)? {
        Some(cmd) => Ok(parse(cmd, args).0),
        None => Ok(cli),
    }
}

/// Exits with clap's error (status 2, help and version 0). A value refused by its
/// value parser is one line naming the flag, the value and the rule, without
/// clap's "For more information" footer.
fn flag_error(e: clap::Error) -> ! {
    if e.kind() == clap::error::ErrorKind::ValueValidation {
        let text = e.to_string();
        eprintln!("{}", text.lines().next().unwrap_or_default());
        std::process::exit(2);
    }
    e.exit()
}

/// The error and its causes on one line, leaving out a cause whose text the
/// message already carries (our errors often spell out their io::Error).
fn render_error(e: &anyhow::Error) -> String {
    let mut msg = e.to_string();
    for cause in e.chain().skip(1) {
        let text = cause.to_string();
        let core = text
            .split(" (os error")
            .next()
            .unwrap_or(&text)
            .to_lowercase();
        if !msg.to_lowercase().contains(&core) {
            msg.push_str(": ");
            msg.push_str(&text);
        }
    }
    msg
}
