//! `nsq-cli exporter`: the cluster's metrics on GET /metrics, in the Prometheus
//! text format, written by [`crate::nsq_http::prometheus`] (as `stats --format
//! prometheus` does). Scrapes are taken one at a time, and a request that
//! arrives while one is running gets that scrape's answer: a slow cluster is
//! never asked twice at once, nor once per waiting scraper.

pub mod args;

use crate::nsq_http::cluster::StatsQuery;
use crate::nsq_http::prometheus::Scraper;
use crate::output;
use args::ExporterArgs;
use bytes::Bytes;
use http_body_util::Full;
use hyper::{Method, Response, StatusCode};
use std::collections::BTreeSet;
use std::convert::Infallible;
use std::io::Write;
use std::process::ExitCode;
use std::sync::atomic::{AtomicU64, Ordering};
use std::sync::Arc;
use tokio::net::TcpListener;
use tokio::sync::Mutex;

/// The exposition format's content type (text format 0.0.4).
const METRICS_CONTENT_TYPE: &str = "text/plain; version=0.0.4; charset=utf-8";

/// The scraper, the failures of the last scrape (so that a node going down
/// or coming back is said once on stderr, not at every scrape), and its answer.
struct State {
    scraper: Scraper,
    failing: BTreeSet<String>,
    last: String,
}

/// The state behind its lock, and how many scrapes have finished (read
/// without the lock, when a request arrives).
struct Shared {
    state: Mutex<State>,
    finished: AtomicU64,
}

impl Shared {
    fn new(scraper: Scraper) -> Shared {
        Shared {
            state: Mutex::new(State {
                scraper,
                failing: BTreeSet::new(),
                last: String::new(),
            }),
            finished: AtomicU64::new(0),
        }
    }
}

pub async fn run(args: ExporterArgs) -> anyhow::Result<ExitCode> {
    let (lookupds, nsqds) = super::refuse_bad_cluster_args(&args.cluster, None, None)?;
    let client = args.cluster.http.client()?;
    let listener = TcpListener::bind(args.listen)
        .await
        .map_err(|e| anyhow::anyhow!("cannot listen on --listen {}: {e}", args.listen))?;
    let addr = listener.local_addr()?;
    let state = Arc::new(Shared::new(Scraper::new(
        client,
        lookupds,
        nsqds,
        StatsQuery::default(),
    )));
    // Handlers first: the URL line is a readiness signal, so a signal sent
    // right after reading it must already be a clean stop.
    let mut signals = super::signals::Signals::install()?;
    {
        let mut out = std::io::stdout().lock();
        writeln!(out, "http://{addr}/metrics")?;
        out.flush()?;
    }
    output::info(&format!(
        "nsq-cli exporter: serving http://{addr}/metrics (Ctrl-C stops it)"
    ));
    let stop = tokio::select! {
        s = signals.recv() => s,
        _ = serve(listener, state) => unreachable!("the accept loop never ends"),
    };
    output::info(&format!("nsq-cli exporter: stopped ({})", stop.name()));
    Ok(ExitCode::from(stop.exit_code()))
}

/// Accepts connections for ever, one task each.
async fn serve(listener: TcpListener, state: Arc<Shared>) {
    loop {
        let stream = match listener.accept().await {
            Ok((s, _)) => s,
            Err(e) => {
                // Out of file descriptors and the like: say so, and go on.
                output::warn(&format!("nsq-cli exporter: accept: {e}"));
                tokio::time::sleep(std::time::Duration::from_millis(100)).await;
                continue;
            }
        };
        let state = state.clone();
        tokio::spawn(async move {
            let service = hyper::service::service_fn(move |req| {
                let state = state.clone();
                async move { Ok::<_, Infallible>(answer(&state, req.method(), req.uri().path()).await) }
            });
            let _ = hyper::server::conn::http1::Builder::new()
                .serve_connection(hyper_util::rt::TokioIo::new(stream), service)
                .await;
        });
    }
}

fn reply(status: StatusCode, content_type: &str, body: impl Into<Bytes>) -> Response<Full<Bytes>> {
    let mut r = Response::new(Full::new(body.into()));
    *r.status_mut() = status;
    if let Ok(v) = content_type.parse() {
        r.headers_mut().insert(hyper::header::CONTENT_TYPE, v);
    }
    r
}

const TEXT: &str = "text/plain; charset=utf-8";

async fn answer(state: &Shared, method: &Method, path: &str) -> Response<Full<Bytes>> {
    if method != Method::GET && method != Method::HEAD {
        let mut r = reply(StatusCode::METHOD_NOT_ALLOWED, TEXT, "only GET\n");
        r.headers_mut().insert(
            hyper::header::ALLOW,
            hyper::header::HeaderValue::from_static("GET, HEAD"),
        );
        return r;
    }
    match path {
        "/metrics" => reply(StatusCode::OK, METRICS_CONTENT_TYPE, scrape(state).await),
        "/" => reply(
            StatusCode::OK,
            TEXT,
            "nsq-cli exporter: metrics at /metrics\n",
        ),
        _ => reply(
            StatusCode::NOT_FOUND,
            TEXT,
            "not found: metrics are at /metrics\n",
        ),
    }
}

/// The answer of the scrape running when the request arrived, or of a new one.
/// Failures that are new since the last scrape are warned about once, and
/// nodes that came back are said too.
async fn scrape(shared: &Shared) -> String {
    let arrived = shared.finished.load(Ordering::SeqCst);
    let mut st = shared.state.lock().await;
    if shared.finished.load(Ordering::SeqCst) != arrived {
        // A scrape finished while this request waited: it ran for this one too.
        return st.last.clone();
    }
    let scraped = st.scraper.scrape().await;
    let now: BTreeSet<String> = scraped.failures.iter().cloned().collect();
    for f in now.difference(&st.failing) {
        output::warn(f);
    }
    if !st.failing.is_empty() && now.is_empty() {
        output::info("nsq-cli exporter: every lookupd and nsqd answered again");
    }
    st.failing = now;
    st.last = scraped.text.clone();
    shared.finished.fetch_add(1, Ordering::SeqCst);
    scraped.text
}

#[cfg(test)]
mod tests {
    use super::*;

    #[tokio::test(flavor = "current_thread")]
    async fn a_request_waiting_for_a_running_scrape_gets_its_answer() {
        let client = crate::nsq_http::Client::new(std::time::Duration::from_secs(1)).unwrap();
        let shared = Arc::new(Shared::new(Scraper::new(
            client,
            vec![],
            vec![],
            StatsQuery::default(),
        )));
        // A scrape is running: the lock is held.
        let mut running = shared.state.lock().await;
        let waiting = tokio::spawn({
            let shared = shared.clone();
            async move { scrape(&shared).await }
        });
        tokio::task::yield_now().await; // the request arrives and waits
        running.last = "the running scrape's answer".to_string();
        shared.finished.fetch_add(1, Ordering::SeqCst);
        drop(running);
        assert_eq!(waiting.await.unwrap(), "the running scrape's answer");
        // A request after that scrape finished gets a new one.
        let fresh = scrape(&shared).await;
        assert!(fresh.contains("# TYPE nsq_up gauge"), "{fresh}");
        assert_eq!(shared.finished.load(Ordering::SeqCst), 2);
    }
}
