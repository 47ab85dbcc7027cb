//! An error no field can take, told once (`role="alert"`), as text: the service's messages
//! and its trace id. One component for the whole page.

use crate::state::Alert;
use leptos::prelude::*;

/// The alert box; `testid` names it for tests, `prefix` goes before the title.
#[component]
pub fn AlertBox(
    /// What to tell.
    alert: Alert,
    /// Its `data-testid`.
    testid: &'static str,
    /// Words before the title (`The list could not be loaded: `).
    #[prop(optional)]
    prefix: &'static str,
) -> impl IntoView {
    view! {
        <div class="alert" role="alert" data-testid=testid>
            <p class="alert-title">{prefix} {alert.title}</p>
            <ul>{alert.messages.into_iter().map(|m| view! { <li>{m}</li> }).collect_view()}</ul>
            {alert.trace.map(|t| view! {
                <p class="trace">"Trace: " <code data-testid="trace">{t}</code></p>
            })}
        </div>
    }
}
