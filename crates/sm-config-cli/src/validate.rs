//! `sm-config validate PATH...`: every configuration in every file (folders walked like
//! tflint), each finding at its file, line and column, the checks across configurations, and
//! one exit code for the run: for people, as JSON, SARIF or GitHub workflow commands.

use crate::collect;
use crate::error::{self, CliError};
use crate::lint::{self, Item, Level, Unit};
use crate::output;
use crate::target::TargetArgs;
use clap::ValueEnum;
use serde::Serialize;
use sm_config::{Finding, ImportFinding};
use std::io::Write;
use std::path::PathBuf;
use std::process::ExitCode;

/// Options of `validate`.
#[derive(Debug, clap::Args)]
pub struct Args {
    /// Files or folders to check: JSON bodies, curl or ibmcloud commands, Terraform (`.tf`);
    /// a folder gives its `.tf` files and `*.json` request bodies; `-` reads standard input
    #[arg(value_name = "PATH", required = true)]
    files: Vec<PathBuf>,
    /// Walk folders below the given ones too (skipping hidden folders and `.terraform/`)
    #[arg(long, short)]
    recursive: bool,
    /// A Terraform variable file whose values count for every module (after
    /// `terraform.tfvars` and `*.auto.tfvars`); may be repeated
    #[arg(long, value_name = "FILE")]
    var_file: Vec<PathBuf>,
    /// Fail (exit 1) on warnings too
    #[arg(long)]
    deny_warnings: bool,
    /// How to print the findings
    #[arg(long, short, value_enum, default_value_t = Output::Human)]
    output: Output,
    #[command(flatten)]
    target: TargetArgs,
}

/// Output style of `validate`.
#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum)]
enum Output {
    /// Findings with carets and hints, for people.
    Human,
    /// One JSON document, for pipelines.
    Json,
    /// SARIF 2.1.0, for code-scanning tools.
    Sarif,
    /// GitHub Actions workflow commands (annotations).
    Github,
}

/// The `--output json` document.
#[derive(Debug, Serialize)]
struct JsonReport<'a> {
    /// True when the run passes (no error; no warning with `--deny-warnings`).
    valid: bool,
    /// One entry per input, in the order given.
    files: Vec<JsonFile<'a>>,
    /// Findings across configurations.
    #[serde(skip_serializing_if = "<[_]>::is_empty")]
    across: &'a [Item],
}

/// One input in the `--output json` document.
#[derive(Debug, Serialize)]
struct JsonFile<'a> {
    file: &'a str,
    valid: bool,
    errors: usize,
    warnings: usize,
    /// The core's findings (a JSON body or a command).
    #[serde(skip_serializing_if = "Option::is_none")]
    findings: Option<&'a [Finding]>,
    /// What could not be understood in a pasted command or resource.
    #[serde(skip_serializing_if = "<[_]>::is_empty")]
    not_understood: &'a [ImportFinding],
    /// A Terraform file's own findings (syntax), with line and column.
    #[serde(skip_serializing_if = "<[_]>::is_empty")]
    file_findings: &'a [Item],
    /// A Terraform file's configurations.
    #[serde(skip_serializing_if = "Option::is_none")]
    configurations: Option<&'a [lint::Configuration]>,
}

/// Runs `validate`: exit 0 when nothing fails, 1 on an error (or a warning with
/// `--deny-warnings`), 2 when a path cannot be read or the command line is wrong.
pub fn run(args: Args) -> Result<ExitCode, CliError> {
    let named = args.target.resolve()?;
    let collected = collect::collect(&args.files, args.recursive, &args.var_file)?;
    let lint = lint::run(collected, &named);
    let fails = lint.fails(args.deny_warnings);
    let mut out = std::io::stdout().lock();
    match args.output {
        Output::Human => output::human(&mut out, &lint)?,
        Output::Json => {
            let doc = JsonReport {
                valid: !fails,
                files: lint.units.iter().map(json_file).collect(),
                across: &lint.across,
            };
            serde_json::to_writer_pretty(&mut out, &doc).map_err(std::io::Error::from)?;
            writeln!(out)?;
        }
        Output::Sarif => {
            serde_json::to_writer_pretty(&mut out, &output::sarif(&lint))
                .map_err(std::io::Error::from)?;
            writeln!(out)?;
        }
        Output::Github => output::github(&mut out, &lint)?,
    }
    out.flush()?;
    Ok(if fails { error::INVALID } else { error::VALID })
}

fn json_file(unit: &Unit) -> JsonFile<'_> {
    match unit {
        Unit::Single { input, checked, .. } => JsonFile {
            file: &input.name,
            valid: checked.is_valid(),
            errors: checked.report.errors().count()
                + checked.unread.iter().filter(|f| f.is_error()).count(),
            warnings: checked.report.warnings().count()
                + checked.unread.iter().filter(|f| !f.is_error()).count(),
            findings: Some(checked.report.findings()),
            not_understood: &checked.unread,
            file_findings: &[],
            configurations: None,
        },
        Unit::Terraform {
            name,
            items,
            configurations,
        } => {
            let all = || {
                items
                    .iter()
                    .chain(configurations.iter().flat_map(|c| &c.findings))
            };
            JsonFile {
                file: name,
                valid: !all().any(|i| i.level == Level::Error),
                errors: all().filter(|i| i.level == Level::Error).count(),
                warnings: all().filter(|i| i.level == Level::Warning).count(),
                findings: None,
                not_understood: &[],
                file_findings: items,
                configurations: Some(configurations),
            }
        }
    }
}
