//! Our NSQ client: connections, producer, consumer, discovery.
