//! Errors the server reports to a client: a code (`E_INVALID`, ...), a description,
//! and whether the server closes the connection after sending it.

use std::fmt;

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ClientError {
    pub code: &'static str,
    pub desc: String,
    /// Fatal errors close the connection; only FIN/REQ/TOUCH failures are not.
    pub fatal: bool,
}

impl ClientError {
    pub fn fatal(code: &'static str, desc: impl Into<String>) -> Self {
        ClientError {
            code,
            desc: desc.into(),
            fatal: true,
        }
    }

    pub fn non_fatal(code: &'static str, desc: impl Into<String>) -> Self {
        ClientError {
            code,
            desc: desc.into(),
            fatal: false,
        }
    }

    pub fn invalid(desc: impl Into<String>) -> Self {
        Self::fatal("E_INVALID", desc)
    }

    /// The error frame's payload, as nsqd writes it: `CODE DESC`.
    pub fn to_frame_data(&self) -> String {
        format!("{} {}", self.code, self.desc)
    }
}

impl fmt::Display for ClientError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{} {}", self.code, self.desc)
    }
}

impl std::error::Error for ClientError {}

/// A server error frame as a client sees it: split into code and text.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ServerError {
    pub code: String,
    pub text: String,
}

impl ServerError {
    pub fn parse(data: &[u8]) -> ServerError {
        let s = String::from_utf8_lossy(data);
        match s.split_once(' ') {
            Some((code, text)) => ServerError {
                code: code.to_string(),
                text: text.to_string(),
            },
            None => ServerError {
                code: s.to_string(),
                text: String::new(),
            },
        }
    }

    /// Errors after which nsqd keeps the connection open.
    pub fn is_fatal(&self) -> bool {
        !matches!(
            self.code.as_str(),
            "E_FIN_FAILED" | "E_REQ_FAILED" | "E_TOUCH_FAILED"
        )
    }
}

impl fmt::Display for ServerError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        if self.text.is_empty() {
            write!(f, "{}", self.code)
        } else {
            write!(f, "{} {}", self.code, self.text)
        }
    }
}

impl std::error::Error for ServerError {}
