//! The shared connection flags ([`ConnFlags`]) turned into the client's plain
//! options, with what the user must hear about them (the insecure-TLS warning,
//! the AUTH identity under -v) printed here rather than by the library.

use crate::cli::ConnFlags;
use crate::client::conn::{ConnEvent, ConnEvents, ConnectOptions};
use crate::client::security::SecurityOptions;
use crate::output;
use std::sync::atomic::{AtomicBool, Ordering};

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
