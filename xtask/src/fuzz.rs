//! `cargo xtask fuzz [--seconds N] [TARGET...]`: runs each cargo-fuzz target in `fuzz/` for N
//! seconds (default 60), installing cargo-fuzz when it is missing.
//!
//! cargo-fuzz passes unstable flags (`-Zsanitizer=address`); this machine has only the stable
//! toolchain and cannot fetch another, so the build runs with `RUSTC_BOOTSTRAP=1`: the same
//! compiler with its unstable flags allowed. Kept out of `cargo xtask test`: installing
//! cargo-fuzz and building with the sanitizer take minutes on a fresh machine.

use crate::ctx::{Ctx, Result, exec, fail, output};

/// The targets, each with its read-only seed directories.
const TARGETS: [(&str, &[&str]); 4] = [
    ("import", &["fuzz/seeds/import"]),
    ("validate_json", &["fuzz/seeds/validate_json", "examples"]),
    ("prereq_facts", &["fuzz/seeds/prereq_facts"]),
    ("world", &["fuzz/seeds/world"]),
];

const CARGO_FUZZ_VERSION: &str = "0.13.2";

/// Longest input tried, in bytes: pastes are small; longer inputs only slow the search.
const MAX_LEN: u32 = 8192;

/// Runs the fuzz targets.
pub fn run(ctx: &Ctx, args: &[String]) -> Result {
    let mut seconds: u64 = 60;
    let mut names: Vec<&str> = Vec::new();
    let mut args = args.iter();
    while let Some(arg) = args.next() {
        match arg.as_str() {
            "--seconds" => {
                let value = args.next().map(String::as_str).unwrap_or_default();
                seconds = match value.parse() {
                    Ok(n) if n > 0 => n,
                    _ => return fail(format!("--seconds needs a positive number, not `{value}`")),
                };
            }
            name if TARGETS.iter().any(|(t, _)| *t == name) => names.push(name),
            other => {
                let known: Vec<&str> = TARGETS.iter().map(|(t, _)| *t).collect();
                return fail(format!(
                    "unknown argument `{other}` (targets: {})",
                    known.join(", ")
                ));
            }
        }
    }
    cargo_fuzz(ctx)?;
    let target_dir = ctx.target_dir().join("fuzz");
    for (name, seeds) in TARGETS {
        if !names.is_empty() && !names.contains(&name) {
            continue;
        }
        let corpus = ctx.path("fuzz/corpus").join(name);
        std::fs::create_dir_all(&corpus)?;
        let mut cmd = ctx.cargo();
        cmd.env("RUSTC_BOOTSTRAP", "1")
            .args([
                "fuzz",
                "run",
                "--fuzz-dir",
                "fuzz",
                "--release",
                "--target-dir",
            ])
            .arg(&target_dir)
            .arg(name)
            .arg(&corpus)
            .args(seeds.iter().map(|s| ctx.path(s)))
            .arg("--")
            .arg(format!("-max_total_time={seconds}"))
            .arg(format!("-max_len={MAX_LEN}"))
            .arg("-print_final_stats=1");
        exec(&mut cmd)?;
        println!("fuzz: {name} ran {seconds} s without a crash");
    }
    Ok(())
}

/// Installs cargo-fuzz unless `cargo fuzz --version` answers.
fn cargo_fuzz(ctx: &Ctx) -> Result {
    if let Some(version) = output(ctx.cargo().args(["fuzz", "--version"])) {
        println!("tools: {} present", version.trim());
        return Ok(());
    }
    println!("tools: cargo-fuzz {CARGO_FUZZ_VERSION} needed; installing, ~2 min");
    exec(ctx.cargo().args([
        "install",
        "cargo-fuzz",
        "--version",
        CARGO_FUZZ_VERSION,
        "--locked",
    ]))
}
