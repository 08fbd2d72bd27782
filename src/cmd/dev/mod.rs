//! `nsq-cli dev`: run the embedded broker, alone or around one command.

pub mod args;

use super::flags::env;
use crate::broker::{self, Options};
use crate::output;
use crate::tls::ClientAuthPolicy;
use args::DevArgs;
use std::io::Write;
use std::process::ExitCode;

pub async fn run(args: DevArgs) -> anyhow::Result<ExitCode> {
    let tls = tls_config(&args)?;
    let opts = Options {
        tcp_address: args.tcp_address,
        http_address: args.http_address,
        lookupd_http_address: args.lookupd_http_address,
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
        events: broker::EventHook::new(|e| output::debug(&e.to_string())),
        ..Options::default()
    };
    if let Err(refused) = validate(&opts) {
        // A bad combination of flags: refused before listening, like a bad flag.
        return super::refuse(refused);
    }
    let running = broker::start(opts).await?;
    // The variables the other commands' address flags read.
    let env = [
        (env::NSQD_TCP_ADDRESS, running.tcp_addr.to_string()),
        (env::NSQD_HTTP_ADDRESS, running.http_addr.to_string()),
        (
            env::NSQLOOKUPD_HTTP_ADDRESS,
            running.lookupd_http_addr.to_string(),
        ),
    ];

    if let Some((program, rest)) = args.command.split_first() {
        output::debug(&format!(
            "nsq-cli dev: nsqd TCP {} HTTP {}, nsqlookupd HTTP {}",
            running.tcp_addr, running.http_addr, running.lookupd_http_addr
        ));
        let mut child = tokio::process::Command::new(program)
            .args(rest)
            .envs(env.iter().map(|(k, v)| (k, v)))
            .spawn()
            .map_err(|e| anyhow::anyhow!("cannot run {program:?}: {e}"))?;
        // Ctrl-C reaches the child too (same process group); we just wait for it.
        let status = loop {
            tokio::select! {
                s = child.wait() => break s?,
                _ = tokio::signal::ctrl_c() => continue,
            }
        };
        close(&running.nsqd)?;
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
        "nsq-cli dev: NSQ broker for development ({kept})\n  \
         nsqd TCP        {}\n  nsqd HTTP       http://{}\n  nsqlookupd HTTP http://{}\n\
         Ctrl-C stops it.",
        running.tcp_addr, running.http_addr, running.lookupd_http_addr
    ));
    signals.recv().await;
    close(&running.nsqd)?;
    output::info("nsq-cli dev: stopped");
    Ok(ExitCode::SUCCESS)
}

/// Stops the broker, saving its queues with --data-path (a failure is exit 1).
fn close(nsqd: &broker::Nsqd) -> anyhow::Result<()> {
    nsqd.close().map_err(|e| {
        anyhow::anyhow!(
            "cannot save the queues in {}: {}",
            nsqd.store.describe(),
            crate::error::describe_io(&e)
        )
    })
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
