//! The flags of `nsq-cli exporter`.

use crate::cmd::flags::ClusterArgs;
use clap::Args;
use std::net::SocketAddr;

#[derive(Args, Debug, Clone)]
#[command(
    long_about = "Serve Prometheus metrics of the whole cluster on GET /metrics: every nsqd \
found through nsqlookupd (asked again at each scrape) and those given with \
--nsqd-http-address, read with one /stats request per nsqd per scrape.\n\n\
Metrics: per topic and channel depth, backend depth, in flight, deferred, clients, paused, \
message/requeue/timeout counts (counters, _total), end-to-end latency quantiles when nsqd \
computes them; per nsqd nsq_up and nsq_scrape_errors_total; per lookupd nsq_lookupd_up and \
nsq_lookupd_nodes; nsq_scrape_duration_seconds. A node that does not answer is nsq_up 0; \
the scrape still answers 200. A node once found is asked at every scrape until the exporter \
restarts, also when lookupd no longer lists it (a crashed nsqd is nsq_up 0, not gone).\n\n\
Once listening it prints the metrics URL (http://ADDR/metrics) on stdout. Ctrl-C or \
SIGTERM stops it (exit 130 or 143). A malformed --listen is refused (exit 2); an address \
that cannot be bound (in use) is exit 1.",
    after_help = "Examples:\n  \
        nsq-cli exporter --lookupd-http-address 127.0.0.1:4161\n  \
        nsq-cli exporter --listen 0.0.0.0:9117 --nsqd-http-address nsqd-1:4151,nsqd-2:4151\n  \
        curl -s http://127.0.0.1:9117/metrics | grep nsq_channel_depth"
)]
pub struct ExporterArgs {
    /// Address to serve /metrics on, IP:PORT (port 0 picks a free one)
    #[arg(long, value_name = "ADDR", default_value = "127.0.0.1:9117", value_parser = parse_listen)]
    pub listen: SocketAddr,

    #[command(flatten)]
    pub cluster: ClusterArgs,
}

/// `IP:PORT`, e.g. 127.0.0.1:9117, 0.0.0.0:9117 or [::]:9117.
pub fn parse_listen(s: &str) -> Result<SocketAddr, String> {
    s.trim().parse::<SocketAddr>().map_err(|_| {
        format!(
            "invalid --listen {s:?}: expected IP:PORT, e.g. 127.0.0.1:9117, 0.0.0.0:9117 or [::]:9117"
        )
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn listen_addresses() {
        assert_eq!(parse_listen("127.0.0.1:0").unwrap().port(), 0);
        assert!(parse_listen("[::1]:9117").is_ok());
        for bad in ["localhost:9117", "9117", "127.0.0.1", "127.0.0.1:99999", ""] {
            let e = parse_listen(bad).unwrap_err();
            assert!(e.contains("--listen") && e.contains("IP:PORT"), "{e}");
        }
    }
}
