//! Warning: without `api_key_ref` the Code Engine job must authenticate with a trusted
//! profile **\[S\]**. The service accepts the request, so this is not an error.

use crate::report::{Code, Finding, Report};

/// Warns when `api_key_ref` is absent.
pub(crate) fn check(report: &mut Report, path: &str, api_key_ref: Option<&str>) {
    if api_key_ref.is_none() {
        report.push(
            Finding::warning(
                path,
                Code::TrustedProfileRequired,
                "without api_key_ref the code engine job must authenticate with a trusted profile",
            )
            .with_hint(
                "give the id of an iam credentials secret with auto-rotation, or set up a trusted profile for the job",
            ),
        );
    }
}
