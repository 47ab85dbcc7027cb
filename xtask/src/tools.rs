//! Installs the tools a step needs, each skipped when the right version is already there
//! (machines are reused). Versions: `shared/reference/toolchain.md`.

use crate::ctx::{Ctx, Result, exec, fail, output, show};
use std::path::{Path, PathBuf};
use std::process::{Command, Stdio};

/// The wasm target every wasm build needs.
pub const WASM_TARGET: &str = "wasm32-unknown-unknown";

/// trunk 0.22 needs a newer rustc than the project's.
const TRUNK_VERSION: &str = "0.21.14";

/// Where Debian installs the browser and its driver.
pub const CHROMIUM: &str = "/usr/bin/chromium";
const CHROMEDRIVER: &str = "chromedriver";

/// A tool a step may need.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Tool {
    /// `rustup target add wasm32-unknown-unknown`.
    Wasm32,
    /// `rustup component add rust-src`: the page's build recompiles std for size.
    RustSrc,
    /// `wasm-bindgen` and `wasm-bindgen-test-runner` at the lockfile's wasm-bindgen version.
    WasmBindgen,
    /// trunk, pinned.
    Trunk,
    /// The root `node_modules` from `package-lock.json` (wasm-opt from npm binaryen, playwright-core, ajv).
    NodeModules,
    /// Debian's chromium and chromium-driver.
    Chromium,
}

/// Every tool, in install order (cheap first).
pub const ALL: [Tool; 6] = [
    Tool::Wasm32,
    Tool::RustSrc,
    Tool::NodeModules,
    Tool::Chromium,
    Tool::WasmBindgen,
    Tool::Trunk,
];

/// Makes sure each tool is present, installing the missing ones.
///
/// The quick ones go first, in order. The installs that take minutes (apt, and the two
/// `cargo install`s) run side by side when more than one is missing, each into its own log:
/// apt waits on the network and dpkg while cargo compiles, and trunk's single-threaded fat-LTO
/// link leaves a core to wasm-bindgen-cli's build.
pub fn ensure(ctx: &Ctx, tools: &[Tool]) -> Result {
    let mut slow = Vec::new();
    for &tool in tools {
        match tool {
            Tool::Wasm32 => wasm32(ctx)?,
            Tool::RustSrc => rust_src(ctx)?,
            Tool::NodeModules => node_modules(ctx)?,
            Tool::WasmBindgen | Tool::Trunk | Tool::Chromium => slow.push(tool),
        }
    }
    let missing: Vec<Tool> = slow
        .iter()
        .copied()
        .filter(|t| !present_now(ctx, *t))
        .collect();
    if missing.len() < 2 {
        return slow
            .iter()
            .try_for_each(|&t| install(ctx, t, &Out::Terminal));
    }
    let logs = ctx.target_dir().join("tools-logs");
    std::fs::create_dir_all(&logs)?;
    let results: Vec<(Tool, PathBuf, std::time::Duration, Result)> = std::thread::scope(|s| {
        let running: Vec<_> = missing
            .iter()
            .map(|&tool| {
                let log = logs.join(format!("{}.log", tool.name()));
                println!("tools: installing {} (log: {})", tool.name(), log.display());
                let install_log = log.clone();
                let handle = s.spawn(move || {
                    let started = std::time::Instant::now();
                    let result = install(ctx, tool, &Out::Log(&install_log));
                    (started.elapsed(), result)
                });
                (tool, log, handle)
            })
            .collect();
        running
            .into_iter()
            .map(|(tool, log, handle)| {
                let (took, result) = handle
                    .join()
                    .unwrap_or_else(|_| (Default::default(), fail("the install panicked")));
                (tool, log, took, result)
            })
            .collect()
    });
    let mut first_error = None;
    for (tool, log, took, result) in results {
        match result {
            Ok(()) => println!(
                "tools: {} installed in {:.0} s",
                tool.name(),
                took.as_secs_f64()
            ),
            Err(e) => {
                println!(
                    "tools: {} failed after {:.0} s: {e}",
                    tool.name(),
                    took.as_secs_f64()
                );
                print_tail(&log, 40);
                first_error.get_or_insert(e);
            }
        }
    }
    first_error.map_or(Ok(()), Err)
}

impl Tool {
    /// How messages and log files name the tool.
    fn name(self) -> &'static str {
        match self {
            Tool::Wasm32 => "wasm32-target",
            Tool::RustSrc => "rust-src",
            Tool::WasmBindgen => "wasm-bindgen-cli",
            Tool::Trunk => "trunk",
            Tool::NodeModules => "node_modules",
            Tool::Chromium => "chromium",
        }
    }
}

/// Whether a slow tool is already there at the right version (no install needed).
fn present_now(ctx: &Ctx, tool: Tool) -> bool {
    match tool {
        Tool::WasmBindgen => match locked_wasm_bindgen(ctx) {
            Ok(Some(version)) => wasm_bindgen_found(ctx).as_deref() == Some(version.as_str()),
            Ok(None) => true,
            Err(_) => false,
        },
        Tool::Trunk => tool_version(ctx, "trunk").as_deref() == Some(TRUNK_VERSION),
        Tool::Chromium => chromium_found(ctx),
        Tool::Wasm32 | Tool::RustSrc | Tool::NodeModules => false,
    }
}

/// Installs (or confirms) one slow tool.
fn install(ctx: &Ctx, tool: Tool, out: &Out) -> Result {
    match tool {
        Tool::WasmBindgen => wasm_bindgen(ctx, out),
        Tool::Trunk => trunk(ctx, out),
        Tool::Chromium => chromium(ctx, out),
        Tool::Wasm32 => wasm32(ctx),
        Tool::RustSrc => rust_src(ctx),
        Tool::NodeModules => node_modules(ctx),
    }
}

/// Where an install's commands print: the terminal, or a log file (installs side by side).
enum Out<'a> {
    Terminal,
    Log(&'a Path),
}

/// Runs `cmd` as [`exec`] does, or with its output appended to the log.
fn run(cmd: &mut Command, out: &Out) -> Result {
    let Out::Log(log) = out else {
        return exec(cmd);
    };
    let file = std::fs::OpenOptions::new()
        .create(true)
        .append(true)
        .open(log)?;
    let status = cmd
        .stdin(Stdio::null())
        .stdout(file.try_clone()?)
        .stderr(file)
        .status()
        .map_err(|e| crate::ctx::Error(format!("cannot start `{}`: {e}", show(cmd))))?;
    if status.success() {
        Ok(())
    } else {
        fail(format!("`{}` failed ({status})", show(cmd)))
    }
}

/// The last `lines` lines of a log, for a failed install.
fn print_tail(log: &Path, lines: usize) {
    let text = std::fs::read_to_string(log).unwrap_or_default();
    let all: Vec<&str> = text.lines().collect();
    for line in &all[all.len().saturating_sub(lines)..] {
        println!("    {line}");
    }
}

fn present(what: &str) {
    println!("tools: {what} present");
}

fn wasm32(ctx: &Ctx) -> Result {
    let sysroot = output(ctx.cmd("rustc").args(["--print", "sysroot"]));
    if let Some(sysroot) = sysroot
        && Path::new(sysroot.trim())
            .join("lib/rustlib")
            .join(WASM_TARGET)
            .is_dir()
    {
        present(WASM_TARGET);
        return Ok(());
    }
    exec(ctx.cmd("rustup").args(["target", "add", WASM_TARGET]))
}

fn rust_src(ctx: &Ctx) -> Result {
    let sysroot = output(ctx.cmd("rustc").args(["--print", "sysroot"]));
    if let Some(sysroot) = sysroot
        && Path::new(sysroot.trim())
            .join("lib/rustlib/src/rust/library/std")
            .is_dir()
    {
        present("rust-src");
        return Ok(());
    }
    exec(ctx.cmd("rustup").args(["component", "add", "rust-src"]))
}

/// The version of the `wasm-bindgen` package in `Cargo.lock`, if any crate uses it.
pub fn locked_wasm_bindgen(ctx: &Ctx) -> Result<Option<String>> {
    let lock = std::fs::read_to_string(ctx.path("Cargo.lock"))?;
    Ok(locked_version(&lock, "wasm-bindgen"))
}

/// The version of package `name` in a Cargo.lock text.
fn locked_version(lock: &str, name: &str) -> Option<String> {
    let wanted = format!("name = \"{name}\"");
    let mut lines = lock.lines();
    while let Some(line) = lines.next() {
        if line.trim() == wanted {
            let version = lines.next()?.trim().strip_prefix("version = \"")?;
            return version.strip_suffix('"').map(str::to_owned);
        }
    }
    None
}

/// The version a tool prints for `--version`.
fn tool_version(ctx: &Ctx, program: &str) -> Option<String> {
    version_word(&output(ctx.cmd(program).arg("--version"))?)
}

/// The second word of `--version` output (`trunk 0.21.14`, `wasm-bindgen 0.2.130`).
fn version_word(out: &str) -> Option<String> {
    out.split_whitespace().nth(1).map(str::to_owned)
}

/// The version both wasm-bindgen binaries print, if they agree: they come from one crate, and an
/// old runner beside a new wasm-bindgen fails tests.
fn wasm_bindgen_found(ctx: &Ctx) -> Option<String> {
    tool_version(ctx, "wasm-bindgen")
        .filter(|v| tool_version(ctx, "wasm-bindgen-test-runner").as_ref() == Some(v))
}

fn wasm_bindgen(ctx: &Ctx, out: &Out) -> Result {
    let Some(version) = locked_wasm_bindgen(ctx)? else {
        println!("tools: wasm-bindgen-cli not needed (no crate uses wasm-bindgen)");
        return Ok(());
    };
    let detect = || wasm_bindgen_found(ctx);
    // Not --locked: wasm-bindgen-cli's lockfile pins a crate missing from the registry.
    cargo_install(
        ctx,
        "wasm-bindgen-cli",
        &version,
        &detect,
        false,
        "~3 min",
        out,
    )
}

fn trunk(ctx: &Ctx, out: &Out) -> Result {
    let detect = || tool_version(ctx, "trunk");
    cargo_install(ctx, "trunk", TRUNK_VERSION, &detect, true, "~9 min", out)
}

/// `cargo install krate --version version` unless `detect` finds that version already; then
/// checks that the PATH now finds it (an older copy earlier on PATH would shadow it).
fn cargo_install(
    ctx: &Ctx,
    krate: &str,
    version: &str,
    detect: &dyn Fn() -> Option<String>,
    locked: bool,
    takes: &str,
    out: &Out,
) -> Result {
    let found = detect();
    if found.as_deref() == Some(version) {
        present(&format!("{krate} {version}"));
        return Ok(());
    }
    println!(
        "tools: {krate} {version} needed (found {}); installing, {takes}",
        found.as_deref().unwrap_or("none")
    );
    let mut cmd = ctx.cargo();
    cmd.args(["install", krate, "--version", version, "--force", "--root"])
        .arg(crate::ctx::tools_home());
    if locked {
        cmd.arg("--locked");
    }
    run(&mut cmd, out)?;
    match detect() {
        Some(now) if now == version => Ok(()),
        now => fail(format!(
            "installed {krate} {version}, but the PATH finds {}",
            now.as_deref().unwrap_or("none")
        )),
    }
}

/// A copy of the lockfile `npm ci` last installed, so an unchanged lockfile skips it.
const NPM_STAMP: &str = "node_modules/.xtask-package-lock.json";

fn node_modules(ctx: &Ctx) -> Result {
    let lock_path = ctx.path("package-lock.json");
    if !lock_path.is_file() {
        return fail("package-lock.json is missing at the repository root");
    }
    if output(ctx.cmd("npm").arg("--version")).is_none() {
        return fail("npm is not installed: install Node.js 20 or newer (with npm)");
    }
    let lock = std::fs::read(&lock_path)?;
    let stamp = std::fs::read(ctx.path(NPM_STAMP)).ok();
    let wasm_opt = ctx.path("node_modules/.bin/wasm-opt");
    if stamp.as_deref() == Some(&lock[..]) && wasm_opt.exists() {
        present("node_modules (package-lock.json unchanged)");
        return Ok(());
    }
    exec(ctx.cmd("npm").args(["ci", "--no-audit", "--no-fund"]))?;
    std::fs::write(ctx.path(NPM_STAMP), &lock)?;
    Ok(())
}

fn is_root() -> bool {
    std::fs::read_to_string("/proc/self/status")
        .ok()
        .and_then(|s| {
            s.lines()
                .find_map(|l| l.strip_prefix("Uid:"))
                .and_then(|ids| ids.split_whitespace().nth(1).map(|euid| euid == "0"))
        })
        .unwrap_or(false)
}

/// Whether Debian's browser and its driver are both there.
fn chromium_found(ctx: &Ctx) -> bool {
    Path::new(CHROMIUM).exists() && output(ctx.cmd(CHROMEDRIVER).arg("--version")).is_some()
}

fn chromium(ctx: &Ctx, out: &Out) -> Result {
    if chromium_found(ctx) {
        present("chromium and chromium-driver");
        return Ok(());
    }
    const PACKAGES: [&str; 2] = ["chromium", "chromium-driver"];
    if !is_root() {
        return fail(format!(
            "chromium or chromedriver is missing: run `sudo apt-get install -y {}`",
            PACKAGES.join(" ")
        ));
    }
    println!(
        "tools: installing {} with apt-get, ~70 s",
        PACKAGES.join(" ")
    );
    let mut update = ctx.cmd("apt-get");
    update.args(["update", "-q"]);
    run(&mut update, out)?;
    let mut install = ctx.cmd("apt-get");
    install
        .args(["install", "-y", "-q"])
        .args(PACKAGES)
        .env("DEBIAN_FRONTEND", "noninteractive");
    run(&mut install, out)
}

#[cfg(test)]
mod tests {
    use super::*;

    const LOCK: &str = r#"
[[package]]
name = "wasm-bindgen"
version = "0.2.130"
source = "registry+https://github.com/rust-lang/crates.io-index"

[[package]]
name = "wasm-bindgen-backend"
version = "0.2.999"
"#;

    #[test]
    fn reads_the_exact_package_from_the_lockfile() {
        assert_eq!(
            locked_version(LOCK, "wasm-bindgen").as_deref(),
            Some("0.2.130")
        );
        assert_eq!(
            locked_version(LOCK, "wasm-bindgen-backend").as_deref(),
            Some("0.2.999")
        );
        assert_eq!(locked_version(LOCK, "wasm"), None);
    }

    #[test]
    fn reads_versions_as_the_tools_print_them() {
        assert_eq!(version_word("trunk 0.21.14\n").as_deref(), Some("0.21.14"));
        assert_eq!(
            version_word("wasm-bindgen 0.2.130").as_deref(),
            Some("0.2.130")
        );
        assert_eq!(version_word("trunk"), None);
    }
}
