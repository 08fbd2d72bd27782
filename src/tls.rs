//! TLS settings for our client (verify against the system roots plus `--tls-ca`)
//! and for the embedded broker (`nsq-cli dev --tls-cert/--tls-key`). rustls with
//! the ring provider, chosen explicitly so that no process-wide default is needed.

use anyhow::{anyhow, bail, Context};
use rustls::client::danger::{HandshakeSignatureValid, ServerCertVerified, ServerCertVerifier};
use rustls::crypto::{verify_tls12_signature, verify_tls13_signature, CryptoProvider};
use rustls::pki_types::pem::PemObject;
use rustls::pki_types::{CertificateDer, PrivateKeyDer, ServerName, UnixTime};
use rustls::server::danger::{ClientCertVerified, ClientCertVerifier};
use rustls::{DigitallySignedStruct, DistinguishedName, RootCertStore, SignatureScheme};
use std::path::{Path, PathBuf};
use std::sync::Arc;

fn provider() -> Arc<CryptoProvider> {
    Arc::new(rustls::crypto::ring::default_provider())
}

fn read(flag: &str, path: &Path) -> anyhow::Result<Vec<u8>> {
    std::fs::read(path).map_err(|e| {
        anyhow!(
            "cannot read {flag} {}: {}",
            path.display(),
            crate::error::describe_io(&e)
        )
    })
}

/// Reads every certificate in the PEM file given with `flag`; an empty or
/// unreadable file is an error naming the flag and the file.
pub fn load_certs(flag: &str, path: &Path) -> anyhow::Result<Vec<CertificateDer<'static>>> {
    let pem = read(flag, path)?;
    let certs = CertificateDer::pem_slice_iter(&pem)
        .collect::<Result<Vec<_>, _>>()
        .map_err(|e| {
            anyhow!(
                "{flag} {} is not a PEM certificate file: {e}",
                path.display()
            )
        })?;
    if certs.is_empty() {
        bail!("{flag} {} holds no PEM certificate", path.display());
    }
    Ok(certs)
}

/// Reads the first private key (PKCS#8, PKCS#1 or SEC1) in a PEM file.
pub fn load_key(flag: &str, path: &Path) -> anyhow::Result<PrivateKeyDer<'static>> {
    let pem = read(flag, path)?;
    PrivateKeyDer::from_pem_slice(&pem).map_err(|e| {
        anyhow!(
            "{flag} {} holds no usable PEM private key: {e}",
            path.display()
        )
    })
}

/// Client-side TLS options, as given on the command line.
#[derive(Debug, Clone, Default)]
pub struct ClientTlsOptions {
    /// Extra CA certificates (PEM) trusted on top of the system roots.
    pub ca_file: Option<PathBuf>,
    /// Client certificate and key, for servers that ask for one.
    pub cert_file: Option<PathBuf>,
    pub key_file: Option<PathBuf>,
    /// Accept any server certificate (testing only).
    pub insecure_skip_verify: bool,
    /// How the flags giving these options begin, for error messages: `--tls-`
    /// when empty (a relay's destination has `--to-tls-`).
    pub flag_prefix: &'static str,
}

impl ClientTlsOptions {
    /// The flag named `name` (`ca`, `cert`, `key`) as the user spelt it.
    fn flag(&self, name: &str) -> String {
        match self.flag_prefix {
            "" => format!("--tls-{name}"),
            p => format!("{p}{name}"),
        }
    }
}

/// Builds the client configuration: system roots plus `ca_file`, or no
/// verification at all when `insecure_skip_verify` is set.
pub fn client_config(o: &ClientTlsOptions) -> anyhow::Result<Arc<rustls::ClientConfig>> {
    let builder = rustls::ClientConfig::builder_with_provider(provider())
        .with_safe_default_protocol_versions()
        .context("TLS setup failed")?;
    let builder = if o.insecure_skip_verify {
        builder
            .dangerous()
            .with_custom_certificate_verifier(Arc::new(AcceptAnyServerCert(provider())))
    } else {
        let mut roots = RootCertStore::empty();
        // Unreadable system certificates are skipped: --tls-ca may be all we need.
        let native = rustls_native_certs::load_native_certs();
        roots.add_parsable_certificates(native.certs);
        if let Some(ca) = &o.ca_file {
            for cert in load_certs(&o.flag("ca"), ca)? {
                roots.add(cert).map_err(|e| {
                    anyhow!(
                        "{} {}: not a usable CA certificate: {e}",
                        o.flag("ca"),
                        ca.display()
                    )
                })?;
            }
        }
        if roots.is_empty() {
            bail!(
                "no trusted CA certificates: the system has none; give one with {} FILE",
                o.flag("ca")
            );
        }
        builder.with_root_certificates(roots)
    };
    let config = match (&o.cert_file, &o.key_file) {
        (Some(cert), Some(key)) => builder
            .with_client_auth_cert(
                load_certs(&o.flag("cert"), cert)?,
                load_key(&o.flag("key"), key)?,
            )
            .map_err(|e| {
                anyhow!(
                    "{} {} and {} {} do not form a usable pair: {e}",
                    o.flag("cert"),
                    cert.display(),
                    o.flag("key"),
                    key.display()
                )
            })?,
        (None, None) => builder.with_no_client_auth(),
        (Some(_), None) => bail!(
            "{} needs {} (the client certificate's key)",
            o.flag("cert"),
            o.flag("key")
        ),
        (None, Some(_)) => bail!(
            "{} needs {} (the client certificate)",
            o.flag("key"),
            o.flag("cert")
        ),
    };
    Ok(Arc::new(config))
}

/// The name to verify the server's certificate against: `--tls-server-name`, or
/// the host part of `host:port`.
pub fn server_name(addr: &str, explicit: Option<&str>) -> anyhow::Result<ServerName<'static>> {
    let host = match explicit {
        Some(h) => h.to_string(),
        None => {
            let host = match addr.rsplit_once(':') {
                Some((h, _)) => h,
                None => addr,
            };
            host.trim_start_matches('[')
                .trim_end_matches(']')
                .to_string()
        }
    };
    ServerName::try_from(host.clone())
        .map_err(|_| anyhow!("{host:?} is not a valid TLS server name (set --tls-server-name)"))
}

/// Who must show a client certificate to the broker (nsqd's --tls-client-auth-policy).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum ClientAuthPolicy {
    /// No client certificate asked for.
    None,
    /// A certificate is required but not verified ("require").
    Require,
    /// A certificate is required and verified against --tls-root-ca-file ("require-verify").
    RequireVerify,
}

/// Builds the broker's configuration from PEM files.
pub fn server_config(
    cert: &Path,
    key: &Path,
    root_ca: Option<&Path>,
    policy: ClientAuthPolicy,
) -> anyhow::Result<Arc<rustls::ServerConfig>> {
    let builder = rustls::ServerConfig::builder_with_provider(provider())
        .with_safe_default_protocol_versions()
        .context("TLS setup failed")?;
    let builder = match policy {
        ClientAuthPolicy::None => builder.with_no_client_auth(),
        ClientAuthPolicy::Require => {
            builder.with_client_cert_verifier(Arc::new(AcceptAnyClientCert(provider())))
        }
        ClientAuthPolicy::RequireVerify => {
            let mut roots = RootCertStore::empty();
            match root_ca {
                Some(ca) => {
                    for c in load_certs("--tls-root-ca-file", ca)? {
                        roots.add(c).map_err(|e| {
                            anyhow!(
                                "--tls-root-ca-file {}: not a usable CA certificate: {e}",
                                ca.display()
                            )
                        })?;
                    }
                }
                None => {
                    roots.add_parsable_certificates(rustls_native_certs::load_native_certs().certs);
                }
            }
            let verifier = rustls::server::WebPkiClientVerifier::builder_with_provider(
                Arc::new(roots),
                provider(),
            )
            .build()
            .map_err(|e| anyhow!("cannot verify client certificates: {e}"))?;
            builder.with_client_cert_verifier(verifier)
        }
    };
    let config = builder
        .with_single_cert(load_certs("--tls-cert", cert)?, load_key("--tls-key", key)?)
        .map_err(|e| {
            anyhow!(
                "--tls-cert {} and --tls-key {} do not form a usable pair: {e}",
                cert.display(),
                key.display()
            )
        })?;
    Ok(Arc::new(config))
}

/// `--tls-insecure-skip-verify`: any certificate is accepted, but the handshake
/// signatures are still checked so that the session is at least well-formed.
#[derive(Debug)]
struct AcceptAnyServerCert(Arc<CryptoProvider>);

impl ServerCertVerifier for AcceptAnyServerCert {
    fn verify_server_cert(
        &self,
        _end_entity: &CertificateDer<'_>,
        _intermediates: &[CertificateDer<'_>],
        _server_name: &ServerName<'_>,
        _ocsp_response: &[u8],
        _now: UnixTime,
    ) -> Result<ServerCertVerified, rustls::Error> {
        Ok(ServerCertVerified::assertion())
    }

    fn verify_tls12_signature(
        &self,
        message: &[u8],
        cert: &CertificateDer<'_>,
        dss: &DigitallySignedStruct,
    ) -> Result<HandshakeSignatureValid, rustls::Error> {
        verify_tls12_signature(
            message,
            cert,
            dss,
            &self.0.signature_verification_algorithms,
        )
    }

    fn verify_tls13_signature(
        &self,
        message: &[u8],
        cert: &CertificateDer<'_>,
        dss: &DigitallySignedStruct,
    ) -> Result<HandshakeSignatureValid, rustls::Error> {
        verify_tls13_signature(
            message,
            cert,
            dss,
            &self.0.signature_verification_algorithms,
        )
    }

    fn supported_verify_schemes(&self) -> Vec<SignatureScheme> {
        self.0.signature_verification_algorithms.supported_schemes()
    }
}

/// nsqd's "require" policy: a client certificate must be shown, whoever signed it.
#[derive(Debug)]
struct AcceptAnyClientCert(Arc<CryptoProvider>);

impl ClientCertVerifier for AcceptAnyClientCert {
    fn root_hint_subjects(&self) -> &[DistinguishedName] {
        &[]
    }

    fn verify_client_cert(
        &self,
        _end_entity: &CertificateDer<'_>,
        _intermediates: &[CertificateDer<'_>],
        _now: UnixTime,
    ) -> Result<ClientCertVerified, rustls::Error> {
        Ok(ClientCertVerified::assertion())
    }

    fn verify_tls12_signature(
        &self,
        message: &[u8],
        cert: &CertificateDer<'_>,
        dss: &DigitallySignedStruct,
    ) -> Result<HandshakeSignatureValid, rustls::Error> {
        verify_tls12_signature(
            message,
            cert,
            dss,
            &self.0.signature_verification_algorithms,
        )
    }

    fn verify_tls13_signature(
        &self,
        message: &[u8],
        cert: &CertificateDer<'_>,
        dss: &DigitallySignedStruct,
    ) -> Result<HandshakeSignatureValid, rustls::Error> {
        verify_tls13_signature(
            message,
            cert,
            dss,
            &self.0.signature_verification_algorithms,
        )
    }

    fn supported_verify_schemes(&self) -> Vec<SignatureScheme> {
        self.0.signature_verification_algorithms.supported_schemes()
    }
}

/// A stream that first replays bytes already read from it (by a buffer above),
/// then reads on: what a TLS handshake needs when it starts mid-connection.
pub struct Prefixed<S> {
    prefix: bytes::Bytes,
    inner: S,
}

impl<S> Prefixed<S> {
    pub fn new(prefix: bytes::Bytes, inner: S) -> Self {
        Prefixed { prefix, inner }
    }
}

impl<S: tokio::io::AsyncRead + Unpin> tokio::io::AsyncRead for Prefixed<S> {
    fn poll_read(
        mut self: std::pin::Pin<&mut Self>,
        cx: &mut std::task::Context<'_>,
        buf: &mut tokio::io::ReadBuf<'_>,
    ) -> std::task::Poll<std::io::Result<()>> {
        if !self.prefix.is_empty() {
            let n = self.prefix.len().min(buf.remaining());
            let head = self.prefix.split_to(n);
            buf.put_slice(&head);
            return std::task::Poll::Ready(Ok(()));
        }
        std::pin::Pin::new(&mut self.inner).poll_read(cx, buf)
    }
}

impl<S: tokio::io::AsyncWrite + Unpin> tokio::io::AsyncWrite for Prefixed<S> {
    fn poll_write(
        mut self: std::pin::Pin<&mut Self>,
        cx: &mut std::task::Context<'_>,
        buf: &[u8],
    ) -> std::task::Poll<std::io::Result<usize>> {
        std::pin::Pin::new(&mut self.inner).poll_write(cx, buf)
    }

    fn poll_flush(
        mut self: std::pin::Pin<&mut Self>,
        cx: &mut std::task::Context<'_>,
    ) -> std::task::Poll<std::io::Result<()>> {
        std::pin::Pin::new(&mut self.inner).poll_flush(cx)
    }

    fn poll_shutdown(
        mut self: std::pin::Pin<&mut Self>,
        cx: &mut std::task::Context<'_>,
    ) -> std::task::Poll<std::io::Result<()>> {
        std::pin::Pin::new(&mut self.inner).poll_shutdown(cx)
    }
}
