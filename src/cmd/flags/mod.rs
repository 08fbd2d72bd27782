//! Flags shared by several commands, each defined once and flattened into the
//! commands' args structs (`src/cmd/<name>/args.rs`): the connection group
//! ([`ConnFlags`]: TLS, compression, AUTH), the HTTP group ([`HttpOpts`]:
//! --map-address, --http-timeout), the cluster addresses ([`ClusterArgs`]), the
//! value parsers ([`values`]) and the environment variables ([`env`]).
//!
//! This module uses no other part of `cmd` and nothing of `crate::cli`, so that
//! `cli -> cmd::<name>::args -> cmd::flags` stays acyclic.

pub mod cluster;
pub mod conn;
pub mod source;
pub mod values;

pub use cluster::{ClusterArgs, HttpOpts};
pub use conn::{ConnFlags, ToConnFlags};
pub use source::SourceArgs;

/// The environment variables read as address flags (as NSQ's own tools name
/// them, and as `nsq-cli dev` prints and exports them), named once here.
///
/// Several commands declare a flag reading the same variable, and those
/// declarations are not merged into one because they differ on purpose:
/// - `NSQD_TCP_ADDRESS`: `publish` takes a list with default localhost:4150 and
///   alias -addr (for publish -addr means nsqd); `tail` a list with no default
///   (nodes may come from nsqlookupd instead) and no alias (-addr means lookupd
///   there); `bench` one address (a String) with default and alias -addr.
/// - `NSQD_HTTP_ADDRESS`: `publish --http` a list with default localhost:4151;
///   [`ClusterArgs`] a list with no default (the lookupds may be enough);
///   `bench` one address with default (to create and delete its topic).
/// - `NSQLOOKUPD_HTTP_ADDRESS`: [`ClusterArgs`] and `tail` have no default (it
///   depends on the other addresses given) and differ in help text; `lookup`
///   defaults to localhost:4161 (it asks nothing else); `bench` has no alias
///   (-addr is its nsqd TCP address).
pub mod env {
    pub const NSQD_TCP_ADDRESS: &str = "NSQD_TCP_ADDRESS";
    pub const NSQD_HTTP_ADDRESS: &str = "NSQD_HTTP_ADDRESS";
    pub const NSQLOOKUPD_HTTP_ADDRESS: &str = "NSQLOOKUPD_HTTP_ADDRESS";
    /// Every node of `nsq-cli dev --nodes N`, comma-separated (set by dev; no flag reads them).
    pub const NSQD_TCP_ADDRESSES: &str = "NSQD_TCP_ADDRESSES";
    pub const NSQD_HTTP_ADDRESSES: &str = "NSQD_HTTP_ADDRESSES";
    pub const NSQ_MAP_ADDRESS: &str = "NSQ_MAP_ADDRESS";
}
