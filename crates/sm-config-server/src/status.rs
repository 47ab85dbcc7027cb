//! `GET /sm-config/status`: what the page is talking to. The answer is the core's
//! [`ServerStatus`], which the page reads back.

use crate::config::{Config, Mode};
use sm_config::Target;

pub use sm_config::ServerStatus as Status;

/// The status of a server started with `config`.
pub fn of(config: &Config) -> Status {
    match &config.mode {
        // The core's placeholder: all zeros, plainly not a real instance.
        Mode::Emulator => Status::new(Status::EMULATOR, Some(&Target::placeholder())),
        Mode::Relay(relay) => {
            let target = relay
                .target
                .clone()
                .or_else(|| Target::from_url(&relay.upstream).ok());
            Status {
                credentials: relay.api_key.is_some(),
                upstream: Some(relay.upstream.clone()),
                launch_token: config.holds_credential(),
                ..Status::new(Status::RELAY, target.as_ref())
            }
        }
    }
}
