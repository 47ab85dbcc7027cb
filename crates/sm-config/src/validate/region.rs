//! Rule: a region is one of a list (Code Engine's 11 or Secrets Manager's 13).

use super::required;
use crate::regions::{self, Region};
use crate::report::{Code, Finding, Report};

/// Which list a region must be in.
#[derive(Clone, Copy)]
pub(crate) enum Service {
    CodeEngine,
    SecretsManager,
}

impl Service {
    fn has(self, r: &Region) -> bool {
        match self {
            Service::CodeEngine => r.code_engine,
            Service::SecretsManager => true,
        }
    }

    fn label(self) -> &'static str {
        match self {
            Service::CodeEngine => "code engine",
            Service::SecretsManager => "secrets manager",
        }
    }
}

/// Checks that `value` is a region of `service`.
pub(crate) fn check(report: &mut Report, path: &str, value: &str, service: Service) {
    // "one of us-south, …": built only when there is something to report, straight into the
    // hint (no list collected and joined first: this runs on every invalid region).
    let one_of = || {
        let mut hint = String::with_capacity(160);
        for r in regions::REGIONS.iter().filter(|r| service.has(r)) {
            hint.push_str(if hint.is_empty() { "one of " } else { ", " });
            hint.push_str(r.id);
        }
        hint
    };
    if value.is_empty() {
        required::check(report, path, value, &one_of());
        return;
    }
    let known = regions::find(value);
    if known.is_some_and(|r| service.has(r)) {
        return;
    }
    let finding = match known {
        Some(r) => Finding::error(
            path,
            Code::UnknownRegion,
            format!("{} is not available in {}", service.label(), r.id),
        ),
        None => Finding::error(
            path,
            Code::UnknownRegion,
            format!(
                "`{}` is not a {} region",
                value.escape_debug(),
                service.label()
            ),
        ),
    };
    let lower = value.trim().to_ascii_lowercase();
    let hint = match regions::find(&lower) {
        Some(r) if service.has(r) => {
            format!("regions are written in lower case without spaces: {}", r.id)
        }
        _ => one_of(),
    };
    report.push(finding.with_hint(hint));
}
