//! Our NSQ client: connections, producer, consumer, discovery.

pub mod conn;
pub mod consumer;
pub mod discovery;
pub mod pool;
pub mod producer;
pub mod security;
