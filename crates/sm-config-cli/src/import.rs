//! `sm-config import FILE|-`: reads a request back from a JSON body, a curl command, an
//! `ibmcloud` command or a Terraform resource, and prints it as JSON (or `--format` another
//! form). What was not understood goes to stderr with its line and column. `validate` uses
//! [`check`] to accept the same four forms.

use crate::error::{self, CliError};
use crate::findings;
use crate::input::{self, Input};
use crate::target::Named;
use sm_config::{Format, ImportFinding, Report, Target};
use std::io::{self, Write};
use std::path::PathBuf;
use std::process::ExitCode;

/// How many characters of the pasted text are quoted for a finding.
const EXCERPT: usize = 60;

/// Options of `import`.
#[derive(Debug, clap::Args)]
pub struct Args {
    /// What to print: json, curl, cli or terraform
    #[arg(long, short, value_name = "FORMAT", value_parser = parse_format, default_value = "json")]
    format: Format,
    /// The pasted text (JSON body, curl command, ibmcloud command or Terraform); `-` reads
    /// standard input
    #[arg(value_name = "FILE")]
    file: PathBuf,
}

fn parse_format(s: &str) -> Result<Format, sm_config::render::UnknownFormat> {
    s.parse()
}

/// Runs `import`: the request on stdout, what was not understood and the rules' findings on
/// stderr; exit 1 when either has an error (the request is printed all the same).
pub fn run(args: Args) -> Result<ExitCode, CliError> {
    let input = input::read(&args.file)?;
    let mut err = io::stderr().lock();
    let Some(text) = input.text() else {
        // The core says where the bytes stop being UTF-8.
        let report = sm_config::validate_json_bytes(&input.bytes, None).report;
        findings::write(&mut err, &input, None, &report)?;
        return Ok(error::INVALID);
    };
    let imported = sm_config::import(text);
    write_unread(&mut err, &input, imported.form, &imported.findings)?;
    if !imported.report.is_empty() {
        findings::write(&mut err, &input, imported.target.as_ref(), &imported.report)?;
    }
    let Some(request) = &imported.request else {
        writeln!(
            err,
            "sm-config: no request could be read from {}",
            input.name
        )?;
        return Ok(error::INVALID);
    };
    let target = for_rendering(imported.target.as_ref());
    if args.format != Format::Json && target.1 {
        writeln!(
            err,
            "note: the text does not name the whole instance; placeholders fill the rest ({} in {})",
            target.0.instance_id, target.0.region
        )?;
    }
    let mut rendering = sm_config::render(request, &target.0, args.format);
    if !rendering.ends_with('\n') {
        rendering.push('\n');
    }
    let mut out = io::stdout().lock();
    out.write_all(rendering.as_bytes())?;
    out.flush()?;
    Ok(if imported.is_valid() {
        error::VALID
    } else {
        error::INVALID
    })
}

/// The imported target with its unnamed parts from [`Target::placeholder`], and whether any was.
fn for_rendering(target: Option<&Target>) -> (Target, bool) {
    let target = target.cloned().unwrap_or_default();
    (target.or_placeholder(), !target.unnamed_parts().is_empty())
}

/// What `validate` finds in one input: the rules' report, and what was not understood.
#[derive(Debug)]
pub struct Checked {
    /// The core's findings about the request.
    pub report: Report,
    /// What import could not understand (empty for a JSON body).
    pub unread: Vec<ImportFinding>,
    /// The form the input was read as, when it is not a JSON body.
    pub form: Option<Format>,
    /// The request, when one could be read.
    pub request: Option<sm_config::ConfigurationPrototype>,
    /// The instance the input names itself (a command or resource), if any.
    pub target: Option<Target>,
}

impl Checked {
    /// True when neither list has an error.
    pub fn is_valid(&self) -> bool {
        self.report.is_valid() && !self.unread.iter().any(ImportFinding::is_error)
    }
}

/// Checks one input in any of the four forms. A JSON body (or bytes that are not UTF-8) takes
/// the direct path with the target the options name; a pasted command or resource is imported
/// and judged with the target it names itself.
pub fn check(input: &Input, named: &Named) -> Checked {
    let text = match input.text() {
        Some(text) if !sm_config::is_json_text(text) => text,
        _ => {
            let parsed = input::parse(input, named);
            return Checked {
                report: parsed.report,
                unread: Vec::new(),
                form: None,
                request: parsed.request,
                target: named.checked(),
            };
        }
    };
    let imported = sm_config::import(text);
    let mut report = imported.report;
    if imported.request.is_none() && imported.findings.is_empty() {
        // Nothing read and nothing said: let the core say why it is not a body.
        report = input::parse(input, named).report;
    }
    Checked {
        report,
        unread: imported.findings,
        form: imported.form,
        request: imported.request,
        target: imported.target,
    }
}

/// Writes what was not understood, each with its line, column and the text it is about.
pub fn write_unread(
    out: &mut impl Write,
    input: &Input,
    form: Option<Format>,
    unread: &[ImportFinding],
) -> io::Result<()> {
    let Some(text) = input.text() else {
        return Ok(());
    };
    if let Some(form) = form.filter(|f| *f != Format::Json) {
        writeln!(out, "{}: read as {form}", input.name)?;
    }
    if unread.is_empty() {
        return Ok(());
    }
    writeln!(out, "{}: not understood:", input.name)?;
    // One index for all findings: counting lines from the start for each was quadratic.
    let lines = sm_config::import::LineIndex::new(text);
    for finding in unread {
        let severity = finding.severity.as_str();
        let path = if finding.path.is_empty() {
            String::new()
        } else {
            format!(" {}:", finding.path)
        };
        writeln!(
            out,
            "  {severity}[{}]{path} {}",
            finding.code, finding.message
        )?;
        let (line, column) = lines.line_column(finding.span.start);
        let excerpt = excerpt(text, finding.span.start, finding.span.end);
        writeln!(out, "      | line {line}, column {column}: {excerpt}")?;
    }
    Ok(())
}

/// The spanned text, control characters escaped, cut to [`EXCERPT`] characters.
fn excerpt(text: &str, start: usize, end: usize) -> String {
    let spanned = text.get(start..end).unwrap_or_default();
    let mut shown: String = spanned
        .chars()
        .take(EXCERPT)
        .flat_map(|c| {
            if c.is_control() {
                c.escape_default().collect::<Vec<_>>()
            } else {
                vec![c]
            }
        })
        .collect();
    if spanned.chars().count() > EXCERPT {
        shown.push('…');
    }
    shown
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn excerpts_escape_and_cut() {
        assert_eq!(excerpt("a\nb", 0, 3), "a\\nb");
        let long = "x".repeat(100);
        assert_eq!(excerpt(&long, 0, 100).chars().count(), EXCERPT + 1);
    }

    #[test]
    fn partial_targets_are_filled_from_the_placeholder() {
        let t = Target::new("", "eu-de", sm_config::Endpoint::Private);
        let (filled, placeholder) = for_rendering(Some(&t));
        assert!(placeholder);
        assert_eq!(filled.region, "eu-de");
        assert_eq!(filled.instance_id, Target::placeholder().instance_id);
        assert_eq!(filled.endpoint, sm_config::Endpoint::Private);
    }
}
