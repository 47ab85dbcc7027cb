//! The configurations of the instance: list, search, paging, detail, update, delete.

use crate::alert::AlertBox;
use crate::api::{self, Failure, Page};
use crate::browser;
use crate::configuration::ConfigurationFields;
use crate::draft::findings_id;
use crate::findings::{FindingList, Shown};
use crate::state::{Alert, AppState, field_findings};
use leptos::html::Dialog;
use leptos::prelude::*;
use leptos::task::spawn_local;
use sm_config::limits::{SEARCH_MAX_LEN, SEARCH_MIN_LEN, TASK_TIMEOUT_DEFAULT};
use sm_config::{ConfigurationPatch, CustomCredentialsConfiguration, FieldPath, validate_patch};
use std::time::Duration;

/// Rows a page.
const PAGE_SIZE: u64 = 10;
/// Quiet time after a keystroke in the search box before the list is asked for.
const SEARCH_DELAY: Duration = Duration::from_millis(250);
/// The update input's wire path (prefixed so it does not collide with the form's).
const UPDATE_PATH: &str = "update.task_timeout";

/// The list as last loaded.
#[derive(Debug, Clone, PartialEq)]
enum ListState {
    Loading,
    Loaded(Page),
    Failed(Alert),
}

/// The configuration opened in the detail.
#[derive(Debug, Clone, PartialEq)]
enum Detail {
    Closed,
    Loading(String),
    Open(Box<CustomCredentialsConfiguration>),
}

/// Signals of the manage section.
#[derive(Debug, Clone, Copy)]
struct Manage {
    app: AppState,
    list: RwSignal<ListState>,
    offset: RwSignal<u64>,
    search: RwSignal<String>,
    detail: RwSignal<Detail>,
    /// An error of the detail's actions (open, update, delete).
    error: RwSignal<Option<Alert>>,
    update_value: RwSignal<String>,
    update_findings: RwSignal<Vec<Shown>>,
    busy: RwSignal<bool>,
    saved: RwSignal<bool>,
    /// Counts list requests so that only the latest one's answer is shown.
    generation: StoredValue<u64>,
}

impl Manage {
    fn search_param(self) -> Option<String> {
        let search = self.search.get_untracked();
        let len = search.chars().count();
        (SEARCH_MIN_LEN..=SEARCH_MAX_LEN)
            .contains(&len)
            .then_some(search)
    }

    fn load(self) {
        self.generation.update_value(|g| *g += 1);
        let generation = self.generation.get_value();
        let offset = self.offset.get_untracked();
        let search = self.search_param();
        let token = self.app.bearer();
        self.list.set(ListState::Loading);
        spawn_local(async move {
            let result = api::list(offset, PAGE_SIZE, search.as_deref(), &token).await;
            if self.generation.get_value() != generation {
                return;
            }
            self.list.set(match result {
                Ok(list) => ListState::Loaded(list),
                Err(failure) => ListState::Failed(Alert::from_failure(&failure, &[])),
            });
        });
    }

    fn open(self, name: String) {
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

/// The manage section.
#[component]
pub fn Configurations(
    /// The page's state.
    app: AppState,
) -> impl IntoView {
    let m = Manage {
        app,
        list: RwSignal::new(ListState::Loading),
        offset: RwSignal::new(0),
        search: RwSignal::new(String::new()),
        detail: RwSignal::new(Detail::Closed),
        error: RwSignal::new(None),
        update_value: RwSignal::new(String::new()),
        update_findings: RwSignal::new(Vec::new()),
        busy: RwSignal::new(false),
        saved: RwSignal::new(false),
        generation: StoredValue::new(0),
    };
    // The app bumps the version after its status is known and after each create.
    Effect::new(move |_| {
        if app.list_version.get() > 0 {
            m.load();
        }
    });
    let search_timer = StoredValue::new(None::<TimeoutHandle>);
    let on_search = move |ev| {
        m.search.set(event_target_value(&ev));
        m.offset.set(0);
        if let Some(handle) = search_timer.get_value() {
            handle.clear();
        }
        search_timer.set_value(set_timeout_with_handle(move || m.load(), SEARCH_DELAY).ok());
    };
    let total = move || {
        m.list.with(|l| match l {
            ListState::Loaded(list) => Some((list.total_count, list.offset)),
            _ => None,
        })
    };
    let has_prev = move || m.offset.get() > 0;
    let has_next = move || total().is_some_and(|(t, o)| o + PAGE_SIZE < t);
    let search_short = move || {
        let len = m.search.with(|s| s.chars().count());
        len > 0 && len < SEARCH_MIN_LEN
    };

    view! {
        <section class="card manage" data-testid="configurations" aria-labelledby="manage-title">
            <div class="manage-head">
                <h2 id="manage-title">"Configurations in the instance"</h2>
                <div class="manage-tools">
                    <input
                        type="search"
                        name="search"
                        placeholder="Search by name"
                        aria-label="Search configurations"
                        autocomplete="off"
                        prop:value=m.search
                        on:input=on_search
                    />
                    <button type="button" data-testid="refresh" on:click=move |_| m.load()>
                        "Refresh"
                    </button>
                </div>
            </div>
            {move || search_short().then(|| view! {
                <p class="help">{format!("Type at least {SEARCH_MIN_LEN} characters to search.")}</p>
            }) }
            {move || list_body(m)}
            <div class="pager">
                <span data-testid="total-count" aria-live="polite">
                    {move || match total() {
                        Some((t, o)) if t > 0 => {
                            let last = (o + PAGE_SIZE).min(t);
                            format!("{}–{last} of {t} configuration{}", o + 1, if t == 1 { "" } else { "s" })
                        }
                        Some(_) => "0 configurations".to_owned(),
                        None => String::new(),
                    }}
                </span>
                <div class="pager-buttons">
                    <button
                        type="button"
                        data-testid="prev-page"
                        disabled=move || !has_prev()
                        on:click=move |_| {
                            m.offset.update(|o| *o = o.saturating_sub(PAGE_SIZE));
                            m.load();
                        }
                    >
                        "Previous"
                    </button>
                    <button
                        type="button"
                        data-testid="next-page"
                        disabled=move || !has_next()
                        on:click=move |_| {
                            m.offset.update(|o| *o += PAGE_SIZE);
                            m.load();
                        }
                    >
                        "Next"
                    </button>
                </div>
            </div>
            {move || m.error.get().map(|alert| view! { <AlertBox alert=alert testid="manage-error" /> })}
            {move || detail_view(m)}
        </section>
    }
}

/// A row's shown values.
type Row = (String, String, String, String, String, String);

fn rows(page: &Page) -> Vec<Row> {
    page.configurations
        .iter()
        .map(|c| {
            (
                c.name.clone(),
                c.code_engine.job_name.clone(),
                c.code_engine.region.clone(),
                c.task_timeout
                    .clone()
                    .unwrap_or_else(|| TASK_TIMEOUT_DEFAULT.to_owned()),
                if c.api_key_ref.is_some() {
                    "API key".to_owned()
                } else {
                    "Trusted profile".to_owned()
                },
                c.created_at.clone(),
            )
        })
        .collect()
}

fn list_body(m: Manage) -> AnyView {
    m.list.with(|l| match l {
        ListState::Loading => view! { <p class="muted" aria-busy="true">"Loading…"</p> }.into_any(),
        ListState::Failed(alert) => {
            let alert = alert.clone();
            view! {
                <AlertBox alert=alert testid="list-error" prefix="The list could not be loaded: " />
            }
            .into_any()
        }
        ListState::Loaded(list) => {
            let (rows, other) = (rows(list), list.other);
            if rows.is_empty() && other == 0 {
                return view! {
                    <p class="empty" data-testid="empty">
                        "No configurations yet. The one you create above will appear here."
                    </p>
                }
                .into_any();
            }
            view! {
                <table class="list">
                    <thead>
                        <tr>
                            <th scope="col">"Name"</th>
                            <th scope="col">"Job"</th>
                            <th scope="col">"Region"</th>
                            <th scope="col">"Timeout"</th>
                            <th scope="col">"Auth"</th>
                            <th scope="col">"Created"</th>
                            <th scope="col"><span class="visually-hidden">"Actions"</span></th>
                        </tr>
                    </thead>
                    <tbody>
                        {rows
                            .into_iter()
                            .map(|(name, job, region, timeout, auth, created)| {
                                let open_name = name.clone();
                                view! {
                                    <tr data-testid="config-row" data-name=name.clone()>
                                        <th scope="row"><code>{name.clone()}</code></th>
                                        <td><code>{job}</code></td>
                                        <td>{region}</td>
                                        <td>{timeout}</td>
                                        <td>{auth}</td>
                                        <td>{created}</td>
                                        <td>
                                            <button
                                                type="button"
                                                data-action="open"
                                                aria-label=format!("Open {name}")
                                                on:click=move |_| m.open(open_name.clone())
                                            >
                                                "Open"
                                            </button>
                                        </td>
                                    </tr>
                                }
                            })
                            .collect_view()}
                    </tbody>
                </table>
                {(other > 0).then(|| view! {
                    <p class="muted">{format!("{other} configuration(s) of other types on this page are not shown.")}</p>
                })}
            }
            .into_any()
        }
    })
}

fn detail_view(m: Manage) -> Option<AnyView> {
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
            .with(|f| f.iter().any(|f| f.severity == sm_config::Severity::Error))
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
                    <p class="help">
                        "The only field the service lets change. 5m to 24h; empty restores the default "
                        {TASK_TIMEOUT_DEFAULT} "."
                    </p>
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
