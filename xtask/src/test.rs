//! `cargo xtask test`: every check of the project, in order, stopping at the first failure.

use crate::ctx::{Ctx, Error, Result, exec, fail};
use crate::tools::WASM_TARGET;
use crate::{disk, js, sdk, tools, web};
use std::time::Instant;

/// One named step of `cargo xtask test`.
struct Step {
    name: &'static str,
    run: fn(&Ctx) -> Result,
    /// Build directories under the target directory that later steps do not need whole: a
    /// frugal run (`disk.rs`) removes them once the step has passed.
    frees: &'static [&'static str],
    /// Files in `frees` that later steps use as they are: moved aside, not removed.
    keeps: &'static [&'static str],
}

/// The steps, in order. An area adds its step here and the function in its module.
const STEPS: &[Step] = &[
    Step {
        name: "tools",
        run: |ctx| tools::ensure(ctx, &tools::ALL),
        frees: &[],
        keeps: &[],
    },
    Step {
        name: "fmt",
        run: |ctx| exec(ctx.cargo().args(["fmt", "--all", "--check"])),
        frees: &[],
        keeps: &[],
    },
    Step {
        name: "clippy",
        run: clippy,
        frees: &[],
        keeps: &[],
    },
    Step {
        name: "clippy-wasm32",
        run: clippy_wasm32,
        frees: &[CLIPPY_DIR],
        keeps: &[],
    },
    Step {
        // Before `test`, which a frugal run follows by removing the debug build this uses.
        name: "sdk",
        run: sdk::test,
        frees: &[],
        keeps: &[],
    },
    Step {
        name: "test",
        run: |ctx| exec(ctx.cargo().args(["test", "--workspace"])),
        // The largest directory (1.2 GB). The server binary the CLI's tests were built with is
        // the one the end-to-end tests of `web` run: kept, not rebuilt (~1 min, 0.4 GB).
        frees: &["debug"],
        keeps: &[crate::web::DEV_SERVER_BIN],
    },
    Step {
        name: "build-wasm32",
        run: |ctx| {
            exec(
                ctx.cargo()
                    .args(["build", "-p", "sm-config", "--target", WASM_TARGET]),
            )
        },
        frees: &[],
        keeps: &[],
    },
    Step {
        name: "test-wasm32",
        run: test_wasm32,
        frees: &["wasm32-unknown-unknown/debug"],
        keeps: &[],
    },
    Step {
        name: "js",
        run: js::test,
        frees: &[],
        keeps: &[],
    },
    Step {
        name: "web",
        run: web::test,
        frees: &[],
        keeps: &[],
    },
];

/// Clippy's own directory under the target directory. Its check builds share nothing with the
/// test builds but proc macros and build scripts, and apart they can be removed once linted.
const CLIPPY_DIR: &str = "clippy";

/// Crates whose `#[wasm_bindgen_test]` tests run in headless Chromium.
const WASM_TEST_CRATES: &[&str] = &["sm-config-js", "sm-config-web"];

/// Crates built for the browser, linted for wasm32 as well: their wasm-only code is cfg'd out
/// of the native clippy run. (The core has no wasm-only code; `build-wasm32` covers it.)
const WASM_CRATES: &[&str] = &["sm-config-js", "sm-config-web"];

/// Runs all steps, or only those named in `args` (`cargo xtask test clippy test`).
pub fn run(ctx: &Ctx, args: &[String]) -> Result {
    for name in args {
        if !STEPS.iter().any(|s| s.name == name) {
            let names: Vec<_> = STEPS.iter().map(|s| s.name).collect();
            return fail(format!(
                "unknown step `{name}`; steps: {}",
                names.join(", ")
            ));
        }
    }
    let chosen: Vec<&Step> = STEPS
        .iter()
        .filter(|s| args.is_empty() || args.iter().any(|a| a == s.name))
        .collect();
    let frugal = disk::frugal(ctx);
    let started = Instant::now();
    let mut timings = Vec::new();
    for (n, step) in chosen.iter().enumerate() {
        println!("\n==> [{}/{}] {}", n + 1, chosen.len(), step.name);
        let t = Instant::now();
        (step.run)(ctx).map_err(|e| Error(format!("step `{}` failed: {e}", step.name)))?;
        if frugal {
            disk::remove_builds(ctx, step.frees, step.keeps)?;
        }
        let secs = t.elapsed().as_secs_f64();
        println!("==> {} ok ({secs:.1} s)", step.name);
        timings.push((step.name, secs));
    }
    println!();
    for (name, secs) in &timings {
        println!("  {name:<14} {secs:>7.1} s");
    }
    println!(
        "xtask test: {} steps passed in {:.1} s",
        timings.len(),
        started.elapsed().as_secs_f64()
    );
    Ok(())
}

fn clippy(ctx: &Ctx) -> Result {
    exec(clippy_cargo(ctx).args([
        "clippy",
        "--workspace",
        "--all-targets",
        "--",
        "-D",
        "warnings",
    ]))?;
    // The documentation builds without a warning (broken links, missing docs): in clippy's
    // directory, whose dependency metadata it reuses, so it costs only the workspace's crates.
    exec(clippy_cargo(ctx).env("RUSTDOCFLAGS", "-D warnings").args([
        "doc",
        "--workspace",
        "--no-deps",
    ]))
}

fn clippy_wasm32(ctx: &Ctx) -> Result {
    let mut cmd = clippy_cargo(ctx);
    cmd.args(["clippy", "--target", WASM_TARGET, "--all-targets"]);
    for krate in WASM_CRATES {
        cmd.args(["-p", krate]);
    }
    // The benchmark's floor exports (an unpublished feature of the binding) are linted too.
    cmd.args(["--features", "sm-config-js/bench-floor"]);
    exec(cmd.args(["--", "-D", "warnings"]))
}

/// `cargo`, building into clippy's own directory.
fn clippy_cargo(ctx: &Ctx) -> std::process::Command {
    let mut cmd = ctx.cargo();
    cmd.env("CARGO_TARGET_DIR", ctx.target_dir().join(CLIPPY_DIR));
    cmd
}

fn test_wasm32(ctx: &Ctx) -> Result {
    for package in WASM_TEST_CRATES {
        let mut cmd = ctx.cargo();
        cmd.args(["test", "--target", WASM_TARGET, "-p", package]);
        // Named, so the runner never picks another browser's driver found first on PATH.
        if let Some(driver) = ctx.which("chromedriver") {
            cmd.env("CHROMEDRIVER", driver);
        }
        exec(&mut cmd)?;
    }
    Ok(())
}
