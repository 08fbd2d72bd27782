//! nsqd and nsqlookupd HTTP API client.
