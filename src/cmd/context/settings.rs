//! What a context holds ([`Settings`]): the cluster's addresses, --map-address
//! rules, TLS files, compression and the AUTH secret file. One struct is both the
//! flags of `context add` and the TOML file's keys (the flag names with `_`), so
//! the two cannot drift apart. Secrets are kept only as file references.

use clap::Args;
use serde::{Deserialize, Serialize};
use std::path::{Path, PathBuf};

/// A context's settings; each key is the flag of the same name (`tls_ca` is
/// `--tls-ca`) and is applied as that flag's value when the flag is not given.
#[derive(Args, Serialize, Deserialize, Debug, Clone, Default, PartialEq)]
#[serde(deny_unknown_fields, default)]
pub struct Settings {
    /// nsqlookupd HTTP addresses, host:port or http(s)://host:port (repeatable)
    #[arg(long, value_name = "ADDR", value_delimiter = ',')]
    #[serde(skip_serializing_if = "Vec::is_empty")]
    pub lookupd_http_address: Vec<String>,

    /// nsqd TCP addresses, host:port (repeatable)
    #[arg(long, value_name = "ADDR", value_delimiter = ',')]
    #[serde(skip_serializing_if = "Vec::is_empty")]
    pub nsqd_tcp_address: Vec<String>,

    /// nsqd HTTP addresses, host:port or http(s)://host:port (repeatable)
    #[arg(long, value_name = "ADDR", value_delimiter = ',')]
    #[serde(skip_serializing_if = "Vec::is_empty")]
    pub nsqd_http_address: Vec<String>,

    /// Address rewrites, FROM=TO (repeatable; see --map-address of stats)
    #[arg(long, value_name = "FROM=TO", value_delimiter = ',')]
    #[serde(skip_serializing_if = "Vec::is_empty")]
    pub map_address: Vec<String>,

    /// Upgrade nsqd connections to TLS
    #[arg(long)]
    #[serde(skip_serializing_if = "is_false")]
    pub tls: bool,

    /// PEM CA certificate(s) trusted in addition to the system roots
    #[arg(long, value_name = "FILE")]
    #[serde(skip_serializing_if = "Option::is_none")]
    pub tls_ca: Option<PathBuf>,

    /// PEM client certificate (needs --tls-key)
    #[arg(long, value_name = "FILE", requires = "tls_key")]
    #[serde(skip_serializing_if = "Option::is_none")]
    pub tls_cert: Option<PathBuf>,

    /// PEM private key of --tls-cert
    #[arg(long, value_name = "FILE", requires = "tls_cert")]
    #[serde(skip_serializing_if = "Option::is_none")]
    pub tls_key: Option<PathBuf>,

    /// Name the server certificate must carry
    #[arg(long, value_name = "NAME")]
    #[serde(skip_serializing_if = "Option::is_none")]
    pub tls_server_name: Option<String>,

    /// Ask nsqd for snappy compression
    #[arg(long, conflicts_with = "deflate")]
    #[serde(skip_serializing_if = "is_false")]
    pub snappy: bool,

    /// Ask nsqd for deflate compression at LEVEL 1-9 (default 6)
    #[arg(
        long,
        value_name = "LEVEL",
        num_args = 0..=1,
        require_equals = true,
        default_missing_value = "6",
        value_parser = clap::value_parser!(u32).range(1..=9)
    )]
    #[serde(skip_serializing_if = "Option::is_none")]
    pub deflate: Option<u32>,

    /// File holding the AUTH secret (the file's path is stored, never the secret)
    #[arg(long, value_name = "FILE")]
    #[serde(skip_serializing_if = "Option::is_none")]
    pub auth_secret_file: Option<PathBuf>,
}

fn is_false(b: &bool) -> bool {
    !*b
}

/// One setting as the values of its flag: `long` is the flag (`tls-ca`), `key`
/// the file's key (`tls_ca`).
#[derive(Debug, Clone, PartialEq)]
pub struct Entry {
    pub key: &'static str,
    pub long: &'static str,
    pub values: Vec<String>,
}

/// A setting the context refuses: the key and why.
#[derive(Debug, Clone, PartialEq)]
pub struct Invalid {
    pub key: &'static str,
    pub why: String,
}

fn path_value(p: &Option<PathBuf>) -> Vec<String> {
    p.iter().map(|p| p.display().to_string()).collect()
}

fn flag_value(b: bool) -> Vec<String> {
    if b {
        vec!["true".into()]
    } else {
        Vec::new()
    }
}

impl Settings {
    /// The settings that are set, as flag values, in the order of the file.
    pub fn entries(&self) -> Vec<Entry> {
        let all = [
            ("lookupd_http_address", self.lookupd_http_address.clone()),
            ("nsqd_tcp_address", self.nsqd_tcp_address.clone()),
            ("nsqd_http_address", self.nsqd_http_address.clone()),
            ("map_address", self.map_address.clone()),
            ("tls", flag_value(self.tls)),
            ("tls_ca", path_value(&self.tls_ca)),
            ("tls_cert", path_value(&self.tls_cert)),
            ("tls_key", path_value(&self.tls_key)),
            (
                "tls_server_name",
                self.tls_server_name.iter().cloned().collect(),
            ),
            ("snappy", flag_value(self.snappy)),
            ("deflate", self.deflate.iter().map(u32::to_string).collect()),
            ("auth_secret_file", path_value(&self.auth_secret_file)),
        ];
        all.into_iter()
            .filter(|(_, v)| !v.is_empty())
            .map(|(key, values)| Entry {
                key,
                long: long_of(key),
                values,
            })
            .collect()
    }

    pub fn is_empty(&self) -> bool {
        self.entries().is_empty()
    }

    /// The rules the flags' own parsers apply, checked when a context is written
    /// or read, so that a bad value is named with its key and file.
    pub fn validate(&self) -> Result<(), Invalid> {
        let bad = |key, why: String| Invalid { key, why };
        for (key, addrs) in [
            ("lookupd_http_address", &self.lookupd_http_address),
            ("nsqd_http_address", &self.nsqd_http_address),
        ] {
            crate::nsq_http::cluster::validate_addrs(key, addrs).map_err(|w| bad(key, w))?;
        }
        crate::addr::tcp_addresses("nsqd_tcp_address", &self.nsqd_tcp_address)
            .map_err(|w| bad("nsqd_tcp_address", w))?;
        for rule in &self.map_address {
            crate::nsq_http::map::parse_rule(rule).map_err(|w| bad("map_address", w))?;
        }
        if let Some(level) = self.deflate.filter(|l| !(1..=9).contains(l)) {
            return Err(bad("deflate", format!("level {level}: it must be 1-9")));
        }
        if self.snappy && self.deflate.is_some() {
            return Err(bad("snappy", "snappy and deflate: choose one".into()));
        }
        if self.tls_cert.is_some() != self.tls_key.is_some() {
            return Err(bad("tls_cert", "tls_cert and tls_key go together".into()));
        }
        for (key, file) in self.files() {
            if let Some(f) = file.filter(|f| f.is_relative()) {
                let why = format!(
                    "{key} file {}: the path must be absolute (a context is used from any directory)",
                    f.display()
                );
                return Err(bad(key, why));
            }
        }
        Ok(())
    }

    /// The files the context names, by key.
    fn files(&self) -> [(&'static str, Option<&Path>); 4] {
        [
            ("tls_ca", self.tls_ca.as_deref()),
            ("tls_cert", self.tls_cert.as_deref()),
            ("tls_key", self.tls_key.as_deref()),
            ("auth_secret_file", self.auth_secret_file.as_deref()),
        ]
    }

    /// The files the context names (CA, client certificate and key, AUTH secret)
    /// must exist when it is used: the first missing one.
    pub fn check_files(&self) -> Result<(), Invalid> {
        for (key, file) in self.files() {
            if let Some(f) = file.filter(|f| !f.is_file()) {
                let why = match f.metadata() {
                    Ok(_) => "is not a file",
                    Err(_) => "does not exist",
                };
                return Err(Invalid {
                    key,
                    why: format!("{key} file {} {why}", f.display()),
                });
            }
        }
        Ok(())
    }

    /// The file paths made absolute against `cwd`, so that the context works from
    /// any directory.
    pub fn absolute_paths(mut self, cwd: &Path) -> Settings {
        for p in [
            &mut self.tls_ca,
            &mut self.tls_cert,
            &mut self.tls_key,
            &mut self.auth_secret_file,
        ]
        .into_iter()
        .flatten()
        {
            if p.is_relative() {
                *p = cwd.join(&*p);
            }
        }
        self
    }

    /// `self` with the address lists that are empty taken from `other`.
    pub fn or_addresses(mut self, other: Settings) -> Settings {
        for (mine, theirs) in [
            (&mut self.lookupd_http_address, other.lookupd_http_address),
            (&mut self.nsqd_tcp_address, other.nsqd_tcp_address),
            (&mut self.nsqd_http_address, other.nsqd_http_address),
        ] {
            if mine.is_empty() {
                *mine = theirs;
            }
        }
        self
    }
}

/// The flag of a key: `tls_ca` -> `tls-ca`.
fn long_of(key: &'static str) -> &'static str {
    match key {
        "lookupd_http_address" => "lookupd-http-address",
        "nsqd_tcp_address" => "nsqd-tcp-address",
        "nsqd_http_address" => "nsqd-http-address",
        "map_address" => "map-address",
        "tls_ca" => "tls-ca",
        "tls_cert" => "tls-cert",
        "tls_key" => "tls-key",
        "tls_server_name" => "tls-server-name",
        "auth_secret_file" => "auth-secret-file",
        other => other,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn entries_name_the_flags_and_skip_what_is_unset() {
        let s = Settings {
            lookupd_http_address: vec!["a:4161".into()],
            tls_ca: Some("/ca.pem".into()),
            deflate: Some(3),
            ..Settings::default()
        };
        let e = s.entries();
        let longs: Vec<_> = e.iter().map(|e| (e.long, e.values.clone())).collect();
        assert_eq!(
            longs,
            vec![
                ("lookupd-http-address", vec!["a:4161".to_string()]),
                ("tls-ca", vec!["/ca.pem".to_string()]),
                ("deflate", vec!["3".to_string()]),
            ]
        );
        assert_eq!(Settings::default().entries(), Vec::new());
        assert!(Settings::default().is_empty());
    }

    #[test]
    fn every_key_maps_to_a_flag_of_the_same_name() {
        let s = Settings {
            lookupd_http_address: vec!["x".into()],
            nsqd_tcp_address: vec!["x".into()],
            nsqd_http_address: vec!["x".into()],
            map_address: vec!["x".into()],
            tls: true,
            tls_ca: Some("x".into()),
            tls_cert: Some("x".into()),
            tls_key: Some("x".into()),
            tls_server_name: Some("x".into()),
            snappy: true,
            deflate: Some(1),
            auth_secret_file: Some("x".into()),
        };
        let e = s.entries();
        assert_eq!(e.len(), 12);
        for e in e {
            assert_eq!(e.long, e.key.replace('_', "-"));
        }
    }

    #[test]
    fn validate_names_the_key() {
        let s = Settings {
            nsqd_tcp_address: vec!["http://h:4150".into()],
            ..Settings::default()
        };
        assert_eq!(s.validate().unwrap_err().key, "nsqd_tcp_address");
        let s = Settings {
            map_address: vec!["noequals".into()],
            ..Settings::default()
        };
        assert_eq!(s.validate().unwrap_err().key, "map_address");
        let s = Settings {
            deflate: Some(12),
            ..Settings::default()
        };
        assert_eq!(s.validate().unwrap_err().key, "deflate");
        // A hand edit (`context edit`) cannot store a relative file path.
        let s = Settings {
            tls_ca: Some("/abs/ca.pem".into()),
            auth_secret_file: Some("secret".into()),
            ..Settings::default()
        };
        let e = s.validate().unwrap_err();
        assert_eq!(e.key, "auth_secret_file");
        assert!(
            e.why.contains("secret") && e.why.contains("absolute"),
            "{}",
            e.why
        );
    }

    #[test]
    fn relative_paths_become_absolute() {
        let s = Settings {
            tls_ca: Some("ca.pem".into()),
            auth_secret_file: Some("/abs/secret".into()),
            ..Settings::default()
        }
        .absolute_paths(Path::new("/home/u"));
        assert_eq!(s.tls_ca.unwrap(), Path::new("/home/u/ca.pem"));
        assert_eq!(s.auth_secret_file.unwrap(), Path::new("/abs/secret"));
    }
}
