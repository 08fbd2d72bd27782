//! Turns the shared TLS/compression/auth flags ([`ConnFlags`]) into connection
//! options, in one place for every command.

use super::conn::{AuthSecret, ConnectOptions, TlsConnect};
use crate::cli::ConnFlags;
use crate::protocol::compression::Compression;
use crate::tls::ClientTlsOptions;
use anyhow::{bail, Context};

/// The environment variable holding the AUTH secret (a flag would show in `ps`).
pub const AUTH_SECRET_ENV: &str = "NSQ_AUTH_SECRET";

impl ConnFlags {
    /// True when any flag asks for TLS.
    pub fn wants_tls(&self) -> bool {
        self.tls
            || self.tls_ca.is_some()
            || self.tls_cert.is_some()
            || self.tls_server_name.is_some()
            || self.tls_insecure_skip_verify
    }

    fn client_tls_options(&self) -> ClientTlsOptions {
        ClientTlsOptions {
            ca_file: self.tls_ca.clone(),
            cert_file: self.tls_cert.clone(),
            key_file: self.tls_key.clone(),
            insecure_skip_verify: self.tls_insecure_skip_verify,
        }
    }

    /// The TLS settings, or None without TLS. Warns (once per process) when
    /// certificate verification is off.
    pub fn tls_connect(&self) -> anyhow::Result<Option<TlsConnect>> {
        if !self.wants_tls() {
            return Ok(None);
        }
        static WARNED: std::sync::atomic::AtomicBool = std::sync::atomic::AtomicBool::new(false);
        if self.tls_insecure_skip_verify && !WARNED.swap(true, std::sync::atomic::Ordering::Relaxed)
        {
            crate::output::warn(
                "--tls-insecure-skip-verify: the server certificate is not verified; \
                 anyone on the network path can read and change this traffic",
            );
        }
        let config = crate::tls::client_config(&self.client_tls_options())?;
        Ok(Some(TlsConnect {
            config,
            server_name: self.tls_server_name.clone(),
        }))
    }

    pub fn compression(&self) -> Option<Compression> {
        if self.snappy {
            Some(Compression::Snappy)
        } else {
            self.deflate.map(Compression::Deflate)
        }
    }

    /// The secret from --auth-secret-file (an explicit flag wins) or NSQ_AUTH_SECRET.
    pub fn auth_secret(&self) -> anyhow::Result<Option<AuthSecret>> {
        if let Some(path) = &self.auth_secret_file {
            let text = std::fs::read_to_string(path)
                .with_context(|| format!("cannot read --auth-secret-file {}", path.display()))?;
            // Files written by editors and `echo` end with a newline that is not
            // part of the secret.
            let secret = text.trim_end_matches(['\n', '\r']);
            if secret.is_empty() {
                bail!("--auth-secret-file {} is empty", path.display());
            }
            return Ok(Some(AuthSecret(secret.to_string())));
        }
        Ok(std::env::var(AUTH_SECRET_ENV)
            .ok()
            .filter(|s| !s.is_empty())
            .map(AuthSecret))
    }

    /// `base` with TLS, compression and the AUTH secret filled in.
    pub fn connect_options(&self, base: ConnectOptions) -> anyhow::Result<ConnectOptions> {
        Ok(ConnectOptions {
            tls: self.tls_connect()?,
            compression: self.compression(),
            auth_secret: self.auth_secret()?,
            heartbeat_interval: self.heartbeat_interval.or(base.heartbeat_interval),
            ..base
        })
    }

    /// Applies --tls-ca and --tls-insecure-skip-verify to an HTTP client, for
    /// `https://` addresses.
    pub fn http_client_builder(
        &self,
        mut builder: reqwest::ClientBuilder,
    ) -> anyhow::Result<reqwest::ClientBuilder> {
        if let Some(ca) = &self.tls_ca {
            let pem = std::fs::read(ca)
                .with_context(|| format!("cannot read --tls-ca {}", ca.display()))?;
            for cert in reqwest::Certificate::from_pem_bundle(&pem).with_context(|| {
                format!("--tls-ca {} is not a PEM certificate file", ca.display())
            })? {
                builder = builder.add_root_certificate(cert);
            }
        }
        if self.tls_insecure_skip_verify {
            builder = builder.danger_accept_invalid_certs(true);
        }
        Ok(builder)
    }
}
