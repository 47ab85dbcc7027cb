//! Sending the draft: the token when one is needed, the button, and the outcome.

use crate::alert::AlertBox;
use crate::configuration::ConfigurationFields;
use crate::state::AppState;
use leptos::prelude::*;

/// The token field, the submit button, the error alert and the created configuration.
#[component]
pub fn SubmitArea(
    /// The page's state.
    app: AppState,
) -> impl IntoView {
    let summary = move || {
        app.derived.with(|d| {
            let r = &d.report;
            let errors = r.errors().count();
            let warnings = r.warnings().count();
            match (errors, warnings) {
                (0, 0) => "Ready to create.".to_owned(),
                (0, w) => format!("Ready to create, {w} warning{}.", plural(w)),
                (e, _) => format!("{e} field{} to fix before sending.", plural(e)),
            }
        })
    };
    view! {
        <div class="submit-area">
            {move || app.needs_token().then(|| view! {
                <div class="field token">
                    <label for="field-token">"IAM bearer token"</label>
                    <input
                        id="field-token"
                        type="password"
                        name="token"
                        autocomplete="off"
                        spellcheck="false"
                        aria-describedby="token-help"
                        prop:value=app.token
                        on:input=move |ev| app.token.set(event_target_value(&ev))
                    />
                    <p class="help" id="token-help">
                        "Output of " <code>"ibmcloud iam oauth-tokens"</code>
                        ", without \"Bearer\". Kept in this page's memory only: never stored, never in the URL."
                    </p>
                </div>
            }) }
            <div class="actions">
                <button
                    type="submit"
                    class="primary"
                    data-testid="submit"
                    disabled=move || app.sending.get()
                    aria-busy=move || if app.sending.get() { "true" } else { "false" }
                >
                    {move || if app.sending.get() { "Creating…" } else { "Create configuration" }}
                </button>
                <span class="summary" aria-live="polite">
                    {move || if app.sending.get() { "Sending…".to_owned() } else { summary() }}
                </span>
            </div>
            {move || app.alert.get().map(|alert| view! { <AlertBox alert=alert testid="error" /> })}
            {move || {
                app.created
                    .get()
                    .map(|c| {
                        view! {
                            <section class="created" data-testid="created" aria-live="polite">
                                <h3>"Created " <code>{c.name.clone()}</code></h3>
                                <ConfigurationFields configuration=c />
                            </section>
                        }
                    })
            }}
        </div>
    }
}

fn plural(n: usize) -> &'static str {
    if n == 1 { "" } else { "s" }
}
