//! Exit codes and the errors that stop a subcommand before it can judge any input.

use std::path::PathBuf;
use std::process::ExitCode;

/// Every input was read and no finding is an error (warnings allowed).
pub const VALID: ExitCode = ExitCode::SUCCESS;

/// At least one input has an error finding.
pub const INVALID: ExitCode = ExitCode::FAILURE;

/// The command line, the environment or an input could not be used (clap exits 2 as well).
pub fn usage() -> ExitCode {
    ExitCode::from(2)
}

/// Why a subcommand could not run; reported on stderr with exit code 2.
#[derive(Debug, thiserror::Error)]
pub enum CliError {
    /// An input file (or stdin) could not be read.
    #[error("cannot read {}: {source}", display_path(.path))]
    Read {
        /// The path as given (`-` for stdin).
        path: PathBuf,
        /// What the OS said.
        source: std::io::Error,
    },
    /// `SECRETS_MANAGER_URL` cannot be used.
    #[error(transparent)]
    Env(#[from] sm_config_server::EnvTargetError),
    /// Writing the output failed (e.g. a closed pipe).
    #[error("cannot write the output: {0}")]
    Write(#[from] std::io::Error),
}

fn display_path(path: &std::path::Path) -> String {
    if path.as_os_str() == "-" {
        "standard input".to_owned()
    } else {
        format!("`{}`", path.display())
    }
}
