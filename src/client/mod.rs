//! Our NSQ client: connections, producer, consumer, discovery.

pub mod conn;
pub mod producer;
pub mod security;
