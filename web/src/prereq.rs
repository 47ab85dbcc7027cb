//! The prerequisites panel beside the previews: the server's `POST /sm-config/check` (the
//! core's prerequisite check on the facts the server reads) for the draft, redone shortly after
//! each change, each prerequisite met / not met / cannot tell in words, with the core's fixes in
//! four forms and, where the server can do it, a button that does it.
//!
//! The check runs on the server, not in the page: the prerequisite models, their serde derives
//! and the fix renderers would grow the page's first load past its budget, and the server has
//! them already. The answer is read from a `serde_json::Value` by hand (`docs/page-size.md`).

use crate::api::{self, Failure};
use crate::browser;
use crate::state::{AppState, ServerState};
use leptos::prelude::*;
use leptos::task::spawn_local;
use serde_json::{Value, json};
use sm_config::{ConfigurationPrototype, Target, render};
use std::time::Duration;

/// The check route.
pub const CHECK: &str = "/sm-config/check";
/// IAM's policy collection, through the server.
pub const POLICIES: &str = "/iam/v1/policies";
/// How long the draft must stay unchanged before it is checked: typing an ID checks once.
pub const DEBOUNCE: Duration = Duration::from_millis(300);

/// One prerequisite as the core's checklist gives it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Prerequisite {
    /// `project`, `job`, `provider`, `unique`, `credentials`, `authorization`.
    pub id: String,
    /// What must hold, in the core's words.
    pub title: String,
    /// `ok`, `failed`, `unknown` or `skipped`.
    pub status: String,
    /// The codes of the findings that decided it.
    pub codes: Vec<String>,
}

/// A fix in the core's four forms.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Fix {
    /// `authorization`, `iam_credentials_secret` or `trusted_profiles`.
    pub kind: String,
    /// What it does, in one sentence.
    pub summary: String,
    /// The forms: CLI, Terraform, curl, and the request body when there is one.
    pub forms: Vec<(&'static str, String)>,
    /// The body of the create request the server can send, when the core could write it.
    pub json: Option<String>,
}

/// A finding of the check.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Note {
    /// The core's code.
    pub code: String,
    /// `error`, `warning` or `info`.
    pub severity: String,
    /// What is wrong (or, for info, what was found).
    pub message: String,
    /// How to fix it, in words.
    pub hint: Option<String>,
    /// The fix, when the core has one.
    pub fix: Option<Fix>,
}

/// The check's answer.
#[derive(Debug, Clone, PartialEq, Eq, Default)]
pub struct Checked {
    /// The checklist, in the core's order.
    pub prerequisites: Vec<Prerequisite>,
    /// Every finding.
    pub notes: Vec<Note>,
}

impl Checked {
    /// The findings of one prerequisite.
    pub fn notes_of<'a>(&'a self, p: &'a Prerequisite) -> impl Iterator<Item = &'a Note> + 'a {
        self.notes.iter().filter(|n| p.codes.contains(&n.code))
    }

    /// How many prerequisites are not met.
    pub fn failed(&self) -> usize {
        self.prerequisites
            .iter()
            .filter(|p| p.status == "failed")
            .count()
    }
}

fn text(value: &Value, key: &str) -> String {
    value
        .get(key)
        .and_then(Value::as_str)
        .unwrap_or_default()
        .to_owned()
}

fn list<'a>(value: &'a Value, key: &str) -> &'a [Value] {
    value
        .get(key)
        .and_then(Value::as_array)
        .map(Vec::as_slice)
        .unwrap_or_default()
}

fn fix(value: &Value) -> Fix {
    let json = value.get("json").and_then(Value::as_str).map(str::to_owned);
    let mut forms = vec![
        ("CLI", text(value, "cli")),
        ("Terraform", text(value, "terraform")),
        ("curl", text(value, "curl")),
    ];
    if let Some(json) = &json {
        forms.push(("JSON", json.clone()));
    }
    forms.retain(|(_, t)| !t.is_empty());
    Fix {
        kind: text(value, "kind"),
        summary: text(value, "summary"),
        forms,
        json,
    }
}

/// Reads the check route's answer; `Err` says why it is not one.
pub fn read_check(value: &Value) -> Result<Checked, String> {
    let Some(prerequisites) = value.get("prerequisites").and_then(Value::as_array) else {
        return Err("the answer has no prerequisites".to_owned());
    };
    Ok(Checked {
        prerequisites: prerequisites
            .iter()
            .map(|p| Prerequisite {
                id: text(p, "id"),
                title: text(p, "title"),
                status: text(p, "status"),
                codes: list(p, "codes")
                    .iter()
                    .filter_map(Value::as_str)
                    .map(str::to_owned)
                    .collect(),
            })
            .collect(),
        notes: list(value, "findings")
            .iter()
            .map(|f| Note {
                code: text(f, "code"),
                severity: text(f, "severity"),
                message: text(f, "message"),
                hint: f.get("hint").and_then(Value::as_str).map(str::to_owned),
                fix: f.get("fix").filter(|v| v.is_object()).map(fix),
            })
            .collect(),
    })
}

/// A status as the panel shows it: a symbol and plain words.
pub fn status_words(status: &str) -> (&'static str, &'static str) {
    match status {
        "ok" => ("✓", "met"),
        "failed" => ("✗", "not met"),
        "skipped" => ("–", "not checked: its field is empty or invalid"),
        _ => ("?", "cannot tell"),
    }
}

/// The check route's request body for a draft's request and target.
pub fn check_body(request: &ConfigurationPrototype, target: &Target) -> String {
    let target = json!({
        "instance_id": target.instance_id,
        "region": target.region,
        "endpoint": target.endpoint.as_str(),
    });
    format!(
        "{{\"request\":{},\"target\":{target}}}",
        render::json_compact(request)
    )
}

/// What an authorization policy body grants, line by line, for its confirmation:
/// source, target and roles as the body names them.
pub fn policy_lines(body: &Value) -> Vec<String> {
    let attributes = |side: &str| -> String {
        list(body, side)
            .first()
            .map(|s| {
                list(s, "attributes")
                    .iter()
                    .map(|a| format!("{} {}", text(a, "name"), text(a, "value")))
                    .collect::<Vec<_>>()
                    .join(", ")
            })
            .unwrap_or_default()
    };
    let roles = list(body, "roles")
        .iter()
        .map(|r| {
            let id = text(r, "role_id");
            id.rsplit(':').next().unwrap_or_default().to_owned()
        })
        .collect::<Vec<_>>()
        .join(", ");
    vec![
        format!("Type: {}", text(body, "type")),
        format!("Source: {}", attributes("subjects")),
        format!("Target: {}", attributes("resources")),
        format!("Roles: {roles}"),
    ]
}

/// What the panel shows.
#[derive(Debug, Clone, PartialEq)]
enum Check {
    /// Not checked, and why.
    Waiting(String),
    /// The last answer.
    Done(Checked),
    /// The check failed, in words.
    Failed(String),
}

/// An in-context create (authorization, secret) and where it stands.
#[derive(Debug, Clone, PartialEq)]
enum Action {
    /// Nothing under way.
    Idle,
    /// Waiting for the user's confirmation of this body, for this fix kind.
    Confirm(String, String),
    /// Sent, no answer yet.
    Working(String),
    /// Done: what was made, in words.
    Done(String, String),
    /// Refused or failed: why, in words.
    Failed(String, String),
}

impl Action {
    fn kind(&self) -> Option<&str> {
        match self {
            Action::Idle => None,
            Action::Confirm(k, _)
            | Action::Working(k)
            | Action::Done(k, _)
            | Action::Failed(k, _) => Some(k),
        }
    }
}

fn capitalized(text: &str) -> String {
    // The core's titles are lowercase ASCII sentences; Unicode's case tables cost KBs.
    let mut out = text.to_owned();
    if let Some(first) = out.get_mut(..1) {
        first.make_ascii_uppercase();
    }
    out
}

/// The panel.
#[component]
pub fn Prerequisites(
    /// The page's state.
    app: AppState,
) -> impl IntoView {
    let check = RwSignal::new(Check::Waiting("Waiting for the server…".to_owned()));
    let busy = RwSignal::new(false);
    let action = RwSignal::new(Action::Idle);
    let copied = RwSignal::new(None::<String>);
    let generation = StoredValue::new(0u64);

    let run = move |wanted: u64| {
        if generation.get_value() != wanted {
            return;
        }
        let ready = app.server.with_untracked(|s| match s {
            ServerState::Known(st) if st.locked() => Err("The server needs its launch link first."),
            ServerState::Known(_) => Ok(()),
            ServerState::Loading => Err("Waiting for the server…"),
            ServerState::Unavailable(_) => {
                Err("No sm-config server: the prerequisites are checked by sm-config serve.")
            }
        });
        if let Err(why) = ready {
            check.set(Check::Waiting(why.to_owned()));
            return;
        }
        let body = app
            .draft
            .with_untracked(|d| check_body(&d.request(), &d.target()));
        let token = app.bearer();
        busy.set(true);
        spawn_local(async move {
            let answer = api::json("POST", CHECK, &token, Some(body)).await;
            if generation.get_value() != wanted {
                return;
            }
            busy.set(false);
            check.set(match answer {
                Ok(value) => read_check(&value).map_or_else(Check::Failed, Check::Done),
                Err(failure) => Check::Failed(format!("The check failed: {failure}")),
            });
        });
    };
    let schedule = move |delay: Duration| {
        generation.update_value(|g| *g += 1);
        let wanted = generation.get_value();
        set_timeout(move || run(wanted), delay);
    };
    Effect::new(move |_| {
        app.draft.track();
        app.server.track();
        app.list_version.track();
        if app.needs_token() {
            app.token.track();
        }
        schedule(DEBOUNCE);
    });

    let copy = move |key: String, text: String| {
        spawn_local(async move {
            if browser::copy(&text).await {
                copied.set(Some(key));
            }
        });
    };

    let send = move |kind: String, body: String| {
        action.set(Action::Working(kind.clone()));
        let token = app.bearer();
        spawn_local(async move {
            let result = api::json("POST", POLICIES, &token, Some(body)).await;
            action.set(match result {
                Ok(created) => Action::Done(
                    kind,
                    format!(
                        "Created the authorization (policy {}). Checked again below.",
                        created.get("id").and_then(Value::as_str).unwrap_or("?")
                    ),
                ),
                Err(failure) => Action::Failed(kind, words(&failure)),
            });
            schedule(Duration::ZERO);
        });
    };

    let fix_view = move |fix: Fix, key: String| {
        let forms = fix
            .forms
            .iter()
            .enumerate()
            .map(|(i, (name, form))| {
                let copy_key = format!("{key}-{name}");
                let shown_key = copy_key.clone();
                let form_text = form.clone();
                view! {
                    <details class="fix-form" open=i == 0 data-form=*name>
                        <summary>{*name}</summary>
                        <button
                            type="button"
                            class="copy"
                            on:click=move |_| copy(copy_key.clone(), form_text.clone())
                        >
                            {move || {
                                if copied.with(|c| c.as_deref() == Some(&shown_key)) {
                                    "Copied"
                                } else {
                                    "Copy"
                                }
                            }}
                        </button>
                        <pre tabindex="0" aria-label=format!("{name} form of the fix")>
                            <code>{form.clone()}</code>
                        </pre>
                    </details>
                }
            })
            .collect_view();
        let kind = fix.kind.clone();
        let button = (kind == "authorization").then(|| {
            let json = fix.json.clone();
            let disabled_reason = json.is_none().then_some(
                "The server cannot create it: the core could not write the policy (an account is not known). Use a form above.",
            );
            let mine = {
                let kind = kind.clone();
                move || action.with(|a| a.kind() == Some(kind.as_str()))
            };
            let state = {
                let kind = kind.clone();
                move || {
                    action.with(|a| match a {
                        Action::Confirm(k, body) if *k == kind => {
                            let lines = crate::json::parse(body)
                                .map(|v| policy_lines(&v))
                                .unwrap_or_default();
                            let body = body.clone();
                            let k = k.clone();
                            view! {
                                <div class="confirm" role="group" aria-label="Confirm the authorization" data-testid="confirm">
                                    <p>
                                        <strong>"This creates one IAM authorization policy:"</strong>
                                    </p>
                                    <ul>
                                        {lines.into_iter().map(|l| view! { <li>{l}</li> }).collect_view()}
                                    </ul>
                                    <div class="confirm-buttons">
                                        <button
                                            type="button"
                                            class="primary"
                                            data-testid="confirm-create"
                                            on:click=move |_| send(k.clone(), body.clone())
                                        >
                                            "Create it"
                                        </button>
                                        <button type="button" on:click=move |_| action.set(Action::Idle)>
                                            "Cancel"
                                        </button>
                                    </div>
                                </div>
                            }
                            .into_any()
                        }
                        Action::Working(k) if *k == kind => view! {
                            <p class="action-status" role="status">"Creating the authorization…"</p>
                        }
                        .into_any(),
                        Action::Done(k, words) if *k == kind => view! {
                            <p class="action-status action-done" role="status">{words.clone()}</p>
                        }
                        .into_any(),
                        Action::Failed(k, words) if *k == kind => view! {
                            <p class="action-status action-failed" role="alert">{words.clone()}</p>
                        }
                        .into_any(),
                        _ => ().into_any(),
                    })
                }
            };
            let kind_for_click = kind.clone();
            view! {
                <div class="fix-action">
                    <button
                        type="button"
                        class="primary"
                        data-testid="create-authorization"
                        disabled=move || {
                            disabled_reason.is_some()
                                || action.with(|a| matches!(a, Action::Working(_)))
                        }
                        on:click=move |_| {
                            if let Some(body) = json.clone() {
                                action.set(Action::Confirm(kind_for_click.clone(), body));
                            }
                        }
                    >
                        "Create the authorization"
                    </button>
                    {disabled_reason.map(|r| view! { <span class="fix-reason">{r}</span> })}
                    {move || mine().then(state.clone())}
                </div>
            }
        });
        view! {
            <div class="fix" data-kind=fix.kind.clone()>
                <p class="fix-summary">
                    <strong>"Fix: "</strong>
                    {fix.summary.clone()}
                </p>
                {button}
                {forms}
            </div>
        }
    };

    let body = move || -> AnyView {
        check.with(|c| match c {
            Check::Waiting(why) => view! { <p class="prereq-waiting">{why.clone()}</p> }.into_any(),
            Check::Failed(why) => {
                view! { <p class="prereq-failed" role="alert">{why.clone()}</p> }.into_any()
            }
            Check::Done(checked) => {
                let failed = checked.failed();
                let items = checked
                    .prerequisites
                    .iter()
                    .map(|p| {
                        let (icon, words) = status_words(&p.status);
                        let notes = checked
                            .notes_of(p)
                            .map(|n| {
                                let fix = n.fix.clone().map(|f| fix_view(f, n.code.clone()));
                                view! {
                                    <div class=format!("prereq-note note-{}", n.severity) data-code=n.code.clone()>
                                        <p>
                                            {n.message.clone()}
                                            {n.hint.clone().map(|h| view! { <span class="hint">{h}</span> })}
                                        </p>
                                        {fix}
                                    </div>
                                }
                            })
                            .collect_view();
                        view! {
                            <li
                                class=format!("prereq prereq-{}", p.status)
                                data-id=p.id.clone()
                                data-status=p.status.clone()
                            >
                                <p class="prereq-head">
                                    <span class="prereq-icon" aria-hidden="true">{icon}</span>
                                    <span class="prereq-title">
                                        {capitalized(&p.title)}
                                        <span class="prereq-words">{format!(": {words}")}</span>
                                    </span>
                                </p>
                                {notes}
                            </li>
                        }
                    })
                    .collect_view();
                let summary = if failed == 0 {
                    "No prerequisite is known to fail.".to_owned()
                } else {
                    format!(
                        "{failed} not met: the service would refuse this configuration or it would not work. Creating it stays possible."
                    )
                };
                view! {
                    <p class="prereq-summary" data-failed=failed>{summary}</p>
                    <ul class="prereqs">{items}</ul>
                }
                .into_any()
            }
        })
    };

    view! {
        <section
            class="card prereq-panel"
            data-testid="prerequisites"
            aria-labelledby="prereq-title"
            aria-busy=move || busy.get().then_some("true")
        >
            <div class="prereq-bar">
                <h2 id="prereq-title">"Prerequisites"</h2>
                <button type="button" data-testid="recheck" on:click=move |_| schedule(Duration::ZERO)>
                    {move || if busy.get() { "Checking…" } else { "Check again" }}
                </button>
            </div>
            <div aria-live="polite">{body}</div>
        </section>
    }
}

/// A failed create, in words.
fn words(failure: &Failure) -> String {
    match failure {
        Failure::Service(e) => format!("Refused (HTTP {}): {}", e.status, e.message()),
        other => format!("Failed: {other}"),
    }
}
