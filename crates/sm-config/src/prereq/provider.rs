//! The job is a credentials provider: it declares `SMIN_`/`SMOUT_` variables with valid specs
//! and at least one required output. A proper provider's schema is reported as information.

use super::model::Job;
use super::schema::{SchemaProblem, derive_schema};
use crate::field::FieldPath;
use crate::report::{Code, Finding, Report};

/// The spec syntax, for hints.
const SPEC_HINT: &str = "declare provider variables as literals like SMIN_USERNAME=\"type:string, required:true\" and SMOUT_TOKEN=\"type:string, required:true\"";

pub(crate) fn check(report: &mut Report, job: &Job) {
    let derived = derive_schema(&job.run_env_variables);
    for problem in &derived.problems {
        let code = match problem {
            SchemaProblem::NotAProvider => Code::NotAProvider,
            SchemaProblem::NoRequiredOutput => Code::NoRequiredOutput,
            _ => Code::ProviderVariableInvalid,
        };
        report.push(
            Finding::error(
                FieldPath::JobName,
                code,
                format!("job {}: {problem}", job.name),
            )
            .with_hint(SPEC_HINT),
        );
    }
    if derived.is_provider() {
        let list = |names: Vec<&str>| {
            if names.is_empty() {
                "none".to_owned()
            } else {
                names.join(", ")
            }
        };
        let parameters = list(
            derived
                .schema
                .parameters
                .iter()
                .map(|p| p.name.as_str())
                .collect(),
        );
        let credentials = list(
            derived
                .schema
                .credentials
                .iter()
                .map(|c| c.name.as_str())
                .collect(),
        );
        report.push(Finding::info(
            FieldPath::JobName,
            Code::ProviderSchema,
            format!(
                "job {} is a credentials provider: parameters {parameters}; credentials {credentials}",
                job.name
            ),
        ));
    }
}
