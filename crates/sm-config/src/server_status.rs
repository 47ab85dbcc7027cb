//! `GET /sm-config/status`: what the local server (`sm-config serve`) says it is talking to.
//!
//! One type for both ends: the server serializes it, the console page reads it back with
//! [`ServerStatus::from_value`] (by hand rather than through the serde derive, which would cost
//! the page about 1 KB of wasm), so the two cannot drift apart.

use crate::target::{Endpoint, Target};
use serde::{Deserialize, Serialize};
use serde_json::Value;

/// The status answer.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct ServerStatus {
    /// [`ServerStatus::EMULATOR`] or [`ServerStatus::RELAY`].
    pub mode: String,
    /// The instance's ID; the emulator reports a made-up one, a relay to a bare URL `null`.
    pub instance_id: Option<String>,
    /// The instance's Secrets Manager region.
    pub region: Option<String>,
    /// `public` or `private` (an older server may give the instance URL).
    pub endpoint: Option<String>,
    /// Whether the server holds an API key (requests without a token of their own work).
    pub credentials: bool,
    /// The relay's upstream base URL; absent for the emulator.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub upstream: Option<String>,
    /// Whether API requests must carry the launch token (the server holds a credential).
    #[serde(default)]
    pub launch_token: bool,
    /// Whether this request may use the API: no launch token is needed, or it carried the
    /// right one. When `false`, the instance is not named (`null`s, no `upstream`). An older
    /// server, which has no launch token, lets everyone in.
    #[serde(default = "yes")]
    pub authorized: bool,
}

fn yes() -> bool {
    true
}

impl Default for ServerStatus {
    /// What a status without any known field says: no mode, no credentials, no launch token.
    fn default() -> ServerStatus {
        ServerStatus {
            mode: String::new(),
            instance_id: None,
            region: None,
            endpoint: None,
            credentials: false,
            upstream: None,
            launch_token: false,
            authorized: true,
        }
    }
}

impl ServerStatus {
    /// The mode of a server that emulates the API in its own process.
    pub const EMULATOR: &str = "emulator";
    /// The mode of a server that relays to a real instance.
    pub const RELAY: &str = "relay";

    /// The status of a server in `mode` playing or relaying to `target`.
    pub fn new(mode: &str, target: Option<&Target>) -> ServerStatus {
        ServerStatus {
            mode: mode.to_owned(),
            instance_id: target.map(|t| t.instance_id.clone()),
            region: target.map(|t| t.region.clone()),
            endpoint: target.map(|t| t.endpoint.as_str().to_owned()),
            ..ServerStatus::default()
        }
    }

    /// Reads the status object field by field; a field missing or of the wrong type counts as
    /// absent (what [`Default`] says).
    pub fn from_value(value: &Value) -> ServerStatus {
        let text = |key: &str| value.get(key).and_then(Value::as_str).map(str::to_owned);
        let flag = |key: &str| value.get(key).and_then(Value::as_bool);
        let default = ServerStatus::default();
        ServerStatus {
            mode: text("mode").unwrap_or_default(),
            instance_id: text("instance_id"),
            region: text("region"),
            endpoint: text("endpoint"),
            credentials: flag("credentials").unwrap_or(default.credentials),
            upstream: text("upstream"),
            launch_token: flag("launch_token").unwrap_or(default.launch_token),
            authorized: flag("authorized").unwrap_or(default.authorized),
        }
    }

    /// What a request without the launch token learns: the mode, that a token is needed, and
    /// nothing about the instance.
    pub fn unauthorized(&self) -> ServerStatus {
        ServerStatus {
            mode: self.mode.clone(),
            credentials: self.credentials,
            launch_token: self.launch_token,
            authorized: false,
            ..ServerStatus::default()
        }
    }

    /// Whether the server wants a launch token the caller does not have (or has a stale one).
    pub fn locked(&self) -> bool {
        self.launch_token && !self.authorized
    }

    /// Whether the server is the local emulator.
    pub fn is_emulator(&self) -> bool {
        self.mode == ServerStatus::EMULATOR
    }

    /// Whether requests need a bearer token from the caller.
    pub fn needs_token(&self) -> bool {
        !self.is_emulator() && !self.credentials
    }

    /// The endpoint kind, whether the server gave a word or a URL.
    pub fn endpoint_kind(&self) -> Option<Endpoint> {
        let endpoint = self.endpoint.as_deref()?;
        endpoint
            .parse()
            .ok()
            .or_else(|| Target::from_url(endpoint).ok().map(|t| t.endpoint))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_hand_reader_reads_what_serde_writes() {
        let target = Target::new(
            "b49ad24d-81d4-5ebc-b9b9-b0937d1c84d5",
            "eu-de",
            Endpoint::Private,
        );
        let mut written = ServerStatus::new(ServerStatus::RELAY, Some(&target));
        written.credentials = true;
        written.upstream = Some("https://example.test".to_owned());
        written.launch_token = true;
        for status in [
            written.clone(),
            written.unauthorized(),
            ServerStatus::default(),
        ] {
            let value = serde_json::to_value(&status).unwrap();
            assert_eq!(ServerStatus::from_value(&value), status);
            assert_eq!(
                serde_json::from_value::<ServerStatus>(value).unwrap(),
                status
            );
        }
        assert_eq!(written.endpoint_kind(), Some(Endpoint::Private));
        assert!(written.unauthorized().locked() && !written.locked());
    }
}
