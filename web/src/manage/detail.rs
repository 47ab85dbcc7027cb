//! The detail of the manage section: one configuration, its task-timeout editor and its delete.

use super::{Detail, Manage, UPDATE_PATH};
use crate::api::{self, Failure};
use crate::browser;
use crate::configuration::ConfigurationFields;
use crate::draft::findings_id;
use crate::findings::{FindingList, Shown};
use crate::state::{Alert, field_findings};
use leptos::html::Dialog;
use leptos::prelude::*;
use leptos::task::spawn_local;
use sm_config::limits::{TASK_TIMEOUT_DEFAULT, task_timeout_range};
use sm_config::{
    ConfigurationPatch, CustomCredentialsConfiguration, FieldPath, Severity, validate_patch,
};
use std::sync::LazyLock;

/// The editor's standing help. The core refuses an empty task timeout in an update (leaving it
/// out of a patch changes nothing), so the text says to write the default out.
pub static TASK_TIMEOUT_HELP: LazyLock<String> = LazyLock::new(|| {
    format!(
        "The only field the service lets change: {}. It cannot be emptied: write the default, {TASK_TIMEOUT_DEFAULT}, to go back to it.",
        task_timeout_range()
    )
});

impl Manage {
    pub(super) fn open(self, name: String) {
        self.error.set(None);
        self.saved.set(false);
        self.update_findings.set(Vec::new());
        self.detail.set(Detail::Loading(name.clone()));
        let token = self.app.bearer();
        spawn_local(async move {
            match api::get(&name, &token).await {
                Ok(c) => self.show(c),
                Err(failure) => {
                    self.detail.set(Detail::Closed);
                    self.error.set(Some(Alert::from_failure(&failure, &[])));
                }
            }
        });
    }

    fn show(self, c: CustomCredentialsConfiguration) {
        self.update_value
            .set(c.task_timeout.clone().unwrap_or_default());
        self.detail.set(Detail::Open(Box::new(c)));
        browser::focus("#detail-title");
    }

    fn save_timeout(self, name: String) {
        self.error.set(None);
        self.saved.set(false);
        let value = self.update_value.get_untracked();
        let patch = ConfigurationPatch {
            task_timeout: Some(value),
        };
        let report = validate_patch(&patch);
        let findings: Vec<Shown> = report
            .findings()
            .iter()
            .map(|f| Shown {
                path: UPDATE_PATH.to_owned(),
                ..Shown::from(f)
            })
            .collect();
        let valid = report.is_valid();
        self.update_findings.set(findings);
        if !valid {
            browser::focus("#field-update-task_timeout");
            return;
        }
        let token = self.app.bearer();
        self.busy.set(true);
        spawn_local(async move {
            let result = api::update(&name, &patch, &token).await;
            self.busy.set(false);
            match result {
                Ok(c) => {
                    self.show(c);
                    self.saved.set(true);
                    self.load();
                }
                Err(failure) => self.action_failed(&failure),
            }
        });
    }

    fn delete(self, name: String) {
        self.error.set(None);
        let token = self.app.bearer();
        self.busy.set(true);
        spawn_local(async move {
            let result = api::delete(&name, &token).await;
            self.busy.set(false);
            match result {
                Ok(()) => {
                    self.detail.set(Detail::Closed);
                    self.load();
                    browser::focus("[data-testid=\"refresh\"]");
                }
                Err(failure) => self.action_failed(&failure),
            }
        });
    }

    /// A failed update or delete: a task-timeout error goes under the input, the rest above.
    fn action_failed(self, failure: &Failure) {
        let placed: Vec<Shown> = field_findings(failure)
            .into_iter()
            .filter(|f| f.path == FieldPath::TaskTimeout)
            .map(|f| Shown {
                path: UPDATE_PATH.to_owned(),
                ..f
            })
            .collect();
        let alert = Alert::from_failure(failure, &placed);
        let nothing_left = matches!(failure, Failure::Service(_)) && alert.messages.is_empty();
        self.update_findings.set(placed);
        self.error.set((!nothing_left).then_some(alert));
    }
}

pub(super) fn detail_view(m: Manage) -> Option<AnyView> {
    m.detail.with(|d| match d {
        Detail::Closed => None,
        Detail::Loading(name) => Some(
            view! {
                <p class="muted" aria-busy="true">"Opening " <code>{name.clone()}</code> "…"</p>
            }
            .into_any(),
        ),
        Detail::Open(c) => Some(detail(m, (**c).clone()).into_any()),
    })
}

fn detail(m: Manage, c: CustomCredentialsConfiguration) -> impl IntoView {
    let dialog: NodeRef<Dialog> = NodeRef::new();
    let (save_name, delete_name, loaded) = (c.name.clone(), c.name.clone(), c.clone());
    let update_invalid = move || {
        m.update_findings
            .with(|f| f.iter().any(|f| f.severity == Severity::Error))
    };
    let close_dialog = move || {
        if let Some(d) = dialog.get() {
            d.close();
        }
    };
    view! {
        <article class="detail" data-testid="config-detail" data-name=c.name.clone()>
            <div class="detail-head">
                <h3 id="detail-title" tabindex="-1">
                    <code>{c.name.clone()}</code>
                </h3>
                <div class="detail-actions">
                    <button
                        type="button"
                        data-action="load-into-form"
                        on:click=move |_| m.app.load_into_form(&loaded)
                    >
                        "Load into form"
                    </button>
                    <button
                        type="button"
                        class="danger"
                        data-action="delete"
                        on:click=move |_| {
                            if let Some(d) = dialog.get() {
                                let _ = d.show_modal();
                            }
                        }
                    >
                        "Delete…"
                    </button>
                    <button
                        type="button"
                        data-action="close"
                        aria-label="Close the detail"
                        on:click=move |_| m.detail.set(Detail::Closed)
                    >
                        "Close"
                    </button>
                </div>
            </div>
            <ConfigurationFields configuration=c.clone() />
            <form
                class="update"
                novalidate
                on:submit=move |ev| {
                    ev.prevent_default();
                    m.save_timeout(save_name.clone());
                }
            >
                <div class="field" class:field-invalid=update_invalid>
                    <label for="field-update-task_timeout">"Task timeout"</label>
                    <p class="help" data-testid="update-help">{TASK_TIMEOUT_HELP.as_str()}</p>
                    <div class="inline">
                        <input
                            id="field-update-task_timeout"
                            type="text"
                            class="mono"
                            name=UPDATE_PATH
                            placeholder=TASK_TIMEOUT_DEFAULT
                            autocomplete="off"
                            aria-invalid=move || update_invalid().then_some("true")
                            aria-describedby=findings_id(UPDATE_PATH)
                            prop:value=m.update_value
                            on:input=move |ev| {
                                m.update_value.set(event_target_value(&ev));
                                m.saved.set(false);
                            }
                        />
                        <button
                            type="submit"
                            data-action="save-timeout"
                            disabled=move || m.busy.get()
                            aria-busy=move || if m.busy.get() { "true" } else { "false" }
                        >
                            "Save"
                        </button>
                        {move || m.saved.get().then(|| view! {
                            <span class="saved" role="status" data-testid="saved">"Saved"</span>
                        }) }
                    </div>
                    <FindingList
                        id=findings_id(UPDATE_PATH)
                        findings=Signal::derive(move || m.update_findings.get())
                    />
                </div>
            </form>
            <dialog node_ref=dialog data-testid="confirm-delete" aria-labelledby="delete-title">
                <h3 id="delete-title">"Delete " <code>{c.name.clone()}</code> "?"</h3>
                <p>
                    "The configuration is removed from the instance. Secrets that use it stop rotating. "
                    "This cannot be undone."
                </p>
                <div class="dialog-actions">
                    <button type="button" data-action="cancel" on:click=move |_| close_dialog()>
                        "Cancel"
                    </button>
                    <button
                        type="button"
                        class="danger"
                        data-action="confirm-delete"
                        on:click=move |_| {
                            close_dialog();
                            m.delete(delete_name.clone());
                        }
                    >
                        "Delete"
                    </button>
                </div>
            </dialog>
        </article>
    }
}
