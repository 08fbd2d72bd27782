//! AUTH, server side: the secret sent to the auth servers, and the check of each
//! PUB/SUB against what they granted.

use super::{read_sized_body, Conn, Reader};
use crate::broker::auth::{query_any, AuthQuery};
use crate::broker::client::STATE_INIT;
use crate::broker::Event;
use crate::protocol::{go_quote, ClientError};

impl Conn {
    fn auth_query(&self) -> AuthQuery<'_> {
        AuthQuery {
            remote_ip: &self.remote_ip,
            tls: self.tls,
            common_name: &self.common_name,
            secret: &self.auth_secret,
        }
    }

    fn has_authorizations(&self) -> bool {
        self.auth
            .as_ref()
            .is_some_and(|a| !a.authorizations.is_empty())
    }

    /// nsqd's CheckAuth: with auth enabled, the client must have authenticated and
    /// the (possibly re-fetched) authorizations must allow `cmd` on topic/channel.
    pub(super) async fn check_auth(
        &mut self,
        cmd: &str,
        topic: &str,
        channel: &str,
    ) -> Result<(), ClientError> {
        if self.nsqd.opts.auth_http_addresses.is_empty() {
            return Ok(());
        }
        if !self.has_authorizations() {
            return Err(ClientError::fatal(
                "E_AUTH_FIRST",
                format!("AUTH required before {cmd}"),
            ));
        }
        if self.auth.as_ref().is_some_and(|a| a.is_expired()) {
            match query_any(&self.nsqd.opts.auth_http_addresses, &self.auth_query()).await {
                Ok(state) => self.auth = Some(state),
                Err(e) => {
                    self.nsqd.opts.events.emit(Event::AuthFailed(e));
                    return Err(ClientError::fatal("E_AUTH_FAILED", "AUTH failed"));
                }
            }
        }
        if self.auth.as_ref().is_some_and(|a| a.allows(topic, channel)) {
            return Ok(());
        }
        Err(ClientError::fatal(
            "E_UNAUTHORIZED",
            format!(
                "AUTH failed for {cmd} on {} {}",
                go_quote(topic.as_bytes()),
                go_quote(channel.as_bytes())
            ),
        ))
    }

    pub(super) async fn auth(
        &mut self,
        r: &mut Reader,
        p: &[Vec<u8>],
    ) -> Result<Option<Vec<u8>>, ClientError> {
        if self.state() != STATE_INIT {
            return Err(ClientError::invalid("cannot AUTH in current state"));
        }
        if p.len() != 1 {
            return Err(ClientError::invalid("AUTH invalid number of parameters"));
        }
        let body = read_sized_body(r, "AUTH", self.nsqd.opts.max_body_size).await?;
        if self.has_authorizations() {
            return Err(ClientError::invalid("AUTH already set"));
        }
        if self.nsqd.opts.auth_http_addresses.is_empty() {
            return Err(ClientError::fatal("E_AUTH_DISABLED", "AUTH disabled"));
        }
        self.auth_secret = String::from_utf8_lossy(&body).into_owned();
        match query_any(&self.nsqd.opts.auth_http_addresses, &self.auth_query()).await {
            Ok(state) => {
                let mut m = self.client.meta.lock().unwrap();
                m.authed = !state.authorizations.is_empty();
                m.auth_identity = state.identity.clone();
                m.auth_identity_url = state.identity_url.clone();
                drop(m);
                self.auth = Some(state);
            }
            Err(e) => {
                // Like nsqd, the reason stays in our log, away from untrusted clients.
                self.nsqd.opts.events.emit(Event::AuthFailed(e));
                return Err(ClientError::fatal("E_AUTH_FAILED", "AUTH failed"));
            }
        }
        let Some(state) = self.auth.as_ref().filter(|a| !a.authorizations.is_empty()) else {
            return Err(ClientError::fatal(
                "E_UNAUTHORIZED",
                "AUTH no authorizations found",
            ));
        };
        #[derive(serde::Serialize)]
        struct AuthResponse<'a> {
            identity: &'a str,
            identity_url: &'a str,
            permission_count: usize,
        }
        let resp = serde_json::to_vec(&AuthResponse {
            identity: &state.identity,
            identity_url: &state.identity_url,
            permission_count: state.authorizations.len(),
        })
        .map_err(|e| ClientError::fatal("E_AUTH_ERROR", format!("AUTH error {e}")))?;
        Ok(Some(resp))
    }
}
