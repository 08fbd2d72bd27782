//! The JSON line format of a message, one object per line: what `tail --json` and
//! `tail --dead-letter` write, and what `publish --input-format json` reads back.

use crate::protocol::Message;
use base64::Engine;
use serde::Serialize;

/// The `--json` line (and `--dead-letter` record): field order is part of the format.
#[derive(Serialize)]
pub struct JsonRecord<'a> {
    pub id: String,
    pub attempts: u16,
    pub timestamp: i64,
    pub topic: &'a str,
    pub channel: &'a str,
    /// The nsqd it came from, host:port of its TCP address.
    pub node: &'a str,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub body: Option<&'a str>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub body_base64: Option<String>,
}

pub fn json_record<'a>(
    msg: &'a Message,
    topic: &'a str,
    channel: &'a str,
    node: &'a str,
) -> JsonRecord<'a> {
    let (body, body_base64) = match std::str::from_utf8(&msg.body) {
        Ok(s) => (Some(s), None),
        Err(_) => (
            None,
            Some(base64::engine::general_purpose::STANDARD.encode(&msg.body)),
        ),
    };
    JsonRecord {
        id: msg.id.to_string(),
        attempts: msg.attempts,
        timestamp: msg.timestamp,
        topic,
        channel,
        node,
        body,
        body_base64,
    }
}

/// What `publish --input-format json` reads of a `--json` line or `--dead-letter`
/// record: the body, as text or base64; every other field is ignored.
#[derive(serde::Deserialize)]
struct JsonBody {
    body: Option<String>,
    body_base64: Option<String>,
}

/// The body of one line written by `--json` or `--dead-letter`, byte for byte: a
/// JSON object with exactly one of `body` (UTF-8 text) and `body_base64`
/// (standard base64, padded). The error, worded to follow "line N", states the
/// rule the line breaks.
pub fn json_record_body(line: &[u8]) -> Result<Vec<u8>, String> {
    let rec: JsonBody = serde_json::from_slice(line).map_err(|e| {
        let what = e.to_string();
        // serde_json appends "at line 1 column N"; the caller names the line.
        let what = what.rsplit_once(" at line ").map_or(&*what, |(w, _)| w);
        format!(
            "is not a JSON object with \"body\" or \"body_base64\" (column {}: {what})",
            e.column()
        )
    })?;
    match (rec.body, rec.body_base64) {
        (Some(text), None) => Ok(text.into_bytes()),
        (None, Some(b64)) => base64::engine::general_purpose::STANDARD
            .decode(b64.as_bytes())
            .map_err(|e| format!("has a \"body_base64\" that is not valid base64 ({e})")),
        (Some(_), Some(_)) => {
            Err("has both \"body\" and \"body_base64\"; a record has exactly one".into())
        }
        (None, None) => Err("has neither \"body\" nor \"body_base64\"".into()),
    }
}
