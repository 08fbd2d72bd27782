//! `--exec`: run a command per message, body on stdin, details in its environment,
//! touching the message while it runs so long commands do not time out.

use crate::protocol::Message;
use std::process::{ExitStatus, Stdio};
use std::time::Duration;
use tokio::io::AsyncWriteExt;
use tokio::sync::watch;

pub struct ExecSpec {
    pub command: String,
    pub topic: String,
    pub channel: String,
}

/// Runs the command for `msg`; calls `touch` every `touch_every` while it runs.
///
/// The command runs in a process group of its own, so that a terminal's Ctrl-C
/// reaches only tail, which decides: every signal number sent on `signals` (after
/// the command started) is delivered to the command's whole group.
pub async fn run(
    spec: &ExecSpec,
    msg: &Message,
    touch_every: Duration,
    touch: impl Fn(),
    mut signals: watch::Receiver<i32>,
) -> std::io::Result<ExitStatus> {
    let mut child = tokio::process::Command::new("sh")
        .process_group(0)
        .arg("-c")
        .arg(&spec.command)
        .env("NSQ_MSG_ID", msg.id.to_string())
        .env("NSQ_ATTEMPTS", msg.attempts.to_string())
        .env("NSQ_TIMESTAMP", msg.timestamp.to_string())
        .env("NSQ_TOPIC", &spec.topic)
        .env("NSQ_CHANNEL", &spec.channel)
        .stdin(Stdio::piped())
        .stdout(Stdio::inherit())
        .stderr(Stdio::inherit())
        .spawn()?;
    let mut stdin = child.stdin.take();
    let body = msg.body.clone();
    // Feed stdin on the side: a command that never reads it must not block us.
    let feeder = tokio::spawn(async move {
        if let Some(s) = stdin.as_mut() {
            let _ = s.write_all(&body).await;
            let _ = s.shutdown().await;
        }
        drop(stdin);
    });
    let mut ticker =
        tokio::time::interval_at(tokio::time::Instant::now() + touch_every, touch_every);
    let mut signals_open = true;
    let status = loop {
        tokio::select! {
            s = child.wait() => break s?,
            _ = ticker.tick() => touch(),
            r = signals.changed(), if signals_open => match r {
                Ok(()) => {
                    let sig = *signals.borrow_and_update();
                    if let Some(pid) = child.id() {
                        // SAFETY: kill() takes plain integers; the group is the
                        // child's own (process_group(0)), still unreaped.
                        unsafe { libc::kill(-(pid as i32), sig) };
                    }
                }
                Err(_) => signals_open = false,
            },
        }
    };
    feeder.abort();
    Ok(status)
}

/// Requeue delay after a failure when --requeue-delay is not given: grows with attempts.
pub fn backoff_delay(attempts: u16) -> Duration {
    Duration::from_secs(u64::from(attempts).clamp(1, 60))
}
