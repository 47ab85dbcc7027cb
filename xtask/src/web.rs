//! The console page (`web/`, built by trunk from `index.html`): its build and end-to-end tests.

use crate::ctx::{Ctx, Error, Result, exec, fail, show};
use serde_json::Value;
use std::path::{Path, PathBuf};
use std::process::{Command, Stdio};

const INDEX_HTML: &str = "index.html";

/// Where trunk writes the built page (served by `sm-config serve --dist`).
const DIST: &str = "dist";

/// Builds the page and runs the end-to-end tests (step `web` of `cargo xtask test`).
pub fn test(ctx: &Ctx) -> Result {
    build(ctx)?;
    e2e(ctx)
}

/// The page's section of BENCHMARKS.md (transfer size, time to interactive on localhost and on
/// a slow network, beside Swagger UI), if it has one.
pub fn bench(ctx: &Ctx) -> Result<Option<String>> {
    build(ctx)?;
    let swagger = swagger_dist(ctx)?;
    bench_page(ctx, &swagger).map(Some)
}

/// The Swagger UI baseline's own files (an index, its start script, the one-operation OpenAPI
/// document), in the repository.
const SWAGGER_SOURCES: &str = "tests/e2e/swagger";
/// The files of npm's `swagger-ui-dist` it loads.
const SWAGGER_DIST_FILES: [&str; 2] = ["swagger-ui-bundle.js", "swagger-ui.css"];

/// Assembles Swagger UI with one operation in `<target>/bench-swagger` and precompresses it as
/// the page is (`compress.rs`), so both are served the same way by `sm-config serve`.
fn swagger_dist(ctx: &Ctx) -> Result<PathBuf> {
    let dir = ctx.target_dir().join("bench-swagger");
    if dir.exists() {
        std::fs::remove_dir_all(&dir)?;
    }
    std::fs::create_dir_all(&dir)?;
    let npm = ctx.path("node_modules/swagger-ui-dist");
    for file in SWAGGER_DIST_FILES {
        std::fs::copy(npm.join(file), dir.join(file)).map_err(|e| {
            Error(format!(
                "{}: {e} (npm ci installs swagger-ui-dist)",
                npm.join(file).display()
            ))
        })?;
    }
    for entry in std::fs::read_dir(ctx.path(SWAGGER_SOURCES))? {
        let path = entry?.path();
        if let Some(name) = path.file_name() {
            std::fs::copy(&path, dir.join(name))?;
        }
    }
    let copies = crate::compress::precompress(&dir)?;
    println!(
        "swagger ui baseline: {} ({} precompressed copies)",
        dir.display(),
        copies.len()
    );
    Ok(dir)
}

/// This binary at a path that stays, for trunk's hook to start. A frugal `cargo xtask test`
/// removes `target/debug`, where cargo built the xtask, while the xtask runs (the clean-clone
/// run failed on exactly that); Linux still reads the running binary through `/proc/self/exe`,
/// so it is copied out to `target/hook/xtask` first. Elsewhere, the binary's own path.
fn runnable_self(ctx: &Ctx) -> Result<PathBuf> {
    let running = Path::new("/proc/self/exe");
    if !running.exists() {
        return Ok(std::env::current_exe()?);
    }
    let copy = ctx.target_dir().join("hook").join("xtask");
    if let Some(dir) = copy.parent() {
        std::fs::create_dir_all(dir)?;
    }
    std::fs::copy(running, &copy).map_err(|e| {
        Error(format!(
            "cannot copy the running xtask to {} for trunk's hook: {e}",
            copy.display()
        ))
    })?;
    Ok(copy)
}

/// Builds the page for release into `dist/` with trunk (offline: trunk takes wasm-bindgen and
/// wasm-opt from PATH at the versions `Trunk.toml` pins, npm's binaryen, never Debian's) and
/// returns the directory. The files' precompressed copies come from trunk's `post_build` hook
/// (`Trunk.toml`, [`precompress`]), which is told this binary in `SM_CONFIG_XTASK`.
pub fn build(ctx: &Ctx) -> Result<PathBuf> {
    use crate::tools::{Tool, ensure};
    ensure(
        ctx,
        &[
            Tool::Wasm32,
            Tool::RustSrc,
            Tool::NodeModules,
            Tool::WasmBindgen,
            Tool::Trunk,
        ],
    )?;
    fetch_for_offline_build(ctx)?;
    let xtask = runnable_self(ctx)?;
    exec(
        page_build_env(ctx.cmd("trunk"), ctx)
            .env("SM_CONFIG_XTASK", xtask)
            .args(["build", "--release", "--offline"]),
    )?;
    let dist = ctx.path(DIST);
    if !dist.join(INDEX_HTML).is_file() {
        return fail(format!("trunk wrote no {DIST}/{INDEX_HTML}"));
    }
    // The world module (pickers, prerequisites panel) is loaded by name by web/boot.js.
    for file in ["sm-config-world.js", "sm-config-world_bg.wasm"] {
        if !dist.join(file).is_file() {
            return fail(format!(
                "trunk wrote no {DIST}/{file} (index.html's world module)"
            ));
        }
    }
    let has_copies = std::fs::read_dir(&dist)?
        .filter_map(|e| e.ok())
        .any(|e| e.path().extension().is_some_and(|x| x == "br"));
    if !has_copies {
        return fail(format!(
            "trunk's post_build hook (Trunk.toml) wrote no precompressed copies into {DIST}/"
        ));
    }
    Ok(dist)
}

/// `cargo xtask precompress [DIR]`, trunk's `post_build` hook: writes the precompressed copies
/// of the files in DIR (trunk's staging directory, which becomes `dist/`; default `dist/`) and
/// says what they came to.
pub fn precompress(ctx: &Ctx, args: &[String]) -> Result {
    let dir = match args {
        [] => ctx.path(DIST),
        [dir] => PathBuf::from(dir),
        _ => return fail("usage: cargo xtask precompress [DIR]"),
    };
    let started = std::time::Instant::now();
    let copies = crate::compress::precompress(&dir)?;
    let total = |suffix: &str| -> (usize, usize) {
        copies
            .iter()
            .filter(|c| c.path.extension().is_some_and(|e| e == suffix))
            .fold((0, 0), |(r, c), copy| (r + copy.raw, c + copy.compressed))
    };
    let ((raw, gz), (_, br)) = (total("gz"), total("br"));
    println!(
        "precompressed {DIST}/ in {:.1} s ({} copies): {:.1} KB → gzip {:.1} KB, brotli {:.1} KB",
        started.elapsed().as_secs_f64(),
        copies.len(),
        raw as f64 / 1024.0,
        gz as f64 / 1024.0,
        br as f64 / 1024.0,
    );
    Ok(())
}

/// The page's wasm is built with std recompiled for size and panics that trap at once
/// (`-Zbuild-std`, `-Cpanic=immediate-abort`): ~15 KB gzip less, ~8 % of the page. The page
/// has no panic on any path input reaches, so the lost panic messages cost nothing. These
/// flags are unstable; `RUSTC_BOOTSTRAP=1` lets the project's stable toolchain take them, for
/// this build only (the tests' wasm builds use the plain flags of `.cargo/config.toml`). Its own
/// target directory, so the two sets of flags do not rebuild each other's artifacts.
fn page_build_env(mut cmd: Command, ctx: &Ctx) -> Command {
    cmd.env("RUSTC_BOOTSTRAP", "1")
        .env("CARGO_UNSTABLE_BUILD_STD", "std,panic_abort")
        // Cargo appends these to `.cargo/config.toml`'s wasm32 rustflags (lists merge).
        .env(
            "CARGO_TARGET_WASM32_UNKNOWN_UNKNOWN_RUSTFLAGS",
            "-Zunstable-options -Cpanic=immediate-abort",
        )
        .env("CARGO_TARGET_DIR", ctx.target_dir().join("page"));
    cmd
}

/// `trunk build --offline` resolves two lockfiles offline: the workspace's, and (with
/// `-Zbuild-std`) the standard library's own `library/Cargo.lock`, whose crates (`moto-rt`,
/// …) no other step downloads. A fresh machine has neither in its registry cache, so each is
/// fetched first. `cargo fetch --offline` tells, without the network, whether the cache already
/// holds everything; only when it does not is the network used, and the run says so.
fn fetch_for_offline_build(ctx: &Ctx) -> Result {
    let sysroot = crate::ctx::output(ctx.cmd("rustc").args(["--print", "sysroot"]))
        .ok_or_else(|| Error("`rustc --print sysroot` failed".into()))?;
    let std_manifest = Path::new(sysroot.trim()).join("lib/rustlib/src/rust/library/Cargo.toml");
    if !std_manifest.is_file() {
        return fail(format!(
            "{} is missing: `rustup component add rust-src`",
            std_manifest.display()
        ));
    }
    let lockfiles = [
        ("the workspace's crates", ctx.path("Cargo.toml")),
        ("the standard library's crates (-Zbuild-std)", std_manifest),
    ];
    for (what, manifest) in lockfiles {
        let fetch = |offline: bool| {
            let mut cmd = page_build_env(ctx.cargo(), ctx);
            cmd.arg("fetch").arg("--manifest-path").arg(&manifest);
            if offline {
                cmd.arg("--offline");
            }
            cmd
        };
        if crate::ctx::output(&mut fetch(true)).is_some() {
            println!("page build: {what} are in the registry cache");
            continue;
        }
        println!("page build: fetching {what} for the offline build");
        exec(&mut fetch(false))?;
    }
    Ok(())
}

/// The end-to-end suite: node's test runner drives headless Chromium (playwright-core) against
/// the real `sm-config serve` hosting `dist/`.
const E2E_DIR: &str = "tests/e2e";

/// The page benchmarks' script; it prints one JSON object.
const E2E_BENCH: &str = "tests/e2e/bench.mjs";

/// The dev build of `sm-config`, relative to the target directory: `cargo test --workspace`
/// builds it for the CLI's tests, and the end-to-end tests run it.
pub const DEV_SERVER_BIN: &str = "debug/sm-config";

/// Builds `sm-config` with `profile` (`dev` or `release-native`) and returns the binary's path.
fn sm_config_bin(ctx: &Ctx, profile: &str) -> Result<PathBuf> {
    exec(ctx.cargo().args([
        "build",
        "--package",
        "sm-config-cli",
        "--bin",
        "sm-config",
        "--profile",
        profile,
    ]))?;
    let bin = ctx.target_dir().join(if profile == "dev" {
        DEV_SERVER_BIN.to_owned()
    } else {
        format!("{profile}/sm-config")
    });
    if !bin.is_file() {
        return fail(format!("cargo built no {}", bin.display()));
    }
    Ok(bin)
}

/// `node` with the environment the e2e scripts read: the binary and the built page.
fn e2e_node(ctx: &Ctx, bin: &Path) -> Command {
    let mut cmd = ctx.cmd("node");
    cmd.env("SM_CONFIG_BIN", bin)
        .env("SM_CONFIG_DIST", ctx.path(DIST));
    cmd
}

/// Runs every `tests/e2e/*.test.mjs` against the built page; screenshots land in
/// `tests/e2e/artifacts/`.
pub fn e2e(ctx: &Ctx) -> Result {
    // A frugal run removed the dev build after `test`, keeping the binary it had built there.
    let bin = match ctx.kept(DEV_SERVER_BIN) {
        Some(kept) => {
            println!("e2e: the server built by `cargo test`: {}", kept.display());
            kept
        }
        None => sm_config_bin(ctx, "dev")?,
    };
    let mut files: Vec<PathBuf> = std::fs::read_dir(ctx.path(E2E_DIR))?
        .flatten()
        .map(|e| e.path())
        .filter(|p| p.to_string_lossy().ends_with(".test.mjs"))
        .collect();
    files.sort();
    if files.is_empty() {
        return fail(format!("no *.test.mjs in {E2E_DIR}"));
    }
    let mut cmd = e2e_node(ctx, &bin);
    exec(cmd.args(["--test", "--test-reporter=spec"]).args(&files))?;
    println!(
        "screenshots: {}",
        ctx.path(E2E_DIR).join("artifacts").display()
    );
    Ok(())
}

/// Runs the page benchmarks (with the Swagger UI baseline in `swagger`) and returns their
/// BENCHMARKS.md section.
pub fn bench_page(ctx: &Ctx, swagger: &Path) -> Result<String> {
    let bin = sm_config_bin(ctx, "release-native")?;
    let mut cmd = e2e_node(ctx, &bin);
    cmd.env("SM_CONFIG_SWAGGER_DIST", swagger);
    cmd.arg(ctx.path(E2E_BENCH)).stderr(Stdio::inherit());
    println!("$ {}", show(&cmd));
    let out = cmd.stdin(Stdio::null()).output()?;
    if !out.status.success() {
        return fail(format!("`node {E2E_BENCH}` failed ({})", out.status));
    }
    let json: Value = serde_json::from_slice(&out.stdout)
        .map_err(|e| Error(format!("`node {E2E_BENCH}` printed no JSON: {e}")))?;
    page_section(&json).ok_or_else(|| Error(format!("unexpected output of `node {E2E_BENCH}`")))
}

/// BENCHMARKS.md's section from bench.mjs's JSON.
fn page_section(j: &Value) -> Option<String> {
    let num = |v: &Value, path: &[&str]| -> Option<f64> {
        path.iter().try_fold(v, |v, k| v.get(k))?.as_f64()
    };
    let kb = |bytes: f64| format!("{:.1} KB", bytes / 1024.0);
    let ms = |x: f64| format!("{x:.2} ms");
    let t = j.get("transfer")?;
    let nav = j.get("navigation")?;
    let key = j.get("keystroke")?;
    let assets_gzip = num(t, &["assets_gzip"])?;
    let assets_sent = num(t, &["assets_served_gzip"])?;
    let budget_gzip = num(t, &["budget_gzip"])?;
    let assets_chromium = num(t, &["assets_chromium"])?;
    let budget_chromium = num(t, &["budget_chromium"])?;
    let world = j.get("world")?;
    let key_median = num(key, &["median_ms"])?;
    let key_budget = num(key, &["budget_ms"])?;
    let verdict = |ok: bool| if ok { "within" } else { "**over**" };
    let mut files = String::new();
    let loaded = t
        .get("files")?
        .as_array()?
        .iter()
        .filter(|f| f.get("loaded") == Some(&Value::Bool(true)));
    for f in loaded {
        files.push_str(&format!(
            "| `{}` | {} | {} | {} | {} ({}) | {} ({}) |\n",
            f.get("file")?.as_str()?,
            f.get("kind")?.as_str()?,
            kb(num(f, &["raw"])?),
            kb(num(f, &["gzip"])?),
            kb(num(f, &["served_gzip"])?),
            f.get("served_gzip_encoding")?.as_str()?,
            num(f, &["chromium"]).map_or_else(|| "—".to_owned(), kb),
            f.get("chromium_encoding")?.as_str()?,
        ));
    }
    Some(format!(
        "## Console page\n\n\
         Headless Chromium {chromium} on localhost, `sm-config serve` (release-native) in emulator mode, \
         the release page from `dist/`. Command: `node {E2E_BENCH}` (via `cargo xtask bench web`).\n\n\
         | measure | value | budget |\n|---|---:|---:|\n\
         | transfer, wasm + JS + CSS, gzip as sent (the build's zopfli copies) | {assets_sent} | {budget} ({gz_verdict}) |\n\
         | transfer, wasm + JS + CSS, as Chromium received it (`{accept}`) | {assets_chromium} | {budget_chromium_s} ({br_verdict}) |\n\
         | wasm + JS + CSS, gzip -9 of the files (reference) | {assets_gzip} | |\n\
         | wasm + JS + CSS, raw | {assets_raw} | |\n\
         | navigation → interactive form, median of {nav_runs} (p95) | {nav_median} ({nav_p95}) | |\n\
         | navigation → load event, median (p95) | {load_median} ({load_p95}) | |\n\
         | keystroke → all four previews updated, median of {key_runs} (p95) | {key_med} ({key_p95}) | {key_budget_s} ({key_verdict}) |\n\
         | first use of the form → pickers and panel mounted (the world module), median of {world_runs} (p95) | {world_med} ({world_p95}) | |\n\
         | the same under the slow network below, median of {world_slow_runs} (p95) | {world_slow_med} ({world_slow_p95}) | |\n\
         | the world module as Chromium received it (loaded on first use, not in the first load) | {world_bytes} | |\n\n\
         Navigation: a fresh browser context per run (nothing cached); \"interactive\" is the moment \
         the wasm app has mounted the form (its handlers are attached as it is built), seen by a \
         MutationObserver from navigation start. Keystroke: an `input` event dispatched on the name \
         field until every preview pane's text holds the new value, timed in the page with \
         `performance.now()` (100 µs resolution) and a MutationObserver, no frame wait; first \
         keystroke {first}. Transfer: the body bytes as sent, read undecoded from the server \
         (`Accept-Encoding: gzip`) and from Chromium's own count of each response's encoded body.\n\n\
         | file the page loads | kind | raw | gzip -9 | sent, gzip only | sent to Chromium |\n\
         |---|---|---:|---:|---:|---:|\n{files}{not_loaded}{beside}",
        chromium = j.get("chromium")?.as_str()?,
        assets_gzip = kb(assets_gzip),
        assets_sent = kb(assets_sent),
        assets_chromium = kb(assets_chromium),
        budget_chromium_s = kb(budget_chromium),
        br_verdict = verdict(assets_chromium <= budget_chromium),
        world_runs = num(world, &["localhost", "runs"])?,
        world_med = ms(num(world, &["localhost", "median_ms"])?),
        world_p95 = ms(num(world, &["localhost", "p95_ms"])?),
        world_slow_runs = num(world, &["slow", "runs"])?,
        world_slow_med = ms(num(world, &["slow", "median_ms"])?),
        world_slow_p95 = ms(num(world, &["slow", "p95_ms"])?),
        world_bytes = kb(num(world, &["localhost", "bytes_received"])?),
        accept = t.get("chromium_accept")?.as_str()?,
        budget = kb(budget_gzip),
        gz_verdict = verdict(assets_sent <= budget_gzip),
        assets_raw = kb(num(t, &["assets_raw"])?),
        nav_runs = num(nav, &["form_in_dom", "runs"])?,
        nav_median = ms(num(nav, &["form_in_dom", "median_ms"])?),
        nav_p95 = ms(num(nav, &["form_in_dom", "p95_ms"])?),
        load_median = ms(num(nav, &["load_event", "median_ms"])?),
        load_p95 = ms(num(nav, &["load_event", "p95_ms"])?),
        key_runs = num(key, &["runs"])?,
        key_med = ms(key_median),
        key_p95 = ms(num(key, &["p95_ms"])?),
        key_budget_s = ms(key_budget),
        key_verdict = verdict(key_median <= key_budget),
        first = ms(num(key, &["first_ms"])?),
        not_loaded = not_loaded(t)?,
        beside = beside_swagger(j)?,
    ))
}

/// The time to an interactive form on localhost and on the slow network, the console beside
/// Swagger UI, with the ratios.
fn beside_swagger(j: &Value) -> Option<String> {
    let num = |v: &Value, path: &[&str]| -> Option<f64> {
        path.iter().try_fold(v, |v, k| v.get(k))?.as_f64()
    };
    let slow = j.get("slow_network")?;
    let swagger = j.get("swagger").filter(|v| !v.is_null());
    let timed = |v: Option<&Value>| -> Option<(f64, String)> {
        let v = v?;
        let median = num(v, &["form_in_dom", "median_ms"])?;
        let shown = format!(
            "{median:.0} ms ({:.0} ms)",
            num(v, &["form_in_dom", "p95_ms"])?
        );
        Some((median, shown))
    };
    let bytes = |v: Option<&Value>| -> Option<(f64, String)> {
        let b = num(v?, &["bytes_received"])?;
        Some((b, format!("{:.1} KB", b / 1024.0)))
    };
    let row = |what: String, console: Option<(f64, String)>, other: Option<(f64, String)>| {
        let shown =
            |x: &Option<(f64, String)>| x.as_ref().map_or("—".to_owned(), |x| x.1.clone());
        let ratio = match (&console, &other) {
            (Some((c, _)), Some((o, _))) if *c > 0.0 => format!("{:.1}×", o / c),
            _ => "—".to_owned(),
        };
        format!(
            "| {what} | {} | {} | {ratio} |\n",
            shown(&console),
            shown(&other)
        )
    };
    let local_runs = num(j, &["navigation", "form_in_dom", "runs"])?;
    let slow_runs = num(slow, &["console", "form_in_dom", "runs"])?;
    let down = num(slow, &["downloadThroughput"])? * 8.0 / 1000.0;
    let up = num(slow, &["uploadThroughput"])? * 8.0 / 1000.0;
    let latency = num(slow, &["latency"])?;
    let network = format!("{down:.0} kbit/s down, {up:.0} kbit/s up, {latency:.0} ms latency");
    let version = swagger
        .and_then(|s| s.get("version")?.as_str())
        .unwrap_or("(not measured)");
    Some(format!(
        "\n### Time to an interactive form, beside Swagger UI\n\n\
         | navigation → interactive, median (p95) | sm-config console | Swagger UI {version}, one operation | Swagger UI ÷ console |\n\
         |---|---:|---:|---:|\n{}{}{}{}\n\
         Both pages in the same run, their runs interleaved, each from a fresh browser context, served \
         by `sm-config serve` from precompressed copies (`compress.rs`: brotli 11, zopfli). Slow network: \
         Chromium's emulation over the DevTools protocol (`Network.emulateNetworkConditions`, {network}; \
         `Network.setCacheDisabled`). Swagger UI is npm's `swagger-ui-dist` (bundle and CSS) with \
         `tests/e2e/swagger/` (a one-operation OpenAPI document for `POST /api/v2/configurations`, \
         the operation expanded with Try it out on); it is interactive when its request body editor \
         and Execute button are in the DOM, as the console is when its form is. Bytes: every response \
         from the page's origin (headers and encoded bodies), the API calls included.\n",
        row(
            format!("localhost, {local_runs} runs"),
            timed(j.get("navigation")),
            timed(swagger.and_then(|s| s.get("navigation"))),
        ),
        row(
            format!("slow network, {slow_runs} runs"),
            timed(slow.get("console")),
            timed(slow.get("swagger").filter(|v| !v.is_null())),
        ),
        row(
            "bytes received, localhost".to_owned(),
            bytes(j.get("navigation")),
            bytes(swagger.and_then(|s| s.get("navigation"))),
        ),
        row(
            "bytes received, slow network (cache off)".to_owned(),
            bytes(slow.get("console")),
            bytes(slow.get("swagger").filter(|v| !v.is_null())),
        ),
    ))
}

/// A line naming the shipped files the page does not load (not counted), if any.
fn not_loaded(transfer: &Value) -> Option<String> {
    let names: Vec<String> = transfer
        .get("not_loaded")?
        .as_array()?
        .iter()
        .filter_map(|v| Some(format!("`{}`", v.as_str()?)))
        .collect();
    Some(if names.is_empty() {
        String::new()
    } else {
        format!(
            "\nAlso in `dist/` but not loaded by the page (not counted): {}.\n",
            names.join(", ")
        )
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn bench_json_becomes_a_section() {
        let j = serde_json::json!({
            "chromium": "140.0.1",
            "transfer": {
                "files": [
                    {"file": "app_bg.wasm", "kind": "wasm", "loaded": true, "raw": 204800, "gzip": 81920,
                     "served_gzip": 79872, "served_gzip_encoding": "gzip",
                     "chromium": 66560, "chromium_encoding": "br"},
                    {"file": "embed/pkg.wasm", "kind": "wasm", "loaded": false, "raw": 1, "gzip": 1}
                ],
                "assets_raw": 204800, "assets_gzip": 81920, "budget_gzip": 122880,
                "assets_served_gzip": 126976, "assets_chromium": 66560, "budget_chromium": 61440,
                "chromium_accept": "gzip, deflate, br, zstd",
                "not_loaded": ["embed/pkg.wasm"]
            },
            "navigation": {
                "form_in_dom": {"runs": 15, "median_ms": 150.25, "p95_ms": 300.0},
                "load_event": {"runs": 15, "median_ms": 90.0, "p95_ms": 120.0}
            },
            "keystroke": {"runs": 290, "median_ms": 1.6, "p95_ms": 3.5, "first_ms": 3.8, "budget_ms": 1.0},
            "world": {
                "localhost": {"runs": 15, "median_ms": 40.5, "p95_ms": 61.0, "bytes_received": 94208},
                "slow": {"runs": 5, "median_ms": 700.0, "p95_ms": 720.25, "bytes_received": 94208}
            },
            "slow_network": {
                "latency": 150, "downloadThroughput": 200000, "uploadThroughput": 93750, "cache_disabled": true,
                "console": {"form_in_dom": {"runs": 5, "median_ms": 900.4, "p95_ms": 950.0}, "bytes_received": 133120},
                "swagger": {"form_in_dom": {"runs": 5, "median_ms": 3601.6, "p95_ms": 3700.0}, "bytes_received": 409600}
            },
            "swagger": {"version": "5.35.0",
                        "navigation": {"form_in_dom": {"runs": 15, "median_ms": 450.75, "p95_ms": 500.0}, "bytes_received": 409600}}
        });
        let md = page_section(&j).unwrap();
        assert!(md.contains(
            "| transfer, wasm + JS + CSS, gzip as sent (the build's zopfli copies) | 124.0 KB | 120.0 KB (**over**) |"
        ));
        assert!(md.contains(
            "| transfer, wasm + JS + CSS, as Chromium received it (`gzip, deflate, br, zstd`) | 65.0 KB | 60.0 KB (**over**) |"
        ));
        assert!(md.contains(
            "pickers and panel mounted (the world module), median of 15 (p95) | 40.50 ms (61.00 ms) | |"
        ));
        assert!(md.contains("slow network below, median of 5 (p95) | 700.00 ms (720.25 ms) | |"));
        assert!(md.contains("not in the first load) | 92.0 KB | |"));
        assert!(md.contains("| wasm + JS + CSS, gzip -9 of the files (reference) | 80.0 KB | |"));
        assert!(md.contains("median of 15 (p95) | 150.25 ms (300.00 ms)"));
        assert!(md.contains("| 1.60 ms (3.50 ms) | 1.00 ms (**over**) |"));
        assert!(md.contains(
            "| `app_bg.wasm` | wasm | 200.0 KB | 80.0 KB | 78.0 KB (gzip) | 65.0 KB (br) |"
        ));
        assert!(!md.contains("| `embed/pkg.wasm`"));
        assert!(md.contains("not loaded by the page (not counted): `embed/pkg.wasm`."));
        assert!(md.contains(
            "| navigation → interactive, median (p95) | sm-config console | Swagger UI 5.35.0, one operation | Swagger UI ÷ console |"
        ));
        assert!(
            md.contains("| localhost, 15 runs | 150 ms (300 ms) | 451 ms (500 ms) | 3.0× |"),
            "{md}"
        );
        assert!(
            md.contains("| slow network, 5 runs | 900 ms (950 ms) | 3602 ms (3700 ms) | 4.0× |"),
            "{md}"
        );
        assert!(
            md.contains(
                "| bytes received, slow network (cache off) | 130.0 KB | 400.0 KB | 3.1× |"
            ),
            "{md}"
        );
        assert!(md.contains("1600 kbit/s down, 750 kbit/s up, 150 ms latency"));
        // Without Swagger UI the console's figures stand alone.
        let mut alone = j.clone();
        alone["swagger"] = Value::Null;
        alone["slow_network"]["swagger"] = Value::Null;
        let md = page_section(&alone).unwrap();
        assert!(
            md.contains("| slow network, 5 runs | 900 ms (950 ms) | — | — |"),
            "{md}"
        );
        assert!(page_section(&serde_json::json!({"transfer": {}})).is_none());
    }
}
