//! The target instance: the options every command shares with `serve` (defined by the server
//! crate, so both read them alike).

pub use sm_config_server::target_args::{Named, TargetArgs, URL_VAR};
