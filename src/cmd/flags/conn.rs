//! The shared connection flags ([`ConnFlags`]: TLS, compression, AUTH), defined
//! once and flattened into publish, tail and bench, and turned into the client's
//! plain options, with what the user must hear about them (the insecure-TLS warning,
//! the AUTH identity under -v) printed here rather than by the library.

use super::values::{duration_within, SECOND};
use crate::client::conn::{ConnEvent, ConnEvents, ConnectOptions};
use crate::client::security::SecurityOptions;
use crate::output;
use clap::Args;
use std::time::Duration;

/// TLS, compression and authentication for commands that talk to nsqd over TCP
/// (flattened into each; turned into the client's `SecurityOptions` and
/// connection options below).
#[derive(Args, Debug, Clone, Default)]
#[command(next_help_heading = "TLS, compression and authentication")]
pub struct ConnFlags {
    /// Upgrade connections to TLS; the server certificate is verified against the
    /// system roots and --tls-ca (implied by the other --tls-* flags)
    #[arg(long)]
    pub tls: bool,

    /// PEM CA certificate(s) trusted in addition to the system roots
    #[arg(long, value_name = "FILE")]
    pub tls_ca: Option<std::path::PathBuf>,

    /// PEM client certificate, for servers that require one (needs --tls-key)
    #[arg(long, value_name = "FILE", requires = "tls_key")]
    pub tls_cert: Option<std::path::PathBuf>,

    /// PEM private key of --tls-cert
    #[arg(long, value_name = "FILE", requires = "tls_cert")]
    pub tls_key: Option<std::path::PathBuf>,

    /// Name the server certificate must carry (default: the address's host)
    #[arg(long, value_name = "NAME")]
    pub tls_server_name: Option<String>,

    /// Accept any server certificate (for testing only: anyone on the path can
    /// read and change the traffic)
    #[arg(long)]
    pub tls_insecure_skip_verify: bool,

    /// Ask nsqd for snappy compression
    #[arg(long, conflicts_with = "deflate")]
    pub snappy: bool,

    /// Ask nsqd for deflate compression, at LEVEL 1-9 (default 6; nsqd caps it at
    /// its --max-deflate-level)
    #[arg(
        long,
        value_name = "LEVEL",
        num_args = 0..=1,
        require_equals = true,
        default_missing_value = "6",
        value_parser = clap::value_parser!(u32).range(1..=9)
    )]
    pub deflate: Option<u32>,

    /// File holding the AUTH secret, sent when nsqd requires authentication
    /// (default: the NSQ_AUTH_SECRET environment variable)
    #[arg(long, value_name = "FILE")]
    pub auth_secret_file: Option<std::path::PathBuf>,

    /// Ask nsqd for a heartbeat every DURATION (default: nsqd's, 30s); a
    /// connection silent for two intervals is dead and dropped. nsqd accepts 1s
    /// up to its --max-heartbeat-interval (60s by default)
    #[arg(long, value_name = "DURATION", value_parser = duration_within(SECOND, Duration::MAX, "nsqd refuses a shorter one"), help_heading = "Connection")]
    pub heartbeat_interval: Option<Duration>,
}

impl ConnFlags {
    /// The flags as the client layer's options.
    pub fn security(&self) -> SecurityOptions {
        SecurityOptions {
            tls: self.tls,
            tls_ca: self.tls_ca.clone(),
            tls_cert: self.tls_cert.clone(),
            tls_key: self.tls_key.clone(),
            tls_server_name: self.tls_server_name.clone(),
            tls_insecure_skip_verify: self.tls_insecure_skip_verify,
            snappy: self.snappy,
            deflate: self.deflate,
            auth_secret_file: self.auth_secret_file.clone(),
            heartbeat_interval: self.heartbeat_interval,
            destination: false,
        }
    }

    /// `base` with TLS, compression and the AUTH secret filled in. Warns (once
    /// per process) when certificate verification is off.
    pub fn connect_options(&self, base: ConnectOptions) -> anyhow::Result<ConnectOptions> {
        connect_options(self.security(), "--tls-insecure-skip-verify", base)
    }

    /// Applies --tls-ca and --tls-insecure-skip-verify to an HTTP client, for
    /// `https://` addresses.
    pub fn http_client_builder(
        &self,
        builder: reqwest::ClientBuilder,
    ) -> anyhow::Result<reqwest::ClientBuilder> {
        self.security().http_client_builder(builder)
    }
}

/// `base` with `security` filled in, warning (once per process and `flag`) when
/// certificate verification is off; shared by [`ConnFlags`] and [`ToConnFlags`].
fn connect_options(
    security: SecurityOptions,
    flag: &'static str,
    base: ConnectOptions,
) -> anyhow::Result<ConnectOptions> {
    static WARNED: std::sync::Mutex<Vec<&'static str>> = std::sync::Mutex::new(Vec::new());
    if security.skips_verification() {
        let mut warned = WARNED.lock().unwrap();
        if !warned.contains(&flag) {
            warned.push(flag);
            output::warn(&format!(
                "{flag}: the server certificate is not verified; \
                 anyone on the network path can read and change this traffic"
            ));
        }
    }
    Ok(ConnectOptions {
        on_event: ConnEvents::new(show_conn_event),
        ..security.connect_options(base)?
    })
}

/// The destination's TLS, compression and authentication (relay's --to-* flags):
/// the same settings as [`ConnFlags`] for a second cluster, turned into the
/// client's options by the same code.
#[derive(Args, Debug, Clone, Default)]
#[command(next_help_heading = "Destination TLS, compression and authentication")]
pub struct ToConnFlags {
    /// Upgrade destination connections to TLS (implied by the other --to-tls-* flags)
    #[arg(long)]
    pub to_tls: bool,

    /// PEM CA certificate(s) trusted for the destination, besides the system roots
    #[arg(long, value_name = "FILE")]
    pub to_tls_ca: Option<std::path::PathBuf>,

    /// PEM client certificate for the destination (needs --to-tls-key)
    #[arg(long, value_name = "FILE", requires = "to_tls_key")]
    pub to_tls_cert: Option<std::path::PathBuf>,

    /// PEM private key of --to-tls-cert
    #[arg(long, value_name = "FILE", requires = "to_tls_cert")]
    pub to_tls_key: Option<std::path::PathBuf>,

    /// Name the destination's certificate must carry (default: the address's host)
    #[arg(long, value_name = "NAME")]
    pub to_tls_server_name: Option<String>,

    /// Accept any destination certificate (for testing only)
    #[arg(long)]
    pub to_tls_insecure_skip_verify: bool,

    /// Ask the destination nsqd for snappy compression
    #[arg(long, conflicts_with = "to_deflate")]
    pub to_snappy: bool,

    /// Ask the destination nsqd for deflate compression, at LEVEL 1-9 (default 6)
    #[arg(
        long,
        value_name = "LEVEL",
        num_args = 0..=1,
        require_equals = true,
        default_missing_value = "6",
        value_parser = clap::value_parser!(u32).range(1..=9)
    )]
    pub to_deflate: Option<u32>,

    /// File holding the destination's AUTH secret (default: the
    /// NSQ_TO_AUTH_SECRET environment variable)
    #[arg(long, value_name = "FILE")]
    pub to_auth_secret_file: Option<std::path::PathBuf>,
}

impl ToConnFlags {
    pub fn security(&self) -> SecurityOptions {
        SecurityOptions {
            tls: self.to_tls,
            tls_ca: self.to_tls_ca.clone(),
            tls_cert: self.to_tls_cert.clone(),
            tls_key: self.to_tls_key.clone(),
            tls_server_name: self.to_tls_server_name.clone(),
            tls_insecure_skip_verify: self.to_tls_insecure_skip_verify,
            snappy: self.to_snappy,
            deflate: self.to_deflate,
            auth_secret_file: self.to_auth_secret_file.clone(),
            heartbeat_interval: None,
            destination: true,
        }
    }

    /// `base` with the destination's TLS, compression and AUTH secret.
    pub fn connect_options(&self, base: ConnectOptions) -> anyhow::Result<ConnectOptions> {
        connect_options(self.security(), "--to-tls-insecure-skip-verify", base)
    }
}

fn show_conn_event(event: ConnEvent) {
    match event {
        ConnEvent::Authenticated { addr, identity: id } => output::debug(&format!(
            "nsqd at {addr}: authenticated as {:?}{} ({} permission(s))",
            id.identity,
            if id.identity_url.is_empty() {
                String::new()
            } else {
                format!(" <{}>", id.identity_url)
            },
            id.permission_count
        )),
    }
}
