//! IBM's own Python SDKs against the emulator: `tests/sdk/test_emulator.py` drives
//! `sm-config serve` with `ibm-secrets-manager-sdk`, `ibm-code-engine-sdk` and
//! `ibm-platform-services` and loads every answer into their generated models.
//!
//! The SDKs live in a virtual environment under the target directory (`sdk-venv`), installed
//! from PyPI at the versions pinned in `tests/sdk/requirements.txt` only when that file changed
//! since the last install (a stamp holds its contents).

use crate::ctx::{Ctx, Error, Result, exec};

const REQUIREMENTS: &str = "tests/sdk/requirements.txt";
const SCRIPT: &str = "tests/sdk/test_emulator.py";

/// Builds the binary, makes sure the SDKs are installed, and runs the script.
pub fn test(ctx: &Ctx) -> Result {
    exec(
        ctx.cargo()
            .args(["build", "-p", "sm-config-cli", "--bin", "sm-config"]),
    )?;
    let python = ensure_venv(ctx)?;
    let bin = ctx.target_dir().join("debug/sm-config");
    exec(ctx.cmd(&python).arg(ctx.path(SCRIPT)).arg(bin))
}

/// The venv's python, with the pinned SDKs installed.
fn ensure_venv(ctx: &Ctx) -> Result<std::path::PathBuf> {
    let venv = ctx.target_dir().join("sdk-venv");
    let python = venv.join("bin/python");
    if !python.is_file() {
        let system = ctx
            .which("python3")
            .ok_or_else(|| Error("python3 is not on PATH (needed for the SDK test)".into()))?;
        exec(ctx.cmd(system).args(["-m", "venv"]).arg(&venv))?;
    }
    let wanted = std::fs::read_to_string(ctx.path(REQUIREMENTS))
        .map_err(|e| Error(format!("cannot read {REQUIREMENTS}: {e}")))?;
    let stamp = venv.join("sm-config-requirements.txt");
    if std::fs::read_to_string(&stamp).ok().as_deref() != Some(wanted.as_str()) {
        exec(
            ctx.cmd(&python)
                .args([
                    "-m",
                    "pip",
                    "install",
                    "--quiet",
                    "--disable-pip-version-check",
                    "-r",
                ])
                .arg(ctx.path(REQUIREMENTS)),
        )?;
        std::fs::write(&stamp, &wanted)
            .map_err(|e| Error(format!("cannot write {}: {e}", stamp.display())))?;
    }
    Ok(python)
}
