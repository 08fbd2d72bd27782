//! nsqd and nsqlookupd HTTP API client.
//!
//! Errors name the method, URL and status (plus nsqd's `{"message":...}`), and an
//! address that turns out to be an NSQ TCP port instead of an HTTP one says so.

pub mod backlog;
pub mod cluster;
pub mod map;
pub mod prometheus;
pub mod types;

pub use map::{map_address, parse_rule, set_address_map, AddressMap, MapRule};

use serde::de::DeserializeOwned;
use std::fmt;
use std::time::Duration;
use tokio::io::{AsyncReadExt, AsyncWriteExt};

/// What went wrong, for callers that react differently (e.g. 404 on delete).
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum ErrorKind {
    /// The server answered with a non-2xx status; `message` is nsqd's error code if any.
    Status { code: u16, message: String },
    /// Nothing listening, DNS failure, connection reset before an answer.
    Unreachable,
    /// No answer within the timeout.
    Timeout,
    /// Something answered, but not HTTP (typically an NSQ TCP port).
    NotHttp,
    /// An HTTP answer we could not read (not the JSON we expected).
    BadBody,
    /// The address itself is malformed.
    BadAddress,
    /// Given as an nsqlookupd, but it answered 404 to what every nsqlookupd serves.
    NotLookupd,
}

#[derive(Debug, Clone)]
pub struct HttpError {
    pub kind: ErrorKind,
    /// `GET http://host:port/path?query`
    pub request: String,
    pub detail: String,
}

impl fmt::Display for HttpError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        if self.request.is_empty() {
            write!(f, "{}", self.detail)
        } else {
            write!(f, "{}: {}", self.request, self.detail)
        }
    }
}

impl std::error::Error for HttpError {}

impl HttpError {
    /// nsqd's error code for a status error (e.g. `TOPIC_NOT_FOUND`).
    pub fn status(&self) -> Option<(u16, &str)> {
        match &self.kind {
            ErrorKind::Status { code, message } => Some((*code, message.as_str())),
            _ => None,
        }
    }

    pub fn is_not_found(&self) -> bool {
        matches!(self.status(), Some((404, _)))
    }
}

/// What an HTTP address must look like, as told to a user whose address was refused.
pub const ADDRESS_RULE: &str = "expected host:port or http(s)://host:port";

/// Turns `host:port` or `http(s)://host:port[/]` into a base URL without trailing
/// slash: the one checker of HTTP addresses.
pub fn base_url(addr: &str) -> Result<String, HttpError> {
    parse_base(addr).map_err(|why| HttpError {
        kind: ErrorKind::BadAddress,
        request: String::new(),
        detail: format!("invalid address {addr:?}: {why} ({ADDRESS_RULE})"),
    })
}

/// Checks an address given with `flag`: the error names the flag, the value and
/// the rule, on one line.
pub fn check_address(flag: &str, addr: &str) -> Result<String, String> {
    parse_base(addr).map_err(|why| format!("invalid {flag} {addr:?}: {why} ({ADDRESS_RULE})"))
}

fn parse_base(addr: &str) -> Result<String, String> {
    let a = addr.trim().trim_end_matches('/');
    if a.is_empty() {
        return Err("empty".into());
    }
    let (scheme, rest) = if let Some(r) = a.strip_prefix("http://") {
        ("http", r)
    } else if let Some(r) = a.strip_prefix("https://") {
        ("https", r)
    } else if let Some((s, _)) = a.split_once("://") {
        return Err(format!("the scheme {s}:// is not http or https"));
    } else {
        ("", a)
    };
    if rest.is_empty() || rest.contains('/') {
        return Err("no host, or a path".into());
    }
    if rest.chars().any(char::is_whitespace) {
        return Err("a space in the address".into());
    }
    // The port after the last ':' unless that ':' is inside an IPv6 [..].
    let port = match rest.rsplit_once(':') {
        Some((h, p)) if !p.contains(']') => Some((h, p)),
        _ => None,
    };
    match port {
        Some(("", _)) => return Err("no host".into()),
        Some((_, p)) if !p.parse::<u16>().is_ok_and(|p| p > 0) => {
            return Err(format!("the port {p:?} is not a number from 1 to 65535"))
        }
        None if scheme.is_empty() => return Err("no port".into()),
        _ => {}
    }
    let scheme = if scheme.is_empty() { "http" } else { scheme };
    Ok(format!("{scheme}://{rest}"))
}

/// At most one short line of what a server answered: nsqd's `{"message":...}`,
/// else an HTML page's `<title>`, else the first line of the body with tags
/// stripped, cut to 80 characters. The one place a body reaches an error.
pub fn body_summary(body: &str) -> String {
    const MAX: usize = 80;
    if let Some(m) = serde_json::from_str::<serde_json::Value>(body)
        .ok()
        .and_then(|v| v.get("message")?.as_str().map(str::to_string))
    {
        return cut(m.trim(), MAX);
    }
    let lower = body.to_ascii_lowercase();
    let title = lower.find("<title").and_then(|i| {
        let start = i + body[i..].find('>')? + 1;
        let end = start + lower[start..].find("</title")?;
        Some(&body[start..end])
    });
    let text = match title {
        Some(t) => t.to_string(),
        None => strip_tags(body),
    };
    let line = text
        .lines()
        .map(|l| l.split_whitespace().collect::<Vec<_>>().join(" "))
        .find(|l| !l.is_empty())
        .unwrap_or_default();
    cut(&line, MAX)
}

fn strip_tags(s: &str) -> String {
    let mut out = String::with_capacity(s.len());
    let mut in_tag = false;
    for c in s.chars() {
        match c {
            '<' => in_tag = true,
            '>' if in_tag => {
                in_tag = false;
                out.push(' ');
            }
            _ if !in_tag => out.push(c),
            _ => {}
        }
    }
    out
}

fn cut(s: &str, max: usize) -> String {
    if s.chars().count() <= max {
        return s.to_string();
    }
    let mut t: String = s.chars().take(max - 1).collect();
    t.push('…');
    t
}

/// `host:port` of an address as people write it (drops `http://`, keeps `https://`).
pub fn display_addr(addr: &str) -> String {
    let a = addr.trim().trim_end_matches('/');
    a.strip_prefix("http://").unwrap_or(a).to_string()
}

/// The port an address names, if any.
fn port_of(base: &str) -> Option<u16> {
    let rest = base.split_once("://").map_or(base, |(_, r)| r);
    rest.rsplit_once(':').and_then(|(_, p)| p.parse().ok())
}

fn port_hint(port: Option<u16>) -> &'static str {
    match port {
        Some(4150) => " (4150 is nsqd's default TCP port; its HTTP API is usually on 4151)",
        Some(4160) => " (4160 is nsqlookupd's default TCP port; its HTTP API is usually on 4161)",
        _ => "",
    }
}

/// HTTP client for nsqd / nsqlookupd (cheap to clone).
#[derive(Clone)]
pub struct Client {
    http: reqwest::Client,
    timeout: Duration,
}

/// The one place HTTP clients are configured: the whole-request and connect
/// timeouts and the user agent. Add TLS roots with
/// `ConnFlags::http_client_builder` before `build()`.
pub fn builder(timeout: Duration, connect_timeout: Duration) -> reqwest::ClientBuilder {
    reqwest::Client::builder()
        .timeout(timeout)
        .connect_timeout(connect_timeout)
        .user_agent(concat!("nsq-cli/", env!("CARGO_PKG_VERSION")))
}

impl Client {
    pub fn new(timeout: Duration) -> anyhow::Result<Client> {
        Client::with_builder(timeout, builder(timeout, timeout))
    }

    /// A client from a [`builder`] with more settings (e.g. TLS roots for
    /// `https://`); `timeout` is the one the builder was given.
    pub fn with_builder(
        timeout: Duration,
        builder: reqwest::ClientBuilder,
    ) -> anyhow::Result<Client> {
        Ok(Client {
            http: builder.build()?,
            timeout,
        })
    }

    pub fn timeout(&self) -> Duration {
        self.timeout
    }

    /// Sends a request; returns the body of a 2xx answer.
    async fn send(
        &self,
        method: reqwest::Method,
        addr: &str,
        path: &str,
        query: &[(&str, &str)],
        body: Option<Vec<u8>>,
    ) -> Result<String, HttpError> {
        let base = base_url(addr)?;
        let mut url = format!("{base}{path}");
        if !query.is_empty() {
            let q: Vec<String> = query
                .iter()
                .map(|(k, v)| format!("{}={}", encode(k), encode(v)))
                .collect();
            url = format!("{url}?{}", q.join("&"));
        }
        let request = format!("{method} {url}");
        let err = |kind, detail: String| HttpError {
            kind,
            request: request.clone(),
            detail,
        };
        let mut req = self
            .http
            .request(method.clone(), &url)
            .header("Accept", "application/vnd.nsq; version=1.0");
        if let Some(body) = body {
            req = req.body(body);
        }
        let resp = req.send().await;
        let resp = match resp {
            Ok(r) => r,
            Err(e) => return Err(self.classify(&base, e, request.clone()).await),
        };
        let status = resp.status();
        let body = match resp.text().await {
            Ok(b) => b,
            Err(e) => return Err(self.classify(&base, e, request.clone()).await),
        };
        if status.is_success() {
            return Ok(body);
        }
        let message = body_summary(&body);
        let detail = if message.is_empty() {
            status.to_string()
        } else {
            format!("{status} ({message})")
        };
        Err(err(
            ErrorKind::Status {
                code: status.as_u16(),
                message,
            },
            detail,
        ))
    }

    async fn classify(&self, base: &str, e: reqwest::Error, request: String) -> HttpError {
        let port = port_of(base);
        if e.is_timeout() {
            return HttpError {
                kind: ErrorKind::Timeout,
                request,
                detail: format!(
                    "no answer within {} (--http-timeout){}",
                    humantime::format_duration(self.timeout),
                    port_hint(port)
                ),
            };
        }
        let cause = root_cause(&e);
        if e.is_connect() {
            return HttpError {
                kind: ErrorKind::Unreachable,
                request,
                detail: format!("cannot connect: {cause}{}", port_hint(port)),
            };
        }
        if base.starts_with("http://") && self.speaks_nsq_tcp(base).await {
            return HttpError {
                kind: ErrorKind::NotHttp,
                request,
                detail: format!(
                    "{} is an NSQ TCP port, not an HTTP one: give the HTTP address \
                     (nsqd's HTTP port defaults to 4151, nsqlookupd's to 4161)",
                    display_addr(base)
                ),
            };
        }
        HttpError {
            kind: ErrorKind::Unreachable,
            request,
            detail: format!("{cause}{}", port_hint(port)),
        }
    }

    /// Whether `base` answers an HTTP request with an NSQ error frame (nsqd's or
    /// nsqlookupd's TCP port reads "GET " as a bad protocol magic and says so).
    async fn speaks_nsq_tcp(&self, base: &str) -> bool {
        let hostport = base.trim_start_matches("http://").to_string();
        let probe = async {
            let mut s = tokio::net::TcpStream::connect(&hostport).await.ok()?;
            s.write_all(b"GET /ping HTTP/1.0\r\n\r\n").await.ok()?;
            let mut buf = Vec::new();
            let _ = (&mut s).take(256).read_to_end(&mut buf).await;
            Some(buf)
        };
        match tokio::time::timeout(self.timeout, probe).await {
            Ok(Some(buf)) => {
                // [size u32][frame type u32 = 1 (error)]E_...
                (buf.len() >= 8 && buf[4..8] == [0, 0, 0, 1])
                    || buf.windows(14).any(|w| w == b"E_BAD_PROTOCOL")
            }
            _ => false,
        }
    }

    pub async fn get_text(
        &self,
        addr: &str,
        path: &str,
        query: &[(&str, &str)],
    ) -> Result<String, HttpError> {
        self.send(reqwest::Method::GET, addr, path, query, None)
            .await
    }

    pub async fn get_json<T: DeserializeOwned>(
        &self,
        addr: &str,
        path: &str,
        query: &[(&str, &str)],
    ) -> Result<T, HttpError> {
        let body = self.get_text(addr, path, query).await?;
        serde_json::from_str(&body).map_err(|e| HttpError {
            kind: ErrorKind::BadBody,
            request: format!("GET {}{path}", base_url(addr).unwrap_or_default()),
            detail: format!(
                "unexpected answer (is this an nsqd/nsqlookupd HTTP address?): {e}: {}",
                body_summary(&body)
            ),
        })
    }

    pub async fn post(
        &self,
        addr: &str,
        path: &str,
        query: &[(&str, &str)],
    ) -> Result<(), HttpError> {
        self.send(reqwest::Method::POST, addr, path, query, None)
            .await
            .map(|_| ())
    }

    /// POSTs `body` (nsqd's `/pub`, `/mpub`); returns the body of a 2xx answer.
    pub async fn post_body(
        &self,
        addr: &str,
        path: &str,
        query: &[(&str, &str)],
        body: Vec<u8>,
    ) -> Result<String, HttpError> {
        self.send(reqwest::Method::POST, addr, path, query, Some(body))
            .await
    }

    /// `GET /ping`: nsqd and nsqlookupd answer `OK` when healthy.
    pub async fn ping(&self, addr: &str) -> Result<(), HttpError> {
        let body = self.get_text(addr, "/ping", &[]).await?;
        if body.trim() == "OK" {
            Ok(())
        } else {
            Err(HttpError {
                kind: ErrorKind::BadBody,
                request: format!("GET {}/ping", base_url(addr).unwrap_or_default()),
                detail: format!("unhealthy: {}", body_summary(&body)),
            })
        }
    }
}

fn root_cause(e: &(dyn std::error::Error + 'static)) -> String {
    let mut cur = e;
    while let Some(next) = cur.source() {
        cur = next;
    }
    // "Connection refused (os error 111)" reads as "connection refused", like our
    // TCP errors.
    match cur.downcast_ref::<std::io::Error>() {
        Some(io) => crate::error::describe_io(io),
        None => cur.to_string(),
    }
}

/// Percent-encodes a query component.
pub(crate) fn encode(s: &str) -> String {
    let mut out = String::with_capacity(s.len());
    for b in s.bytes() {
        match b {
            b'A'..=b'Z' | b'a'..=b'z' | b'0'..=b'9' | b'-' | b'_' | b'.' | b'~' => {
                out.push(b as char)
            }
            _ => out.push_str(&format!("%{b:02X}")),
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn addresses_normalise() {
        assert_eq!(base_url("127.0.0.1:4151").unwrap(), "http://127.0.0.1:4151");
        assert_eq!(base_url("http://nsqd:4151/").unwrap(), "http://nsqd:4151");
        assert_eq!(base_url("https://nsqd").unwrap(), "https://nsqd");
        assert_eq!(base_url("[::1]:4151").unwrap(), "http://[::1]:4151");
        assert_eq!(base_url("https://[::1]").unwrap(), "https://[::1]");
        for bad in [
            "",
            "nsqd",
            "nsqd:x",
            "ftp://nsqd:1",
            "ftp://x",
            "nsqd:4151/x",
            ":4151",
            "localhost:notaport",
            "http://localhost:notaport",
            "http://h:0",
            "h:70000",
            "a b:1",
        ] {
            let e = base_url(bad).unwrap_err();
            assert_eq!(e.kind, ErrorKind::BadAddress, "{bad}");
            assert!(e.to_string().contains("host:port"), "{e}");
        }
        let e = check_address("--lookupd-http-address", "localhost:notaport").unwrap_err();
        assert!(
            e.starts_with("invalid --lookupd-http-address \"localhost:notaport\": the port")
                && e.contains("1 to 65535"),
            "{e}"
        );
        let e = check_address("--nsqd-http-address", "ftp://x").unwrap_err();
        assert!(e.contains("ftp:// is not http or https"), "{e}");
        assert_eq!(display_addr("http://a:1/"), "a:1");
        assert_eq!(display_addr("https://a:1"), "https://a:1");
    }

    #[test]
    fn bodies_are_summed_up_in_one_short_line() {
        assert_eq!(
            body_summary(r#"{"message":"TOPIC_NOT_FOUND"}"#),
            "TOPIC_NOT_FOUND"
        );
        let page = "<!DOCTYPE html>\n<html><head>\n<title>404 Not Found</title>\n</head>\n\
                    <body><h1>Not Found</h1><p>The requested URL was not found.</p></body></html>";
        assert_eq!(body_summary(page), "404 Not Found");
        let untitled = "<html>\n<body>\n<h1>Oops</h1> <p>gone</p>\nmore\n</body></html>";
        assert_eq!(body_summary(untitled), "Oops gone");
        let long = "x".repeat(500);
        let s = body_summary(&long);
        assert_eq!(s.chars().count(), 80);
        assert!(s.ends_with('…'));
        assert_eq!(body_summary("  \n"), "");
    }

    #[test]
    fn query_encoding() {
        assert_eq!(encode("t#ephemeral"), "t%23ephemeral");
        assert_eq!(encode("a b/c"), "a%20b%2Fc");
        assert_eq!(encode("ok.name-1_x"), "ok.name-1_x");
    }

    #[test]
    fn tcp_port_hints() {
        assert!(port_hint(port_of("http://h:4150")).contains("4151"));
        assert!(port_hint(port_of("http://h:4160")).contains("4161"));
        assert_eq!(port_hint(port_of("http://h:4151")), "");
    }
}
