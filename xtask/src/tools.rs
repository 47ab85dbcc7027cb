//! Installs the tools a step needs, each skipped when the right version is already there
//! (machines are reused). Versions: `shared/reference/toolchain.md`.

use crate::ctx::{Ctx, Result, exec, fail, output};
use std::path::Path;

/// The wasm target every wasm build needs.
const WASM_TARGET: &str = "wasm32-unknown-unknown";

/// trunk 0.22 needs a newer rustc than the project's.
const TRUNK_VERSION: &str = "0.21.14";

/// Where Debian installs the browser and its driver.
const CHROMIUM: &str = "/usr/bin/chromium";
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
pub fn ensure(ctx: &Ctx, tools: &[Tool]) -> Result {
    for tool in tools {
        match tool {
            Tool::Wasm32 => wasm32(ctx)?,
            Tool::RustSrc => rust_src(ctx)?,
            Tool::WasmBindgen => wasm_bindgen(ctx)?,
            Tool::Trunk => trunk(ctx)?,
            Tool::NodeModules => node_modules(ctx)?,
            Tool::Chromium => chromium(ctx)?,
        }
    }
    Ok(())
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

fn wasm_bindgen(ctx: &Ctx) -> Result {
    let Some(version) = locked_wasm_bindgen(ctx)? else {
        println!("tools: wasm-bindgen-cli not needed (no crate uses wasm-bindgen)");
        return Ok(());
    };
    // Both binaries come from the crate; an old runner beside a new wasm-bindgen fails tests.
    let detect = || {
        tool_version(ctx, "wasm-bindgen")
            .filter(|v| tool_version(ctx, "wasm-bindgen-test-runner").as_ref() == Some(v))
    };
    // Not --locked: wasm-bindgen-cli's lockfile pins a crate missing from the registry.
    cargo_install(ctx, "wasm-bindgen-cli", &version, &detect, false, "~3 min")
}

fn trunk(ctx: &Ctx) -> Result {
    let detect = || tool_version(ctx, "trunk");
    cargo_install(ctx, "trunk", TRUNK_VERSION, &detect, true, "~9 min")
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
    exec(&mut cmd)?;
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

fn chromium(ctx: &Ctx) -> Result {
    let browser = Path::new(CHROMIUM).exists();
    let driver = output(ctx.cmd(CHROMEDRIVER).arg("--version")).is_some();
    if browser && driver {
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
    exec(&mut update)?;
    let mut install = ctx.cmd("apt-get");
    install
        .args(["install", "-y", "-q"])
        .args(PACKAGES)
        .env("DEBIAN_FRONTEND", "noninteractive");
    exec(&mut install)
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
