//! IDENTIFY: the JSON a client sends about itself, and the server's
//! feature-negotiation answer, with nsqd's field names and order.

use serde::{Deserialize, Serialize};

/// What a client says in IDENTIFY. Every field is optional on the wire; `null` and
/// absent mean "use the server default", as in nsqd.
#[derive(Debug, Clone, Default, Serialize, Deserialize, PartialEq)]
#[serde(default)]
pub struct IdentifyRequest {
    #[serde(skip_serializing_if = "Option::is_none")]
    pub client_id: Option<String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub hostname: Option<String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub user_agent: Option<String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub heartbeat_interval: Option<i64>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub output_buffer_size: Option<i64>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub output_buffer_timeout: Option<i64>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub feature_negotiation: Option<bool>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub tls_v1: Option<bool>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub deflate: Option<bool>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub deflate_level: Option<i64>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub snappy: Option<bool>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub sample_rate: Option<i64>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub msg_timeout: Option<i64>,
}

impl IdentifyRequest {
    /// Parses an IDENTIFY body as nsqd does: unknown fields are ignored and a JSON
    /// `null` body means "all defaults".
    pub fn parse(body: &[u8]) -> Result<IdentifyRequest, serde_json::Error> {
        let v: serde_json::Value = serde_json::from_slice(body)?;
        if v.is_null() {
            return Ok(IdentifyRequest::default());
        }
        if !v.is_object() {
            // serde would accept an array as a tuple-struct; Go refuses anything but an object.
            return Err(serde::de::Error::custom(
                "IDENTIFY body is not a JSON object",
            ));
        }
        serde_json::from_value(v)
    }
}

/// The server's answer when the client asked for feature negotiation.
#[derive(Debug, Clone, Serialize, Deserialize, PartialEq)]
pub struct IdentifyResponse {
    pub max_rdy_count: i64,
    pub version: String,
    pub max_msg_timeout: i64,
    pub msg_timeout: i64,
    pub tls_v1: bool,
    pub deflate: bool,
    pub deflate_level: i64,
    pub max_deflate_level: i64,
    pub snappy: bool,
    pub sample_rate: i64,
    pub auth_required: bool,
    pub output_buffer_size: i64,
    pub output_buffer_timeout: i64,
}

/// The answer as a client reads it: tolerant of servers that send fewer fields.
#[derive(Debug, Clone, Default, Deserialize, PartialEq)]
#[serde(default)]
pub struct NegotiatedFeatures {
    pub max_rdy_count: Option<i64>,
    pub version: Option<String>,
    pub max_msg_timeout: Option<i64>,
    pub msg_timeout: Option<i64>,
    pub tls_v1: bool,
    pub deflate: bool,
    pub deflate_level: Option<i64>,
    pub snappy: bool,
    pub auth_required: bool,
    /// Not sent by nsqd 1.3.0; honoured when a server does send it.
    pub max_msg_size: Option<i64>,
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn response_field_order_matches_nsqd() {
        let r = IdentifyResponse {
            max_rdy_count: 2500,
            version: "1.3.0".into(),
            max_msg_timeout: 900000,
            msg_timeout: 60000,
            tls_v1: false,
            deflate: false,
            deflate_level: 6,
            max_deflate_level: 6,
            snappy: false,
            sample_rate: 0,
            auth_required: false,
            output_buffer_size: 16384,
            output_buffer_timeout: 250,
        };
        assert_eq!(
            serde_json::to_string(&r).unwrap(),
            r#"{"max_rdy_count":2500,"version":"1.3.0","max_msg_timeout":900000,"msg_timeout":60000,"tls_v1":false,"deflate":false,"deflate_level":6,"max_deflate_level":6,"snappy":false,"sample_rate":0,"auth_required":false,"output_buffer_size":16384,"output_buffer_timeout":250}"#
        );
    }

    #[test]
    fn request_parsing_is_lenient_like_go() {
        assert_eq!(
            IdentifyRequest::parse(b"null").unwrap(),
            IdentifyRequest::default()
        );
        let r = IdentifyRequest::parse(br#"{"short_id":"a","foo":1,"feature_negotiation":true}"#)
            .unwrap();
        assert_eq!(r.feature_negotiation, Some(true));
        assert!(IdentifyRequest::parse(br#"{"heartbeat_interval":"30000"}"#).is_err());
        assert!(IdentifyRequest::parse(b"{not json").is_err());
        assert!(IdentifyRequest::parse(b"[]").is_err());
    }
}
