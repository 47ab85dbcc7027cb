//! `GET /sm-config/status`: what the page is talking to.

use crate::config::{Config, Mode};
use serde::{Deserialize, Serialize};
use sm_config::Target;

/// The status answer; see the crate documentation for the JSON shape.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Status {
    /// `emulator` or `relay`.
    pub mode: String,
    /// The instance's ID; the emulator reports a made-up one, a relay to a bare URL `null`.
    pub instance_id: Option<String>,
    /// The instance's region.
    pub region: Option<String>,
    /// `public` or `private`.
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
    /// right one. When `false`, the instance is not named (`null`s, no `upstream`).
    #[serde(default = "yes")]
    pub authorized: bool,
}

fn yes() -> bool {
    true
}

impl Status {
    /// The status of a server started with `config`.
    pub fn of(config: &Config) -> Status {
        let described = |target: Option<&Target>| {
            (
                target.map(|t| t.instance_id.clone()),
                target.map(|t| t.region.clone()),
                target.map(|t| t.endpoint.as_str().to_owned()),
            )
        };
        match &config.mode {
            Mode::Emulator => {
                // The core's placeholder: all zeros, plainly not a real instance.
                let (instance_id, region, endpoint) = described(Some(&Target::placeholder()));
                Status {
                    mode: "emulator".to_owned(),
                    instance_id,
                    region,
                    endpoint,
                    credentials: false,
                    upstream: None,
                    launch_token: false,
                    authorized: true,
                }
            }
            Mode::Relay(relay) => {
                let target = relay
                    .target
                    .clone()
                    .or_else(|| Target::from_url(&relay.upstream).ok());
                let (instance_id, region, endpoint) = described(target.as_ref());
                Status {
                    mode: "relay".to_owned(),
                    instance_id,
                    region,
                    endpoint,
                    credentials: relay.api_key.is_some(),
                    upstream: Some(relay.upstream.clone()),
                    launch_token: config.holds_credential(),
                    authorized: true,
                }
            }
        }
    }

    /// What a request without the launch token learns: the mode, that a token is needed, and
    /// nothing about the instance.
    pub(crate) fn unauthorized(&self) -> Status {
        Status {
            mode: self.mode.clone(),
            instance_id: None,
            region: None,
            endpoint: None,
            credentials: self.credentials,
            upstream: None,
            launch_token: self.launch_token,
            authorized: false,
        }
    }
}
