//! `--message` templates for `--count`: `{{Count}}`, `{{Time}}`, `{{Random min max}}`...

/// A `--count` message template.
#[derive(Debug, Clone, PartialEq)]
enum Part {
    Text(Vec<u8>),
    Count,
    Time,
    Unix,
    UnixNano,
    Id,
    Random(usize, usize),
}

#[derive(Debug, Clone, PartialEq)]
pub struct Template {
    parts: Vec<Part>,
    /// The --message it was parsed from.
    source: String,
}

const TEMPLATE_NAMES: &str = "{{Count}} {{Time}} {{Unix}} {{UnixNano}} {{ID}} {{Random min max}}";

impl Template {
    pub fn parse(s: &str) -> Result<Template, String> {
        let mut parts = Vec::new();
        let mut rest = s;
        while let Some(start) = rest.find("{{") {
            let Some(len) = rest[start..].find("}}") else {
                return Err(format!(
                    "unclosed template in --message at {:?}: expected }}}}",
                    &rest[start..]
                ));
            };
            if start > 0 {
                parts.push(Part::Text(rest.as_bytes()[..start].to_vec()));
            }
            let inner = &rest[start + 2..start + len];
            let words: Vec<&str> = inner.split_whitespace().collect();
            let part = match words.as_slice() {
                ["Count"] => Part::Count,
                ["Time"] => Part::Time,
                ["Unix"] => Part::Unix,
                ["UnixNano"] => Part::UnixNano,
                ["ID"] => Part::Id,
                ["Random", a, b] => {
                    let (min, max) = match (a.parse::<usize>(), b.parse::<usize>()) {
                        (Ok(min), Ok(max)) if min <= max && max > 0 => (min, max),
                        _ => {
                            return Err(format!(
                                "invalid template {{{{{inner}}}}}: Random needs two whole numbers, min <= max, max >= 1"
                            ))
                        }
                    };
                    Part::Random(min, max)
                }
                _ => {
                    return Err(format!(
                        "unknown template {{{{{inner}}}}} in --message (known: {TEMPLATE_NAMES})"
                    ))
                }
            };
            parts.push(part);
            rest = &rest[start + len + 2..];
        }
        if !rest.is_empty() {
            parts.push(Part::Text(rest.as_bytes().to_vec()));
        }
        Ok(Template {
            parts,
            source: s.to_string(),
        })
    }

    /// Refuses a template that can expand to more than `max_msg_size` bytes (with
    /// `count` messages), naming the part that does, before anything is sent.
    pub fn check_size(&self, count: u64, max_msg_size: usize) -> Result<(), String> {
        let over = |what: String, len: u128| {
            format!(
                "invalid --message template {what}: it can expand to {len} bytes, over nsqd's \
                 max message size of {max_msg_size} bytes (see --max-msg-size)"
            )
        };
        let mut total: u128 = 0;
        for p in &self.parts {
            let len = match p {
                Part::Text(t) => t.len() as u128,
                Part::Count => count.to_string().len() as u128,
                // RFC 3339 with milliseconds; a u64 of seconds or nanoseconds; 16 + up to 16 hex digits.
                Part::Time => 24,
                Part::Unix | Part::UnixNano => 20,
                Part::Id => 32,
                Part::Random(min, max) => {
                    if *max as u128 > max_msg_size as u128 {
                        return Err(over(format!("{{{{Random {min} {max}}}}}"), *max as u128));
                    }
                    *max as u128
                }
            };
            total += len;
        }
        if total > max_msg_size as u128 {
            return Err(over(format!("{:?}", self.source), total));
        }
        Ok(())
    }

    pub fn render(&self, count: u64, id_prefix: u64, out: &mut Vec<u8>) {
        use rand::Rng;
        use std::io::Write;
        let now = std::time::SystemTime::now();
        let since = now
            .duration_since(std::time::UNIX_EPOCH)
            .unwrap_or_default();
        for p in &self.parts {
            match p {
                Part::Text(t) => out.extend_from_slice(t),
                Part::Count => {
                    let _ = write!(out, "{count}");
                }
                Part::Time => {
                    let _ = write!(out, "{}", humantime::format_rfc3339_millis(now));
                }
                Part::Unix => {
                    let _ = write!(out, "{}", since.as_secs());
                }
                Part::UnixNano => {
                    let _ = write!(out, "{}", since.as_nanos());
                }
                Part::Id => {
                    let _ = write!(out, "{id_prefix:016x}{count:08x}");
                }
                Part::Random(min, max) => {
                    let mut rng = rand::rng();
                    let n = rng.random_range(*min..=*max);
                    out.extend((0..n).map(|_| rng.sample(rand::distr::Alphanumeric)));
                }
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn templates() {
        let t = Template::parse("n={{Count}} {{ Random 3 3 }}!").unwrap();
        let mut out = Vec::new();
        t.render(7, 0, &mut out);
        let s = String::from_utf8(out).unwrap();
        assert!(
            s.starts_with("n=7 ") && s.ends_with('!') && s.len() == 4 + 3 + 1,
            "{s}"
        );
        assert!(Template::parse("{{Nope}}")
            .unwrap_err()
            .contains("unknown template {{Nope}}"));
        assert!(Template::parse("{{Count").is_err());
        assert!(Template::parse("{{Random 5 2}}").is_err());
        let mut out = Vec::new();
        Template::parse("{{ID}}").unwrap().render(1, 2, &mut out);
        assert_eq!(out, b"000000000000000200000001");
    }

    #[test]
    fn template_sizes_are_bounded_before_rendering() {
        let size = |t: &str, count, max| Template::parse(t).unwrap().check_size(count, max);
        assert!(size("{{Random 1 10}}", 1, 10).is_ok());
        let e = size("{{Random 1 99999999999}}", 1, 10).unwrap_err();
        assert!(
            e.starts_with("invalid --message template {{Random 1 99999999999}}: it can expand to 99999999999 bytes"),
            "{e}"
        );
        // The parts add up: 2 + 10 bytes, and 1000 takes 4 digits.
        assert!(size("ab{{Random 1 10}}", 1, 11)
            .unwrap_err()
            .contains("12 bytes"));
        assert!(size("{{Count}}", 999, 3).is_ok());
        assert!(size("{{Count}}", 1000, 3).is_err());
    }
}
