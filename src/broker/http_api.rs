//! The HTTP plumbing nsqd and nsqlookupd share, shaped like theirs on the wire: Go's
//! header order and spelling, httprouter's 404/405/redirect answers, `{"message":..}`
//! errors and Go's query parsing. Handlers are plain functions from a fully read
//! request to a [`Reply`]; the state they need lives behind the broker's own locks.

use bytes::Bytes;
use http_body_util::BodyExt;
use hyper::header::{HeaderName, HeaderValue};
use hyper::{Method, StatusCode};
use serde::Serialize;
use std::collections::BTreeSet;
use std::convert::Infallible;
use std::pin::Pin;
use std::sync::Arc;
use std::task::{Context, Poll};
use tokio::net::TcpListener;

const NSQ_CONTENT_TYPE: (&str, &str) = ("x-nsq-content-type", "nsq; version=1.0");
const JSON_CONTENT_TYPE: &str = "application/json; charset=utf-8";
const TEXT_CONTENT_TYPE: &str = "text/plain; charset=utf-8";
/// Go buffers this much of a response before it gives up on Content-Length and
/// switches to chunked encoding.
const GO_CHUNKING_THRESHOLD: usize = 2048;

/// A request with its query parsed and its body read (up to the router's limit).
#[derive(Debug)]
pub struct Request {
    pub method: Method,
    pub path: String,
    pub raw_query: Option<String>,
    pub query: Query,
    pub content_length: Option<u64>,
    pub body: Bytes,
    /// The value of a `:name` segment in the route, if it has one.
    pub param: String,
}

/// Query parameters in order, as Go's `url.ParseQuery` reads them.
#[derive(Debug, Default)]
pub struct Query {
    pairs: Vec<(String, String)>,
    /// Go reports a malformed query (bad escape, `;`) as an error, and nsqd answers
    /// INVALID_REQUEST.
    pub malformed: bool,
}

impl Query {
    pub fn parse(raw: &str) -> Query {
        let mut q = Query::default();
        for part in raw.split('&') {
            if part.is_empty() {
                continue;
            }
            if part.contains(';') {
                q.malformed = true;
                continue;
            }
            let (k, v) = part.split_once('=').unwrap_or((part, ""));
            match (unescape(k), unescape(v)) {
                (Some(k), Some(v)) => q.pairs.push((k, v)),
                _ => q.malformed = true,
            }
        }
        q
    }

    /// The first value of `key`, like Go's `Values[key][0]`.
    pub fn get(&self, key: &str) -> Option<&str> {
        self.pairs
            .iter()
            .find(|(k, _)| k == key)
            .map(|(_, v)| v.as_str())
    }
}

fn hex(c: u8) -> Option<u8> {
    (c as char).to_digit(16).map(|d| d as u8)
}

/// `+` is a space and `%XX` a byte; a broken escape is an error, as in Go.
fn unescape(s: &str) -> Option<String> {
    let b = s.as_bytes();
    let mut out = Vec::with_capacity(b.len());
    let mut i = 0;
    while i < b.len() {
        match b[i] {
            b'+' => out.push(b' '),
            b'%' => {
                let hi = hex(*b.get(i + 1)?)?;
                let lo = hex(*b.get(i + 2)?)?;
                out.push(hi << 4 | lo);
                i += 2;
            }
            c => out.push(c),
        }
        i += 1;
    }
    Some(String::from_utf8_lossy(&out).into_owned())
}

/// Like [`unescape`] but for paths, where `+` stays a `+`.
fn unescape_path(s: &str) -> String {
    unescape(&s.replace('+', "%2B")).unwrap_or_else(|| s.to_string())
}

/// What a handler answers, before Go's header ordering is applied.
#[derive(Debug)]
pub struct Reply {
    pub status: StatusCode,
    /// Headers set by the handler; Go writes these first, sorted by name.
    pub headers: Vec<(&'static str, String)>,
    pub body: Bytes,
    /// Whether Go would sniff a Content-Type for this body (handler set none).
    pub sniff_text: bool,
}

impl Reply {
    /// nsq's `PlainText` decorator (used only by /ping): no NSQ header.
    pub fn plain_text(text: &str) -> Reply {
        Reply {
            status: StatusCode::OK,
            headers: vec![],
            body: Bytes::copy_from_slice(text.as_bytes()),
            sniff_text: true,
        }
    }

    /// nsq's `V1` decorator answering a string or bytes: no Content-Type of its own.
    pub fn text(body: impl Into<Bytes>) -> Reply {
        Reply {
            status: StatusCode::OK,
            headers: vec![nsq_header()],
            body: body.into(),
            sniff_text: true,
        }
    }

    /// `V1` answering nothing (admin endpoints): 200, empty body, no Content-Type.
    pub fn empty() -> Reply {
        Reply::text(Bytes::new())
    }

    /// `V1` answering a value, as JSON in the struct's field order.
    pub fn json<T: Serialize>(value: &T) -> Reply {
        match serde_json::to_vec(value) {
            Ok(body) => Reply {
                status: StatusCode::OK,
                headers: vec![("content-type", JSON_CONTENT_TYPE.into()), nsq_header()],
                body: body.into(),
                sniff_text: false,
            },
            Err(_) => Reply::error(500, "INTERNAL_ERROR"),
        }
    }

    /// `V1` answering an error: `{"message":"..."}`.
    pub fn error(status: u16, message: &str) -> Reply {
        #[derive(Serialize)]
        struct Message<'a> {
            message: &'a str,
        }
        let body = serde_json::to_vec(&Message { message }).unwrap_or_default();
        Reply {
            status: StatusCode::from_u16(status).unwrap_or(StatusCode::INTERNAL_SERVER_ERROR),
            headers: vec![("content-type", JSON_CONTENT_TYPE.into()), nsq_header()],
            body: body.into(),
            sniff_text: false,
        }
    }

    /// Go's `http.Redirect`: GET gets a small HTML body, other methods none.
    fn redirect(method: &Method, location: String) -> Reply {
        let (status, body) = if method == Method::GET {
            let body = format!(
                "<a href=\"{}\">Moved Permanently</a>.\n\n",
                html_escape(&location)
            );
            (StatusCode::MOVED_PERMANENTLY, body)
        } else {
            (StatusCode::TEMPORARY_REDIRECT, String::new())
        };
        let mut headers = vec![("location", location)];
        if !body.is_empty() {
            headers.push(("content-type", "text/html; charset=utf-8".into()));
        }
        Reply {
            status,
            headers,
            body: body.into(),
            sniff_text: false,
        }
    }

    /// Builds the response with headers in the order Go writes them: the handler's
    /// (sorted), Date, Content-Length, a sniffed Content-Type, Connection,
    /// Transfer-Encoding. Bodies over Go's buffer go out chunked, as Go sends them.
    fn into_response(self, close: bool) -> hyper::Response<GoBody> {
        let chunked = self.body.len() > GO_CHUNKING_THRESHOLD;
        let mut headers = self.headers;
        headers.sort_by(|a, b| a.0.cmp(b.0));
        headers.push((
            "date",
            httpdate::fmt_http_date(std::time::SystemTime::now()),
        ));
        if !chunked {
            headers.push(("content-length", self.body.len().to_string()));
        }
        if self.sniff_text && !self.body.is_empty() {
            headers.push(("content-type", TEXT_CONTENT_TYPE.into()));
        }
        if close {
            headers.push(("connection", "close".into()));
        }
        if chunked {
            headers.push(("transfer-encoding", "chunked".into()));
        }
        let mut resp = hyper::Response::new(GoBody {
            data: Some(self.body),
            chunked,
        });
        *resp.status_mut() = self.status;
        if self.status == StatusCode::PAYLOAD_TOO_LARGE {
            // Go still uses the older name for 413.
            resp.extensions_mut()
                .insert(hyper::ext::ReasonPhrase::from_static(
                    b"Request Entity Too Large",
                ));
        }
        let map = resp.headers_mut();
        for (name, value) in headers {
            if let Ok(v) = HeaderValue::from_str(&value) {
                map.append(HeaderName::from_static(name), v);
            }
        }
        resp
    }
}

fn nsq_header() -> (&'static str, String) {
    (NSQ_CONTENT_TYPE.0, NSQ_CONTENT_TYPE.1.to_string())
}

fn html_escape(s: &str) -> String {
    s.replace('&', "&amp;")
        .replace('<', "&lt;")
        .replace('>', "&gt;")
        .replace('"', "&#34;")
        .replace('\'', "&#39;")
}

/// A response body that always reports its exact length (so hyper writes our
/// Content-Length where we put it, even for an empty body) unless sent chunked.
pub struct GoBody {
    data: Option<Bytes>,
    chunked: bool,
}

impl http_body::Body for GoBody {
    type Data = Bytes;
    type Error = Infallible;

    fn poll_frame(
        mut self: Pin<&mut Self>,
        _cx: &mut Context<'_>,
    ) -> Poll<Option<Result<http_body::Frame<Bytes>, Infallible>>> {
        let frame = self.data.take().filter(|b| !b.is_empty());
        Poll::Ready(frame.map(|b| Ok(http_body::Frame::data(b))))
    }

    fn is_end_stream(&self) -> bool {
        // Never "ended" up front: hyper would then drop our Content-Length: 0 and
        // append its own at the end of the headers.
        false
    }

    fn size_hint(&self) -> http_body::SizeHint {
        match (&self.data, self.chunked) {
            (_, true) => http_body::SizeHint::default(),
            (Some(b), false) => http_body::SizeHint::with_exact(b.len() as u64),
            (None, false) => http_body::SizeHint::with_exact(0),
        }
    }
}

pub type Handler<S> = fn(&S, &Request) -> Reply;

/// One route: a method and a path whose last segment may be a `:name` parameter.
pub struct Route<S> {
    pub method: Method,
    pub path: &'static str,
    pub handler: Handler<S>,
}

pub fn route<S>(method: Method, path: &'static str, handler: Handler<S>) -> Route<S> {
    Route {
        method,
        path,
        handler,
    }
}

impl<S> Route<S> {
    /// The parameter value if `path` matches this route's pattern.
    fn matches(&self, path: &str, ignore_case: bool) -> Option<String> {
        let eq = |a: &str, b: &str| {
            if ignore_case {
                a.eq_ignore_ascii_case(b)
            } else {
                a == b
            }
        };
        match self.path.rsplit_once("/:") {
            None => eq(self.path, path).then(String::new),
            Some((prefix, _)) => {
                let rest = path.get(..prefix.len() + 1)?;
                if !eq(&rest[..prefix.len()], prefix) || !rest.ends_with('/') {
                    return None;
                }
                let value = &path[prefix.len() + 1..];
                (!value.is_empty() && !value.contains('/')).then(|| value.to_string())
            }
        }
    }

    /// The route's path with the parameter filled in (for redirects).
    fn fill(&self, param: &str) -> String {
        match self.path.rsplit_once("/:") {
            None => self.path.to_string(),
            Some((prefix, _)) => format!("{prefix}/{param}"),
        }
    }
}

/// httprouter's dispatch: handler, trailing-slash or fixed-path redirect, OPTIONS,
/// 405 with Allow, else 404.
pub struct Router<S> {
    routes: Vec<Route<S>>,
    /// Bytes of request body read at most; handlers see longer bodies truncated
    /// to this and decide what "too big" means.
    pub body_limit: usize,
}

enum Dispatch<'a, S> {
    Handle(&'a Route<S>, String),
    Reply(Reply),
}

impl<S> Router<S> {
    pub fn new(routes: Vec<Route<S>>, body_limit: usize) -> Router<S> {
        Router { routes, body_limit }
    }

    fn find(&self, method: &Method, path: &str, ignore_case: bool) -> Option<(&Route<S>, String)> {
        self.routes
            .iter()
            .filter(|r| r.method == method)
            .find_map(|r| r.matches(path, ignore_case).map(|p| (r, p)))
    }

    fn dispatch(&self, method: &Method, path: &str, raw_query: Option<&str>) -> Dispatch<'_, S> {
        if let Some((r, p)) = self.find(method, path, false) {
            return Dispatch::Handle(r, p);
        }
        let with_query = |p: String| match raw_query {
            Some(q) => format!("{p}?{q}"),
            None => p,
        };
        if method != Method::CONNECT && path != "/" {
            let toggled = match path.strip_suffix('/') {
                Some(p) => p.to_string(),
                None => format!("{path}/"),
            };
            if self.find(method, &toggled, false).is_some() {
                return Dispatch::Reply(Reply::redirect(method, with_query(toggled)));
            }
            let cleaned = clean_path(path);
            let fixed = [cleaned.clone(), cleaned.trim_end_matches('/').to_string()]
                .into_iter()
                .find_map(|p| self.find(method, &p, true).map(|(r, param)| r.fill(&param)));
            if let Some(fixed) = fixed {
                return Dispatch::Reply(Reply::redirect(method, with_query(fixed)));
            }
        }
        let allowed: BTreeSet<&str> = self
            .routes
            .iter()
            .filter(|r| r.method != method && r.matches(path, false).is_some())
            .map(|r| r.method.as_str())
            .collect();
        if !allowed.is_empty() {
            let mut allowed = allowed;
            allowed.insert("OPTIONS");
            let allow = allowed.into_iter().collect::<Vec<_>>().join(", ");
            let mut reply = if method == Method::OPTIONS {
                Reply {
                    status: StatusCode::OK,
                    headers: vec![],
                    body: Bytes::new(),
                    sniff_text: false,
                }
            } else {
                Reply::error(405, "METHOD_NOT_ALLOWED")
            };
            reply.headers.push(("allow", allow));
            return Dispatch::Reply(reply);
        }
        Dispatch::Reply(Reply::error(404, "NOT_FOUND"))
    }
}

/// Go's `path.Clean` for URL paths: no `//`, `.` or `..`, keeping a trailing slash.
fn clean_path(p: &str) -> String {
    let mut parts: Vec<&str> = Vec::new();
    for seg in p.split('/') {
        match seg {
            "" | "." => {}
            ".." => {
                parts.pop();
            }
            s => parts.push(s),
        }
    }
    let mut out = format!("/{}", parts.join("/"));
    if p.ends_with('/') && out.len() > 1 {
        out.push('/');
    }
    out
}

async fn read_body(body: hyper::body::Incoming, limit: usize) -> Bytes {
    let mut body = body;
    let mut buf = bytes::BytesMut::new();
    while buf.len() < limit {
        match body.frame().await {
            Some(Ok(frame)) => {
                if let Ok(data) = frame.into_data() {
                    buf.extend_from_slice(&data);
                }
            }
            _ => break,
        }
    }
    buf.truncate(limit);
    buf.freeze()
}

async fn handle<S>(
    state: Arc<S>,
    router: Arc<Router<S>>,
    req: hyper::Request<hyper::body::Incoming>,
) -> hyper::Response<GoBody> {
    let close = req
        .headers()
        .get_all(hyper::header::CONNECTION)
        .iter()
        .any(|v| v.as_bytes().eq_ignore_ascii_case(b"close"));
    let method = req.method().clone();
    let path = unescape_path(req.uri().path());
    let raw_query = req.uri().query().map(str::to_string);
    let reply = match router.dispatch(&method, &path, raw_query.as_deref()) {
        Dispatch::Reply(r) => r,
        Dispatch::Handle(route, param) => {
            let content_length = req
                .headers()
                .get(hyper::header::CONTENT_LENGTH)
                .and_then(|v| v.to_str().ok()?.parse().ok());
            let body = read_body(req.into_body(), router.body_limit).await;
            let request = Request {
                method: method.clone(),
                path,
                query: Query::parse(raw_query.as_deref().unwrap_or("")),
                raw_query,
                content_length,
                body,
                param,
            };
            (route.handler)(&state, &request)
        }
    };
    reply.into_response(close)
}

/// Serves `router` on `listener` until the listener fails.
pub async fn serve<S: Send + Sync + 'static>(
    state: Arc<S>,
    router: Router<S>,
    listener: TcpListener,
) {
    let router = Arc::new(router);
    loop {
        let Ok((stream, _)) = listener.accept().await else {
            continue;
        };
        let (state, router) = (state.clone(), router.clone());
        tokio::spawn(async move {
            let service = hyper::service::service_fn(move |req| {
                let (state, router) = (state.clone(), router.clone());
                async move { Ok::<_, Infallible>(handle(state, router, req).await) }
            });
            let _ = hyper::server::conn::http1::Builder::new()
                .title_case_headers(true)
                .serve_connection(hyper_util::rt::TokioIo::new(stream), service)
                .await;
        });
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn query_like_go() {
        let q = Query::parse("topic=t&topic=u&defer=&x=a+b%21");
        assert_eq!(q.get("topic"), Some("t"));
        assert_eq!(q.get("defer"), Some(""));
        assert_eq!(q.get("x"), Some("a b!"));
        assert_eq!(q.get("nope"), None);
        assert!(!q.malformed);
        assert!(Query::parse("a=%zz").malformed);
        assert!(Query::parse("a=1;b=2").malformed);
    }

    #[test]
    fn clean_paths() {
        assert_eq!(clean_path("//ping"), "/ping");
        assert_eq!(clean_path("/a/../ping/"), "/ping/");
        assert_eq!(clean_path("/./x/."), "/x");
    }

    fn ok(_: &(), _: &Request) -> Reply {
        Reply::empty()
    }

    #[test]
    fn routing_like_httprouter() {
        let r = Router::new(
            vec![
                route(Method::GET, "/ping", ok),
                route(Method::POST, "/pub", ok),
                route(Method::GET, "/config/:opt", ok),
                route(Method::PUT, "/config/:opt", ok),
            ],
            10,
        );
        let reply = |m: Method, p: &str, q: Option<&str>| match r.dispatch(&m, p, q) {
            Dispatch::Handle(route, param) => (200, route.path.to_string(), param),
            Dispatch::Reply(rep) => {
                let extra = rep
                    .headers
                    .iter()
                    .find(|h| h.0 == "allow" || h.0 == "location")
                    .map(|h| h.1.clone())
                    .unwrap_or_default();
                (rep.status.as_u16(), extra, String::new())
            }
        };
        assert_eq!(reply(Method::GET, "/ping", None).0, 200);
        assert_eq!(
            reply(Method::GET, "/config/max_msg_size", None),
            (200, "/config/:opt".into(), "max_msg_size".into())
        );
        assert_eq!(
            reply(Method::GET, "/ping/", None),
            (301, "/ping".into(), "".into())
        );
        assert_eq!(
            reply(Method::POST, "/pub/", Some("topic=t")),
            (307, "/pub?topic=t".into(), "".into())
        );
        assert_eq!(
            reply(Method::GET, "/PING", None),
            (301, "/ping".into(), "".into())
        );
        assert_eq!(
            reply(Method::POST, "/ping", None),
            (405, "GET, OPTIONS".into(), "".into())
        );
        assert_eq!(
            reply(Method::POST, "/config/x", None),
            (405, "GET, OPTIONS, PUT".into(), "".into())
        );
        assert_eq!(
            reply(Method::OPTIONS, "/pub", None),
            (200, "OPTIONS, POST".into(), "".into())
        );
        assert_eq!(reply(Method::GET, "/", None).0, 404);
        assert_eq!(reply(Method::GET, "/nope", None).0, 404);
    }
}
