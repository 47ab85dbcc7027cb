//! The npm package (`crates/sm-config-js`): its build, Node tests and benchmarks.
//!
//! `cargo xtask js` builds the package into `crates/sm-config-js/pkg/` and the embedding example
//! into `dist/embed/`. The package is `wasm-bindgen --target web`: one ES module that loads in a
//! browser with `await init()` (it fetches the `.wasm` beside it) and in Node with
//! `initSync({ module: bytes })`, so the same files serve both and tests run what users get.

use crate::ctx::{Ctx, Error, Result, exec, fail, output};
use crate::tools::{self, CHROMIUM, Tool, WASM_TARGET};
use serde_json::Value;
use std::path::{Path, PathBuf};
use std::process::Stdio;
use std::time::Duration;

const CRATE: &str = "crates/sm-config-js";
/// The package's own files (manifest template, README), copied into `pkg/`.
const PACKAGE_JSON: &str = "crates/sm-config-js/npm/package.json";
const README: &str = "crates/sm-config-js/npm/README.md";
const PKG: &str = "crates/sm-config-js/pkg";
/// The committed TypeScript API; the built `.d.ts` must match it.
const DTS_REF: &str = "crates/sm-config-js/sm_config.d.ts.ref";
const EXAMPLE: &str = "examples/embed";
const DIST: &str = "dist/embed";
/// `--out-name`: the files are `sm_config.js`, `sm_config_bg.wasm`, `sm_config.d.ts`.
const NAME: &str = "sm_config";
/// The package's budget for wasm + JS, gzip, in bytes.
const BUDGET_GZIP: u64 = 60 * 1024;

/// `cargo xtask js`: builds the package and the embedding example.
pub fn run(ctx: &Ctx, args: &[String]) -> Result {
    if let Some(arg) = args.first() {
        return fail(format!("unexpected argument `{arg}`: js takes none"));
    }
    let pkg = build(ctx)?;
    let dist = embed(ctx, &pkg)?;
    println!(
        "\npackage: {}\nexample: python3 -m http.server --bind 127.0.0.1 --directory {} 8000, then open http://127.0.0.1:8000/",
        pkg.display(),
        dist.display()
    );
    Ok(())
}

/// Builds the package, checks its API against the reference and runs the Node tests on the
/// packed tarball (step `js` of `cargo xtask test`).
pub fn test(ctx: &Ctx) -> Result {
    let pkg = build(ctx)?;
    check_dts(ctx, &pkg)?;
    let consumer = install_as_user(ctx, &pkg)?;
    let tests = consumer.join("tests/node");
    let mut files: Vec<PathBuf> = std::fs::read_dir(&tests)?
        .flatten()
        .map(|e| e.path())
        .filter(|p| p.to_string_lossy().ends_with(".test.mjs"))
        .collect();
    files.sort();
    if files.is_empty() {
        return fail(format!("no *.test.mjs in {CRATE}/tests/node"));
    }
    exec(
        ctx.cmd("node")
            .current_dir(&consumer)
            .arg("--test")
            .args(&files),
    )?;
    check_embed(ctx, &embed(ctx, &pkg)?)?;
    let (wasm, js) = (size(&pkg.join(wasm_file()))?, js_size(&pkg)?);
    if wasm.gzip + js.gzip > BUDGET_GZIP {
        return fail(format!(
            "the package is {} gzip (wasm + JS), over its budget of {}",
            kib(wasm.gzip + js.gzip),
            kib(BUDGET_GZIP)
        ));
    }
    Ok(())
}

/// The package's section of BENCHMARKS.md: its size, and one `validate` call from JS against
/// ajv validating the same rules as a JSON Schema, measured in one Node run.
pub fn bench(ctx: &Ctx) -> Result<Option<String>> {
    let pkg = build(ctx)?;
    let (wasm, js) = (size(&pkg.join(wasm_file()))?, js_size(&pkg)?);
    // A second build with the floor's exports, measured in the same run (never published).
    let floor = build_into(ctx, &["bench-floor"], ctx.target_dir().join("js-floor-pkg"))?;
    let script = format!("{CRATE}/bench/validate.mjs");
    let mut cmd = ctx.cmd("node");
    cmd.arg(&script).arg(&pkg).arg("--floor").arg(&floor);
    println!(
        "$ node {script} {} --floor {}",
        pkg.display(),
        floor.display()
    );
    let out = output(&mut cmd).ok_or_else(|| Error(format!("`node {script}` failed")))?;
    let report: Value = serde_json::from_str(&out)
        .map_err(|e| Error(format!("`node {script}` printed no JSON report: {e}")))?;
    Ok(Some(section(&wasm, &js, &report, &script)))
}

/// The acceptance ratios (sm-config / ajv per call): valid request, five findings.
const TARGET_VALID: f64 = 1.0;
const TARGET_INVALID: f64 = 2.0;

/// The markdown section for the sizes and the report of `bench/validate.mjs` (Node, and
/// headless Chromium when it ran).
fn section(wasm: &Size, js: &Size, report: &Value, script: &str) -> String {
    let num = |v: &Value, path: &str| v.pointer(path).and_then(Value::as_f64).unwrap_or(f64::NAN);
    let text = |path: &str| report.pointer(path).and_then(Value::as_str).unwrap_or("?");
    let chromium = report.get("chromium").filter(|c| c.is_object());
    let total = wasm.gzip + js.gzip;
    let verdict = if total <= BUDGET_GZIP {
        "within"
    } else {
        "**over**"
    };
    let us =
        |v: &Value, key: &str| format!("{:.2} µs", num(v, &format!("/{key}/ns_per_call")) / 1000.0);
    let ratio = |v: &Value, key: &str| format!("{:.2}×", num(v, &format!("/ratio/{key}")));
    let batch = num(report, "/batch");
    let mut rows = String::new();
    for (label, key, ajv, ratio_key) in [
        (
            "`validate(object)`, valid",
            "validate",
            "ajv",
            Some("validate"),
        ),
        (
            "`validate(object)`, invalid (5 findings)",
            "validate_invalid",
            "ajv_invalid",
            Some("validate_invalid"),
        ),
        (
            "`validateMany` of valid requests, per request",
            "validate_many",
            "ajv_many",
            Some("validate_many"),
        ),
        (
            "`validateMany` of invalid requests, per request",
            "validate_many_invalid",
            "ajv_many_invalid",
            Some("validate_many_invalid"),
        ),
        (
            "`validateJson(text)`, valid",
            "validate_json",
            "ajv",
            Some("validate_json"),
        ),
        ("`JSON.stringify(object)` alone", "stringify", "ajv", None),
        (
            "floor (a): an exported call taking the object, reading nothing",
            "floor_call",
            "ajv",
            Some("floor_call"),
        ),
        (
            "floor (b): `validate`'s JS read and crossings, rules skipped, valid",
            "floor_read",
            "ajv",
            Some("floor_read"),
        ),
        (
            "floor (b), the invalid request (vs ajv's invalid)",
            "floor_read_invalid",
            "ajv_invalid",
            Some("floor_read_invalid"),
        ),
        (
            "floor (c): read and rules, findings dropped, invalid (vs ajv's invalid)",
            "floor_rules_invalid",
            "ajv_invalid",
            Some("floor_rules_invalid"),
        ),
        (
            "`validate(object)` of the floor build, valid",
            "floor_validate",
            "ajv",
            Some("floor_validate"),
        ),
    ] {
        let cells = |v: &Value| match ratio_key {
            Some(r) => format!("{} | {} | {}", us(v, key), us(v, ajv), ratio(v, r)),
            None => format!("{} | – | –", us(v, key)),
        };
        let browser = chromium.map_or_else(|| "– | – | –".to_owned(), cells);
        rows.push_str(&format!("| {label} | {} | {browser} |\n", cells(report)));
    }
    let met = |v: f64, target: f64| if v <= target { "met" } else { "**not met**" };
    let targets = [report].into_iter().chain(chromium).map(|v| {
        let (valid, invalid) = (num(v, "/ratio/validate"), num(v, "/ratio/validate_invalid"));
        format!(
            "valid {valid:.2}× (target ≤ {TARGET_VALID:.1}×: {}), five findings {invalid:.2}× (target ≤ {TARGET_INVALID:.1}×: {})",
            met(valid, TARGET_VALID),
            met(invalid, TARGET_INVALID)
        )
    });
    let targets: Vec<String> = targets.collect();
    let floors = [("Node", Some(report)), ("Chromium", chromium)]
        .into_iter()
        .filter_map(|(name, v)| {
            let v = v?;
            let call = num(v, "/floor_call/ns_per_call");
            let read = num(v, "/floor_read/ns_per_call");
            let ajv = num(v, "/ajv/ns_per_call");
            let ajv_invalid = num(v, "/ajv_invalid/ns_per_call");
            let full = num(v, "/validate/ns_per_call");
            let full_invalid = num(v, "/validate_invalid/ns_per_call");
            Some(format!(
                "{name}: the empty call alone is {:.2} µs, {:.2}× ajv's whole valid validation \
                 ({:.2} µs); the read and crossings with no rule run {:.2} µs ({:.2}×), i.e. \
                 {:.0} % of `validate`'s {:.2} µs. Five findings: the rules and the findings' \
                 way back are {:.2} µs on top of that floor, against ajv's {:.2} µs for its invalid \
                 request.",
                call / 1000.0,
                call / ajv,
                ajv / 1000.0,
                read / 1000.0,
                read / ajv,
                100.0 * read / full,
                full / 1000.0,
                (full_invalid - read) / 1000.0,
                ajv_invalid / 1000.0,
            ))
        })
        .collect::<Vec<_>>()
        .join("  \n");
    let browser_name = chromium
        .and_then(|c| c.get("version"))
        .and_then(Value::as_str)
        .map_or("headless Chromium: not run".to_owned(), |v| {
            format!("headless Chromium {v}")
        });
    format!(
        "## npm package: size and the cost of `validate` from JS\n\n\
         Built by `cargo xtask js` (release profile: `opt-level = \"z\"`, fat LTO, 1 codegen unit; \
         `wasm-opt -Oz` from npm binaryen 132). Sizes of `{PKG}`:\n\n\
         | file | raw | gzip -9 |\n|---|---:|---:|\n\
         | `{wasm_name}` | {} | {} |\n| `{js_name}` and `snippets/**/*.js` | {} | {} |\n| **wasm + JS** | {} | **{}** |\n\n\
         Budget: ≤ {} gzip for wasm + JS: {verdict} budget.\n\n\
         The docs' example (valid, so every rule runs) and the same request with five rules broken, \
         against ajv validating the rules as a JSON Schema (compiled once to standalone code, \
         `allErrors: true`; the schema cannot hold the task timeout's range, so ajv reports 4 errors \
         where sm-config reports 5). Batches of {batch:.0} requests: `validateMany` against ajv called \
         on each. Median of 7 rounds, the candidates taking turns in each round. Command: \
         `node {script} {PKG}` (run by `cargo xtask bench js`), in Node {node} and in {browser_name}.\n\n\
         | call | Node | ajv | ratio | Chromium | ajv | ratio |\n|---|---:|---:|---:|---:|---:|---:|\n{rows}\n\
         **Node: {}.**  \n**Chromium: {}.**\n\n\
         The floor under any wasm `validate` of this design, measured in the same rounds from a \
         second build of the package with the feature `bench-floor` (three extra exports, never \
         published; its own `validate` row shows the build is otherwise the same): (a) \
         `floorCall(object)`, an exported call that takes the request and returns the same empty \
         findings array, reading nothing; (b) `floorRead(object)`, `validate`'s fast path up to \
         the rules (the JS read into wasm memory, the record's parse) and the empty answer; (c) \
         `floorRules(object)`, the same with the rules run and their findings built, then \
         dropped: (c) − (b) is the rules and the findings' building, `validate` − (c) their way \
         to JS.  \n\
         {floors}\n\n\
         wasm memory: {:.0} KB before the Node run, {:.0} KB after it; `tests/node/fast.test.mjs` \
         fails if 1,000,000 mixed valid, invalid and hostile calls grow it past its size after the \
         first 10,000.\n\n\
         How a call runs: `validate` reads a plain request in place (`src/fast.js`: own enumerable \
         string fields, checked by type, written as UTF-8 into a static 8 KB scratch buffer in one \
         `TextEncoder.encodeInto`) and the core checks the borrowed fields \
         (`sm_config::validate_fields`, the rules the JSON path runs); findings come back as one \
         block of lengths and text made into plain objects in JS. Anything else (getters that throw, \
         cycles, BigInt, unknown fields, other prototypes, `toJSON`, text that is not ASCII, strings \
         longer than the buffer) takes the general path, `JSON.stringify` and the core's JSON reader, \
         with identical findings. `validateMany` packs as many requests as fit the buffer per crossing \
         and returns every finding in one block.\n\n\
         Where the time goes (CPU profiles of `node --cpu-prof` on an unstripped build): on the valid \
         request about a third is the JS read (half of it `TextEncoder.encodeInto`), a quarter the \
         rules themselves (compiled for size, `opt-level = \"z\"`), the rest the crossings and \
         wasm-bindgen's glue. With five findings the rules and the building of their findings take \
         about three quarters of the call, a quarter of that in the allocator (talc) and a tenth in \
         `core::fmt` (an owned, formatted `String` per path, message and hint: `Finding`'s public \
         fields), the rest moving them to JS. Two changes that keep the public `Finding` and every \
         test cut the five-findings call, measured A/B in one Node process (41 alternating rounds): \
         the region hint's list written straight into the hint instead of collected and joined \
         (−11 % median, −52 B gzip) and the findings' buffers kept from one call to the next \
         (−4 to −6 %, +23 B). The floor rows show what no such change can move: reading the request \
         and crossing twice already costs about ajv's whole validation (and in Chromium more), so \
         ≤ 1.0× valid cannot be met by a wasm `validate` that reads the object, and ≤ 2.0× with five \
         findings would leave the rules, five findings and their way back a few hundred \
         nanoseconds. Meeting the targets would take the checks running in JS itself (generated \
         from the core's rules at build time, the way ajv compiles a schema) with wasm kept for \
         what JS cannot say, or an engine-side API that hands wasm a plain object without reading \
         it property by property. {}\n",
        kib(wasm.raw),
        kib(wasm.gzip),
        kib(js.raw),
        kib(js.gzip),
        kib(wasm.raw + js.raw),
        kib(total),
        kib(BUDGET_GZIP),
        targets.first().map_or("?", String::as_str),
        targets.get(1).map_or("not run", String::as_str),
        num(report, "/memory/before") / 1024.0,
        num(report, "/memory/after") / 1024.0,
        text("/schema_note"),
        wasm_name = wasm_file(),
        js_name = js_file(),
        node = text("/node"),
    )
}

fn wasm_file() -> String {
    format!("{NAME}_bg.wasm")
}

fn js_file() -> String {
    format!("{NAME}.js")
}

/// Builds the wasm, binds it, shrinks it and writes the package into `pkg/`.
fn build(ctx: &Ctx) -> Result<PathBuf> {
    build_into(ctx, &[], ctx.path(PKG))
}

/// Builds the package with `features` into `pkg` (the published one has none).
fn build_into(ctx: &Ctx, features: &[&str], pkg: PathBuf) -> Result<PathBuf> {
    tools::ensure(ctx, &[Tool::Wasm32, Tool::NodeModules, Tool::WasmBindgen])?;
    let mut cargo = ctx.cargo();
    cargo.args([
        "build",
        "-p",
        "sm-config-js",
        "--target",
        WASM_TARGET,
        "--release",
    ]);
    if !features.is_empty() {
        cargo.arg("--features").arg(features.join(","));
    }
    // Panic locations are source paths (the registry's among them, under a cargo home whose
    // name differs per machine: a temporary directory in CI), kept as strings in the wasm, and
    // the package cannot panic on any input anyway. Without them it is 0.7 KB gzip smaller and
    // the same bytes wherever it is built. The flag is unstable: `RUSTC_BOOTSTRAP=1` lets the
    // stable toolchain take it for this build only, as the page's build does for its flags.
    cargo.env("RUSTC_BOOTSTRAP", "1").env(
        "CARGO_TARGET_WASM32_UNKNOWN_UNKNOWN_RUSTFLAGS",
        "-Zlocation-detail=none",
    );
    exec(&mut cargo)?;
    let wasm = ctx
        .target_dir()
        .join(WASM_TARGET)
        .join("release/sm_config_js.wasm");
    if pkg.exists() {
        std::fs::remove_dir_all(&pkg)?;
    }
    std::fs::create_dir_all(&pkg)?;
    exec(
        ctx.cmd("wasm-bindgen")
            .args(["--target", "web", "--out-name", NAME, "--out-dir"])
            .arg(&pkg)
            .arg(&wasm),
    )?;
    wasm_opt(ctx, &pkg.join(wasm_file()))?;
    let mut manifest: Value =
        serde_json::from_str(&std::fs::read_to_string(ctx.path(PACKAGE_JSON))?)
            .map_err(|e| Error(format!("{PACKAGE_JSON}: {e}")))?;
    manifest["version"] = Value::from(env!("CARGO_PKG_VERSION"));
    let text = serde_json::to_string_pretty(&manifest).map_err(|e| Error(e.to_string()))?;
    std::fs::write(pkg.join("package.json"), text + "\n")?;
    std::fs::copy(ctx.path(README), pkg.join("README.md"))?;
    // wasm-bindgen writes a `.gitignore` of `*` for wasm-pack; the folder is ignored already.
    let _ = std::fs::remove_file(pkg.join(".gitignore"));
    Ok(pkg)
}

/// `wasm-opt -Oz` from npm binaryen 132, in place. Debian's binaryen (108) breaks the module
/// (`WebAssembly.Table.set(): Argument 1 is invalid`), so any other version is refused.
fn wasm_opt(ctx: &Ctx, wasm: &Path) -> Result {
    let bin = ctx.path("node_modules/.bin/wasm-opt");
    let version = output(ctx.cmd(&bin).arg("--version")).unwrap_or_default();
    if !version.contains("version 132") {
        return fail(format!(
            "{} is not binaryen 132 (`{}`): run `npm ci` at the repository root",
            bin.display(),
            version.trim()
        ));
    }
    // Features come from the module's target_features section; strip it and the producers
    // section afterwards, since nothing at run time reads them.
    exec(
        ctx.cmd(&bin)
            .args([
                "-Oz",
                "--converge",
                "--strip-target-features",
                "--strip-producers",
            ])
            .arg(wasm)
            .arg("-o")
            .arg(wasm),
    )
}

/// Compares the built `.d.ts` with the committed reference.
fn check_dts(ctx: &Ctx, pkg: &Path) -> Result {
    let built = pkg.join(format!("{NAME}.d.ts"));
    let new = std::fs::read_to_string(&built)?;
    let old = std::fs::read_to_string(ctx.path(DTS_REF)).unwrap_or_default();
    if new == old {
        println!("{DTS_REF}: the TypeScript API is unchanged");
        return Ok(());
    }
    let line = new
        .lines()
        .zip(old.lines())
        .position(|(a, b)| a != b)
        .unwrap_or_else(|| new.lines().count().min(old.lines().count()));
    fail(format!(
        "the package's TypeScript API changed (first difference at line {}): review \
         `diff {DTS_REF} {PKG}/{NAME}.d.ts`; if the change is intended, \
         `cp {PKG}/{NAME}.d.ts {DTS_REF}` and commit it",
        line + 1
    ))
}

/// Packs the package and installs the tarball into a fresh project under the target dir, with
/// a copy of the tests beside it, so they import `sm-config` exactly as a user's code would.
fn install_as_user(ctx: &Ctx, pkg: &Path) -> Result<PathBuf> {
    let consumer = ctx.target_dir().join("js-consumer");
    if consumer.exists() {
        std::fs::remove_dir_all(&consumer)?;
    }
    std::fs::create_dir_all(consumer.join("tests/node"))?;
    let mut pack = ctx.cmd("npm");
    pack.current_dir(pkg)
        .args(["pack", "--silent", "--pack-destination"])
        .arg(&consumer);
    println!("$ npm pack --pack-destination {}", consumer.display());
    let tarball = output(&mut pack)
        .and_then(|out| out.lines().last().map(|l| l.trim().to_owned()))
        .filter(|name| name.ends_with(".tgz"))
        .ok_or_else(|| Error("`npm pack` in the package made no tarball".into()))?;
    let manifest = serde_json::json!({
        "private": true,
        "type": "module",
        "dependencies": { "sm-config": format!("file:./{tarball}") }
    });
    std::fs::write(consumer.join("package.json"), manifest.to_string())?;
    exec(ctx.cmd("npm").current_dir(&consumer).args([
        "install",
        "--offline",
        "--no-audit",
        "--no-fund",
        "--no-package-lock",
    ]))?;
    let tests = ctx.path(format!("{CRATE}/tests"));
    std::fs::copy(tests.join("cases.json"), consumer.join("tests/cases.json"))?;
    for entry in std::fs::read_dir(tests.join("node"))?.flatten() {
        let path = entry.path();
        if path.extension().is_some_and(|e| e == "mjs") {
            std::fs::copy(&path, consumer.join("tests/node").join(entry.file_name()))?;
        }
    }
    Ok(consumer)
}

/// Puts the example page and the package together in `dist/embed/`, ready to serve.
fn embed(ctx: &Ctx, pkg: &Path) -> Result<PathBuf> {
    let dist = ctx.path(DIST);
    if dist.exists() {
        std::fs::remove_dir_all(&dist)?;
    }
    std::fs::create_dir_all(dist.join("sm-config"))?;
    for entry in std::fs::read_dir(ctx.path(EXAMPLE))?.flatten() {
        if entry.path().is_file() {
            std::fs::copy(entry.path(), dist.join(entry.file_name()))?;
        }
    }
    // The package with its `snippets/` (the modules `sm_config.js` imports).
    for file in files_under(pkg)? {
        let into = dist
            .join("sm-config")
            .join(file.strip_prefix(pkg).map_err(|e| Error(e.to_string()))?);
        if let Some(parent) = into.parent() {
            std::fs::create_dir_all(parent)?;
        }
        std::fs::copy(&file, into)?;
    }
    Ok(dist)
}

/// Loads the example in headless Chromium under its own CSP and checks that the package
/// loaded, validated the form and rendered the curl preview.
fn check_embed(ctx: &Ctx, dist: &Path) -> Result {
    tools::ensure(ctx, &[Tool::Chromium])?;
    let port = std::net::TcpListener::bind("127.0.0.1:0")?
        .local_addr()?
        .port();
    let mut server = ctx
        .cmd("python3")
        .args(["-m", "http.server", "--bind", "127.0.0.1", "--directory"])
        .arg(dist)
        .arg(port.to_string())
        .stdout(Stdio::null())
        .stderr(Stdio::null())
        .spawn()
        .map_err(|e| Error(format!("cannot start python3 -m http.server: {e}")))?;
    let up = (0..100).any(|_| {
        std::thread::sleep(Duration::from_millis(50));
        std::net::TcpStream::connect(("127.0.0.1", port)).is_ok()
    });
    let profile = ctx.target_dir().join("js-chromium-profile");
    let dom = up.then(|| {
        let mut cmd = ctx.cmd("timeout");
        cmd.args([
            "60",
            CHROMIUM,
            "--headless",
            "--no-sandbox",
            "--disable-gpu",
        ])
        .args([
            "--disable-quic",
            "--no-first-run",
            "--disable-background-networking",
        ])
        .args(["--disable-component-update", "--disable-sync"])
        .arg(format!("--user-data-dir={}", profile.display()))
        .args(["--virtual-time-budget=10000", "--dump-dom"])
        .arg(format!("http://127.0.0.1:{port}/"));
        output(&mut cmd)
    });
    let _ = server.kill();
    let _ = server.wait();
    let dom = match dom {
        None => return fail(format!("the example's server did not start on port {port}")),
        Some(None) => return fail("headless chromium failed to load the example"),
        Some(Some(dom)) => dom,
    };
    for want in [
        "<p id=\"status\">Valid (0 warnings).</p>",
        "<pre id=\"curl\">curl -X POST 'https://",
        "Bearer ${IAM_TOKEN}",
    ] {
        if !dom.contains(want) {
            return fail(format!(
                "the example page ({EXAMPLE}) under its CSP lacks `{want}`: did the package load?"
            ));
        }
    }
    println!("{EXAMPLE}: loads, validates and renders in headless chromium under its CSP");
    Ok(())
}

/// A file's size, raw and gzip -9.
struct Size {
    raw: u64,
    gzip: u64,
}

fn size(path: &Path) -> Result<Size> {
    Ok(Size {
        raw: std::fs::metadata(path)?.len(),
        gzip: gzip_len(path)?,
    })
}

/// The package's JS: the module and the snippets it imports (`snippets/**/*.js`), each gzipped
/// on its own as a server would send them.
fn js_size(pkg: &Path) -> Result<Size> {
    let mut total = size(&pkg.join(js_file()))?;
    for file in files_under(&pkg.join("snippets"))? {
        if file.extension().is_some_and(|e| e == "js") {
            let s = size(&file)?;
            total.raw += s.raw;
            total.gzip += s.gzip;
        }
    }
    Ok(total)
}

/// Every file under `dir`, recursively, sorted; none when it does not exist.
fn files_under(dir: &Path) -> Result<Vec<PathBuf>> {
    let mut files = Vec::new();
    if !dir.exists() {
        return Ok(files);
    }
    for entry in std::fs::read_dir(dir)?.flatten() {
        let path = entry.path();
        if path.is_dir() {
            files.extend(files_under(&path)?);
        } else {
            files.push(path);
        }
    }
    files.sort();
    Ok(files)
}

/// The file's size after `gzip -9` (flate2 at level 9: the same deflate as gzip's).
fn gzip_len(path: &Path) -> Result<u64> {
    use std::io::Write;
    let mut encoder = flate2::write::GzEncoder::new(Vec::new(), flate2::Compression::best());
    encoder.write_all(&std::fs::read(path)?)?;
    Ok(encoder.finish()?.len() as u64)
}

fn kib(bytes: u64) -> String {
    format!("{:.1} KB", bytes as f64 / 1024.0)
}
