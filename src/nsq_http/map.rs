//! `--map-address FROM=TO`: rewrites addresses that nsqlookupd announces but this
//! host cannot use, e.g. `nsqd:4150` from docker-compose, where `nsqd` only
//! resolves inside the compose network.
//!
//! A rule's FROM is either a host (`nsqd`: every port of that host) or a
//! `host:port` (that one address). TO is a host (the port is kept) or a
//! `host:port` (only allowed when FROM names a port too, since one host's
//! TCP and HTTP ports cannot both move to the same port).

use std::sync::RwLock;

/// One `FROM=TO` rule.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct MapRule {
    pub from_host: String,
    pub from_port: Option<u16>,
    pub to_host: String,
    pub to_port: Option<u16>,
}

/// Splits `host:port` (IPv6 as `[::1]:4150`); a bare host has no port.
fn split_host_port(s: &str) -> Result<(String, Option<u16>), String> {
    if let Some(rest) = s.strip_prefix('[') {
        let (host, tail) = rest
            .split_once(']')
            .ok_or_else(|| format!("{s:?} has '[' without ']'"))?;
        return match tail.strip_prefix(':') {
            Some(p) => Ok((format!("[{host}]"), Some(parse_port(s, p)?))),
            None if tail.is_empty() => Ok((format!("[{host}]"), None)),
            None => Err(format!("{s:?} has text after ']'")),
        };
    }
    match s.rsplit_once(':') {
        // More than one ':' without brackets: a bare IPv6 address.
        Some((h, _)) if h.contains(':') => Ok((s.to_string(), None)),
        Some((h, p)) => Ok((h.to_string(), Some(parse_port(s, p)?))),
        None => Ok((s.to_string(), None)),
    }
}

fn parse_port(whole: &str, p: &str) -> Result<u16, String> {
    p.parse::<u16>()
        .ok()
        .filter(|p| *p > 0)
        .ok_or_else(|| format!("{whole:?} has an invalid port {p:?} (1-65535)"))
}

/// Parses `FROM=TO` (clap value parser for `--map-address` and `NSQ_MAP_ADDRESS`).
pub fn parse_rule(s: &str) -> Result<MapRule, String> {
    let (from, to) = s.split_once('=').ok_or_else(|| {
        format!("invalid --map-address {s:?}: expected FROM=TO, e.g. nsqd=127.0.0.1 or nsqd:4151=localhost:14151")
    })?;
    let (from, to) = (from.trim(), to.trim());
    if from.is_empty() || to.is_empty() {
        return Err(format!(
            "invalid --map-address {s:?}: FROM and TO must both be non-empty"
        ));
    }
    let (from_host, from_port) =
        split_host_port(from).map_err(|e| format!("invalid --map-address: {e}"))?;
    let (to_host, to_port) =
        split_host_port(to).map_err(|e| format!("invalid --map-address: {e}"))?;
    if from_port.is_none() && to_port.is_some() {
        return Err(format!(
            "invalid --map-address {s:?}: FROM is a host, so TO must be a host too \
             (ports are kept); to move a port, map host:port=host:port"
        ));
    }
    Ok(MapRule {
        from_host,
        from_port,
        to_host,
        to_port,
    })
}

/// An ordered set of rules; the first rule that matches wins, and
/// `host:port` rules are tried before host-only ones.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct AddressMap {
    rules: Vec<MapRule>,
}

impl AddressMap {
    pub fn new(rules: Vec<MapRule>) -> AddressMap {
        let (mut exact, hosts): (Vec<_>, Vec<_>) =
            rules.into_iter().partition(|r| r.from_port.is_some());
        exact.extend(hosts);
        AddressMap { rules: exact }
    }

    pub fn is_empty(&self) -> bool {
        self.rules.is_empty()
    }

    /// Maps `host:port` (or a bare host); anything no rule matches is returned as is.
    pub fn map(&self, addr: &str) -> String {
        let Ok((host, port)) = split_host_port(addr) else {
            return addr.to_string();
        };
        for r in &self.rules {
            if !r.from_host.eq_ignore_ascii_case(&host) {
                continue;
            }
            if r.from_port.is_some() && r.from_port != port {
                continue;
            }
            return match (r.to_port.or(port), port) {
                (Some(p), _) => format!("{}:{p}", r.to_host),
                (None, _) => r.to_host.clone(),
            };
        }
        addr.to_string()
    }

    /// Maps a host and port given separately (as lookupd answers them).
    #[cfg(test)]
    pub fn map_parts(&self, host: &str, port: u16) -> String {
        self.map(&join_host_port(host, port))
    }
}

/// `host:port`, bracketing a bare IPv6 host.
pub fn join_host_port(host: &str, port: u16) -> String {
    if host.contains(':') && !host.starts_with('[') {
        format!("[{host}]:{port}")
    } else {
        format!("{host}:{port}")
    }
}

static GLOBAL: RwLock<Option<AddressMap>> = RwLock::new(None);

/// Installs the process-wide map (each subcommand does this once from its flags).
pub fn set_address_map(map: AddressMap) {
    *GLOBAL.write().unwrap_or_else(|e| e.into_inner()) = Some(map);
}

/// Maps an address learned from nsqlookupd through the process-wide `--map-address`
/// rules (identity when none were given).
pub fn map_address(addr: &str) -> String {
    match &*GLOBAL.read().unwrap_or_else(|e| e.into_inner()) {
        Some(m) => m.map(addr),
        None => addr.to_string(),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn map(rules: &[&str]) -> AddressMap {
        AddressMap::new(rules.iter().map(|r| parse_rule(r).unwrap()).collect())
    }

    #[test]
    fn host_rule_keeps_the_port() {
        let m = map(&["nsqd=127.0.0.1"]);
        assert_eq!(m.map("nsqd:4150"), "127.0.0.1:4150");
        assert_eq!(m.map("nsqd:4151"), "127.0.0.1:4151");
        assert_eq!(m.map("NSQD:4151"), "127.0.0.1:4151");
        assert_eq!(m.map("other:4150"), "other:4150");
        assert_eq!(m.map("nsqd"), "127.0.0.1");
        assert_eq!(m.map_parts("nsqd", 4150), "127.0.0.1:4150");
    }

    #[test]
    fn host_port_rule_moves_one_address_and_wins_over_host_rules() {
        let m = map(&["nsqd=10.0.0.1", "nsqd:4151=localhost:14151"]);
        assert_eq!(m.map("nsqd:4151"), "localhost:14151");
        assert_eq!(m.map("nsqd:4150"), "10.0.0.1:4150");
        let m = map(&["nsqd:4150=localhost"]);
        assert_eq!(m.map("nsqd:4150"), "localhost:4150");
        assert_eq!(m.map("nsqd:4151"), "nsqd:4151");
    }

    #[test]
    fn ipv6() {
        let m = map(&["[::1]:4150=nsqd:1"]);
        assert_eq!(m.map("[::1]:4150"), "nsqd:1");
        assert_eq!(join_host_port("::1", 4150), "[::1]:4150");
        let m = map(&["nsqd=[::1]"]);
        assert_eq!(m.map("nsqd:4150"), "[::1]:4150");
    }

    #[test]
    fn bad_rules_are_explained() {
        for (bad, needle) in [
            ("nsqd", "expected FROM=TO"),
            ("=x", "non-empty"),
            ("nsqd=", "non-empty"),
            ("nsqd:x=y", "invalid port"),
            ("nsqd:0=y", "invalid port"),
            ("nsqd=host:4150", "TO must be a host too"),
        ] {
            let e = parse_rule(bad).unwrap_err();
            assert!(e.contains(needle), "{bad}: {e}");
        }
    }
}
