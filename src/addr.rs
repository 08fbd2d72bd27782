//! nsqd TCP addresses as people type them, checked before anything starts.
//!
//! `host:port`, `host` (nsqd's default TCP port is added), `[::1]:4150`, `::1`.
//! A scheme (`http://…`), a path, an empty host or a port that is not 1-65535 is
//! refused with a one-line reason naming the value, so a typo is exit 2 instead
//! of a connection retried forever.

/// nsqd's default TCP port, added to an address that has none.
pub const DEFAULT_TCP_PORT: u16 = 4150;

/// Checks an nsqd TCP address and returns it with the default port added where
/// it had none. `flag` names the flag in the error (`--nsqd-tcp-address`).
pub fn tcp_address(flag: &str, addr: &str) -> Result<String, String> {
    let a = addr.trim();
    let bad = |why: &str| format!("invalid {flag} {addr:?}: {why}");
    if a.is_empty() {
        return Err(bad("empty (expected host:port, e.g. 127.0.0.1:4150)"));
    }
    if let Some((scheme, _)) = a.split_once("://") {
        return Err(bad(&format!(
            "a TCP address is host:port without a scheme; {scheme}:// addresses are \
             for the HTTP API (--nsqd-http-address, --lookupd-http-address)"
        )));
    }
    if a.contains('/') {
        return Err(bad("a TCP address is host:port, without a path"));
    }
    let (host, port) = split(a).map_err(|why| bad(&why))?;
    if host.is_empty() {
        return Err(bad("no host (expected host:port, e.g. 127.0.0.1:4150)"));
    }
    if host.chars().any(|c| c.is_whitespace()) {
        return Err(bad("the host has a space in it"));
    }
    let port = port.unwrap_or(DEFAULT_TCP_PORT);
    if host.contains(':') {
        Ok(format!("[{host}]:{port}"))
    } else {
        Ok(format!("{host}:{port}"))
    }
}

/// Checks every address of a list (the values of a repeatable flag).
pub fn tcp_addresses(flag: &str, addrs: &[String]) -> Result<Vec<String>, String> {
    addrs.iter().map(|a| tcp_address(flag, a)).collect()
}

/// Splits into host (IPv6 without brackets) and port, if any.
fn split(a: &str) -> Result<(&str, Option<u16>), String> {
    if let Some(rest) = a.strip_prefix('[') {
        let (host, tail) = rest
            .split_once(']')
            .ok_or("'[' without ']' (IPv6 is written [::1]:4150)")?;
        return match tail {
            "" => Ok((host, None)),
            t => match t.strip_prefix(':') {
                Some(p) => Ok((host, Some(port(p)?))),
                None => Err(format!("unexpected {t:?} after ']'")),
            },
        };
    }
    match a.rsplit_once(':') {
        // Several colons without brackets: a bare IPv6 address.
        Some((h, _)) if h.contains(':') => Ok((a, None)),
        Some((h, p)) => Ok((h, Some(port(p)?))),
        None => Ok((a, None)),
    }
}

fn port(p: &str) -> Result<u16, String> {
    p.parse::<u16>()
        .ok()
        .filter(|p| *p > 0)
        .ok_or_else(|| format!("the port {p:?} is not a number from 1 to 65535"))
}

#[cfg(test)]
mod tests {
    use super::*;

    fn ok(a: &str) -> String {
        tcp_address("--nsqd-tcp-address", a).unwrap()
    }
    fn err(a: &str) -> String {
        tcp_address("--nsqd-tcp-address", a).unwrap_err()
    }

    #[test]
    fn good_addresses_get_the_default_port() {
        assert_eq!(ok("localhost"), "localhost:4150");
        assert_eq!(ok(" 127.0.0.1:4150 "), "127.0.0.1:4150");
        assert_eq!(ok("[::1]:5"), "[::1]:5");
        assert_eq!(ok("[::1]"), "[::1]:4150");
        assert_eq!(ok("::1"), "[::1]:4150");
    }

    #[test]
    fn malformed_addresses_name_the_value_and_the_rule() {
        let e = err("localhost:notaport");
        assert!(
            e.contains("\"localhost:notaport\"") && e.contains("1 to 65535"),
            "{e}"
        );
        let e = err("http://127.0.0.1:4150");
        assert!(
            e.contains("without a scheme") && e.contains("--nsqd-http-address"),
            "{e}"
        );
        assert!(err("h:0").contains("1 to 65535"));
        assert!(err("h:70000").contains("1 to 65535"));
        assert!(err(":4150").contains("no host"));
        assert!(err("").contains("empty"));
        assert!(err("h:4150/x").contains("path"));
        assert!(err("[::1").contains("without ']'"));
    }
}
