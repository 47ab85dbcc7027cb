//! Without `api_key_ref` the job authenticates with a trusted profile **\[S\]**, so it must have
//! trusted profiles enabled (`run_compute_resource_token_enabled`; absent reads as off).
//!
//! Whether a trusted profile is linked to the job and holds `SecretTaskUpdater` needs IAM
//! Identity queries whose Code Engine details are unconfirmed; the hint says to check it.

use super::fix::TrustedProfilesFix;
use super::model::Job;
use crate::field::FieldPath;
use crate::model::CodeEngine;
use crate::report::{Code, Finding, Report};

pub(crate) fn check(report: &mut Report, ce: &CodeEngine, job: &Job) {
    if job.trusted_profiles_enabled() {
        return;
    }
    let fix = TrustedProfilesFix {
        region: &ce.region,
        project_id: &ce.project_id,
        job_name: &ce.job_name,
        entity_tag: job.entity_tag.as_deref(),
    }
    .render();
    report.push(
        Finding::error(
            FieldPath::JobName,
            Code::TrustedProfilesDisabled,
            format!(
                "without api_key_ref the job must use a trusted profile, but job {} has trusted profiles disabled",
                job.name
            ),
        )
        .with_hint(
            "enable trusted profiles on the job and link a trusted profile with the secret task updater role to it, or give api_key_ref",
        )
        .with_fix(fix),
    );
}
