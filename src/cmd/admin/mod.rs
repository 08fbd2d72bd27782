//! `nsq-cli topic|channel|node`: cluster-wide administration.
//!
//! Like nsqadmin: create goes to every lookupd and every nsqd; delete goes to the
//! lookupds first (so nsqd cannot re-register the topic from them), then to every
//! nsqd holding it; empty/pause/unpause go to the nsqds holding it.

pub mod args;
mod drain;

use super::Refused;
use crate::nsq_http::cluster::{self, Node, Role};
use crate::nsq_http::{display_addr, Client};
use args::{AdminAction, AdminOpts, ChannelArgs, NodeAction, NodeArgs, TombstoneArgs, TopicArgs};
use colored::Colorize;
use serde::Serialize;
use std::io::{BufRead, IsTerminal, Write};
use std::process::ExitCode;

/// One request (or, for channel create on nsqd, two) to one node.
#[derive(Debug, Clone)]
struct Step {
    role: Role,
    addr: String,
    /// Paths sent in order, each with the same query.
    paths: Vec<&'static str>,
    /// A 404 means "was not there": fine for delete.
    absent_ok: bool,
}

#[derive(Debug, Clone, Serialize)]
pub struct StepResult {
    pub role: Role,
    /// The node's host:port.
    pub node: String,
    /// ok, absent (nothing to delete there) or failed
    pub status: &'static str,
    pub error: Option<String>,
    /// The topic tombstoned (`node drain`, which tombstones several).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub topic: Option<String>,
}

#[derive(Debug, Serialize)]
struct Outcome<'a> {
    action: &'a str,
    topic: &'a str,
    channel: Option<&'a str>,
    node: Option<&'a str>,
    ok: bool,
    results: Vec<StepResult>,
}

fn action_name(a: AdminAction) -> &'static str {
    match a {
        AdminAction::Create => "create",
        AdminAction::Delete => "delete",
        AdminAction::Empty => "empty",
        AdminAction::Pause => "pause",
        AdminAction::Unpause => "unpause",
    }
}

fn past_tense(a: AdminAction) -> &'static str {
    match a {
        AdminAction::Create => "created",
        AdminAction::Delete => "deleted",
        AdminAction::Empty => "emptied",
        AdminAction::Pause => "paused",
        AdminAction::Unpause => "unpaused",
    }
}

fn destructive(a: AdminAction) -> bool {
    matches!(a, AdminAction::Delete | AdminAction::Empty)
}

/// Refuses a destructive action without --yes when nobody can be asked.
fn require_yes_or_tty(opts: &AdminOpts, what: &str) -> anyhow::Result<()> {
    if !opts.yes && !std::io::stdin().is_terminal() {
        anyhow::bail!("refusing to {what} without --yes (stdin is not a terminal to confirm on)");
    }
    Ok(())
}

/// Asks on the terminal; true to go ahead.
fn confirm(prompt: &str) -> anyhow::Result<bool> {
    eprint!("{prompt} [y/N] ");
    std::io::stderr().flush()?;
    let mut line = String::new();
    std::io::stdin().lock().read_line(&mut line)?;
    Ok(matches!(line.trim(), "y" | "Y" | "yes" | "YES" | "Yes"))
}

fn describe_targets(steps: &[Step]) -> String {
    let list = |role: Role| -> Vec<String> {
        steps
            .iter()
            .filter(|s| s.role == role)
            .map(|s| display_addr(&s.addr))
            .collect()
    };
    let (l, n) = (list(Role::Lookupd), list(Role::Nsqd));
    let mut parts = Vec::new();
    if !l.is_empty() {
        parts.push(format!("{} lookupd ({})", l.len(), l.join(", ")));
    }
    if !n.is_empty() {
        parts.push(format!("{} nsqd ({})", n.len(), n.join(", ")));
    }
    parts.join(" and ")
}

/// Runs the steps: all lookupd steps (concurrently), then all nsqd steps.
async fn execute(client: &Client, steps: &[Step], query: &[(String, String)]) -> Vec<StepResult> {
    let mut results = Vec::new();
    for role in [Role::Lookupd, Role::Nsqd] {
        let batch: Vec<Step> = steps.iter().filter(|s| s.role == role).cloned().collect();
        let addrs: Vec<String> = (0..batch.len()).map(|i| i.to_string()).collect();
        let c = client.clone();
        let q = query.to_vec();
        let batch2 = batch.clone();
        let outcomes = cluster::each(&addrs, move |i| {
            let step = batch2[i.parse::<usize>().expect("index")].clone();
            let c = c.clone();
            let q = q.clone();
            async move {
                let q: Vec<(&str, &str)> =
                    q.iter().map(|(k, v)| (k.as_str(), v.as_str())).collect();
                for path in &step.paths {
                    match c.post(&step.addr, path, &q).await {
                        Ok(()) => {}
                        Err(e) if step.absent_ok && e.is_not_found() => return ("absent", None),
                        Err(e) => return ("failed", Some(e.to_string())),
                    }
                }
                ("ok", None)
            }
        })
        .await;
        for (step, (_, (status, error))) in batch.iter().zip(outcomes) {
            results.push(StepResult {
                role: step.role,
                node: display_addr(&step.addr),
                status,
                error,
                topic: None,
            });
        }
    }
    results
}

fn print_outcome(outcome: &Outcome, json: bool, done: &str) -> anyhow::Result<ExitCode> {
    let mut out = String::new();
    if json {
        out = format!("{}\n", serde_json::to_string(outcome)?);
    } else {
        let w = outcome
            .results
            .iter()
            .map(|r| r.node.len())
            .max()
            .unwrap_or(0);
        for r in &outcome.results {
            let status = match r.status {
                "ok" => format!("{:<6}", "ok").green(),
                "absent" => format!("{:<6}", "absent").yellow(),
                _ => format!("{:<6}", "failed").red().bold(),
            };
            let detail = match r.status {
                "ok" => done.to_string(),
                "absent" => "not there, nothing to do".to_string(),
                _ => r.error.clone().unwrap_or_default(),
            };
            out.push_str(&format!(
                "{status}  {:<7}  {:<w$}  {detail}\n",
                r.role.name(),
                r.node
            ));
        }
    }
    let mut stdout = std::io::stdout().lock();
    stdout.write_all(out.as_bytes())?;
    stdout.flush()?;
    let failed: Vec<String> = outcome
        .results
        .iter()
        .filter(|r| r.status == "failed")
        .map(|r| format!("{} {}", r.role.name(), r.node))
        .collect();
    if failed.is_empty() {
        Ok(ExitCode::SUCCESS)
    } else {
        crate::output::error(&format!(
            "{} failed on {} node(s): {}",
            outcome.action,
            failed.len(),
            failed.join(", ")
        ));
        Ok(ExitCode::from(1))
    }
}

/// Every nsqd the lookupds know, plus the given ones (for create).
async fn all_nsqds(
    client: &Client,
    lookupds: &[String],
    given: &[String],
) -> anyhow::Result<Vec<String>> {
    if lookupds.is_empty() {
        return Ok(given.to_vec());
    }
    let g = cluster::gather_nodes(client, lookupds).await;
    super::require_one(&g, "/nodes")?;
    Ok(cluster::nsqd_http_addrs(&cluster::nodes_of(&g), given))
}

/// The nsqds holding a topic per the lookupds, plus the given ones.
async fn holders(
    client: &Client,
    lookupds: &[String],
    given: &[String],
    topic: &str,
) -> anyhow::Result<Vec<String>> {
    if lookupds.is_empty() {
        return Ok(given.to_vec());
    }
    let g = cluster::gather_lookup(client, lookupds, topic).await;
    super::require_one(&g, "/lookup")?;
    Ok(cluster::nsqd_http_addrs(&cluster::producers_of(&g), given))
}

fn steps_for(role: Role, addrs: &[String], paths: &[&'static str], absent_ok: bool) -> Vec<Step> {
    addrs
        .iter()
        .map(|a| Step {
            role,
            addr: a.clone(),
            paths: paths.to_vec(),
            absent_ok,
        })
        .collect()
}

async fn admin(
    action: AdminAction,
    topic: &str,
    channel: Option<&str>,
    opts: &AdminOpts,
) -> anyhow::Result<ExitCode> {
    let (lookupds, given) = super::refuse_bad_cluster_args(&opts.cluster, Some(topic), channel)?;
    let what = match channel {
        Some(c) => format!("channel {topic:?}/{c:?}"),
        None => format!("topic {topic:?}"),
    };
    if destructive(action) {
        require_yes_or_tty(opts, &format!("{} {what}", action_name(action)))?;
    }
    let client = opts.cluster.http.client()?;
    let kind = if channel.is_some() {
        "channel"
    } else {
        "topic"
    };

    let nsqds = if action == AdminAction::Create {
        all_nsqds(&client, &lookupds, &given).await?
    } else {
        holders(&client, &lookupds, &given, topic).await?
    };
    let steps = plan(action, channel.is_some(), &lookupds, &nsqds);
    check_targets(action, &what, topic, &nsqds, &steps)?;
    if destructive(action) && !opts.yes && !confirm_steps(action, &what, &steps)? {
        crate::output::error("aborted, nothing changed");
        return Ok(ExitCode::from(1));
    }

    let mut query = vec![("topic".to_string(), topic.to_string())];
    if let Some(c) = channel {
        query.push(("channel".to_string(), c.to_string()));
    }
    let results = execute(&client, &steps, &query).await;
    let outcome = Outcome {
        action: &format!("{kind} {}", action_name(action)),
        topic,
        channel,
        node: None,
        ok: results.iter().all(|r| r.status != "failed"),
        results,
    };
    print_outcome(
        &outcome,
        opts.json,
        &format!("{} {what}", past_tense(action)),
    )
}

/// The requests an action sends: to every lookupd (if any path), then to every nsqd.
fn plan(
    action: AdminAction,
    has_channel: bool,
    lookupds: &[String],
    nsqds: &[String],
) -> Vec<Step> {
    let (lookupd_paths, nsqd_paths, absent_ok): (Vec<&'static str>, Vec<&'static str>, bool) =
        match (action, has_channel) {
            (AdminAction::Create, false) => (vec!["/topic/create"], vec!["/topic/create"], false),
            (AdminAction::Create, true) => (
                vec!["/channel/create"],
                // nsqd needs the topic before the channel.
                vec!["/topic/create", "/channel/create"],
                false,
            ),
            (AdminAction::Delete, false) => (vec!["/topic/delete"], vec!["/topic/delete"], true),
            (AdminAction::Delete, true) => (vec!["/channel/delete"], vec!["/channel/delete"], true),
            (AdminAction::Empty, false) => (vec![], vec!["/topic/empty"], false),
            (AdminAction::Empty, true) => (vec![], vec!["/channel/empty"], false),
            (AdminAction::Pause, false) => (vec![], vec!["/topic/pause"], false),
            (AdminAction::Pause, true) => (vec![], vec!["/channel/pause"], false),
            (AdminAction::Unpause, false) => (vec![], vec!["/topic/unpause"], false),
            (AdminAction::Unpause, true) => (vec![], vec!["/channel/unpause"], false),
        };
    let mut steps = Vec::new();
    if !lookupd_paths.is_empty() {
        steps.extend(steps_for(
            Role::Lookupd,
            lookupds,
            &lookupd_paths,
            absent_ok,
        ));
    }
    steps.extend(steps_for(Role::Nsqd, nsqds, &nsqd_paths, absent_ok));
    steps
}

/// Refuses an action with nowhere to go; warns when a create reaches no nsqd.
fn check_targets(
    action: AdminAction,
    what: &str,
    topic: &str,
    nsqds: &[String],
    steps: &[Step],
) -> anyhow::Result<()> {
    if nsqds.is_empty() && action != AdminAction::Create && action != AdminAction::Delete {
        anyhow::bail!(
            "{what} not found: no nsqlookupd knows an nsqd holding topic {topic:?} \
             (give --nsqd-http-address to act on a node directly)"
        );
    }
    if nsqds.is_empty() && action == AdminAction::Create {
        crate::output::warn(&format!(
            "no nsqd node is known to nsqlookupd: {what} is created in nsqlookupd only \
             (give --nsqd-http-address to create it on a node)"
        ));
    }
    if steps.is_empty() {
        anyhow::bail!(
            "nowhere to {} {what}: no lookupd or nsqd given",
            action_name(action)
        );
    }
    Ok(())
}

/// Asks on the terminal whether to go ahead with a destructive action.
fn confirm_steps(action: AdminAction, what: &str, steps: &[Step]) -> anyhow::Result<bool> {
    let prompt = format!(
        "{} {what} on {}?",
        capitalise(action_name(action)),
        describe_targets(steps)
    );
    confirm(&prompt)
}

fn capitalise(s: &str) -> String {
    let mut c = s.chars();
    match c.next() {
        Some(f) => f.to_uppercase().chain(c).collect(),
        None => String::new(),
    }
}

pub async fn run_topic(args: TopicArgs) -> anyhow::Result<ExitCode> {
    admin(args.action, &args.topic, None, &args.opts).await
}

pub async fn run_channel(args: ChannelArgs) -> anyhow::Result<ExitCode> {
    admin(args.action, &args.topic, Some(&args.channel), &args.opts).await
}

pub async fn run_node(args: NodeArgs) -> anyhow::Result<ExitCode> {
    match args.action {
        NodeAction::Tombstone(a) => tombstone(a).await,
        NodeAction::Drain(a) => drain::drain(a).await,
        NodeAction::Undrain(a) => drain::undrain(a).await,
    }
}

fn list_or_none(items: &[String]) -> String {
    if items.is_empty() {
        "none".to_string()
    } else {
        items.join(", ")
    }
}

/// The node NODE names (its TCP or HTTP address, announced or mapped).
fn find_node<'a>(nodes: &'a [Node], wanted: &str, lookupds: &[String]) -> anyhow::Result<&'a Node> {
    if let Some(n) = nodes.iter().find(|n| n.is_named(wanted)) {
        return Ok(n);
    }
    let known: Vec<String> = nodes
        .iter()
        .map(|n| format!("{} (tcp {})", n.node, n.tcp_address))
        .collect();
    anyhow::bail!(
        "no nsqlookupd ({}) knows a node {:?}; known nodes: {}",
        lookupds
            .iter()
            .map(|a| display_addr(a))
            .collect::<Vec<_>>()
            .join(", "),
        display_addr(wanted),
        list_or_none(&known)
    )
}

/// The lookupds (refusing a command that needs them without any), after the
/// names and addresses given are checked.
fn lookupds_for(
    cluster: &crate::cmd::flags::ClusterArgs,
    topic: Option<&str>,
) -> anyhow::Result<Vec<String>> {
    let (lookupds, _) = super::refuse_bad_cluster_args(cluster, topic, None)?;
    if lookupds.is_empty() {
        return Err(Refused(
            "tombstoning needs nsqlookupd: give --lookupd-http-address".to_string(),
        )
        .into());
    }
    Ok(lookupds)
}

/// Every node the lookupds know, and the one NODE names.
async fn locate(
    client: &Client,
    lookupds: &[String],
    wanted: &str,
) -> anyhow::Result<(Vec<Node>, Node)> {
    let g = cluster::gather_nodes(client, lookupds).await;
    super::require_one(&g, "/nodes")?;
    let nodes = cluster::nodes_of(&g);
    let node = find_node(&nodes, wanted, lookupds)?.clone();
    Ok((nodes, node))
}

async fn tombstone(args: TombstoneArgs) -> anyhow::Result<ExitCode> {
    let lookupds = lookupds_for(&args.cluster, Some(&args.topic))?;
    let client = args.cluster.http.client()?;
    let (nodes, node) = locate(&client, &lookupds, &args.node).await?;
    let node = &node;
    if !node.topics.iter().any(|t| t.topic == args.topic) {
        let holders: Vec<String> = nodes
            .iter()
            .filter(|n| n.topics.iter().any(|t| t.topic == args.topic))
            .map(|n| n.node.clone())
            .collect();
        anyhow::bail!(
            "node {} does not hold topic {:?} per nsqlookupd; nodes holding it: {}",
            node.node,
            args.topic,
            list_or_none(&holders)
        );
    }
    // lookupd names the node by its own (unmapped) broadcast_address:http_port.
    let name = node.lookupd_node_name();
    let steps = steps_for(Role::Lookupd, &lookupds, &["/topic/tombstone"], false);
    let query = vec![
        ("topic".to_string(), args.topic.clone()),
        ("node".to_string(), name.clone()),
    ];
    let results = execute(&client, &steps, &query).await;
    let outcome = Outcome {
        action: "node tombstone",
        topic: &args.topic,
        channel: None,
        node: Some(&node.node),
        ok: results.iter().all(|r| r.status != "failed"),
        results,
    };
    print_outcome(
        &outcome,
        args.json,
        &format!("tombstoned topic {:?} on {}", args.topic, node.node),
    )
}
