//! `cargo xtask bench`: runs the benchmarks and writes BENCHMARKS.md.
//!
//! Each area returns one markdown section; the file is the machine's description followed by
//! the sections in area order. Running only some areas (`cargo xtask bench server`) keeps the
//! other sections as they were, so each area can be re-measured alone.

use crate::ctx::{Ctx, Error, Result, exec, fail, output};
use crate::{js, lint, server, web};
use serde_json::Value;
use std::path::{Path, PathBuf};
use std::time::{Instant, SystemTime};

/// One area of BENCHMARKS.md: its name and what produces its section (`None`: nothing yet).
struct Area {
    name: &'static str,
    bench: fn(&Ctx) -> Result<Option<String>>,
}

const AREAS: &[Area] = &[
    Area {
        name: "core",
        bench: core,
    },
    Area {
        name: "lint",
        bench: lint::bench,
    },
    Area {
        name: "server",
        bench: server::bench,
    },
    Area {
        name: "js",
        bench: js::bench,
    },
    Area {
        name: "web",
        bench: web::bench,
    },
];

const FILE: &str = "BENCHMARKS.md";

/// Runs the benchmarks of every area, or of those named in `args`, and rewrites BENCHMARKS.md.
pub fn run(ctx: &Ctx, args: &[String]) -> Result {
    for name in args {
        if !AREAS.iter().any(|a| a.name == name) {
            let names: Vec<_> = AREAS.iter().map(|a| a.name).collect();
            return fail(format!(
                "unknown area `{name}`; areas: {}",
                names.join(", ")
            ));
        }
    }
    let chosen = |area: &Area| args.is_empty() || args.iter().any(|a| a == area.name);
    let mut measured = Vec::new();
    for area in AREAS.iter().filter(|a| chosen(a)) {
        println!("\n==> bench {}", area.name);
        let t = Instant::now();
        let (date, load_before) = (now(ctx), load());
        let section =
            (area.bench)(ctx).map_err(|e| Error(format!("area `{}` failed: {e}", area.name)))?;
        // Each section says when and under what load it was measured: areas are re-measured
        // one at a time, at different times, on a machine other work may share.
        let stamp = format!(
            "_Measured {date}; load average (1 min) {load_before} at the start, {} at the end._",
            load()
        );
        let section = section.map(|body| stamped(&body, &stamp));
        println!(
            "==> {} done ({:.1} s)",
            area.name,
            t.elapsed().as_secs_f64()
        );
        measured.push((area.name, section));
    }
    // Read only now: another area may have been written while these ran.
    let path = ctx.path(FILE);
    let old = std::fs::read_to_string(&path).unwrap_or_default();
    let mut sections = Vec::new();
    for area in AREAS {
        let section = match measured.iter().find(|(name, _)| *name == area.name) {
            Some((_, section)) => section.clone(),
            None => section_of(&old, area.name).map(str::to_owned),
        };
        if let Some(body) = section {
            sections.push(format!(
                "{}\n{}\n{}",
                open_marker(area.name),
                body.trim_end(),
                close_marker(area.name)
            ));
        }
    }
    let text = format!(
        "# Benchmarks\n\nWritten by `cargo xtask bench` (`cargo xtask bench AREA` re-measures one area \
         and keeps the others). Numbers are from the machine below; each section names its command, when it was measured and the load then.\n\n\
         {}\n{}\n",
        machine(ctx),
        sections.join("\n\n")
    );
    std::fs::write(&path, text)?;
    println!("\nwrote {}", path.display());
    Ok(())
}

/// `body` with `stamp` as its first paragraph under the section's heading.
fn stamped(body: &str, stamp: &str) -> String {
    match body.split_once('\n') {
        Some((heading, rest)) if heading.starts_with("## ") => {
            format!("{heading}\n\n{stamp}\n{rest}")
        }
        _ => format!("{stamp}\n\n{body}"),
    }
}

fn open_marker(area: &str) -> String {
    format!("<!-- xtask bench: {area} -->")
}

fn close_marker(area: &str) -> String {
    format!("<!-- /xtask bench: {area} -->")
}

/// The body of `area`'s section in an earlier BENCHMARKS.md.
fn section_of<'a>(text: &'a str, area: &str) -> Option<&'a str> {
    let start = text.find(&open_marker(area))? + open_marker(area).len();
    let len = text.get(start..)?.find(&close_marker(area))?;
    text.get(start..start + len).map(str::trim)
}

/// The machine: CPU, cores, memory, OS, rustc (each section has its own date and load).
fn machine(ctx: &Ctx) -> String {
    let cpuinfo = std::fs::read_to_string("/proc/cpuinfo").unwrap_or_default();
    let cpu = cpuinfo
        .lines()
        .find_map(|l| l.strip_prefix("model name"))
        .and_then(|rest| rest.split_once(':'))
        .map_or("unknown", |(_, model)| model.trim());
    let cores = std::thread::available_parallelism().map_or(0, |n| n.get());
    let memory = std::fs::read_to_string("/proc/meminfo")
        .ok()
        .and_then(|m| {
            let kib: u64 = m
                .lines()
                .find_map(|l| l.strip_prefix("MemTotal:"))?
                .trim()
                .trim_end_matches("kB")
                .trim()
                .parse()
                .ok()?;
            Some(format!("{:.1} GiB", kib as f64 / (1024.0 * 1024.0)))
        })
        .unwrap_or_else(|| "unknown".into());
    let os = std::fs::read_to_string("/etc/os-release")
        .ok()
        .and_then(|s| {
            s.lines()
                .find_map(|l| l.strip_prefix("PRETTY_NAME="))
                .map(|v| v.trim_matches('"').to_owned())
        })
        .unwrap_or_else(|| std::env::consts::OS.to_owned());
    let rustc = output(ctx.cmd("rustc").arg("--version"))
        .map(|s| s.trim().to_owned())
        .unwrap_or_else(|| "unknown".into());
    format!(
        "## Machine\n\n| | |\n|---|---|\n| CPU | {cpu} |\n| cores | {cores} |\n| memory | {memory} |\n\
         | OS | {os} |\n| rustc | {rustc} |\n"
    )
}

/// The time now, to the minute, in UTC.
fn now(ctx: &Ctx) -> String {
    output(ctx.cmd("date").args(["-u", "+%Y-%m-%d %H:%M UTC"]))
        .map(|s| s.trim().to_owned())
        .unwrap_or_else(|| "unknown".into())
}

/// The 1-minute load average: other work on a shared machine shows in the numbers, and this
/// says how much there was.
fn load() -> String {
    std::fs::read_to_string("/proc/loadavg")
        .ok()
        .and_then(|l| l.split_whitespace().next().map(str::to_owned))
        .unwrap_or_else(|| "unknown".into())
}

/// The core's criterion benchmarks: validation and each renderer.
fn core(ctx: &Ctx) -> Result<Option<String>> {
    let started = SystemTime::now();
    // The root's `[profile.bench]` measures native speed (the release profile is for wasm size).
    const ARGS: [&str; 5] = ["bench", "-p", "sm-config", "--bench", "core"];
    let command = format!("cargo {}", ARGS.join(" "));
    let mut cmd = ctx.cargo();
    cmd.args(ARGS);
    exec(&mut cmd)?;
    let results = criterion_results(&ctx.target_dir().join("criterion"), started)?;
    if results.is_empty() {
        return fail(format!("`{command}` wrote no criterion results"));
    }
    let mut rows = String::new();
    for r in &results {
        rows.push_str(&format!(
            "| `{}` | {} | {} ({} – {}) | {} |\n",
            r.id,
            duration(r.median),
            duration(r.mean),
            duration(r.mean_low),
            duration(r.mean_high),
            rate(r.mean, r.throughput.as_ref()),
        ));
    }
    Ok(Some(format!(
        "## Core: validation and rendering\n\n\
         Criterion, `crates/sm-config/benches/core.rs`. Command: `{command}`\n\n\
         | benchmark | median | mean (95% CI) | rate |\n|---|---:|---:|---:|\n{rows}"
    )))
}

/// One criterion benchmark's estimates, in nanoseconds.
#[derive(Debug, PartialEq)]
struct Estimate {
    id: String,
    median: f64,
    mean: f64,
    mean_low: f64,
    mean_high: f64,
    throughput: Option<(String, f64)>,
}

/// Every `new/estimates.json` under `dir` written after `since`, sorted by ID.
fn criterion_results(dir: &Path, since: SystemTime) -> Result<Vec<Estimate>> {
    let mut found = Vec::new();
    collect_estimates(dir, &mut found);
    // File systems stamp with a coarse clock: a file written just after `since` may carry an
    // earlier time. A second of slack cannot admit an earlier run (cargo bench compiles first).
    let since = since
        .checked_sub(std::time::Duration::from_secs(1))
        .unwrap_or(since);
    let mut results = Vec::new();
    for estimates in found {
        let fresh = std::fs::metadata(&estimates)
            .and_then(|m| m.modified())
            .is_ok_and(|t| t >= since);
        if !fresh {
            continue;
        }
        let new_dir = estimates.parent().unwrap_or(dir);
        let read = |p: &Path| -> Result<Value> {
            let text = std::fs::read_to_string(p)
                .map_err(|e| Error(format!("cannot read {}: {e}", p.display())))?;
            serde_json::from_str(&text).map_err(|e| Error(format!("{}: {e}", p.display())))
        };
        let est = read(&estimates)?;
        let meta = read(&new_dir.join("benchmark.json"))?;
        results.push(parse_estimate(&meta, &est).ok_or_else(|| {
            Error(format!(
                "unexpected criterion output in {}",
                new_dir.display()
            ))
        })?);
    }
    results.sort_by(|a, b| a.id.cmp(&b.id));
    Ok(results)
}

fn collect_estimates(dir: &Path, found: &mut Vec<PathBuf>) {
    let Ok(entries) = std::fs::read_dir(dir) else {
        return;
    };
    for entry in entries.flatten() {
        let path = entry.path();
        if path.is_dir() {
            collect_estimates(&path, found);
        } else if path.ends_with("new/estimates.json") {
            found.push(path);
        }
    }
}

fn parse_estimate(meta: &Value, est: &Value) -> Option<Estimate> {
    let point = |key: &str| est.get(key)?.get("point_estimate")?.as_f64();
    let bound = |key: &str| {
        est.get("mean")?
            .get("confidence_interval")?
            .get(key)?
            .as_f64()
    };
    let throughput = meta
        .get("throughput")
        .and_then(Value::as_object)
        .and_then(|t| t.iter().next())
        .and_then(|(kind, n)| Some((kind.clone(), n.as_f64()?)));
    Some(Estimate {
        id: meta.get("full_id")?.as_str()?.to_owned(),
        median: point("median")?,
        mean: point("mean")?,
        mean_low: bound("lower_bound")?,
        mean_high: bound("upper_bound")?,
        throughput,
    })
}

/// `812 ns`, `12.3 µs`, `4.56 ms`, `1.20 s`.
fn duration(ns: f64) -> String {
    if ns < 10.0 {
        format!("{ns:.2} ns")
    } else if ns < 1e3 {
        format!("{ns:.0} ns")
    } else if ns < 1e6 {
        format!("{:.2} µs", ns / 1e3)
    } else if ns < 1e9 {
        format!("{:.2} ms", ns / 1e6)
    } else {
        format!("{:.2} s", ns / 1e9)
    }
}

/// Calls per second, or bytes per second when the benchmark declares bytes.
fn rate(mean_ns: f64, throughput: Option<&(String, f64)>) -> String {
    let per_second = 1e9 / mean_ns;
    match throughput {
        Some((kind, n)) if kind.starts_with("Bytes") => {
            format!("{:.1} MiB/s", n * per_second / (1024.0 * 1024.0))
        }
        Some((_, n)) => format!("{} elements/s", si(n * per_second)),
        None => format!("{}/s", si(per_second)),
    }
}

fn si(x: f64) -> String {
    if x >= 1e6 {
        format!("{:.2} M", x / 1e6)
    } else if x >= 1e3 {
        format!("{:.1} k", x / 1e3)
    } else {
        format!("{x:.0}")
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_stamp_goes_under_the_heading() {
        assert_eq!(
            stamped("## Web\n\n| a |\n", "_Measured now._"),
            "## Web\n\n_Measured now._\n\n| a |\n"
        );
        assert_eq!(stamped("| a |", "_S._"), "_S._\n\n| a |");
    }

    #[test]
    fn sections_are_found_between_their_markers() {
        let text = format!(
            "# x\n{}\n## Server\nrps\n{}\n{}\nweb\n{}\n",
            open_marker("server"),
            close_marker("server"),
            open_marker("web"),
            close_marker("web")
        );
        assert_eq!(section_of(&text, "server"), Some("## Server\nrps"));
        assert_eq!(section_of(&text, "web"), Some("web"));
        assert_eq!(section_of(&text, "js"), None);
    }

    #[test]
    fn criterion_files_become_estimates() {
        let meta = serde_json::json!({
            "group_id": "render", "function_id": "curl", "full_id": "render/curl",
            "throughput": {"Bytes": 1048576}
        });
        let est = serde_json::json!({
            "mean": {"point_estimate": 1000.0, "confidence_interval": {"lower_bound": 900.0, "upper_bound": 1100.0}},
            "median": {"point_estimate": 990.0}
        });
        let e = parse_estimate(&meta, &est).unwrap();
        assert_eq!(e.id, "render/curl");
        assert_eq!(
            (e.median, e.mean, e.mean_low, e.mean_high),
            (990.0, 1000.0, 900.0, 1100.0)
        );
        assert_eq!(rate(e.mean, e.throughput.as_ref()), "1000000.0 MiB/s");
        assert_eq!(rate(1000.0, None), "1.00 M/s");
        assert!(parse_estimate(&serde_json::json!({}), &est).is_none());
    }

    #[test]
    fn durations_pick_their_unit() {
        assert_eq!(duration(0.666), "0.67 ns");
        assert_eq!(duration(812.4), "812 ns");
        assert_eq!(duration(12_345.0), "12.35 µs");
        assert_eq!(duration(4_560_000.0), "4.56 ms");
        assert_eq!(duration(1.2e9), "1.20 s");
    }

    #[test]
    fn only_fresh_results_of_the_run_are_collected() {
        let dir = std::env::temp_dir().join(format!("xtask-criterion-{}", std::process::id()));
        let _ = std::fs::remove_dir_all(&dir);
        let write = |id: &str, mean: f64| {
            let new = dir.join(id).join("new");
            std::fs::create_dir_all(&new).unwrap();
            let meta = serde_json::json!({"full_id": id, "throughput": null});
            let est = serde_json::json!({
                "mean": {"point_estimate": mean, "confidence_interval": {"lower_bound": mean, "upper_bound": mean}},
                "median": {"point_estimate": mean}
            });
            std::fs::write(new.join("benchmark.json"), meta.to_string()).unwrap();
            std::fs::write(new.join("estimates.json"), est.to_string()).unwrap();
            // Criterion keeps the previous run in base/; it must not count.
            std::fs::create_dir_all(dir.join(id).join("base")).unwrap();
            std::fs::write(dir.join(id).join("base/estimates.json"), est.to_string()).unwrap();
        };
        write("old/stale", 5.0);
        std::thread::sleep(std::time::Duration::from_millis(1500));
        let since = SystemTime::now();
        write("render/curl", 2.0);
        write("validate/typed", 1.0);
        let found = criterion_results(&dir, since).unwrap();
        let ids: Vec<_> = found.iter().map(|e| e.id.as_str()).collect();
        assert_eq!(ids, ["render/curl", "validate/typed"]);
        std::fs::remove_dir_all(&dir).unwrap();
    }
}
