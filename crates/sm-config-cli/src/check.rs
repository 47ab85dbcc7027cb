//! `sm-config check FILE...`: validation plus the prerequisites around each request (the Code
//! Engine project and job, the IAM credentials secret, the service authorization), read from a
//! running `sm-config serve` (`--server`) or from IBM with `IBMCLOUD_API_KEY`, each missing one
//! with its fix.
//!
//! Exit 0: nothing blocks the create. 1: something does. 2: it could not check (a fact could
//! not be read, and the answer says which and why; or nothing could be asked at all).
//! IAM listing no policy at all is a warning the core gives (it cannot tell), not exit 2: the
//! policies were read, they just say nothing.

use crate::error::{self, CliError};
use crate::findings;
use crate::import;
use crate::input::{self, Input};
use crate::target::TargetArgs;
use clap::ValueEnum;
use serde::Serialize;
use sm_config::prereq::{Needs, Prerequisite, checklist};
use sm_config::{Code, Finding, Report, Target};
use sm_config_server::facts::{FactSource, Fetcher, server_status};
use sm_config_server::{API_KEY_ENV, DEFAULT_IAM_URL, Secret};
use std::io::Write;
use std::path::PathBuf;
use std::process::ExitCode;

/// Options of `check`.
#[derive(Debug, clap::Args)]
#[command(
    after_help = "Facts come from a running `sm-config serve` (--server URL: the emulator, or a relay) \
or, without --server, from IBM with the API key in IBMCLOUD_API_KEY. A relay that holds IBMCLOUD_API_KEY \
answers only with its launch token: start it with --token-file FILE and pass the same --token-file FILE \
here. Exit 0: nothing blocks the create; \
1: something does; 2: could not check (which fact and why is printed)."
)]
pub struct Args {
    /// Requests to check: JSON bodies, curl or ibmcloud commands, Terraform; `-` reads
    /// standard input
    #[arg(value_name = "FILE", required = true)]
    files: Vec<PathBuf>,
    /// Read the facts through a running `sm-config serve` at this URL (emulator or relay);
    /// its instance is the target unless --instance-id/--region say otherwise
    #[arg(long, value_name = "URL")]
    server: Option<String>,
    /// The launch token of a --server relay that holds IBMCLOUD_API_KEY: the file
    /// `sm-config serve --token-file FILE` wrote (sent in the X-SM-Config-Token header)
    #[arg(long, value_name = "FILE", requires = "server")]
    token_file: Option<PathBuf>,
    /// How to print the findings
    #[arg(long, short, value_enum, default_value_t = Output::Human)]
    output: Output,
    /// IAM, for the API key's token and (without --server) the policies
    #[arg(long, value_name = "URL", default_value = DEFAULT_IAM_URL, hide = true)]
    iam_url: String,
    /// Code Engine's API, `{region}` for the region (without --server)
    #[arg(long, value_name = "URL", hide = true)]
    code_engine_url: Option<String>,
    #[command(flatten)]
    target: TargetArgs,
}

/// Output style of `check`.
#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum)]
enum Output {
    /// Findings with hints and fixes, for people.
    Human,
    /// One JSON document, for pipelines.
    Json,
}

/// The `--output json` document.
#[derive(Debug, Serialize)]
struct JsonReport<'a> {
    /// 0, 1 or 2, as the exit code.
    exit: u8,
    /// Where the facts came from.
    source: String,
    /// The instance checked against.
    target: &'a Target,
    files: Vec<JsonFile<'a>>,
}

#[derive(Debug, Serialize)]
struct JsonFile<'a> {
    file: &'a str,
    /// No error (validation or prerequisite).
    ok: bool,
    errors: usize,
    warnings: usize,
    /// Facts that could not be read (`fact_unavailable` findings' messages).
    could_not_check: Vec<&'a str>,
    /// The six prerequisites, when the request could be read (the core's checklist).
    #[serde(skip_serializing_if = "Option::is_none")]
    prerequisites: Option<&'a [Prerequisite]>,
    findings: &'a [Finding],
}

/// What one input came to.
struct Checked {
    report: Report,
    /// What import could not understand in a pasted command or resource.
    unread: Vec<sm_config::ImportFinding>,
    form: Option<sm_config::Format>,
    /// The checklist, when the request could be read.
    prerequisites: Option<Vec<Prerequisite>>,
}

impl Checked {
    fn blocks(&self) -> bool {
        !self.report.is_valid() || self.unread.iter().any(sm_config::ImportFinding::is_error)
    }

    fn unavailable(&self) -> impl Iterator<Item = &Finding> {
        self.report
            .findings()
            .iter()
            .filter(|f| f.code == Code::FactUnavailable)
    }
}

/// Why `check` could not ask anything; exit 2.
fn cannot(message: impl std::fmt::Display) -> Result<ExitCode, CliError> {
    eprintln!("sm-config: could not check: {message}");
    Ok(error::usage())
}

/// Runs `check`.
pub fn run(args: Args) -> Result<ExitCode, CliError> {
    let runtime = match tokio::runtime::Builder::new_current_thread()
        .enable_all()
        .build()
    {
        Ok(r) => r,
        Err(e) => return cannot(format!("cannot start the async runtime: {e}")),
    };
    runtime.block_on(run_async(args))
}

fn api_key() -> Option<Secret> {
    std::env::var(API_KEY_ENV)
        .ok()
        .filter(|k| !k.trim().is_empty())
        .map(Secret::new)
}

async fn run_async(args: Args) -> Result<ExitCode, CliError> {
    let named = args.target.resolve()?;
    let inputs = input::read_all(&args.files)?;
    let (fetcher, target, source) = match &args.server {
        Some(url) => {
            let launch_token = match &args.token_file {
                Some(path) => match read_token_file(path) {
                    Ok(token) => Some(token),
                    Err(message) => return cannot(message),
                },
                None => None,
            };
            let status = match server_status(url, launch_token.as_ref()).await {
                Ok(s) => s,
                Err(e) => return cannot(e),
            };
            if status.launch_token && !status.authorized {
                return cannot(match &args.token_file {
                    None => format!(
                        "{url} holds an ibm cloud credential and answers only requests with its launch token: \
pass --token-file FILE, the file `sm-config serve --token-file FILE` wrote"
                    ),
                    Some(path) => format!(
                        "the launch token in {} is not the one of {url} (was the server restarted?)",
                        path.display()
                    ),
                });
            }
            // The options (or SECRETS_MANAGER_URL) win over what the server says.
            let from_server = Target::new(
                status.instance_id.clone().unwrap_or_default(),
                status.region.clone().unwrap_or_default(),
                status.endpoint_kind().unwrap_or_default(),
            );
            let target = named.over(&from_server);
            let fetcher =
                match Fetcher::for_server(url, &status, api_key(), &args.iam_url, launch_token)
                    .await
                {
                    Ok(f) => f,
                    Err(e) => return cannot(e),
                };
            (fetcher, target, format!("{} at {url}", status.mode))
        }
        None => {
            let Some(target) = named.checked() else {
                return cannot(
                    "name the instance (--instance-id and --region, or SECRETS_MANAGER_URL), or use --server",
                );
            };
            let Some(key) = api_key() else {
                return cannot(format!(
                    "set {API_KEY_ENV} to read the facts from IBM, or use --server URL"
                ));
            };
            let code_engine_url =
                args.code_engine_url
                    .clone()
                    .unwrap_or_else(|| match target.endpoint {
                        sm_config::Endpoint::Private => {
                            sm_config_server::PRIVATE_CODE_ENGINE_URL.to_owned()
                        }
                        sm_config::Endpoint::Public => {
                            sm_config_server::DEFAULT_CODE_ENGINE_URL.to_owned()
                        }
                    });
            let fetcher = match Fetcher::new(FactSource::Ibm {
                api_key: key,
                iam_url: args.iam_url.clone(),
                code_engine_url,
                instance_url: None,
            })
            .await
            {
                Ok(f) => f,
                Err(e) => return cannot(e),
            };
            (fetcher, target, "ibm cloud".to_owned())
        }
    };
    let target_report = sm_config::validate_target(&target);
    if !target_report.is_valid() {
        return cannot(format!(
            "the instance is not valid:\n{}",
            target_report.to_string().trim_end()
        ));
    }
    let mut checked = Vec::new();
    for input in &inputs {
        checked.push(check_one(input, &named, &target, &fetcher).await);
    }
    let blocked = checked.iter().any(Checked::blocks);
    let unknown = checked.iter().any(|c| c.unavailable().next().is_some());
    let exit: u8 = if blocked {
        1
    } else if unknown {
        2
    } else {
        0
    };
    let mut out = std::io::stdout().lock();
    match args.output {
        Output::Human => {
            writeln!(
                out,
                "checked against instance {} ({}, {}) with facts from {source}",
                target.instance_id,
                target.region,
                target.endpoint.as_str()
            )?;
            for (input, c) in inputs.iter().zip(&checked) {
                writeln!(out)?;
                import::write_unread(&mut out, input, c.form, &c.unread)?;
                findings::write(&mut out, input, Some(&target), &c.report)?;
                write_fixes(&mut out, &c.report)?;
                if let Some(list) = &c.prerequisites {
                    write_checklist(&mut out, list)?;
                }
            }
            writeln!(out)?;
            writeln!(
                out,
                "{}",
                match exit {
                    0 => "nothing blocks the create",
                    1 => "something blocks the create (see the errors above)",
                    _ =>
                        "could not check everything (see the fact_unavailable warnings above: which fact and why)",
                }
            )?;
        }
        Output::Json => {
            let doc = JsonReport {
                exit,
                source,
                target: &target,
                files: inputs
                    .iter()
                    .zip(&checked)
                    .map(|(input, c)| JsonFile {
                        file: &input.name,
                        ok: !c.blocks(),
                        errors: c.report.errors().count(),
                        warnings: c.report.warnings().count(),
                        could_not_check: c.unavailable().map(|f| f.message.as_str()).collect(),
                        prerequisites: c.prerequisites.as_deref(),
                        findings: c.report.findings(),
                    })
                    .collect(),
            };
            serde_json::to_writer_pretty(&mut out, &doc).map_err(std::io::Error::from)?;
            writeln!(out)?;
        }
    }
    out.flush()?;
    Ok(match exit {
        0 => error::VALID,
        1 => error::INVALID,
        _ => error::usage(),
    })
}

/// The launch token in `path` (what `sm-config serve --token-file` wrote: the token and a
/// newline), or why it cannot be used. The message names the file, never its content.
fn read_token_file(path: &std::path::Path) -> Result<Secret, String> {
    let shown = path.display();
    let text = std::fs::read_to_string(path).map_err(|e| format!("token file {shown}: {e}"))?;
    let token = text.trim();
    if token.is_empty() {
        return Err(format!("token file {shown} is empty"));
    }
    // A header value cannot carry control characters; the server's tokens are hex.
    if token.chars().any(|c| c.is_control() || !c.is_ascii()) {
        return Err(format!(
            "token file {shown} does not hold a launch token (one line of hex)"
        ));
    }
    Ok(Secret::new(token))
}

/// The request in `input` (a JSON body, or a pasted command or resource), its validation,
/// and the prerequisite findings when it could be read.
async fn check_one(
    input: &Input,
    named: &crate::target::Named,
    target: &Target,
    fetcher: &Fetcher,
) -> Checked {
    let validated = import::check(input, named);
    let mut report = validated.report;
    let mut prerequisites = None;
    if let Some(request) = &validated.request {
        let needs = Needs::of(request, target);
        let facts = fetcher.facts(&needs, target).await;
        let list = checklist(request, target, &facts);
        report.append(list.report);
        prerequisites = Some(list.prerequisites);
    }
    Checked {
        report,
        unread: validated.unread,
        form: validated.form,
        prerequisites,
    }
}

/// The checklist after the findings: one line a prerequisite, its status first, then the
/// codes that decided it (the same list the console's prerequisites panel shows).
fn write_checklist(out: &mut impl Write, list: &[Prerequisite]) -> std::io::Result<()> {
    writeln!(out, "  prerequisites:")?;
    for p in list {
        let status = format!("[{}]", p.status);
        write!(out, "    {status:<9} {}", p.title)?;
        if !p.codes.is_empty() {
            let codes: Vec<&str> = p.codes.iter().map(|c| c.as_str()).collect();
            write!(out, " ({})", codes.join(", "))?;
        }
        writeln!(out)?;
    }
    Ok(())
}

/// Each fix in full, after the findings: the ibmcloud command, Terraform, curl and JSON.
fn write_fixes(out: &mut impl Write, report: &Report) -> std::io::Result<()> {
    for f in report.findings() {
        let Some(fix) = &f.fix else { continue };
        writeln!(out, "  fix for {} ({}): {}", f.code, f.path, fix.summary)?;
        let mut forms = vec![
            ("ibmcloud", fix.cli.as_str()),
            ("terraform", fix.terraform.as_str()),
            ("curl", fix.curl.as_str()),
        ];
        if let Some(json) = &fix.json {
            forms.push(("json", json.as_str()));
        }
        for (name, text) in forms {
            writeln!(out, "    {name}:")?;
            for line in text.lines() {
                writeln!(out, "      {line}")?;
            }
        }
    }
    Ok(())
}
