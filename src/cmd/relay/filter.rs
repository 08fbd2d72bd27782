//! relay's --filter (a regex on the body) and --json-field (a JSON path equal to
//! a value), combined into the one predicate the relay lanes apply.

use crate::client::relay::Filter;
use serde_json::Value;
use std::sync::Arc;

/// `--json-field PATH=VALUE`: the field at PATH (keys between dots; a number
/// indexes an array) must equal VALUE.
#[derive(Debug, Clone, PartialEq)]
pub struct JsonField {
    pub path: Vec<String>,
    pub value: Value,
}

/// Parses `PATH=VALUE`. VALUE is read as JSON when it parses as JSON (`42`,
/// `true`, `null`, `"42"`, `[1,2]`), otherwise it is the string as typed.
pub fn parse_json_field(s: &str) -> Result<JsonField, String> {
    let Some((path, value)) = s.split_once('=') else {
        return Err("it must be PATH=VALUE, e.g. user.id=42".to_string());
    };
    let path: Vec<String> = path.split('.').map(str::to_string).collect();
    if path.iter().any(|k| k.is_empty()) {
        return Err("its PATH has an empty key: write keys between dots, e.g. user.id=42".into());
    }
    let value = serde_json::from_str(value).unwrap_or_else(|_| Value::String(value.to_string()));
    Ok(JsonField { path, value })
}

impl JsonField {
    /// Whether the JSON document `doc` has this field with this value. Numbers
    /// compare by value (42 matches 42.0), never with strings ("42" is not 42).
    pub fn holds(&self, doc: &Value) -> bool {
        let mut v = doc;
        for key in &self.path {
            let next = match v {
                Value::Object(m) => m.get(key),
                Value::Array(a) => key.parse::<usize>().ok().and_then(|i| a.get(i)),
                _ => None,
            };
            match next {
                Some(n) => v = n,
                None => return false,
            }
        }
        match (v, &self.value) {
            (Value::Number(a), Value::Number(b)) => a.as_f64() == b.as_f64(),
            (a, b) => a == b,
        }
    }
}

/// The predicate for the lanes, or None when neither --filter nor --json-field
/// was given. A body that is not JSON fails every --json-field.
pub fn build(regex: Option<regex::bytes::Regex>, fields: Vec<JsonField>) -> Option<Filter> {
    if regex.is_none() && fields.is_empty() {
        return None;
    }
    Some(Arc::new(move |body: &[u8]| {
        if regex.as_ref().is_some_and(|r| !r.is_match(body)) {
            return false;
        }
        if fields.is_empty() {
            return true;
        }
        match serde_json::from_slice::<Value>(body) {
            Ok(doc) => fields.iter().all(|f| f.holds(&doc)),
            Err(_) => false,
        }
    }))
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    fn field(s: &str) -> JsonField {
        parse_json_field(s).unwrap()
    }

    #[test]
    fn values_are_json_when_they_parse_else_strings() {
        assert_eq!(field("a=42").value, json!(42));
        assert_eq!(field("a=\"42\"").value, json!("42"));
        assert_eq!(field("a=eu").value, json!("eu"));
        assert_eq!(field("a=true").value, json!(true));
        assert_eq!(field("a.b=x=y").value, json!("x=y"));
        assert_eq!(field("a.b=x").path, vec!["a", "b"]);
        assert!(parse_json_field("a").is_err());
        assert!(parse_json_field("a..b=1").is_err());
        assert!(parse_json_field("=1").is_err());
    }

    #[test]
    fn numbers_match_numbers_and_strings_match_strings() {
        let doc = json!({"user": {"id": 42, "name": "ann", "tags": ["x", "y"]}, "n": "7"});
        assert!(field("user.id=42").holds(&doc));
        assert!(field("user.id=42.0").holds(&doc));
        assert!(!field("user.id=\"42\"").holds(&doc));
        assert!(!field("user.id=43").holds(&doc));
        assert!(field("user.name=ann").holds(&doc));
        assert!(field("user.tags.1=y").holds(&doc));
        assert!(!field("n=7").holds(&doc));
        assert!(field("n=\"7\"").holds(&doc));
        assert!(!field("user.missing=1").holds(&doc));
        assert!(!field("user.id.deeper=1").holds(&doc));
    }

    #[test]
    fn the_predicate_needs_the_regex_and_every_field() {
        let re = regex::bytes::Regex::new("click").unwrap();
        let f = build(Some(re), vec![field("geo=eu")]).unwrap();
        assert!(f(br#"{"type":"click","geo":"eu"}"#));
        assert!(!f(br#"{"type":"view","geo":"eu"}"#));
        assert!(!f(br#"{"type":"click","geo":"us"}"#));
        assert!(!f(b"click but not json"));
        assert!(build(None, vec![]).is_none());
        let only_re = build(Some(regex::bytes::Regex::new("^a").unwrap()), vec![]).unwrap();
        assert!(only_re(b"a\xff\x00"));
    }
}
