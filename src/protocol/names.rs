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

/// Checks a topic name; the error is one line naming the value and the rule,
/// worded as `publish` words it.
pub fn check_topic_name(name: &str) -> Result<(), String> {
    if is_valid_topic_name(name.as_bytes()) {
        Ok(())
    } else {
        Err(format!(
            "invalid topic name {name:?}: a topic name is {NAME_RULE}"
        ))
    }
}

/// Checks a channel name, like [`check_topic_name`].
pub fn check_channel_name(name: &str) -> Result<(), String> {
    if is_valid_channel_name(name.as_bytes()) {
        Ok(())
    } else {
        Err(format!(
            "invalid channel name {name:?}: a channel name is {NAME_RULE}"
        ))
    }
}

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
        assert!(check_topic_name("ok").is_ok() && check_channel_name("ok#ephemeral").is_ok());
        let e = check_topic_name("bad name").unwrap_err();
        assert_eq!(
            e,
            format!("invalid topic name \"bad name\": a topic name is {NAME_RULE}")
        );
        assert!(check_channel_name("a/b")
            .unwrap_err()
            .starts_with("invalid channel name \"a/b\""));
    }
}
