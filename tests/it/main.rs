//! The integration tests: one test binary (as ripgrep has), one module per
//! command or area, sharing `common` (the embedded broker, processes with
//! deadlines, a raw NSQ client), `cluster_util` and `reference_support` (the
//! golden replays of `tests/fixtures/nsqd-v1.3.0`). Run one area with
//! `cargo test --test it tail::`.

mod cluster_util;
mod common;
mod reference_support;

mod admin;
mod bench;
mod broker_http;
mod broker_tcp;
mod check;
mod completions;
mod conformance;
mod context;
mod dev;
mod drain;
mod exporter;
mod faults;
mod flags;
mod lookup;
mod nodes;
mod output;
mod publish;
mod reference_http;
mod reference_tcp;
mod relay;
mod replay;
mod security;
mod stats;
mod store;
mod tail;
