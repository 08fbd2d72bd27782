//! The `--delimiter` escapes shared by `publish` and `tail`.

/// Parses a delimiter with C-style escapes: `\n`, `\r`, `\t`, `\0`, `\\`, `\xHH`.
pub fn parse_delimiter(s: &str) -> Result<Vec<u8>, String> {
    let mut out = Vec::new();
    let b = s.as_bytes();
    let mut i = 0;
    while i < b.len() {
        if b[i] != b'\\' {
            out.push(b[i]);
            i += 1;
            continue;
        }
        let Some(&c) = b.get(i + 1) else {
            return Err(format!(
                "invalid --delimiter {s:?}: it ends with a lone backslash (write \\\\ for one)"
            ));
        };
        match c {
            b'n' => out.push(b'\n'),
            b'r' => out.push(b'\r'),
            b't' => out.push(b'\t'),
            b'0' => out.push(0),
            b'\\' => out.push(b'\\'),
            b'x' => {
                let hex = s.get(i + 2..i + 4).unwrap_or("");
                let v = u8::from_str_radix(hex, 16).ok().filter(|_| hex.len() == 2);
                match v {
                    Some(v) => out.push(v),
                    None => {
                        return Err(format!(
                            "invalid --delimiter {s:?}: \\x needs two hex digits, e.g. \\x1e"
                        ))
                    }
                }
                i += 2;
            }
            other => {
                return Err(format!(
                    "invalid --delimiter {s:?}: unknown escape \\{} (known: \\n \\r \\t \\0 \\\\ \\xHH)",
                    other as char
                ))
            }
        }
        i += 2;
    }
    if out.is_empty() {
        return Err("invalid --delimiter \"\": it must be at least one byte".into());
    }
    Ok(out)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn every_escape_and_the_errors() {
        assert_eq!(parse_delimiter("\\n\\r\\t\\0\\\\").unwrap(), b"\n\r\t\0\\");
        assert_eq!(parse_delimiter("--\\x1e\\xFF").unwrap(), b"--\x1e\xff");
        assert_eq!(parse_delimiter("é").unwrap(), "é".as_bytes());
        let e = parse_delimiter("\\q").unwrap_err();
        assert!(e.contains("\"\\\\q\"") && e.contains("known: "), "{e}");
        assert!(parse_delimiter("\\x1")
            .unwrap_err()
            .contains("two hex digits"));
        assert!(parse_delimiter("\\xzz").is_err());
        assert!(parse_delimiter("a\\")
            .unwrap_err()
            .contains("lone backslash"));
        assert!(parse_delimiter("")
            .unwrap_err()
            .contains("at least one byte"));
    }
}
