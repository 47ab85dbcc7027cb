//! Findings as the page shows them, next to their field: the core's, and the server's.

use leptos::prelude::*;
use sm_config::{ApiError, Finding, Severity};

/// One finding on the page: from the core's validator or from the server's answer.
#[derive(Debug, Clone, PartialEq, Eq, Hash)]
pub struct Shown {
    /// The field's wire path.
    pub path: String,
    /// The core's code (`too_short`) or the service's (`configuration_already_exists`).
    pub code: String,
    /// Error or warning.
    pub severity: Severity,
    /// What is wrong.
    pub message: String,
    /// How to fix it.
    pub hint: Option<String>,
}

impl Shown {
    /// The severity as the `data-severity` attribute spells it.
    pub fn severity_str(&self) -> &'static str {
        self.severity.as_str()
    }
}

impl From<&Finding> for Shown {
    fn from(f: &Finding) -> Shown {
        Shown {
            path: f.path.clone(),
            code: f.code.as_str().to_owned(),
            severity: f.severity,
            message: f.message.clone(),
            hint: f.hint.clone(),
        }
    }
}

impl Shown {
    /// A service error placed on the field its `target.name` names.
    pub fn from_service(path: &str, e: &ApiError) -> Shown {
        Shown {
            path: path.to_owned(),
            code: e.code.clone(),
            severity: Severity::Error,
            message: e.message.clone(),
            hint: e.more_info.clone(),
        }
    }
}

/// The findings container a field's `aria-describedby` points to; `help` is the field's
/// standing explanation, shown above its findings.
#[component]
pub fn FindingList(
    /// The container's id (`findings-name`).
    id: String,
    /// The findings to show now.
    #[prop(into)]
    findings: Signal<Vec<Shown>>,
    /// The field's explanation, if any.
    #[prop(optional)]
    help: &'static str,
) -> impl IntoView {
    view! {
        <div class="notes" id=id>
            {(!help.is_empty()).then(|| view! { <p class="help">{help}</p> })}
            <ul class="findings">
                {move || {
                    findings
                        .get()
                        .into_iter()
                        .map(|f| {
                            let severity = f.severity_str();
                            let label = match f.severity {
                                Severity::Error => "Error",
                                Severity::Warning => "Warning",
                                Severity::Info => "Info",
                            };
                            view! {
                                <li
                                    class=format!("finding finding-{severity}")
                                    data-path=f.path
                                    data-code=f.code
                                    data-severity=severity
                                >
                                    <span class="finding-label">{label}": "</span>
                                    <span class="finding-message">{f.message}</span>
                                    {f.hint.map(|h| view! { <span class="hint">{h}</span> })}
                                </li>
                            }
                        })
                        .collect_view()
                }}
            </ul>
        </div>
    }
}
