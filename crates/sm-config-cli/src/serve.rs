//! `sm-config serve`: the local server that emulates the configurations API, relays it to a
//! real instance and hosts the console. Everything lives in `sm-config-server`; this module
//! only hands over the parsed arguments.

use crate::error::CliError;
use std::process::ExitCode;

/// Options of `serve` (defined by the server crate, so its tests parse the same flags).
pub use sm_config_server::ServeArgs as Args;

/// Runs the server until Ctrl-C or SIGTERM; exit code 1 when it cannot start or fails.
pub fn run(args: Args) -> Result<ExitCode, CliError> {
    match sm_config_server::serve_blocking(args) {
        Ok(()) => Ok(ExitCode::SUCCESS),
        Err(err) => {
            eprintln!("sm-config: error: {err}");
            Ok(ExitCode::FAILURE)
        }
    }
}
