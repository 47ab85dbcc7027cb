//! Warning: the Code Engine project is in another region than the instance. It works, but
//! each task then crosses regions.

use crate::regions;
use crate::report::{Code, Finding, Report};

/// Warns when both regions are valid and differ.
pub(crate) fn check(
    report: &mut Report,
    path: &str,
    code_engine_region: &str,
    instance_region: &str,
) {
    if code_engine_region != instance_region
        && regions::is_code_engine_region(code_engine_region)
        && regions::is_secrets_manager_region(instance_region)
    {
        let hint = if regions::is_code_engine_region(instance_region) {
            format!("use a code engine project in {instance_region} if you can")
        } else {
            format!("code engine is not available in {instance_region}; a nearby region is fine")
        };
        report.push(
            Finding::warning(
                path,
                Code::RegionMismatch,
                format!(
                    "code engine region {code_engine_region} differs from the instance region {instance_region}"
                ),
            )
            .with_hint(hint),
        );
    }
}
