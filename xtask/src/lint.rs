//! `cargo xtask bench lint`: `sm-config validate` as a linter over generated Terraform — a
//! repository of many files, and single files of growing size (to show linear growth).

use crate::ctx::{Ctx, Error, Result, exec, fail, show};
use std::fmt::Write as _;
use std::path::{Path, PathBuf};
use std::process::{Command, Stdio};
use std::time::{Duration, Instant};

/// The repository: folders × files per folder × configurations per file.
const FOLDERS: usize = 100;
const FILES_PER_FOLDER: usize = 10;
const PER_FILE: usize = 5;
/// Resources in the single-file runs.
const SIZES: [usize; 4] = [500, 1_000, 2_000, 5_000];
/// Runs per measurement; the median is reported.
const RUNS: usize = 5;

/// Writes a file of N resources.
type Generate = fn(usize) -> String;

/// Builds the release CLI, generates the inputs under the target directory, and measures.
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
    let bin = ctx.target_dir().join("release-native/sm-config");
    let work = ctx.target_dir().join("lint-bench");
    let _ = std::fs::remove_dir_all(&work);
    let repo = work.join("repo");
    let bytes = generate_repo(&repo)?;
    let time = ctx.which("time").or_else(|| {
        let p = PathBuf::from("/usr/bin/time");
        p.is_file().then_some(p)
    });

    let mut args = vec!["validate".to_owned(), "--recursive".to_owned()];
    args.push(repo.display().to_string());
    let repo_run = measure(ctx, &bin, &args, time.as_deref(), &work)?;

    let mut rows = String::new();
    let mut first_per = None;
    // The same resources in both syntaxes: `.tf` and Terraform's JSON (`.tf.json`).
    let syntaxes: [(&str, Generate); 2] =
        [("main.tf", single_file), ("main.tf.json", single_file_json)];
    for ((file_name, generate), n) in syntaxes
        .iter()
        .flat_map(|s| SIZES.iter().map(move |n| (s, *n)))
    {
        if n == SIZES[0] {
            first_per = None;
        }
        // Each file in its own folder: a `.tf` file named alone brings its folder's other
        // files along (their variables and locals), which would measure them too.
        let dir = work.join(format!("single-{n}-{file_name}"));
        std::fs::create_dir_all(&dir)?;
        let file = dir.join(file_name);
        std::fs::write(&file, generate(n))?;
        let size = std::fs::metadata(&file)?.len();
        let args = vec!["validate".to_owned(), file.display().to_string()];
        let m = measure(ctx, &bin, &args, time.as_deref(), &work)?;
        // The growth is read from the wall time: `time` counts CPU time in 10 ms steps, which
        // the small files do not reach (0 ms), so CPU per resource is shown only from 50 ms on.
        let per = m.median.as_secs_f64() / n as f64;
        let first = *first_per.get_or_insert(per);
        let cpu_per = m
            .cpu
            .filter(|c| c.as_millis() >= 50)
            .map_or("—".to_owned(), |c| {
                format!("{:.1} µs", c.as_secs_f64() * 1e6 / n as f64)
            });
        writeln!(
            rows,
            "| `{file_name}` | {n} | {:.1} MB | {} | {:.1} µs | {} | {} | {:.2}× | {} |",
            size as f64 / 1e6,
            secs(m.median),
            per * 1e6,
            m.cpu.map_or("—".to_owned(), secs),
            cpu_per,
            per / first,
            m.peak.as_deref().unwrap_or("—"),
        )
        .ok();
    }
    let _ = std::fs::remove_dir_all(&work);

    let configs = FOLDERS * FILES_PER_FOLDER * PER_FILE;
    Ok(Some(format!(
        "## Linter: `sm-config validate` over Terraform\n\n\
         Command: `cargo xtask bench lint` — the `release-native` binary, wall time from spawn to \
         exit (median of {RUNS} runs, human output to /dev/null), peak memory as `/usr/bin/time`'s \
         maximum resident set size.\n\n\
         A generated repository: {FOLDERS} module folders × {FILES_PER_FOLDER} `.tf` files × \
         {PER_FILE} configurations = **{} files, {configs} configurations** ({:.1} MB), each folder \
         with a variable default and a `terraform.tfvars` that the job names resolve through, one \
         instance per file. `sm-config validate --recursive REPO`:\n\n\
         | files | configurations | time (median) | min – max | CPU time (median) | peak memory |\n|---:|---:|---:|---:|---:|---:|\n\
         | {} | {configs} | **{}** | {} – {} | {} | {} |\n\n\
         One file with N resources (literal values, one instance per 5), in the native syntax \
         (`main.tf`) and in Terraform's JSON syntax (`main.tf.json`), `sm-config validate FILE`. \
         Time per resource stays flat or falls (the process's start is shared by more resources), \
         so the time grows linearly (before this change the issue \
         measured 0.08 s, 0.24 s, 0.81 s and 4.4 s for the same sizes: quadratic, from counting \
         lines from the file's start for every finding):\n\n\
         | file | resources | size | time (median) | time per resource | CPU time (median) | CPU per resource | time per resource vs 500 | peak memory |\n\
         |---|---:|---:|---:|---:|---:|---:|---:|---:|\n{rows}\n\
         Load average (1 min) after the runs: {}. Wall times on a shared machine include waiting \
         for the cores; the CPU time (user + system, from `/usr/bin/time`) does not.",
        FOLDERS * FILES_PER_FOLDER,
        bytes as f64 / 1e6,
        FOLDERS * FILES_PER_FOLDER,
        secs(repo_run.median),
        secs(repo_run.min),
        secs(repo_run.max),
        repo_run.cpu.map_or("—".to_owned(), secs),
        repo_run.peak.as_deref().unwrap_or("—"),
        std::fs::read_to_string("/proc/loadavg")
            .ok()
            .and_then(|l| l.split_whitespace().next().map(str::to_owned))
            .unwrap_or_else(|| "unknown".into()),
    )))
}

struct Measured {
    median: Duration,
    min: Duration,
    max: Duration,
    /// The largest maximum resident set size of the runs, e.g. `41.2 MiB`.
    peak: Option<String>,
    /// The median CPU time (user + system), when `time` reports it.
    cpu: Option<Duration>,
}

/// Runs `bin args` [`RUNS`] times (under `time` when there is one, for the peak memory).
fn measure(
    ctx: &Ctx,
    bin: &Path,
    args: &[String],
    time: Option<&Path>,
    work: &Path,
) -> Result<Measured> {
    let mut times = Vec::new();
    let mut peak_kib: Option<u64> = None;
    let mut cpus = Vec::new();
    let report = work.join("time.txt");
    for _ in 0..RUNS {
        let mut cmd: Command = match time {
            Some(time) => {
                let mut c = ctx.cmd(time);
                c.arg("-f").arg("%M %U %S").arg("-o").arg(&report).arg(bin);
                c
            }
            None => ctx.cmd(bin),
        };
        cmd.args(args)
            .stdin(Stdio::null())
            .stdout(Stdio::null())
            .stderr(Stdio::null());
        let started = Instant::now();
        let status = cmd
            .status()
            .map_err(|e| Error(format!("cannot start `{}`: {e}", show(&cmd))))?;
        times.push(started.elapsed());
        // The generated inputs are valid: anything but 0 means the run did not check them all.
        if status.code() != Some(0) {
            return fail(format!("`{}` exited {status}", show(&cmd)));
        }
        if time.is_some() {
            let text = std::fs::read_to_string(&report).unwrap_or_default();
            let fields: Vec<&str> = text
                .trim()
                .lines()
                .last()
                .unwrap_or("")
                .split_whitespace()
                .collect();
            if let [kib, user, system] = fields[..] {
                peak_kib = peak_kib.max(kib.parse().ok());
                if let (Ok(u), Ok(s)) = (user.parse::<f64>(), system.parse::<f64>()) {
                    cpus.push(Duration::from_secs_f64(u + s));
                }
            }
        }
    }
    times.sort();
    cpus.sort();
    Ok(Measured {
        cpu: (cpus.len() == times.len()).then(|| cpus[cpus.len() / 2]),
        median: times[times.len() / 2],
        min: times[0],
        max: times[times.len() - 1],
        peak: peak_kib.map(|k| format!("{:.1} MiB", k as f64 / 1024.0)),
    })
}

fn secs(d: Duration) -> String {
    let s = d.as_secs_f64();
    if s < 1.0 {
        format!("{:.0} ms", s * 1e3)
    } else {
        format!("{s:.2} s")
    }
}

/// A lower-case UUID from a number (instance IDs that differ per file).
fn uuid(n: usize) -> String {
    format!("{:08x}-0000-4000-8000-{:012x}", n, n)
}

fn resource(label: &str, instance: &str, name: &str, job: &str, project: &str) -> String {
    format!(
        "resource \"ibm_sm_custom_credentials_configuration\" \"{label}\" {{\n  \
         instance_id  = \"{instance}\"\n  region       = \"us-south\"\n  name         = {name}\n  \
         api_key_ref  = \"a2f9c2e4-a3a8-c508-2bed-fcb7c26843ca\"\n  task_timeout = \"10m\"\n\n  \
         code_engine {{\n    project_id = {project}\n    job_name   = {job}\n    region     = \"us-south\"\n  }}\n}}\n\n"
    )
}

/// Writes the repository and returns its size in bytes.
fn generate_repo(repo: &Path) -> Result<u64> {
    let mut bytes = 0;
    for folder in 0..FOLDERS {
        let dir = repo.join(format!("mod-{folder:03}"));
        std::fs::create_dir_all(&dir)?;
        let tfvars = format!("job_prefix = \"svc{folder}\"\n");
        std::fs::write(dir.join("terraform.tfvars"), &tfvars)?;
        bytes += tfvars.len() as u64;
        for file in 0..FILES_PER_FOLDER {
            let mut text = String::new();
            if file == 0 {
                text.push_str(
                    "variable \"job_prefix\" {\n  type = string\n}\n\n\
                     variable \"project_id\" {\n  type    = string\n  default = \"12345678-5120-4a18-832a-4ba122496633\"\n}\n\n",
                );
            }
            let instance = uuid(folder * FILES_PER_FOLDER + file);
            for i in 0..PER_FILE {
                text.push_str(&resource(
                    &format!("c{file}_{i}"),
                    &instance,
                    &format!("\"cfg-{file}-{i}\""),
                    &format!("\"${{var.job_prefix}}-{file}-{i}\""),
                    "var.project_id",
                ));
            }
            bytes += text.len() as u64;
            std::fs::write(dir.join(format!("f-{file:02}.tf")), text)?;
        }
    }
    Ok(bytes)
}

/// [`single_file`] in Terraform's JSON syntax (`.tf.json`): the same resources and values.
fn single_file_json(n: usize) -> String {
    let mut text =
        String::from("{\n  \"resource\": {\n    \"ibm_sm_custom_credentials_configuration\": {\n");
    for i in 0..n {
        let instance = uuid(i / 5);
        let comma = if i + 1 < n { "," } else { "" };
        text.push_str(&format!(
            "      \"c{i}\": {{\n        \"instance_id\": \"{instance}\",\n        \"region\": \"us-south\",\n        \
             \"name\": \"config-{i}\",\n        \"api_key_ref\": \"a2f9c2e4-a3a8-c508-2bed-fcb7c26843ca\",\n        \
             \"task_timeout\": \"10m\",\n        \"code_engine\": {{\n          \
             \"project_id\": \"12345678-5120-4a18-832a-4ba122496633\",\n          \"job_name\": \"job-{i}\",\n          \
             \"region\": \"us-south\"\n        }}\n      }}{comma}\n"
        ));
    }
    text.push_str("    }\n  }\n}\n");
    text
}

/// One file of `n` resources with literal values, five per instance.
fn single_file(n: usize) -> String {
    let mut text = String::new();
    for i in 0..n {
        text.push_str(&resource(
            &format!("c{i}"),
            &uuid(i / 5),
            &format!("\"config-{i}\""),
            &format!("\"job-{i}\""),
            "\"12345678-5120-4a18-832a-4ba122496633\"",
        ));
    }
    text
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn generated_uuids_are_lower_case_and_distinct() {
        assert_eq!(uuid(26), "0000001a-0000-4000-8000-00000000001a");
        assert_ne!(uuid(1), uuid(2));
    }

    #[test]
    fn a_single_file_holds_n_resources() {
        let text = single_file(7);
        assert_eq!(
            text.matches("resource \"ibm_sm_custom_credentials_configuration\"")
                .count(),
            7
        );
        assert!(text.contains(&uuid(1)) && !text.contains(&uuid(2)));
    }

    #[test]
    fn the_json_file_is_json_with_the_same_resources() {
        let text = single_file_json(7);
        let doc: serde_json::Value = serde_json::from_str(&text).unwrap();
        let resources = doc["resource"]["ibm_sm_custom_credentials_configuration"]
            .as_object()
            .unwrap();
        assert_eq!(resources.len(), 7);
        assert_eq!(resources["c6"]["code_engine"]["job_name"], "job-6");
        assert_eq!(resources["c5"]["instance_id"], uuid(1));
    }
}
