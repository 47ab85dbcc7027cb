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
    let list = || {
        regions::REGIONS
            .iter()
            .filter(|r| service.has(r))
            .map(|r| r.id)
            .collect::<Vec<_>>()
            .join(", ")
    };
    // The hint's list is built only when there is something to report.
    if value.is_empty() {
        required::check(report, path, value, &format!("one of {}", list()));
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
        _ => format!("one of {}", list()),
    };
    report.push(finding.with_hint(hint));
}
