//! What every step needs: the repository root, a PATH with the project's tools, and commands
//! that say what they run and fail with a clear message.

use std::ffi::OsString;
use std::fmt;
use std::path::{Path, PathBuf};
use std::process::{Command, Stdio};

/// A failed step, told in one line.
#[derive(Debug)]
pub struct Error(pub String);

impl fmt::Display for Error {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.0)
    }
}

impl From<std::io::Error> for Error {
    fn from(e: std::io::Error) -> Error {
        Error(e.to_string())
    }
}

/// The result of a step.
pub type Result<T = ()> = std::result::Result<T, Error>;

/// Shorthand for an [`Error`] from a message.
pub fn fail<T>(message: impl Into<String>) -> Result<T> {
    Err(Error(message.into()))
}

/// The repository and the environment child processes get.
pub struct Ctx {
    /// The repository root (where `Cargo.toml` of the workspace is).
    pub root: PathBuf,
    /// `node_modules/.bin` and cargo's `bin` before the inherited PATH.
    path: OsString,
    /// Files a frugal run moved out of a build directory before removing it (`disk.rs`):
    /// (path relative to the target directory, where it is now). Only this run's builds.
    kept: std::sync::Mutex<Vec<(String, PathBuf)>>,
}

impl Ctx {
    /// The context for the repository this xtask was built from.
    pub fn new() -> Result<Ctx> {
        let manifest = PathBuf::from(env!("CARGO_MANIFEST_DIR"));
        let root = manifest
            .parent()
            .ok_or_else(|| Error("xtask has no parent directory".into()))?
            .to_owned();
        let mut dirs = vec![root.join("node_modules/.bin"), tools_home().join("bin")];
        if let Some(path) = std::env::var_os("PATH") {
            dirs.extend(std::env::split_paths(&path));
        }
        let path = std::env::join_paths(dirs).map_err(|e| Error(e.to_string()))?;
        Ok(Ctx {
            root,
            path,
            kept: Default::default(),
        })
    }

    /// A command run in the repository root with the project's PATH.
    pub fn cmd(&self, program: impl AsRef<std::ffi::OsStr>) -> Command {
        let mut cmd = Command::new(program);
        cmd.current_dir(&self.root).env("PATH", &self.path);
        cmd
    }

    /// `cargo` as the one running this xtask.
    pub fn cargo(&self) -> Command {
        self.cmd(std::env::var_os("CARGO").unwrap_or_else(|| "cargo".into()))
    }

    /// Cargo's target directory: `CARGO_TARGET_DIR` when set, else `target/` in the root.
    pub fn target_dir(&self) -> PathBuf {
        match std::env::var_os("CARGO_TARGET_DIR") {
            Some(dir) if !dir.is_empty() => self.root.join(dir),
            _ => self.root.join("target"),
        }
    }

    /// Records that `relative` (to the target directory), built in this run, now lives at `now`.
    pub fn keep(&self, relative: &str, now: PathBuf) {
        if let Ok(mut kept) = self.kept.lock() {
            kept.push((relative.to_owned(), now));
        }
    }

    /// Where a file this run built and then kept from a removed build directory is, if any.
    pub fn kept(&self, relative: &str) -> Option<PathBuf> {
        self.kept
            .lock()
            .ok()?
            .iter()
            .find(|(r, now)| r == relative && now.is_file())
            .map(|(_, now)| now.clone())
    }

    /// The first `program` on the project's PATH.
    pub fn which(&self, program: &str) -> Option<PathBuf> {
        std::env::split_paths(&self.path)
            .map(|dir| dir.join(program))
            .find(|p| p.is_file())
    }

    /// A path inside the repository.
    pub fn path(&self, relative: impl AsRef<Path>) -> PathBuf {
        self.root.join(relative)
    }
}

/// The variable naming where `cargo install` puts the project's tools when it is not
/// `CARGO_HOME`: `.ci/run` points `CARGO_HOME` at an empty directory (so a registry cache can
/// never hide a missing fetch), while the tools stay where a later run finds them.
pub const TOOLS_HOME_VAR: &str = "XTASK_TOOLS_HOME";

/// Where the project's cargo-installed tools live (`bin/` below it): `XTASK_TOOLS_HOME`, else
/// cargo's home.
pub fn tools_home() -> PathBuf {
    match std::env::var_os(TOOLS_HOME_VAR) {
        Some(dir) if !dir.is_empty() => PathBuf::from(dir),
        _ => cargo_home(),
    }
}

fn cargo_home() -> PathBuf {
    match (std::env::var_os("CARGO_HOME"), std::env::var_os("HOME")) {
        (Some(home), _) => PathBuf::from(home),
        (None, Some(home)) => Path::new(&home).join(".cargo"),
        (None, None) => PathBuf::from("/root/.cargo"),
    }
}

/// How a command line reads in messages.
pub fn show(cmd: &Command) -> String {
    let mut words = vec![cmd.get_program().to_string_lossy().into_owned()];
    words.extend(cmd.get_args().map(|a| a.to_string_lossy().into_owned()));
    words.join(" ")
}

/// Runs `cmd` with the terminal's stdout and stderr; fails unless it exits 0.
pub fn exec(cmd: &mut Command) -> Result {
    println!("$ {}", show(cmd));
    let status = cmd
        .stdin(Stdio::null())
        .status()
        .map_err(|e| Error(format!("cannot start `{}`: {e}", show(cmd))))?;
    if status.success() {
        Ok(())
    } else {
        fail(format!("`{}` failed ({status})", show(cmd)))
    }
}

/// Runs `cmd` quietly and returns its stdout, or `None` when it cannot start or fails.
pub fn output(cmd: &mut Command) -> Option<String> {
    let out = cmd
        .stdin(Stdio::null())
        .stderr(Stdio::null())
        .output()
        .ok()?;
    if out.status.success() {
        String::from_utf8(out.stdout).ok()
    } else {
        None
    }
}
