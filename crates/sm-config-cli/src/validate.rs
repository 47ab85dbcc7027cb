//! `sm-config validate FILE...`: every finding about every input, for people or as JSON.

use crate::error::{self, CliError};
use crate::findings;
use crate::import;
use crate::input;
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
    /// Requests to check: JSON bodies, curl or ibmcloud commands, Terraform; `-` reads
    /// standard input
    #[arg(value_name = "FILE", required = true)]
    files: Vec<PathBuf>,
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
}

/// The `--output json` document.
#[derive(Debug, Serialize)]
struct JsonReport<'a> {
    /// True when no file has an error.
    valid: bool,
    /// One entry per input, in the order given.
    files: Vec<JsonFile<'a>>,
}

/// One input in the `--output json` document.
#[derive(Debug, Serialize)]
struct JsonFile<'a> {
    file: &'a str,
    valid: bool,
    errors: usize,
    warnings: usize,
    findings: &'a [Finding],
    /// What could not be understood in a pasted command or resource.
    #[serde(skip_serializing_if = "<[_]>::is_empty")]
    not_understood: &'a [ImportFinding],
}

/// Runs `validate`: exit 0 when every input is valid, 1 when any has an error.
pub fn run(args: Args) -> Result<ExitCode, CliError> {
    let named = args.target.resolve()?;
    let target = named.checked();
    let inputs = input::read_all(&args.files)?;
    let checked: Vec<_> = inputs.iter().map(|i| import::check(i, &named)).collect();
    let valid = checked.iter().all(import::Checked::is_valid);
    let mut out = std::io::stdout().lock();
    match args.output {
        Output::Human => {
            for (n, (input, c)) in inputs.iter().zip(&checked).enumerate() {
                if n > 0 {
                    writeln!(out)?;
                }
                import::write_unread(&mut out, input, c.form, &c.unread)?;
                findings::write(&mut out, input, target.as_ref(), &c.report)?;
            }
        }
        Output::Json => {
            let doc = JsonReport {
                valid,
                files: inputs
                    .iter()
                    .zip(&checked)
                    .map(|(input, c)| JsonFile {
                        file: &input.name,
                        valid: c.is_valid(),
                        errors: c.report.errors().count()
                            + c.unread.iter().filter(|f| f.is_error()).count(),
                        warnings: c.report.warnings().count()
                            + c.unread.iter().filter(|f| !f.is_error()).count(),
                        findings: c.report.findings(),
                        not_understood: &c.unread,
                    })
                    .collect(),
            };
            serde_json::to_writer_pretty(&mut out, &doc).map_err(std::io::Error::from)?;
            writeln!(out)?;
        }
    }
    out.flush()?;
    Ok(if valid { error::VALID } else { error::INVALID })
}
