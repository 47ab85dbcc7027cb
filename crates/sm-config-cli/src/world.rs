//! `sm-config world`: prints the emulator's built-in world (to copy, edit and pass to
//! `sm-config serve --world FILE`), or checks a world file with `--check FILE`.

use crate::error::{self, CliError};
use std::io::Write;
use std::path::PathBuf;
use std::process::ExitCode;

/// Options of `world`.
#[derive(Debug, clap::Args)]
#[command(after_help = "The format is documented in docs/world.md.")]
pub struct Args {
    /// Check this world file instead of printing the default (exit 1 with every problem and
    /// its path into the file)
    #[arg(long, value_name = "FILE")]
    check: Option<PathBuf>,
}

/// Runs `world`.
pub fn run(args: Args) -> Result<ExitCode, CliError> {
    let mut out = std::io::stdout().lock();
    let Some(path) = args.check else {
        out.write_all(sm_config_server::world::DEFAULT_WORLD_JSON.as_bytes())?;
        out.flush()?;
        return Ok(error::VALID);
    };
    let input = crate::input::read(&path)?;
    match sm_config_server::world::parse_world(&input.bytes) {
        Ok(world) => {
            for line in sm_config_server::world::summary(&world, &input.name) {
                writeln!(out, "{line}")?;
            }
            Ok(error::VALID)
        }
        Err(e) => {
            writeln!(out, "{}: invalid world", input.name)?;
            for p in &e.problems {
                let at = if p.path.is_empty() { "(file)" } else { &p.path };
                writeln!(out, "  {at}: {}", p.message)?;
            }
            Ok(error::INVALID)
        }
    }
}
