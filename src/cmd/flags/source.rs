//! Where a consuming command (tail, relay) takes its messages from: nsqlookupd
//! addresses to discover nodes through and/or nsqd TCP addresses, with the HTTP
//! options for the lookupds and how often to poll them.

use super::cluster::HttpOpts;
use super::env;
use super::values::{duration_within, SECOND};
use clap::Args;
use std::time::Duration;

/// The lookupd used when neither nsqd nor lookupd addresses are given.
pub const DEFAULT_LOOKUPD: &str = "localhost:4161";

#[derive(Args, Debug, Clone)]
pub struct SourceArgs {
    // Not ClusterArgs' flag: no default here either, but other help text (see
    // cmd::flags::env for why the address flags are declared per command).
    /// nsqlookupd HTTP address to discover nodes through (repeatable; default localhost:4161)
    #[arg(
        long,
        visible_alias = "addr",
        value_name = "ADDR",
        env = env::NSQLOOKUPD_HTTP_ADDRESS,
        value_delimiter = ','
    )]
    pub lookupd_http_address: Vec<String>,

    /// nsqd TCP address to connect to directly (repeatable)
    #[arg(
        long,
        value_name = "ADDR",
        env = env::NSQD_TCP_ADDRESS,
        value_delimiter = ','
    )]
    pub nsqd_tcp_address: Vec<String>,

    /// --map-address and --http-timeout (for nsqlookupd and --create)
    #[command(flatten)]
    pub http: HttpOpts,

    /// How often to ask nsqlookupd for nodes that appeared or went away
    #[arg(long, value_name = "DURATION", default_value = "15s", value_parser = duration_within(SECOND, Duration::MAX, ""))]
    pub lookupd_poll_interval: Duration,
}

impl SourceArgs {
    /// The nsqd TCP and lookupd HTTP addresses, checked and without repeats; the
    /// default lookupd when neither is given. The error is the refusal's wording.
    pub fn addresses(&self) -> Result<(Vec<String>, Vec<String>), String> {
        let (nsqd, mut lookupd) = checked_addresses(
            ("--nsqd-tcp-address", &self.nsqd_tcp_address),
            ("--lookupd-http-address", &self.lookupd_http_address),
        )?;
        if nsqd.is_empty() && lookupd.is_empty() {
            lookupd.push(DEFAULT_LOOKUPD.to_string());
        }
        Ok((nsqd, lookupd))
    }
}

/// nsqd TCP and lookupd HTTP addresses (each with the flag that gave them),
/// trimmed, checked and without repeats; either list may be empty. The error is
/// the refusal's wording.
pub fn checked_addresses(
    (nsqd_flag, nsqd): (&str, &[String]),
    (lookupd_flag, lookupd): (&str, &[String]),
) -> Result<(Vec<String>, Vec<String>), String> {
    let mut nsqd = crate::addr::tcp_addresses(nsqd_flag, &clean(nsqd))?;
    // Again after normalising: `h` and `h:4150` are one node.
    nsqd.sort();
    nsqd.dedup();
    let lookupd = clean(lookupd);
    crate::nsq_http::cluster::validate_addrs(lookupd_flag, &lookupd)?;
    Ok((nsqd, crate::nsq_http::cluster::dedup_addrs(lookupd)))
}

/// Trimmed, without empty entries or repeats.
fn clean(addrs: &[String]) -> Vec<String> {
    let mut v: Vec<String> = addrs
        .iter()
        .map(|a| a.trim().to_string())
        .filter(|a| !a.is_empty())
        .collect();
    v.sort();
    v.dedup();
    v
}
