//! `nsq-cli lookup`.

use crate::cli::LookupArgs;
use std::process::ExitCode;

pub async fn run(_args: LookupArgs) -> anyhow::Result<ExitCode> {
    anyhow::bail!("`nsq-cli lookup` is not implemented yet")
}
