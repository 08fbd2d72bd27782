//! TLS, compression and AUTH settings as plain options ([`SecurityOptions`]),
//! turned into connection options in one place for every command. The command
//! line fills them from its flags (`cmd::conn_flags`); nothing here prints.

use super::conn::{AuthSecret, ConnectOptions, TlsConnect};
use crate::protocol::compression::Compression;
use crate::tls::ClientTlsOptions;
use anyhow::{bail, Context};
use std::path::PathBuf;
use std::time::Duration;

/// The environment variable holding the AUTH secret (a flag would show in `ps`).
pub const AUTH_SECRET_ENV: &str = "NSQ_AUTH_SECRET";
/// The same for a relay's destination (`--to-auth-secret-file`).
pub const TO_AUTH_SECRET_ENV: &str = "NSQ_TO_AUTH_SECRET";

/// How to secure and tune connections to nsqd (the `--tls-*`, `--snappy`,
/// `--deflate`, `--auth-secret-file` and `--heartbeat-interval` settings).
#[derive(Debug, Clone, Default)]
pub struct SecurityOptions {
    pub tls: bool,
    pub tls_ca: Option<PathBuf>,
    pub tls_cert: Option<PathBuf>,
    pub tls_key: Option<PathBuf>,
    pub tls_server_name: Option<String>,
    pub tls_insecure_skip_verify: bool,
    pub snappy: bool,
    pub deflate: Option<u32>,
    pub auth_secret_file: Option<PathBuf>,
    pub heartbeat_interval: Option<Duration>,
    /// For a relay's destination: the flags are `--to-*` and the secret's
    /// variable [`TO_AUTH_SECRET_ENV`], so one cluster's secret never goes to
    /// the other.
    pub destination: bool,
}

impl SecurityOptions {
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
            flag_prefix: self.tls_flag_prefix(),
        }
    }

    /// How this side's TLS flags begin (for error messages).
    fn tls_flag_prefix(&self) -> &'static str {
        match self.destination {
            true => "--to-tls-",
            false => "--tls-",
        }
    }

    /// True when TLS connections will not verify the server certificate (the
    /// caller should warn: anyone on the path can read and change the traffic).
    pub fn skips_verification(&self) -> bool {
        self.wants_tls() && self.tls_insecure_skip_verify
    }

    /// The TLS settings, or None without TLS.
    pub fn tls_connect(&self) -> anyhow::Result<Option<TlsConnect>> {
        if !self.wants_tls() {
            return Ok(None);
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

    /// The secret from --auth-secret-file (an explicit flag wins) or NSQ_AUTH_SECRET
    /// (--to-auth-secret-file or NSQ_TO_AUTH_SECRET for a destination).
    pub fn auth_secret(&self) -> anyhow::Result<Option<AuthSecret>> {
        let (flag, env) = match self.destination {
            false => ("--auth-secret-file", AUTH_SECRET_ENV),
            true => ("--to-auth-secret-file", TO_AUTH_SECRET_ENV),
        };
        if let Some(path) = &self.auth_secret_file {
            let text = std::fs::read_to_string(path)
                .with_context(|| format!("cannot read {flag} {}", path.display()))?;
            // Files written by editors and `echo` end with a newline that is not
            // part of the secret.
            let secret = text.trim_end_matches(['\n', '\r']);
            if secret.is_empty() {
                bail!("{flag} {} is empty", path.display());
            }
            return Ok(Some(AuthSecret(secret.to_string())));
        }
        Ok(std::env::var(env)
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
            let flag = format!("{}ca", self.tls_flag_prefix());
            let pem = std::fs::read(ca)
                .with_context(|| format!("cannot read {flag} {}", ca.display()))?;
            for cert in reqwest::Certificate::from_pem_bundle(&pem)
                .with_context(|| format!("{flag} {} is not a PEM certificate file", ca.display()))?
            {
                builder = builder.add_root_certificate(cert);
            }
        }
        if self.tls_insecure_skip_verify {
            builder = builder.danger_accept_invalid_certs(true);
        }
        Ok(builder)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn tls_error(destination: bool, ca: &str) -> String {
        let o = SecurityOptions {
            tls_ca: Some(PathBuf::from(ca)),
            destination,
            ..Default::default()
        };
        match o.tls_connect() {
            Err(e) => format!("{e:#}"),
            Ok(_) => panic!("an unreadable CA was accepted"),
        }
    }

    #[test]
    fn tls_errors_name_the_side_s_flag_and_keep_the_path() {
        let path = "/nonexistent/--tls-ca/ca.pem";
        let dest = tls_error(true, path);
        assert!(dest.starts_with("cannot read --to-tls-ca "), "{dest}");
        assert!(dest.contains(path), "the path is left alone: {dest}");
        let src = tls_error(false, path);
        assert!(src.starts_with("cannot read --tls-ca "), "{src}");
        let o = SecurityOptions {
            tls_cert: Some(PathBuf::from("/c.pem")),
            // No roots needed: the pair is checked next.
            tls_insecure_skip_verify: true,
            destination: true,
            ..Default::default()
        };
        let Err(e) = o.tls_connect() else {
            panic!("a certificate without its key was accepted")
        };
        let e = format!("{e:#}");
        assert!(e.contains("--to-tls-cert needs --to-tls-key"), "{e}");
    }
}
