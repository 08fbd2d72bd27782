//! `nsq-cli dev`: run the embedded broker, alone or around one command.

pub mod args;

use super::flags::env;
use crate::broker::{self, Options, Running};
use crate::output;
use crate::tls::ClientAuthPolicy;
use args::DevArgs;
use std::io::Write;
use std::net::SocketAddr;
use std::process::ExitCode;

pub async fn run(args: DevArgs) -> anyhow::Result<ExitCode> {
    let tls = tls_config(&args)?;
    let opts = Options {
        tcp_address: args.tcp_address,
        http_address: args.http_address,
        lookupd_http_address: args.lookupd_http_address,
        nodes: args.nodes.into(),
        broadcast_address: args.broadcast_address,
        max_msg_size: args.max_msg_size,
        max_body_size: args.max_body_size,
        max_rdy_count: args.max_rdy_count,
        max_req_timeout: args.max_req_timeout,
        msg_timeout: args.msg_timeout,
        max_msg_timeout: args.max_msg_timeout,
        tls,
        // nsqd: a client certificate policy implies TLS is required.
        tls_required: args.tls_required || args.tls_client_auth_policy.is_some(),
        auth_http_addresses: args.auth_http_address.clone(),
        mem_queue_size: args.mem_queue_size,
        data_path: args.data_path.clone(),
        events: broker::EventHook::new(|e| match e {
            // Messages skipped: shown unless -q, as nsqd logs it.
            broker::Event::BadQueueFile(_) => output::warn(&e.to_string()),
            _ => output::debug(&e.to_string()),
        }),
        ..Options::default()
    };
    if let Err(refused) = validate(&opts) {
        // A bad combination of flags: refused before listening, like a bad flag.
        return super::refuse(refused);
    }
    let running = broker::start(opts).await?;
    let env = env_of(&running);
    if let Some((program, rest)) = args.command.split_first() {
        output::debug(&format!("nsq-cli dev: {}", describe(&running)));
        // Before CMD starts: a SIGTERM from then on is a clean stop too.
        let mut signals = super::signals::Signals::install()?;
        let status = run_command(program, rest, &env, &mut signals).await?;
        close(&running)?;
        return Ok(exit_code_of(status));
    }

    // Handlers first: the address lines are a readiness signal, so a SIGTERM
    // sent right after reading them must already be a clean stop.
    let mut signals = super::signals::Signals::install()?;
    {
        let mut out = std::io::stdout().lock();
        for (k, v) in &env {
            writeln!(out, "{k}={v}")?;
        }
        out.flush()?;
    }
    let kept = match &args.data_path {
        Some(dir) => format!("queues kept in {}", dir.display()),
        None => "not durable".to_string(),
    };
    output::info(&format!(
        "nsq-cli dev: NSQ broker for development ({kept})\n  {}\n\
         Point a context at it: {}\n\
         Ctrl-C stops it.",
        describe(&running).replace(", ", "\n  "),
        context_hint(&running)
    ));
    signals.recv().await;
    close(&running)?;
    output::info("nsq-cli dev: stopped");
    Ok(ExitCode::SUCCESS)
}

/// The variables the other commands' address flags read (node 0's), then every
/// node's addresses.
fn env_of(running: &Running) -> [(&'static str, String); 5] {
    let node0 = &running.nodes[0];
    let all = |f: fn(&broker::RunningNode) -> SocketAddr| {
        let addrs: Vec<String> = running.nodes.iter().map(|n| f(n).to_string()).collect();
        addrs.join(",")
    };
    [
        (env::NSQD_TCP_ADDRESS, node0.tcp_addr.to_string()),
        (env::NSQD_HTTP_ADDRESS, node0.http_addr.to_string()),
        (
            env::NSQLOOKUPD_HTTP_ADDRESS,
            running.lookupd_http_addr.to_string(),
        ),
        (env::NSQD_TCP_ADDRESSES, all(|n| n.tcp_addr)),
        (env::NSQD_HTTP_ADDRESSES, all(|n| n.http_addr)),
    ]
}

/// The `context add` command line that points a context at every node of this broker.
fn context_hint(running: &Running) -> String {
    let mut line = String::from("nsq-cli context add dev --force");
    for n in &running.nodes {
        line.push_str(&format!(" --nsqd-tcp-address {}", n.tcp_addr));
    }
    for n in &running.nodes {
        line.push_str(&format!(" --nsqd-http-address {}", n.http_addr));
    }
    line.push_str(&format!(
        " --lookupd-http-address {}",
        running.lookupd_http_addr
    ));
    line
}

/// Each node's and lookupd's addresses, for people: "nsqd TCP a HTTP http://b, ...".
fn describe(running: &Running) -> String {
    let several = running.nodes.len() > 1;
    let mut parts: Vec<String> = running
        .nodes
        .iter()
        .enumerate()
        .map(|(i, n)| {
            let which = if several {
                format!(" {i}")
            } else {
                String::new()
            };
            format!("nsqd{which} TCP {} HTTP http://{}", n.tcp_addr, n.http_addr)
        })
        .collect();
    parts.push(format!(
        "nsqlookupd HTTP http://{}",
        running.lookupd_http_addr
    ));
    parts.join(", ")
}

/// Runs CMD with the broker's addresses in its environment; its exit status. A
/// SIGTERM is passed on to CMD and CMD waited for (the broker then closes as usual).
async fn run_command(
    program: &str,
    rest: &[String],
    env: &[(&'static str, String)],
    signals: &mut super::signals::Signals,
) -> anyhow::Result<std::process::ExitStatus> {
    let mut child = tokio::process::Command::new(program)
        .args(rest)
        .envs(env.iter().map(|(k, v)| (k, v)))
        .spawn()
        .map_err(|e| anyhow::anyhow!("cannot run {program:?}: {e}"))?;
    loop {
        tokio::select! {
            s = child.wait() => return Ok(s?),
            stop = signals.recv() => {
                // Ctrl-C reaches the child too (same process group); SIGTERM is
                // sent to this process only.
                if let (super::signals::Stop::Terminate, Some(pid)) = (stop, child.id()) {
                    // SAFETY: kill(2) on our own child's pid, not yet reaped.
                    unsafe { libc::kill(pid as libc::pid_t, libc::SIGTERM) };
                }
            }
        }
    }
}

/// Stops every node, saving its queues with --data-path (a failure is exit 1,
/// after every node had its turn).
fn close(running: &Running) -> anyhow::Result<()> {
    let mut failed = None;
    for n in &running.nodes {
        if let Err(e) = n.nsqd.close() {
            failed.get_or_insert(anyhow::anyhow!(
                "cannot save the queues in {}: {}",
                n.nsqd.store.describe(),
                crate::error::describe_io(&e)
            ));
        }
    }
    failed.map_or(Ok(()), Err)
}

fn tls_config(args: &DevArgs) -> anyhow::Result<Option<std::sync::Arc<rustls::ServerConfig>>> {
    let (Some(cert), Some(key)) = (&args.tls_cert, &args.tls_key) else {
        return Ok(None);
    };
    let policy = match args.tls_client_auth_policy.as_deref() {
        Some("require") => ClientAuthPolicy::Require,
        Some("require-verify") => ClientAuthPolicy::RequireVerify,
        _ => ClientAuthPolicy::None,
    };
    crate::tls::server_config(cert, key, args.tls_root_ca_file.as_deref(), policy).map(Some)
}

/// Limits that depend on each other (each flag's own range is clap's).
fn validate(o: &Options) -> Result<(), String> {
    if o.tls_required && o.tls.is_none() {
        return Err("--tls-required needs --tls-cert and --tls-key".into());
    }
    if o.max_body_size < o.max_msg_size {
        return Err(format!(
            "--max-body-size {} must be at least --max-msg-size {}",
            o.max_body_size, o.max_msg_size
        ));
    }
    if o.msg_timeout > o.max_msg_timeout {
        return Err(format!(
            "--msg-timeout {:?} must be at most --max-msg-timeout ({:?})",
            o.msg_timeout, o.max_msg_timeout
        ));
    }
    broker::node_addresses(o)?;
    Ok(())
}

fn exit_code_of(status: std::process::ExitStatus) -> ExitCode {
    if let Some(c) = status.code() {
        return ExitCode::from(c as u8);
    }
    #[cfg(unix)]
    {
        use std::os::unix::process::ExitStatusExt;
        if let Some(sig) = status.signal() {
            return ExitCode::from((128 + sig) as u8);
        }
    }
    ExitCode::from(1)
}
