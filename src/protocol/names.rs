//! Topic and channel names: `^[.a-zA-Z0-9_-]+(#ephemeral)?$`, 1 to 64 bytes in all.

pub const MAX_NAME_LENGTH: usize = 64;
pub const EPHEMERAL_SUFFIX: &str = "#ephemeral";

fn is_valid_name(name: &[u8]) -> bool {
    if name.is_empty() || name.len() > MAX_NAME_LENGTH {
        return false;
    }
    let base = name
        .strip_suffix(EPHEMERAL_SUFFIX.as_bytes())
        .unwrap_or(name);
    !base.is_empty()
        && base
            .iter()
            .all(|&c| c.is_ascii_alphanumeric() || c == b'.' || c == b'_' || c == b'-')
}

pub fn is_valid_topic_name(name: &[u8]) -> bool {
    is_valid_name(name)
}

pub fn is_valid_channel_name(name: &[u8]) -> bool {
    is_valid_name(name)
}

pub fn is_ephemeral(name: &str) -> bool {
    name.ends_with(EPHEMERAL_SUFFIX)
}

/// The rule, as told to a user whose name was refused.
pub const NAME_RULE: &str =
    "1 to 64 characters of a-z A-Z 0-9 . _ - with an optional #ephemeral suffix";

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn names() {
        assert!(is_valid_topic_name(b"test"));
        assert!(is_valid_topic_name(b"a.b_c-D9"));
        assert!(is_valid_topic_name(b"x#ephemeral"));
        assert!(is_valid_topic_name(&[b't'; 64]));
        assert!(!is_valid_topic_name(&[b't'; 65]));
        assert!(!is_valid_topic_name(b""));
        assert!(!is_valid_topic_name(b"#ephemeral"));
        assert!(!is_valid_topic_name(b"bad/name"));
        assert!(!is_valid_topic_name(b"a#b"));
        assert!(!is_valid_channel_name(b"x#ephemeral#ephemeral"));
        // the suffix counts towards the 64 bytes
        let mut long = vec![b'c'; 55];
        long.extend_from_slice(b"#ephemeral");
        assert!(!is_valid_channel_name(&long));
        assert!(is_valid_channel_name(&long[1..]));
        assert!(is_ephemeral("x#ephemeral"));
    }
}
