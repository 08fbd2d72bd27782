//! nsq-cli: a command-line toolkit for NSQ, and the embedded broker behind `nsq-cli dev`.

pub mod addr;
pub mod broker;
pub mod cli;
pub mod client;
pub mod clock;
pub mod cmd;
pub mod error;
pub mod nsq_http;
pub mod output;
pub mod protocol;
pub mod tls;

/// The old name of [`nsq_http`], kept so code written against `crate::nsq_http` still compiles.
pub use crate::nsq_http as http;
