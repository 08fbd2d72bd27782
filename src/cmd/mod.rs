//! One module per subcommand.

pub mod admin;
pub mod bench;
pub mod check;
pub mod consumer_events;
pub mod context;
pub mod dev;
pub mod docs;
pub mod escape;
pub mod exporter;
pub mod flags;
pub mod lookup;
pub mod publish;
pub mod record;
pub mod relay;
pub mod signals;
pub mod stall;
pub mod stats;
pub mod tail;

/// A value refused before anything was sent (a bad name, a malformed address, a
/// missing question): one line on stderr and exit 2, like a bad flag. Commands
/// return it as their error; main.rs is the one place that maps it to exit 2.
#[derive(Debug)]
pub struct Refused(pub String);

impl std::fmt::Display for Refused {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(&self.0)
    }
}

impl std::error::Error for Refused {}

impl From<String> for Refused {
    fn from(s: String) -> Refused {
        Refused(s)
    }
}

/// Refuses with `msg`: main.rs prints it as one line and exits 2.
pub fn refuse<T>(msg: impl Into<String>) -> anyhow::Result<T> {
    Err(Refused(msg.into()).into())
}

/// What the HTTP commands check before sending anything: the names given, then
/// the addresses. Returns the lookupds and nsqds to use.
pub fn refuse_bad_cluster_args(
    cluster: &flags::ClusterArgs,
    topic: Option<&str>,
    channel: Option<&str>,
) -> Result<(Vec<String>, Vec<String>), Refused> {
    if let Some(t) = topic {
        crate::protocol::names::check_topic_name(t)?;
    }
    if let Some(c) = channel {
        crate::protocol::names::check_channel_name(c)?;
    }
    Ok(cluster.resolve()?)
}

/// [`Gathered::require_one`](crate::nsq_http::cluster::Gathered::require_one),
/// with a warning printed for each lookupd that did not answer.
pub fn require_one<T>(
    gathered: &crate::nsq_http::cluster::Gathered<T>,
    what: &str,
) -> anyhow::Result<()> {
    for w in gathered.require_one(what)? {
        crate::output::warn(&w);
    }
    Ok(())
}
