//! `nsq-cli completions` and `nsq-cli man`: generated from the clap definitions,
//! so they never disagree with the real flags. The definitions are passed in
//! (`Cli::command()`, by main.rs), so that this module does not use `crate::cli`,
//! which names this module's args.

pub mod args;
mod dynamic;

use crate::output;
use args::{CompletionsArgs, ManArgs};
use clap::Command;
use std::io::Write;
use std::path::Path;
use std::process::ExitCode;

/// The completion script of `cli` (the whole command line) for `shell`, as
/// checked in under `completions/`, with context names completed where the
/// shell allows ([`dynamic`]).
pub fn completion_script(shell: clap_complete::Shell, mut cli: Command) -> Vec<u8> {
    let mut out = Vec::new();
    clap_complete::generate(shell, &mut cli, "nsq-cli", &mut out);
    let script = String::from_utf8_lossy(&out).into_owned();
    dynamic::with_context_names(shell, script).into_bytes()
}

/// `nsq-cli completions SHELL`: the script for `cli` on stdout.
pub fn completions(args: CompletionsArgs, cli: Command) -> anyhow::Result<ExitCode> {
    std::io::stdout().write_all(&completion_script(args.shell, cli))?;
    Ok(ExitCode::SUCCESS)
}

/// The command tree the man pages describe: built, so that each subcommand is
/// named for its page (`nsq-cli-publish`, `nsq-cli-bench-pub`), and without the
/// `help` subcommands, which have no page.
fn man_tree(cli: Command) -> Command {
    let mut cmd = cli.disable_help_subcommand(true);
    cmd.build();
    cmd
}

/// The subcommands that have pages (not hidden ones).
fn subcommands(cmd: &Command) -> impl Iterator<Item = &Command> {
    cmd.get_subcommands().filter(|s| !s.is_hide_set())
}

/// The pages under `cmd`, each with its parent: `cmd` first, then its
/// subcommands, depth first.
fn pages<'a>(
    cmd: &'a Command,
    parent: Option<&'a Command>,
) -> Vec<(&'a Command, Option<&'a Command>)> {
    let mut all = vec![(cmd, parent)];
    for sub in subcommands(cmd) {
        all.extend(pages(sub, Some(cmd)));
    }
    all
}

/// A page's name: `nsq-cli-bench-pub`.
fn page_name(cmd: &Command) -> &str {
    cmd.get_display_name().unwrap_or_else(|| cmd.get_name())
}

/// Every man page nsq-cli has, by name (`nsq-cli`, `nsq-cli-publish`, ...),
/// with its roff text.
fn man_pages(cli: Command) -> std::io::Result<Vec<(String, Vec<u8>)>> {
    let root = man_tree(cli);
    pages(&root, None)
        .into_iter()
        .map(|(cmd, parent)| Ok((page_name(cmd).to_string(), render(cmd, parent)?)))
        .collect()
}

/// One page: clap_mangen's, with a SEE ALSO section naming the parent's page and
/// the subcommands' pages (all of which `man --dir` writes).
fn render(cmd: &Command, parent: Option<&Command>) -> std::io::Result<Vec<u8>> {
    let mut out = Vec::new();
    clap_mangen::Man::new(cmd.clone())
        .source(format!("nsq-cli {}", env!("CARGO_PKG_VERSION")))
        .render(&mut out)?;
    let related: Vec<String> = parent
        .into_iter()
        .chain(subcommands(cmd))
        .map(|c| format!("\\fB{}\\fR(1)", page_name(c).replace('-', "\\-")))
        .collect();
    if !related.is_empty() {
        writeln!(out, ".SH \"SEE ALSO\"\n{}", related.join(", "))?;
    }
    Ok(out)
}

/// `nsq-cli man [SUBCOMMAND...]` prints one page of `cli` (the whole command
/// line); `--dir DIR` writes them all.
pub fn man(args: ManArgs, cli: Command) -> anyhow::Result<ExitCode> {
    if let Some(dir) = &args.dir {
        return write_pages(dir, cli);
    }
    let root = man_tree(cli);
    let mut cmd = &root;
    let mut parent = None;
    for word in &args.page {
        let Some(sub) = subcommands(cmd).find(|s| s.get_name() == word) else {
            // As they are asked for: `publish`, `bench pub`.
            let known: Vec<String> = pages(&root, None)[1..]
                .iter()
                .map(|(c, _)| {
                    page_name(c)
                        .trim_start_matches("nsq-cli-")
                        .replace('-', " ")
                })
                .collect();
            return super::refuse(format!(
                "no man page for {:?}: the pages are {}",
                args.page.join(" "),
                known.join(", ")
            ));
        };
        parent = Some(cmd);
        cmd = sub;
    }
    std::io::stdout().write_all(&render(cmd, parent)?)?;
    Ok(ExitCode::SUCCESS)
}

fn write_pages(dir: &Path, cli: Command) -> anyhow::Result<ExitCode> {
    std::fs::create_dir_all(dir)
        .map_err(|e| anyhow::anyhow!("cannot create --dir {}: {e}", dir.display()))?;
    for (name, roff) in man_pages(cli)? {
        let path = dir.join(format!("{name}.1"));
        std::fs::write(&path, roff)
            .map_err(|e| anyhow::anyhow!("cannot write {}: {e}", path.display()))?;
        output::info(&format!("wrote {}", path.display()));
    }
    Ok(ExitCode::SUCCESS)
}
