//! The draft in the four renderings of the core, as tabs, each with a copy button.

use crate::browser;
use crate::state::AppState;
use leptos::ev::KeyboardEvent;
use leptos::prelude::*;
use leptos::task::spawn_local;
use sm_config::Format;
use std::time::Duration;

/// How long a copy button says `Copied`.
const COPIED_FOR: Duration = Duration::from_secs(2);

fn title(format: Format) -> &'static str {
    match format {
        Format::Json => "JSON",
        Format::Curl => "curl",
        Format::Cli => "CLI",
        Format::Terraform => "Terraform",
    }
}

fn caption(format: Format) -> &'static str {
    match format {
        Format::Json => "The request body of POST /api/v2/configurations.",
        Format::Curl => {
            "For bash. Set IAM_TOKEN first: export IAM_TOKEN=$(ibmcloud iam oauth-tokens --output json | jq -r .iam_token | cut -d' ' -f2)"
        }
        Format::Cli => "ibmcloud with the secrets-manager plug-in.",
        Format::Terraform => "IBM provider 1.79.0 or later.",
    }
}

/// The tabs, the panes and the Terraform import ID.
#[component]
pub fn Previews(
    /// The page's state.
    app: AppState,
) -> impl IntoView {
    let active = RwSignal::new(Format::Json);
    let copied = RwSignal::new(None::<&'static str>);
    let copy_status = RwSignal::new(String::new());
    let copy_generation = StoredValue::new(0u64);

    let copy = move |key: &'static str, text: String| {
        spawn_local(async move {
            let ok = browser::copy(&text).await;
            copy_generation.update_value(|g| *g += 1);
            let generation = copy_generation.get_value();
            if ok {
                copied.set(Some(key));
                copy_status.set("Copied".to_owned());
            } else {
                copied.set(None);
                copy_status.set("Copy failed: select the text and press Ctrl+C".to_owned());
            }
            set_timeout(
                move || {
                    if copy_generation.get_value() == generation {
                        copied.set(None);
                        copy_status.set(String::new());
                    }
                },
                COPIED_FOR,
            );
        });
    };

    let on_keydown = move |ev: KeyboardEvent| {
        let all = Format::ALL;
        let current = all
            .iter()
            .position(|f| *f == active.get_untracked())
            .unwrap_or(0);
        let next = match ev.key().as_str() {
            "ArrowRight" => (current + 1) % all.len(),
            "ArrowLeft" => (current + all.len() - 1) % all.len(),
            "Home" => 0,
            "End" => all.len() - 1,
            _ => return,
        };
        ev.prevent_default();
        if let Some(format) = all.get(next) {
            active.set(*format);
            browser::focus(&format!("#tab-{}", format.as_str()));
        }
    };

    let tabs = Format::ALL
        .into_iter()
        .map(|format| {
            let selected = move || active.get() == format;
            view! {
                <button
                    type="button"
                    role="tab"
                    id=format!("tab-{format}")
                    data-tab=format.as_str()
                    aria-controls=format!("pane-{format}")
                    aria-selected=move || if selected() { "true" } else { "false" }
                    tabindex=move || if selected() { "0" } else { "-1" }
                    on:click=move |_| active.set(format)
                >
                    {title(format)}
                </button>
            }
        })
        .collect_view();

    let panes = Format::ALL
        .into_iter()
        .map(|format| {
            let text = app.preview(format);
            view! {
                <div
                    role="tabpanel"
                    class="pane"
                    id=format!("pane-{format}")
                    data-format=format.as_str()
                    aria-labelledby=format!("tab-{format}")
                    hidden=move || active.get() != format
                >
                    <div class="pane-bar">
                        <p class="pane-caption">{caption(format)}</p>
                        <button
                            type="button"
                            class="copy"
                            data-copy=format.as_str()
                            on:click=move |_| copy(format.as_str(), text.get_untracked())
                        >
                            {move || {
                                if copied.get() == Some(format.as_str()) { "Copied" } else { "Copy" }
                            }}
                        </button>
                    </div>
                    <pre tabindex="0" aria-label=format!("{} preview", title(format))>
                        <code>{text}</code>
                    </pre>
                </div>
            }
        })
        .collect_view();

    let import_id = Memo::new(move |_| {
        app.derived
            .with(|d| d.preview_target.import_id(d.request.name()))
    });

    view! {
        <section class="card previews" data-testid="previews" aria-labelledby="previews-title">
            <h2 id="previews-title">"Preview"</h2>
            <div class="tabs" role="tablist" aria-label="Formats" on:keydown=on_keydown>
                {tabs}
            </div>
            {panes}
            <div class="import-id">
                <span class="label">"Terraform import ID"</span>
                <code data-testid="import-id">{import_id}</code>
                <button
                    type="button"
                    class="copy"
                    data-copy="import-id"
                    on:click=move |_| copy("import-id", import_id.get_untracked())
                >
                    {move || if copied.get() == Some("import-id") { "Copied" } else { "Copy" }}
                </button>
            </div>
            <p class="visually-hidden" data-testid="copy-status" aria-live="polite">
                {copy_status}
            </p>
        </section>
    }
}
