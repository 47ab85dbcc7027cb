//! `cargo xtask serve`: builds the console page (release) and the CLI, then runs
//! `sm-config serve --dist dist` in the foreground. Without arguments the server emulates the
//! API; arguments pass through to `sm-config serve` (e.g. `--instance-id ID --region REGION`
//! for relay mode, with `IBMCLOUD_API_KEY` in the environment or a token pasted in the page).

use crate::ctx::{Ctx, Result, exec, fail};
use crate::web;

/// Builds the page and the CLI, then serves the page until Ctrl-C.
pub fn run(ctx: &Ctx, args: &[String]) -> Result {
    if args
        .iter()
        .any(|a| a == "--dist" || a.starts_with("--dist="))
    {
        return fail("`--dist` is set by cargo xtask serve (it serves the page it built)");
    }
    let dist = web::build(ctx)?;
    exec(ctx.cargo().args([
        "build",
        "--profile",
        "release-native",
        "--package",
        "sm-config-cli",
        "--bin",
        "sm-config",
    ]))?;
    let bin = ctx.target_dir().join("release-native/sm-config");
    if !bin.is_file() {
        return fail(format!("cargo built no {}", bin.display()));
    }
    // The server says which mode it is in (emulator with its world, or relay to an instance):
    // flags and SECRETS_MANAGER_URL both choose it, so the xtask does not guess.
    println!(
        "\nserving the console from {}; the server prints its URL and what it serves below. Ctrl-C stops it.",
        dist.display()
    );
    exec(
        ctx.cmd(&bin)
            .arg("serve")
            .arg("--dist")
            .arg(&dist)
            .args(args),
    )
}
