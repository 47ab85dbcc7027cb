//! `sm-config render --format F FILE`: the request as a JSON body, curl command, `ibmcloud`
//! command or Terraform resource, for the instance named by the options or the environment.

use crate::error::{self, CliError};
use crate::findings;
use crate::input;
use crate::target::{TargetArgs, URL_VAR};
use clap::builder::{PossibleValuesParser, TypedValueParser};
use sm_config::render::{Format, TERRAFORM_RESOURCE_TYPE, resource_label, shell_quote};
use std::io::Write;
use std::path::PathBuf;
use std::process::ExitCode;

/// Options of `render`.
#[derive(Debug, clap::Args)]
pub struct Args {
    /// What to print
    #[arg(long, short, value_name = "FORMAT", value_parser = format_parser())]
    format: Format,
    /// Render even when the request has errors (the output then shows the invalid values)
    #[arg(long)]
    allow_invalid: bool,
    #[command(flatten)]
    target: TargetArgs,
    /// The request body (JSON); `-` reads standard input
    #[arg(value_name = "FILE")]
    file: PathBuf,
}

fn format_parser() -> impl TypedValueParser<Value = Format> {
    PossibleValuesParser::new(Format::ALL.map(Format::as_str)).try_map(|s| s.parse::<Format>())
}

/// Runs `render`: the rendering on stdout, findings and notes on stderr; exit 1 without
/// output when the request has errors, unless `--allow-invalid`.
pub fn run(args: Args) -> Result<ExitCode, CliError> {
    let named = args.target.resolve()?;
    let input = input::read(&args.file)?;
    // Only what the user named is validated: the placeholder's region would raise a false
    // region mismatch.
    let parsed = input::parse(&input, &named);
    let mut err = std::io::stderr().lock();
    if !parsed.report.is_empty() {
        findings::write(&mut err, &input, named.checked().as_ref(), &parsed.report)?;
    }
    let Some(request) = parsed.request else {
        writeln!(
            err,
            "sm-config: nothing to render: {} is not a request object",
            input.name
        )?;
        return Ok(error::INVALID);
    };
    if !parsed.report.is_valid() && !args.allow_invalid {
        writeln!(
            err,
            "sm-config: not rendered because of the errors above (--allow-invalid renders anyway)"
        )?;
        return Ok(error::INVALID);
    }
    let target = named.for_rendering();
    let placeholder_parts = named.placeholder_parts();
    // The JSON body names no instance, so a placeholder is worth a note only for the others.
    if !placeholder_parts.is_empty() && args.format != Format::Json {
        writeln!(
            err,
            "note: placeholder {} ({} in {}): set {URL_VAR} or pass --instance-id and --region",
            placeholder_parts.join(" and "),
            target.instance_id,
            target.region,
        )?;
    }
    let mut rendering = sm_config::render(&request, &target, args.format);
    if !rendering.ends_with('\n') {
        rendering.push('\n');
    }
    let mut out = std::io::stdout().lock();
    out.write_all(rendering.as_bytes())?;
    out.flush()?;
    if args.format == Format::Terraform {
        let address = format!(
            "{TERRAFORM_RESOURCE_TYPE}.{}",
            resource_label(request.name())
        );
        writeln!(
            err,
            "import an existing configuration with: terraform import {} {}",
            shell_quote(&address),
            shell_quote(&target.import_id(request.name()))
        )?;
    }
    Ok(error::VALID)
}
