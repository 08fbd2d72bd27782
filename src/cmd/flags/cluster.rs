//! The HTTP flag groups: [`HttpOpts`] (--map-address, --http-timeout) and
//! [`ClusterArgs`] (where the lookupds and nsqds are, plus [`HttpOpts`]), shared
//! by lookup, stats, the admin commands, check and tail.

use super::env;
use super::values::above_zero;
use clap::Args;
use std::time::Duration;

/// HTTP options shared by the commands that talk to nsqd / nsqlookupd over HTTP.
#[derive(Args, Debug, Clone)]
pub struct HttpOpts {
    /// Rewrite an address announced by nsqlookupd, FROM=TO (repeatable): `nsqd=127.0.0.1`
    /// maps every port of host nsqd, `nsqd:4151=localhost:14151` one address
    #[arg(
        long,
        value_name = "FROM=TO",
        env = env::NSQ_MAP_ADDRESS,
        value_delimiter = ',',
        value_parser = crate::nsq_http::map::parse_rule
    )]
    pub map_address: Vec<crate::nsq_http::map::MapRule>,

    /// Timeout of each HTTP request
    #[arg(long, value_name = "DURATION", default_value = "5s", value_parser = above_zero())]
    pub http_timeout: Duration,
}

impl HttpOpts {
    /// Installs `--map-address` and builds the HTTP client.
    pub fn client(&self) -> anyhow::Result<crate::nsq_http::Client> {
        crate::nsq_http::cluster::client_with_map(self.map_address.clone(), self.http_timeout)
    }
}

/// Where the cluster is: nsqlookupd HTTP addresses (their nsqd nodes are found
/// through them) and/or nsqd HTTP addresses.
#[derive(Args, Debug, Clone)]
pub struct ClusterArgs {
    /// nsqlookupd HTTP address, host:port or http(s)://host:port (repeatable;
    /// default localhost:4161 unless --nsqd-http-address is given)
    #[arg(
        long = "lookupd-http-address",
        visible_alias = "addr",
        value_name = "ADDR",
        env = env::NSQLOOKUPD_HTTP_ADDRESS,
        value_delimiter = ','
    )]
    pub lookupd_http_address: Vec<String>,

    /// nsqd HTTP address, host:port or http(s)://host:port (repeatable; used
    /// together with the nodes the lookupds know)
    #[arg(
        long,
        value_name = "ADDR",
        env = env::NSQD_HTTP_ADDRESS,
        value_delimiter = ','
    )]
    pub nsqd_http_address: Vec<String>,

    #[command(flatten)]
    pub http: HttpOpts,
}

impl ClusterArgs {
    /// The lookupds and nsqds to talk to (see [`crate::nsq_http::cluster::resolve`]).
    pub fn resolve(&self) -> Result<(Vec<String>, Vec<String>), String> {
        crate::nsq_http::cluster::resolve(&self.lookupd_http_address, &self.nsqd_http_address)
    }
}
