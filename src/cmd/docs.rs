//! `nsq-cli completions` and `nsq-cli man`: generated from the clap definitions,
//! so they never disagree with the real flags.

use crate::cli::{Cli, CompletionsArgs};
use clap::CommandFactory;
use std::io::Write;
use std::process::ExitCode;

/// The completion script for `shell`, as checked in under `completions/`.
pub fn completion_script(shell: clap_complete::Shell) -> Vec<u8> {
    let mut out = Vec::new();
    clap_complete::generate(shell, &mut Cli::command(), "nsq-cli", &mut out);
    out
}

pub fn completions(args: CompletionsArgs) -> anyhow::Result<ExitCode> {
    std::io::stdout().write_all(&completion_script(args.shell))?;
    Ok(ExitCode::SUCCESS)
}

pub fn man() -> anyhow::Result<ExitCode> {
    let mut out = Vec::new();
    clap_mangen::Man::new(Cli::command()).render(&mut out)?;
    std::io::stdout().write_all(&out)?;
    Ok(ExitCode::SUCCESS)
}
