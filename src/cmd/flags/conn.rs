//! The shared connection flags ([`ConnFlags`]: TLS, compression, AUTH), defined
//! once and flattened into publish, tail and bench, and turned into the client's
//! plain options, with what the user must hear about them (the insecure-TLS warning,
//! the AUTH identity under -v) printed here rather than by the library.

use super::values::{duration_within, SECOND};
use crate::client::conn::{ConnEvent, ConnEvents, ConnectOptions};
use crate::client::security::SecurityOptions;
use crate::output;
use clap::Args;
use std::sync::atomic::{AtomicBool, Ordering};
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
        }
    }

    /// `base` with TLS, compression and the AUTH secret filled in. Warns (once
    /// per process) when certificate verification is off.
    pub fn connect_options(&self, base: ConnectOptions) -> anyhow::Result<ConnectOptions> {
        let security = self.security();
        static WARNED: AtomicBool = AtomicBool::new(false);
        if security.skips_verification() && !WARNED.swap(true, Ordering::Relaxed) {
            output::warn(
                "--tls-insecure-skip-verify: the server certificate is not verified; \
                 anyone on the network path can read and change this traffic",
            );
        }
        Ok(ConnectOptions {
            on_event: ConnEvents::new(show_conn_event),
            ..security.connect_options(base)?
        })
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
