//! `nsq-cli context`: named sets of cluster settings ([`settings`]), stored as
//! files ([`store`]), and applied to every command's flags ([`apply`]) by
//! main.rs when `--context`, `NSQ_CONTEXT` or `context use` names one.

pub mod apply;
pub mod args;
pub mod settings;
pub mod store;

use crate::cmd::{refuse, Refused};
use crate::output;
use args::{AddArgs, ContextAction, ContextArgs, LsArgs, ShowArgs, UseArgs};
use settings::{Invalid, Settings};
use std::io::Write;
use std::process::ExitCode;
use store::Store;

/// The context in use: the one `--context` / `NSQ_CONTEXT` names (`flag`; empty
/// is as if unset), else the selected one, else none.
pub fn in_use(store: &Store, flag: Option<&str>) -> anyhow::Result<Option<String>> {
    match flag.filter(|f| !f.is_empty()) {
        Some(name) => Ok(Some(name.to_string())),
        None => store.selected(),
    }
}

/// The context a command runs with: its name and settings, checked (a malformed
/// file, a missing CA or secret file are refused), or `None` when no context is
/// named or selected.
pub fn for_command(flag: Option<&str>) -> anyhow::Result<Option<(String, Settings)>> {
    let flag = flag.filter(|f| !f.is_empty());
    let store = match Store::open() {
        Ok(s) => s,
        Err(_) if flag.is_none() => return Ok(None),
        Err(e) => return Err(e.into()),
    };
    let Some(name) = in_use(&store, flag)? else {
        return Ok(None);
    };
    if flag.is_none() && store::check_name(&name).is_ok() && !store.exists(&name) {
        return refuse(format!(
            "the selected context {name:?} no longer exists: select another \
             (nsq-cli context use NAME) or none (nsq-cli context use --none)"
        ));
    }
    let settings = store.load(&name)?;
    if let Err(Invalid { why, .. }) = settings.check_files() {
        return refuse(format!(
            "context {name} ({}): {why}",
            store.path(&name).display()
        ));
    }
    output::debug(&format!(
        "using context {name} ({})",
        store.path(&name).display()
    ));
    Ok(Some((name, settings)))
}

/// The command line `matches` (parsed without contexts) with the contexts it
/// uses applied to `cli`: the one in use to the command's own cluster flags
/// (unless an address was given), and `relay --to-context NAME` to the
/// destination's `--to-*` flags. `None` when no context applies.
pub fn apply_to(
    cli: clap::Command,
    matches: &clap::ArgMatches,
    flag: Option<&str>,
) -> anyhow::Result<Option<clap::Command>> {
    let mut cmd = None;
    if apply::addresses_given(&cli, matches, apply::SOURCE) {
        output::debug(
            "addresses given by flag or environment variable: no context used \
             (a context's TLS, secret and --map-address are for its own cluster)",
        );
    } else if let Some((_, settings)) = for_command(flag)? {
        cmd = Some(apply::apply(cli.clone(), matches, &settings, apply::SOURCE));
    }
    if let Some(settings) = for_destination(&cli, matches)? {
        let base = cmd.unwrap_or(cli);
        cmd = Some(apply::apply(base, matches, &settings, apply::DESTINATION));
    }
    Ok(cmd)
}

/// `relay --to-context NAME`: that context's settings. Given beside a `--to-*`
/// address flag it is refused (two destinations), except from `NSQ_TO_CONTEXT`,
/// which the flag beats as address flags beat `NSQ_CONTEXT`. A context with no
/// address is refused; one with both nsqd and lookupd addresses gives its nsqd
/// addresses only (the destination flags take one or the other).
fn for_destination(
    cli: &clap::Command,
    matches: &clap::ArgMatches,
) -> anyhow::Result<Option<Settings>> {
    let Some((name, from_env)) =
        apply::value_of(cli, matches, "to-context").filter(|(n, _)| !n.is_empty())
    else {
        return Ok(None);
    };
    if let Some(flag) = apply::address_given(cli, matches, apply::DESTINATION) {
        if from_env {
            output::debug(&format!(
                "{flag} given: NSQ_TO_CONTEXT={name} not used for the destination"
            ));
            return Ok(None);
        }
        return refuse(format!(
            "--to-context {name} and {flag} both name the destination: give one"
        ));
    }
    let Some((_, mut settings)) = for_command(Some(&name))? else {
        return Ok(None);
    };
    if settings.nsqd_tcp_address.is_empty() && settings.lookupd_http_address.is_empty() {
        return refuse(format!(
            "context {name} has no nsqd_tcp_address or lookupd_http_address: \
             it names no destination for --to-context"
        ));
    }
    if !settings.nsqd_tcp_address.is_empty() {
        settings.lookupd_http_address.clear();
    }
    Ok(Some(settings))
}

/// `nsq-cli context ...`; `flag` is --context / NSQ_CONTEXT.
pub fn run(args: ContextArgs, flag: Option<&str>) -> anyhow::Result<ExitCode> {
    let store = Store::open()?;
    match args.action {
        ContextAction::Add(a) => add(&store, a)?,
        ContextAction::Ls(a) => ls(&store, a, flag)?,
        ContextAction::Use(a) => select(&store, a)?,
        ContextAction::Show(a) => show(&store, a, flag)?,
        ContextAction::Rm(a) => rm(&store, &a.name)?,
        ContextAction::Edit(a) => edit(&store, &a.name)?,
    }
    Ok(ExitCode::SUCCESS)
}

/// The addresses in the variables `nsq-cli dev -- CMD` exports (every node's, from
/// the plural variables, when `dev --nodes` set them).
fn from_env() -> Settings {
    use crate::cmd::flags::env;
    let list = |var| -> Vec<String> {
        std::env::var(var)
            .unwrap_or_default()
            .split(',')
            .map(str::trim)
            .filter(|s| !s.is_empty())
            .map(str::to_string)
            .collect()
    };
    let every = |plural, single| match list(plural) {
        all if all.is_empty() => list(single),
        all => all,
    };
    Settings {
        lookupd_http_address: list(env::NSQLOOKUPD_HTTP_ADDRESS),
        nsqd_tcp_address: every(env::NSQD_TCP_ADDRESSES, env::NSQD_TCP_ADDRESS),
        nsqd_http_address: every(env::NSQD_HTTP_ADDRESSES, env::NSQD_HTTP_ADDRESS),
        ..Settings::default()
    }
}

fn add(store: &Store, a: AddArgs) -> anyhow::Result<()> {
    store::check_name(&a.name)?;
    let path = store.path(&a.name);
    if store.exists(&a.name) && !a.force {
        return refuse(format!(
            "context {} exists ({}): add --force to replace it, or use context edit {}",
            a.name,
            path.display(),
            a.name
        ));
    }
    let mut settings = a.settings.absolute_paths(&std::env::current_dir()?);
    if a.from_env {
        let env = from_env();
        if env.is_empty() {
            return refuse(
                "--from-env: none of NSQD_TCP_ADDRESS, NSQD_HTTP_ADDRESS, \
                 NSQLOOKUPD_HTTP_ADDRESS is set (nsq-cli dev -- CMD sets them)",
            );
        }
        settings = settings.or_addresses(env);
    }
    if settings.is_empty() {
        return refuse(format!(
            "context {} would be empty: give its addresses or other settings as flags, or --from-env",
            a.name
        ));
    }
    if let Err(Invalid { why, .. }) = settings.validate().and_then(|_| settings.check_files()) {
        return refuse(format!("context {}: {why}", a.name));
    }
    store.save(&a.name, &settings)?;
    output::info(&format!(
        "context {} saved in {} (select it with: nsq-cli context use {})",
        a.name,
        path.display(),
        a.name
    ));
    Ok(())
}

#[derive(serde::Serialize)]
struct Listed {
    name: String,
    selected: bool,
    file: String,
}

fn ls(store: &Store, a: LsArgs, flag: Option<&str>) -> anyhow::Result<()> {
    let current = in_use(store, flag)?;
    let listed: Vec<Listed> = store
        .names()?
        .into_iter()
        .map(|name| Listed {
            selected: current.as_deref() == Some(&name),
            file: store.path(&name).display().to_string(),
            name,
        })
        .collect();
    let mut out = std::io::stdout().lock();
    if a.json {
        serde_json::to_writer(&mut out, &listed)?;
        writeln!(out)?;
        return Ok(());
    }
    for l in &listed {
        match (a.names, l.selected) {
            (true, _) => writeln!(out, "{}", l.name)?,
            (false, true) => writeln!(out, "* {}", l.name)?,
            (false, false) => writeln!(out, "  {}", l.name)?,
        }
    }
    if listed.is_empty() && !a.names {
        output::info("no contexts yet: nsq-cli context add NAME --lookupd-http-address ...");
    }
    Ok(())
}

fn select(store: &Store, a: UseArgs) -> anyhow::Result<()> {
    let Some(name) = a.name else {
        store.select(None)?;
        output::info("no context selected");
        return Ok(());
    };
    store.load(&name)?;
    store.select(Some(&name))?;
    output::info(&format!("using context {name}"));
    Ok(())
}

fn show(store: &Store, a: ShowArgs, flag: Option<&str>) -> anyhow::Result<()> {
    let current = in_use(store, flag)?;
    let Some(name) = a.name.or_else(|| current.clone()) else {
        return refuse(
            "no context in use: name one (context show NAME), or select one with context use NAME",
        );
    };
    let settings = store.load(&name)?;
    let mut out = std::io::stdout().lock();
    if a.json {
        let v = serde_json::json!({
            "name": name,
            "selected": current.as_deref() == Some(&name),
            "file": store.path(&name).display().to_string(),
            "settings": settings,
        });
        serde_json::to_writer(&mut out, &v)?;
        writeln!(out)?;
    } else {
        out.write_all(toml::to_string(&settings)?.as_bytes())?;
    }
    Ok(())
}

fn rm(store: &Store, name: &str) -> anyhow::Result<()> {
    store.require(name)?;
    store.remove(name)?;
    if store.selected()?.as_deref() == Some(name) {
        store.select(None)?;
        output::info(&format!(
            "context {name} removed; no context is selected now"
        ));
    } else {
        output::info(&format!("context {name} removed"));
    }
    Ok(())
}

/// Edits a copy of the file in the temporary directory; a valid edit is saved
/// (atomically), an invalid one refused with its file, line and key, the file
/// left as it was and the edit kept for the user.
fn edit(store: &Store, name: &str) -> anyhow::Result<()> {
    store.require(name)?;
    let path = store.path(name);
    let before = std::fs::read_to_string(&path)?;
    let mut copy = tempfile::Builder::new()
        .prefix(&format!("nsq-cli-context-{name}-"))
        .suffix(".toml")
        .tempfile()?;
    copy.write_all(before.as_bytes())?;
    copy.flush()?;
    run_editor(copy.path())?;
    let after = std::fs::read_to_string(copy.path())?;
    if after == before {
        output::info(&format!("context {name} not changed"));
        return Ok(());
    }
    let settings = match store::parse(copy.path(), &after) {
        Ok(s) => s,
        Err(Refused(why)) => {
            let (_, kept) = copy.keep()?;
            return refuse(format!(
                "{why} (context {name} not changed; the edit is kept in {})",
                kept.display()
            ));
        }
    };
    if let Err(Invalid { key, why }) = settings.check_files() {
        let (_, kept) = copy.keep()?;
        let line = store::line_of_key(&after, key).map_or(String::new(), |l| format!(", line {l}"));
        return refuse(format!(
            "context file {}{line}, key {key}: {why} (context {name} not changed; the edit is kept there)",
            kept.display()
        ));
    }
    store::write_atomic(&path, after.as_bytes())?;
    output::info(&format!("context {name} saved"));
    Ok(())
}

/// Runs $VISUAL or $EDITOR (a command line, e.g. `code -w`) on `file`.
fn run_editor(file: &std::path::Path) -> anyhow::Result<()> {
    let editor = ["VISUAL", "EDITOR"]
        .iter()
        .find_map(|v| std::env::var(v).ok().filter(|e| !e.trim().is_empty()))
        .unwrap_or_else(|| "vi".to_string());
    let status = std::process::Command::new("sh")
        .arg("-c")
        .arg(format!("{editor} \"$1\""))
        .arg("sh")
        .arg(file)
        .status()
        .map_err(|e| anyhow::anyhow!("cannot run the editor {editor:?}: {e}"))?;
    if !status.success() {
        anyhow::bail!("the editor {editor:?} failed ({status}); the context is not changed");
    }
    Ok(())
}
