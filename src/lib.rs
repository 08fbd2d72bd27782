//! nsq-cli: a command-line toolkit for NSQ, and the embedded broker behind `nsq-cli dev`.

pub mod addr;
pub mod args;
pub mod broker;
pub mod cli;
pub mod client;
pub mod cmd;
pub mod error;
pub mod http;
pub mod output;
pub mod protocol;
pub mod tls;
