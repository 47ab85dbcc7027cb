//! The local server (`sm-config serve`): its section of BENCHMARKS.md.
//!
//! Throughput and latency come from `crates/sm-config-server/examples/load.rs` (keep-alive
//! HTTP/1.1 connections over loopback, fixed duration after a warm-up) against the release
//! binary in emulator mode; cold start is spawn → first `200` from `/sm-config/status`; memory
//! is the server's VmRSS/VmHWM from `/proc`. Server and load generator share the machine.

use crate::ctx::{Ctx, Error, Result, exec, show};
use serde_json::Value;
use std::io::{BufRead, BufReader, Read, Write};
use std::net::TcpStream;
use std::path::Path;
use std::process::{Child, Stdio};
use std::time::{Duration, Instant};

/// What `serve` prints first, before the URL.
const LISTENING: &str = "sm-config serve: listening on http://";
/// Cold starts measured; the median is reported.
const COLD_STARTS: usize = 10;
/// Seconds each load runs (after the generator's one-second warm-up).
const SECONDS: u64 = 5;
/// The loads: mode and connections. Each connection of `cycle` holds one configuration while
/// it cycles, so it must stay below the emulator's limit of 10; 4 connections keep 2 cores
/// busy without queueing requests behind each other (more only lengthens the tail).
const LOADS: [(&str, usize); 3] = [("cycle", 4), ("get", 4), ("prereq", 4)];
/// Runs of `sm-config check` timed against the emulator; the median and the slowest are
/// reported.
const CHECK_RUNS: usize = 20;
/// The issue's targets.
const TARGET_RPS: f64 = 10_000.0;
const TARGET_P99_US: f64 = 5_000.0;

/// Builds the release binary and the load generator, measures, and returns the section.
pub fn bench(ctx: &Ctx) -> Result<Option<String>> {
    exec(ctx.cargo().args([
        "build",
        "--profile",
        "release-native",
        "-p",
        "sm-config-cli",
        "--bin",
        "sm-config",
    ]))?;
    exec(ctx.cargo().args([
        "build",
        "--profile",
        "release-native",
        "-p",
        "sm-config-server",
        "--example",
        "load",
    ]))?;
    // Copied at once out of the target directory: a target directory shared by several
    // worktrees may get another worktree's binary under the same name before the run ends.
    let dir = ctx.target_dir().join("release-native");
    let own = ctx
        .target_dir()
        .join(format!("bench-server-{}", std::process::id()));
    std::fs::create_dir_all(&own)?;
    let bin = own.join("sm-config");
    let load = own.join("load");
    std::fs::copy(dir.join("sm-config"), &bin)?;
    std::fs::copy(dir.join("examples/load"), &load)?;
    if crate::ctx::output(ctx.cmd(&bin).args(["check", "--help"])).is_none() {
        return Err(Error(
            "the sm-config binary has no `check`: another worktree's build replaced it; run again"
                .into(),
        ));
    }

    let mut starts = Vec::new();
    for _ in 0..COLD_STARTS {
        let started = Instant::now();
        let mut server = Server::start(ctx, &bin)?;
        server.wait_ready(started)?;
        starts.push(started.elapsed());
        server.stop();
    }
    starts.sort();

    let mut server = Server::start(ctx, &bin)?;
    server.wait_ready(Instant::now())?;
    let idle = memory(server.child.id())?;
    let mut runs = Vec::new();
    for (mode, connections) in LOADS {
        let mut cmd = ctx.cmd(&load);
        cmd.arg(&server.url)
            .arg(mode)
            .arg(connections.to_string())
            .arg(SECONDS.to_string());
        println!("$ {}", show(&cmd));
        let out = cmd
            .stderr(Stdio::inherit())
            .output()
            .map_err(|e| Error(format!("cannot start the load generator: {e}")))?;
        let text = String::from_utf8_lossy(&out.stdout);
        println!("{}", text.trim());
        let report: Value = serde_json::from_str(text.trim())
            .map_err(|e| Error(format!("the load generator printed no report: {e}")))?;
        runs.push(Run::from_report(&report)?);
    }
    let loaded = memory(server.child.id())?;
    let check = check_times(ctx, &bin, &server.url)?;
    server.stop();
    let load_average = std::fs::read_to_string("/proc/loadavg")
        .ok()
        .and_then(|l| l.split_whitespace().next().map(str::to_owned))
        .unwrap_or_else(|| "unknown".into());
    let _ = std::fs::remove_dir_all(&own);
    let mut text = section(&runs, &starts, idle, loaded, &load_average);
    text.push_str(&check_section(&check));
    Ok(Some(text))
}

/// Wall times of `sm-config check` (spawn to exit) on a request that needs every fact (project,
/// job, secret, configurations, policies), against the running emulator; sorted.
fn check_times(ctx: &Ctx, bin: &Path, url: &str) -> Result<Vec<Duration>> {
    let dir = ctx.target_dir().join("bench-check");
    std::fs::create_dir_all(&dir)?;
    let request = dir.join("request.json");
    std::fs::write(
        &request,
        r#"{"name":"bench-check","config_type":"custom_credentials_configuration","api_key_ref":"0b7e3c9a-5d1f-4e2a-8c6b-9d0e1f2a3b4c","code_engine":{"job_name":"rotate-db-password","project_id":"8c1e5f0a-3b2d-4e6f-9a7b-1c2d3e4f5a6b","region":"us-south"}}"#,
    )?;
    let mut times = Vec::new();
    for _ in 0..CHECK_RUNS {
        let started = Instant::now();
        let out = ctx
            .cmd(bin)
            .arg("check")
            .arg(&request)
            .args(["--server", url])
            .env_remove("IBMCLOUD_API_KEY")
            .env_remove("SECRETS_MANAGER_URL")
            .stdin(Stdio::null())
            .output()
            .map_err(|e| Error(format!("cannot run sm-config check: {e}")))?;
        times.push(started.elapsed());
        if out.status.code() != Some(0) {
            return Err(Error(format!(
                "sm-config check exited {:?} on the bench request: {}",
                out.status.code(),
                String::from_utf8_lossy(&out.stdout)
            )));
        }
    }
    times.sort();
    Ok(times)
}

fn check_section(times: &[Duration]) -> String {
    let at = |i: usize| ms(times.get(i).copied().unwrap_or_default().as_secs_f64() * 1e6);
    format!(
        "\n| `sm-config check` against the emulator (release binary, one request, all 5 facts) | |\n\
         |---|---|\n\
         | wall time, spawn to exit, median of {} | {} (min {}, max {}) |\n",
        times.len(),
        at(times.len() / 2),
        at(0),
        at(times.len().saturating_sub(1)),
    )
}

/// A `sm-config serve` process on a free loopback port, killed when dropped.
struct Server {
    child: Child,
    url: String,
}

impl Server {
    fn start(ctx: &Ctx, bin: &Path) -> Result<Server> {
        let mut child = ctx
            .cmd(bin)
            .args(["serve", "--listen", "127.0.0.1:0"])
            .env("RUST_LOG", "warn")
            .stdin(Stdio::null())
            .stdout(Stdio::piped())
            .stderr(Stdio::inherit())
            .spawn()
            .map_err(|e| Error(format!("cannot start {}: {e}", bin.display())))?;
        let mut line = String::new();
        if let Some(out) = child.stdout.take() {
            BufReader::new(out).read_line(&mut line)?;
        }
        let Some(addr) = listening_addr(&line) else {
            let _ = child.kill();
            return Err(Error(format!("unexpected first line from serve: {line:?}")));
        };
        Ok(Server {
            url: format!("http://{addr}"),
            child,
        })
    }

    /// Polls `/sm-config/status` until it answers 200 (at most 10 s after `since`).
    fn wait_ready(&mut self, since: Instant) -> Result {
        let addr = self.url.trim_start_matches("http://").to_owned();
        while since.elapsed() < Duration::from_secs(10) {
            if status_ok(&addr) {
                return Ok(());
            }
            std::thread::sleep(Duration::from_micros(200));
        }
        Err(Error(
            "the server did not answer /sm-config/status within 10 s".into(),
        ))
    }

    fn stop(&mut self) {
        let _ = self.child.kill();
        let _ = self.child.wait();
    }
}

impl Drop for Server {
    fn drop(&mut self) {
        self.stop();
    }
}

/// `127.0.0.1:PORT` from the first line `serve` prints (a relay holding a credential adds
/// `/#token=…`, which is not part of the address).
fn listening_addr(line: &str) -> Option<&str> {
    line.trim()
        .strip_prefix(LISTENING)
        .and_then(|url| url.split('/').next())
        .filter(|a| !a.is_empty())
}

fn status_ok(addr: &str) -> bool {
    let Ok(mut stream) = TcpStream::connect(addr) else {
        return false;
    };
    let request =
        format!("GET /sm-config/status HTTP/1.1\r\nHost: {addr}\r\nConnection: close\r\n\r\n");
    let mut answer = String::new();
    stream.write_all(request.as_bytes()).is_ok()
        && stream.read_to_string(&mut answer).is_ok()
        && answer.starts_with("HTTP/1.1 200")
}

/// VmRSS and VmHWM of a process, in KiB.
fn memory(pid: u32) -> Result<(u64, u64)> {
    let text = std::fs::read_to_string(format!("/proc/{pid}/status"))?;
    parse_memory(&text).ok_or_else(|| Error(format!("no VmRSS/VmHWM in /proc/{pid}/status")))
}

fn parse_memory(status: &str) -> Option<(u64, u64)> {
    let field = |name: &str| -> Option<u64> {
        status
            .lines()
            .find_map(|l| l.strip_prefix(name))?
            .trim()
            .trim_end_matches("kB")
            .trim()
            .parse()
            .ok()
    };
    Some((field("VmRSS:")?, field("VmHWM:")?))
}

/// One load run, as the generator reports it.
#[derive(Debug, PartialEq)]
struct Run {
    mode: String,
    connections: u64,
    seconds: f64,
    requests: u64,
    round_trips: u64,
    errors: u64,
    p50_us: f64,
    p99_us: f64,
    max_us: f64,
}

impl Run {
    fn from_report(v: &Value) -> Result<Run> {
        let num = |k: &str| {
            v.get(k)
                .and_then(Value::as_f64)
                .ok_or_else(|| Error(format!("the load report has no `{k}`: {v}")))
        };
        Ok(Run {
            mode: v
                .get("mode")
                .and_then(Value::as_str)
                .unwrap_or("?")
                .to_owned(),
            connections: num("connections")? as u64,
            seconds: num("seconds")?,
            requests: num("requests")? as u64,
            round_trips: num("round_trips")? as u64,
            errors: num("errors")? as u64,
            p50_us: num("p50_us")?,
            p99_us: num("p99_us")?,
            max_us: num("max_us")?,
        })
    }

    fn rps(&self) -> f64 {
        self.requests as f64 / self.seconds.max(f64::EPSILON)
    }
}

fn ms(us: f64) -> String {
    format!("{:.2} ms", us / 1000.0)
}

fn mib(kib: u64) -> String {
    format!("{:.1} MiB", kib as f64 / 1024.0)
}

fn section(
    runs: &[Run],
    starts: &[Duration],
    idle: (u64, u64),
    loaded: (u64, u64),
    load_average: &str,
) -> String {
    let mut rows = String::new();
    for r in runs {
        let (what, trips) = match r.mode.as_str() {
            "cycle" => (
                "create + get + delete cycles",
                format!("{:.0}", r.round_trips as f64 / r.seconds.max(f64::EPSILON)),
            ),
            "prereq" => (
                "world reads: projects, job, secrets, secret metadata, policies",
                format!("{:.0}", r.round_trips as f64 / r.seconds.max(f64::EPSILON)),
            ),
            _ => ("get of one configuration", "–".to_owned()),
        };
        let meets = r.rps() >= TARGET_RPS && r.p99_us <= TARGET_P99_US && r.errors == 0;
        rows.push_str(&format!(
            "| {what} | {} | {:.1} s | {:.0} | {trips} | {} | {} | {} | {} | {} |\n",
            r.connections,
            r.seconds,
            r.rps(),
            ms(r.p50_us),
            ms(r.p99_us),
            ms(r.max_us),
            r.errors,
            if meets { "met" } else { "**not met**" },
        ));
    }
    let median = starts.get(starts.len() / 2).copied().unwrap_or_default();
    let (min, max) = (
        starts.first().copied().unwrap_or_default(),
        starts.last().copied().unwrap_or_default(),
    );
    format!(
        "## Server: `sm-config serve` (emulator)\n\n\
         Command: `cargo xtask bench server` — the `release-native` binary in emulator mode (no \
         `--data`, `RUST_LOG=warn`), loaded by `crates/sm-config-server/examples/load.rs`: keep-alive \
         HTTP/1.1 connections over loopback, each sending its next request when the previous \
         answer is read, {SECONDS} s after a 1 s warm-up. Server and load generator share the same \
         cores, so the server has less than the whole machine; the 1-minute load average after \
         the run was {load_average} (other work on the machine shows in the tail latencies).\n\n\
         The emulator holds at most 10 configurations, so creates are undone: in the cycle load \
         each connection creates its own configuration, reads it back and deletes it (one round \
         trip = create + get + delete, 3 requests). The get load reads one configuration. The \
         world load reads the emulated world's routes of issue 17 in turn (one round trip = 5 \
         reads: Code Engine projects of a region, one job, IAM credentials secrets, one secret's \
         metadata, authorization policies).\n\n\
         Target (issue 3): ≥ {TARGET_RPS:.0} requests/s with p99 ≤ {} on 2 cores.\n\n\
         | load | connections | measured | requests/s | round trips/s | p50 | p99 | max | errors | target |\n\
         |---|---:|---:|---:|---:|---:|---:|---:|---:|---|\n{rows}\n\
         | start and memory | |\n|---|---|\n\
         | cold start (spawn → first 200 from `/sm-config/status`), median of {} | {} (min {}, max {}) |\n\
         | memory idle (VmRSS) | {} |\n\
         | memory after the loads (VmRSS / peak VmHWM) | {} / {} |\n",
        ms(TARGET_P99_US),
        starts.len(),
        ms(median.as_secs_f64() * 1e6),
        ms(min.as_secs_f64() * 1e6),
        ms(max.as_secs_f64() * 1e6),
        mib(idle.0),
        mib(loaded.0),
        mib(loaded.1),
    )
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn reads_the_listening_line() {
        assert_eq!(
            listening_addr("sm-config serve: listening on http://127.0.0.1:4242\n"),
            Some("127.0.0.1:4242")
        );
        assert_eq!(
            listening_addr("sm-config serve: listening on http://127.0.0.1:4242/#token=00ff\n"),
            Some("127.0.0.1:4242")
        );
        assert_eq!(listening_addr("something else"), None);
        assert_eq!(
            listening_addr("sm-config serve: listening on http://"),
            None
        );
    }

    #[test]
    fn reads_proc_status() {
        let status = "Name:\tsm-config\nVmHWM:\t   12345 kB\nVmRSS:\t    6789 kB\nThreads:\t3\n";
        assert_eq!(parse_memory(status), Some((6789, 12345)));
        assert_eq!(parse_memory("Name:\tx\n"), None);
    }

    #[test]
    fn the_section_tells_the_verdict() {
        let report = |mode: &str, rps: u64, p99: f64| {
            serde_json::json!({"mode": mode, "connections": 8, "seconds": 5.0,
                "requests": rps * 5, "round_trips": rps * 5 / 3, "errors": 0,
                "p50_us": 400.0, "p99_us": p99, "max_us": 9000.0})
        };
        let runs = [
            Run::from_report(&report("cycle", 12_000, 1500.0)).unwrap(),
            Run::from_report(&report("get", 9_000, 1500.0)).unwrap(),
        ];
        let text = section(
            &runs,
            &[
                Duration::from_millis(3),
                Duration::from_millis(4),
                Duration::from_millis(9),
            ],
            (4096, 4096),
            (8192, 10240),
            "0.50",
        );
        assert!(text.contains("| create + get + delete cycles | 8 | 5.0 s | 12000 | 4000 | 0.40 ms | 1.50 ms | 9.00 ms | 0 | met |"), "{text}");
        assert!(
            text.contains("| get of one configuration | 8 | 5.0 s | 9000 | – |"),
            "{text}"
        );
        assert!(text.contains("**not met**"), "{text}");
        assert!(
            text.contains("median of 3 | 4.00 ms (min 3.00 ms, max 9.00 ms)"),
            "{text}"
        );
        assert!(text.contains("| 8.0 MiB / 10.0 MiB |"), "{text}");
        assert!(
            text.contains("load average after the run was 0.50"),
            "{text}"
        );
        assert!(Run::from_report(&serde_json::json!({"mode": "get"})).is_err());
    }
}
