//! The flags of `nsq-cli context`.

use super::settings::Settings;
use clap::{Args, Subcommand};

#[derive(Args, Debug)]
pub struct ContextArgs {
    #[command(subcommand)]
    pub action: ContextAction,
}

// Parsed once per run: the size of the largest variant does not matter.
#[allow(clippy::large_enum_variant)]
#[derive(Subcommand, Debug)]
pub enum ContextAction {
    /// Save a context: the cluster's addresses, --map-address rules, TLS files,
    /// compression and the AUTH secret file, under one name
    #[command(after_help = "Examples:\n  \
        nsq-cli context add staging --tls --tls-ca ca.pem \\\n      \
        --lookupd-http-address lookupd-1:4161,lookupd-2:4161\n  \
        nsq-cli dev -- nsq-cli context add dev --from-env")]
    Add(AddArgs),

    /// List the contexts; the one in use is marked with `*`
    Ls(LsArgs),

    /// Select the context every command uses (unless --context or NSQ_CONTEXT names another)
    Use(UseArgs),

    /// Print a context's settings (default: the one in use) as TOML, or JSON with --json
    Show(ShowArgs),

    /// Delete a context (and its selection, if it is the selected one)
    Rm(NameArg),

    /// Open a context's file in $VISUAL or $EDITOR (default vi); the edit is saved
    /// only if it is valid
    Edit(NameArg),
}

#[derive(Args, Debug)]
pub struct AddArgs {
    /// The context's name (letters, digits, '.', '_', '-')
    #[arg(value_name = "NAME")]
    pub name: String,

    #[command(flatten)]
    pub settings: Settings,

    /// Take the addresses not given as flags from NSQD_TCP_ADDRESS,
    /// NSQD_HTTP_ADDRESS and NSQLOOKUPD_HTTP_ADDRESS (as `nsq-cli dev -- CMD`
    /// exports them)
    #[arg(long)]
    pub from_env: bool,

    /// Replace the context if it exists
    #[arg(long)]
    pub force: bool,
}

#[derive(Args, Debug)]
pub struct LsArgs {
    /// Print a JSON array of {"name", "selected", "file"}
    #[arg(long, conflicts_with = "names")]
    pub json: bool,

    /// Print the names only, one a line (for shell completion)
    #[arg(long, hide = true)]
    pub names: bool,
}

#[derive(Args, Debug)]
pub struct UseArgs {
    /// The context to select
    #[arg(
        id = "context-name",
        value_name = "CONTEXT",
        required_unless_present = "none",
        conflicts_with = "none"
    )]
    pub name: Option<String>,

    /// Select no context (commands use flags, environment and defaults only)
    #[arg(long)]
    pub none: bool,
}

#[derive(Args, Debug)]
pub struct ShowArgs {
    /// The context to show (default: the one in use)
    #[arg(id = "context-name", value_name = "CONTEXT")]
    pub name: Option<String>,

    /// Print JSON: {"name", "selected", "file", "settings"}
    #[arg(long)]
    pub json: bool,
}

#[derive(Args, Debug)]
pub struct NameArg {
    /// The context's name
    #[arg(id = "context-name", value_name = "CONTEXT")]
    pub name: String,
}
