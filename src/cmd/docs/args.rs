//! The flags of `nsq-cli completions` and `nsq-cli man`.

use clap::Args;

#[derive(Args, Debug, Clone)]
pub struct ManArgs {
    /// The subcommand whose page to print, e.g. `publish` or `bench pub`
    /// (default: nsq-cli(1), the top page)
    #[arg(value_name = "SUBCOMMAND", conflicts_with = "dir")]
    pub page: Vec<String>,

    /// Write every page (nsq-cli.1, nsq-cli-publish.1, ...) into DIR, created if
    /// missing, and list them on stderr
    #[arg(long, value_name = "DIR")]
    pub dir: Option<std::path::PathBuf>,
}

#[derive(Args, Debug, Clone)]
pub struct CompletionsArgs {
    /// The shell to generate the script for
    #[arg(value_enum)]
    pub shell: clap_complete::Shell,
}
