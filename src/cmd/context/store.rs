//! Where contexts live: one TOML file per context under
//! `$XDG_CONFIG_HOME/nsq-cli/contexts/NAME.toml` (`~/.config/nsq-cli/...` when
//! XDG_CONFIG_HOME is unset), and the selected one's name in
//! `nsq-cli/selected-context`. Every write is atomic (a temporary file in the
//! same directory, renamed over the old one) and leaves the file with mode 0600.

use super::settings::{Invalid, Settings};
use crate::cmd::Refused;
use anyhow::Context as _;
use std::io::Write;
use std::path::{Path, PathBuf};

/// The rule of a context's name, as the refusal states it.
pub const NAME_RULE: &str = "1-64 letters, digits, '.', '_' or '-', not starting with '.' or '-'";

/// Refuses a name outside [`NAME_RULE`] (it becomes a file name).
pub fn check_name(name: &str) -> Result<(), Refused> {
    let ok = (1..=64).contains(&name.len())
        && !name.starts_with(['.', '-'])
        && name
            .chars()
            .all(|c| c.is_ascii_alphanumeric() || matches!(c, '.' | '_' | '-'));
    if ok {
        Ok(())
    } else {
        Err(Refused(format!(
            "invalid context name {name:?}: it must be {NAME_RULE}"
        )))
    }
}

/// The configuration directory of nsq-cli.
pub struct Store {
    dir: PathBuf,
}

impl Store {
    /// `$XDG_CONFIG_HOME/nsq-cli`, or `$HOME/.config/nsq-cli`.
    pub fn open() -> Result<Store, Refused> {
        let from = |var: &str| {
            std::env::var_os(var)
                .map(PathBuf::from)
                .filter(|p| p.is_absolute())
        };
        let base = from("XDG_CONFIG_HOME")
            .or_else(|| from("HOME").map(|h| h.join(".config")))
            .ok_or_else(|| {
                Refused(
                    "no configuration directory for contexts: set XDG_CONFIG_HOME or HOME".into(),
                )
            })?;
        Ok(Store {
            dir: base.join("nsq-cli"),
        })
    }

    fn contexts_dir(&self) -> PathBuf {
        self.dir.join("contexts")
    }

    fn selection_file(&self) -> PathBuf {
        self.dir.join("selected-context")
    }

    /// The file of context `name`.
    pub fn path(&self, name: &str) -> PathBuf {
        self.contexts_dir().join(format!("{name}.toml"))
    }

    pub fn exists(&self, name: &str) -> bool {
        self.path(name).is_file()
    }

    /// The contexts there are, sorted by name.
    pub fn names(&self) -> anyhow::Result<Vec<String>> {
        let dir = self.contexts_dir();
        let entries = match std::fs::read_dir(&dir) {
            Ok(e) => e,
            Err(e) if e.kind() == std::io::ErrorKind::NotFound => return Ok(Vec::new()),
            Err(e) => return Err(e).with_context(|| format!("cannot list {}", dir.display())),
        };
        let mut names: Vec<String> = entries
            .filter_map(|e| e.ok()?.file_name().into_string().ok())
            .filter_map(|f| f.strip_suffix(".toml").map(str::to_string))
            .filter(|n| check_name(n).is_ok())
            .collect();
        names.sort();
        Ok(names)
    }

    /// Refuses an unknown context, listing the known ones.
    pub fn require(&self, name: &str) -> anyhow::Result<()> {
        check_name(name)?;
        if self.exists(name) {
            return Ok(());
        }
        let known = self.names()?;
        let list = if known.is_empty() {
            "there are none yet (nsq-cli context add NAME ...)".to_string()
        } else {
            format!("known: {}", known.join(", "))
        };
        Err(Refused(format!("unknown context {name:?}: {list}")).into())
    }

    /// Reads and checks context `name` (refused if unknown or malformed).
    pub fn load(&self, name: &str) -> anyhow::Result<Settings> {
        self.require(name)?;
        let path = self.path(name);
        let text = std::fs::read_to_string(&path)
            .with_context(|| format!("cannot read context file {}", path.display()))?;
        Ok(parse(&path, &text)?)
    }

    /// Writes context `name` atomically, mode 0600.
    pub fn save(&self, name: &str, settings: &Settings) -> anyhow::Result<()> {
        let text = toml::to_string(settings).context("cannot write the context as TOML")?;
        write_atomic(&self.path(name), text.as_bytes())
    }

    pub fn remove(&self, name: &str) -> anyhow::Result<()> {
        let path = self.path(name);
        std::fs::remove_file(&path).with_context(|| format!("cannot remove {}", path.display()))
    }

    /// The name in the selection file, if any.
    pub fn selected(&self) -> anyhow::Result<Option<String>> {
        let path = self.selection_file();
        match std::fs::read_to_string(&path) {
            Ok(s) => Ok(Some(s.trim().to_string()).filter(|s| !s.is_empty())),
            Err(e) if e.kind() == std::io::ErrorKind::NotFound => Ok(None),
            Err(e) => Err(e).with_context(|| format!("cannot read {}", path.display())),
        }
    }

    /// Selects `name`, or no context.
    pub fn select(&self, name: Option<&str>) -> anyhow::Result<()> {
        let path = self.selection_file();
        match name {
            Some(n) => write_atomic(&path, format!("{n}\n").as_bytes()),
            None => match std::fs::remove_file(&path) {
                Err(e) if e.kind() != std::io::ErrorKind::NotFound => {
                    Err(e).with_context(|| format!("cannot remove {}", path.display()))
                }
                _ => Ok(()),
            },
        }
    }
}

/// Parses and validates a context file's text; a refusal names the file, the
/// line and the key.
pub fn parse(path: &Path, text: &str) -> Result<Settings, Refused> {
    let at = |line: Option<usize>, key: Option<&str>, why: &str| {
        let mut s = format!("context file {}", path.display());
        if let Some(l) = line {
            s.push_str(&format!(", line {l}"));
        }
        if let Some(k) = key {
            s.push_str(&format!(", key {k}"));
        }
        Refused(format!("{s}: {}", why.trim_end()))
    };
    let settings: Settings = toml::from_str(text).map_err(|e| {
        let start = e.span().map(|s| s.start);
        let line = start.map(|s| text[..s.min(text.len())].matches('\n').count() + 1);
        let key = line.and_then(|l| key_on_line(text, l));
        at(line, key.as_deref(), e.message())
    })?;
    settings
        .validate()
        .map_err(|Invalid { key, why }| at(line_of_key(text, key), Some(key), &why))?;
    Ok(settings)
}

/// The key assigned on line `line` (1-based), if the line is `key = value`.
fn key_on_line(text: &str, line: usize) -> Option<String> {
    assigned_key(text.lines().nth(line.checked_sub(1)?)?).map(str::to_string)
}

/// The line (1-based) where `key` is assigned.
pub fn line_of_key(text: &str, key: &str) -> Option<usize> {
    text.lines()
        .position(|l| assigned_key(l) == Some(key))
        .map(|i| i + 1)
}

/// `key` of a line `key = value` (a bare or quoted key).
fn assigned_key(line: &str) -> Option<&str> {
    let k = line.split_once('=')?.0.trim().trim_matches('"');
    (!k.is_empty() && !k.starts_with('[')).then_some(k)
}

/// Writes `bytes` to `path` through a temporary file in the same directory
/// (created 0700 if missing), mode 0600, renamed into place: a reader sees the
/// old file or the new one, and no temporary file is left behind.
pub fn write_atomic(path: &Path, bytes: &[u8]) -> anyhow::Result<()> {
    let dir = path.parent().context("a file path has a directory")?;
    create_private_dir(dir)?;
    let mut tmp = tempfile::Builder::new()
        .prefix(".nsq-cli-")
        .tempfile_in(dir)
        .with_context(|| format!("cannot create a file in {}", dir.display()))?;
    set_private(tmp.path())?;
    tmp.write_all(bytes)
        .and_then(|_| tmp.as_file().sync_all())
        .with_context(|| format!("cannot write {}", tmp.path().display()))?;
    tmp.persist(path)
        .map_err(|e| e.error)
        .with_context(|| format!("cannot write {}", path.display()))?;
    Ok(())
}

fn create_private_dir(dir: &Path) -> anyhow::Result<()> {
    let mut b = std::fs::DirBuilder::new();
    b.recursive(true);
    #[cfg(unix)]
    std::os::unix::fs::DirBuilderExt::mode(&mut b, 0o700);
    b.create(dir)
        .with_context(|| format!("cannot create {}", dir.display()))
}

fn set_private(path: &Path) -> anyhow::Result<()> {
    #[cfg(unix)]
    {
        use std::os::unix::fs::PermissionsExt;
        std::fs::set_permissions(path, std::fs::Permissions::from_mode(0o600))
            .with_context(|| format!("cannot set the mode of {}", path.display()))?;
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn names_follow_the_rule() {
        for ok in ["prod", "eu-west.1", "a_b", &"x".repeat(64)] {
            assert!(check_name(ok).is_ok(), "{ok}");
        }
        for bad in [
            "",
            ".hidden",
            "-x",
            "a/b",
            "..",
            "a b",
            &"x".repeat(65),
            "é",
        ] {
            let e = check_name(bad).unwrap_err().0;
            assert!(e.contains(NAME_RULE), "{e}");
        }
    }

    #[test]
    fn a_malformed_file_is_named_with_line_and_key() {
        let p = Path::new("/c/prod.toml");
        let e = parse(p, "lookupd_http_address = [\"a:4161\"]\ntls = \"yes\"\n")
            .unwrap_err()
            .0;
        assert!(
            e.starts_with("context file /c/prod.toml, line 2, key tls: "),
            "{e}"
        );
        assert!(!e.contains('\n'), "{e}");
        let e = parse(p, "\nlookupd = [\"a\"]\n").unwrap_err().0;
        assert!(e.contains("line 2, key lookupd: unknown field"), "{e}");
        let e = parse(p, "tls = true\nnsqd_tcp_address = [\"h:99999\"]\n")
            .unwrap_err()
            .0;
        assert!(e.contains("line 2, key nsqd_tcp_address: "), "{e}");
        let e = parse(p, "tls = [\n").unwrap_err().0;
        assert!(e.starts_with("context file /c/prod.toml, line "), "{e}");
    }

    #[test]
    fn a_file_round_trips() {
        let s = Settings {
            nsqd_tcp_address: vec!["h:4150".into()],
            deflate: Some(3),
            tls_ca: Some("/ca.pem".into()),
            ..Settings::default()
        };
        let text = toml::to_string(&s).unwrap();
        assert_eq!(parse(Path::new("x"), &text).unwrap(), s);
    }
}
