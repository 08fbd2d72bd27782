//! Our NSQ client: connections, producer, consumer, discovery.

pub mod conn;
pub mod connector;
pub mod consumer;
pub mod discovery;
pub mod options;
pub mod pool;
pub mod producer;
pub mod relay;
pub mod security;
