//! nsq-cli: a command-line toolkit for NSQ, and the embedded broker behind `nsq-cli dev`.

pub mod protocol;
