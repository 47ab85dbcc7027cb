//! The prerequisites panel beside the previews: the server's `POST /sm-config/check` (the
//! core's prerequisite check on the facts the server reads) for the draft, redone shortly after
//! each change, each prerequisite met / not met / cannot tell in words, with the core's fixes in
//! four forms and, where the server can do it, a button that does it. The IAM credentials
//! secret's button opens a small form (`crate::secret_form`), prefilled with the core's
//! proposal and previewed by the server as it is typed.
//!
//! The check runs on the server, not in the page: the prerequisite models, their serde derives
//! and the fix renderers would grow the page's first load past its budget, and the server has
//! them already. The answer is read from a `serde_json::Value` by hand (`docs/page-size.md`).

use crate::api::{self, Failure};
use crate::browser;
use crate::draft::Path;
use crate::html::{attr, element, esc};
use crate::secret_form::{
    Fields, GROUPS_LIST, Previewed, SECRET_FIX, SECRET_GROUPS, form_html, groups_html,
    preview_html, read_preview,
};
use crate::world::World;
use leptos::prelude::*;
use leptos::task::spawn_local;
use serde_json::Value;
use sm_config::{ConfigurationPrototype, Target, render};
use std::time::Duration;
use wasm_bindgen::JsCast;

/// The check route.
pub const CHECK: &str = "/sm-config/check";
/// IAM's policy collection, through the server.
pub const POLICIES: &str = "/iam/v1/policies";
/// The instance's secret collection (the relay allows creating IAM credentials secrets only).
pub const SECRETS: &str = "/api/v2/secrets";
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

/// Reads a fix in the core's wire form.
pub fn read_fix(value: &Value) -> Fix {
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
                fix: f.get("fix").filter(|v| v.is_object()).map(read_fix),
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
    // Written out rather than through `json!`: a `Value`'s serializer would be new code in the
    // page; strings' is there already.
    let s = |text: &str| serde_json::to_string(text).unwrap_or_default();
    format!(
        "{{\"request\":{},\"target\":{{\"instance_id\":{},\"region\":{},\"endpoint\":{}}}}}",
        render::json_compact(request),
        s(&target.instance_id),
        s(&target.region),
        s(target.endpoint.as_str())
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
pub enum Check {
    /// Not checked, and why.
    Waiting(String),
    /// The last answer.
    Done(Checked),
    /// The check failed, in words.
    Failed(String),
}

/// What the panel can create in context (the core's fixes the server can carry out).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum What {
    /// The service authorization (IAM `POST /v1/policies`).
    Authorization,
    /// An IAM credentials secret (`POST /api/v2/secrets`).
    Secret,
}

impl What {
    /// The creatable thing a fix kind names.
    pub fn of(kind: &str) -> Option<What> {
        match kind {
            "authorization" => Some(What::Authorization),
            "iam_credentials_secret" => Some(What::Secret),
            _ => None,
        }
    }

    fn noun(self) -> &'static str {
        match self {
            What::Authorization => "the authorization",
            What::Secret => "the IAM credentials secret",
        }
    }

    fn button(self) -> &'static str {
        match self {
            What::Authorization => "Create the authorization",
            What::Secret => "Create an IAM credentials secret",
        }
    }

    fn testid(self) -> &'static str {
        match self {
            What::Authorization => "create-authorization",
            What::Secret => "create-secret",
        }
    }

    fn url(self) -> &'static str {
        match self {
            What::Authorization => POLICIES,
            What::Secret => SECRETS,
        }
    }

    /// What the body creates, line by line, for the confirmation.
    pub fn lines(self, body: &Value) -> Vec<String> {
        match self {
            What::Authorization => policy_lines(body),
            What::Secret => secret_lines(body),
        }
    }
}

/// An in-context create, and where it stands.
#[derive(Debug, Clone, PartialEq)]
pub enum Action {
    /// Nothing under way.
    Idle,
    /// Waiting for the user's confirmation of this body.
    Confirm(What, String),
    /// Sent, no answer yet.
    Working(What),
    /// Done: what was made, in words.
    Done(What, String),
    /// Refused or failed: why, in words.
    Failed(What, String),
}

impl Action {
    /// What the action is about, if any.
    pub fn what(&self) -> Option<What> {
        match self {
            Action::Idle => None,
            Action::Confirm(w, _)
            | Action::Working(w)
            | Action::Done(w, _)
            | Action::Failed(w, _) => Some(*w),
        }
    }
}

/// A string or a whole number as text (not through `Value`'s serializer, which the page does
/// not otherwise link).
fn scalar(value: &Value) -> String {
    match (value.as_str(), value.as_i64()) {
        (Some(text), _) => text.to_owned(),
        (None, Some(n)) => n.to_string(),
        _ => String::new(),
    }
}

/// What an IAM credentials secret body creates, line by line, for its confirmation.
pub fn secret_lines(body: &Value) -> Vec<String> {
    let rotation = body.get("rotation");
    let rotates = rotation
        .and_then(|r| r.get("auto_rotate"))
        .and_then(Value::as_bool)
        == Some(true);
    let every = |key: &str| {
        rotation
            .and_then(|r| r.get(key))
            .map(scalar)
            .unwrap_or_default()
    };
    let mut lines = vec![
        format!("Type: {}", text(body, "secret_type")),
        format!("Name: {}", text(body, "name")),
        format!("Secret group: {}", text(body, "secret_group_id")),
        format!(
            "Lease (TTL): {}",
            body.get("ttl").map(scalar).unwrap_or_default()
        ),
        if rotates {
            format!(
                "Rotation: automatic, every {} {}",
                every("interval"),
                every("unit")
            )
        } else {
            "Rotation: none".to_owned()
        },
        format!(
            "API key reused: {}",
            if body.get("reuse_api_key").and_then(Value::as_bool) == Some(true) {
                "yes"
            } else {
                "no"
            }
        ),
    ];
    let service_id = text(body, "service_id");
    if !service_id.is_empty() {
        lines.push(format!("Service ID: {service_id}"));
    }
    let groups: Vec<&str> = list(body, "access_groups")
        .iter()
        .filter_map(Value::as_str)
        .collect();
    if !groups.is_empty() {
        lines.push(format!("Access groups: {}", groups.join(", ")));
    }
    lines
}

fn capitalized(text: &str) -> String {
    // The core's titles are lowercase ASCII sentences; Unicode's case tables cost KBs.
    let mut out = text.to_owned();
    if let Some(first) = out.get_mut(..1) {
        first.make_ascii_uppercase();
    }
    out
}

/// The fixes the panel shows, in the order it shows them (buttons name them by index).
pub fn fixes(checked: &Checked) -> Vec<&Fix> {
    checked
        .prerequisites
        .iter()
        .flat_map(|p| checked.notes_of(p))
        .filter_map(|n| n.fix.as_ref())
        .collect()
}

/// The panel's content as markup: the summary, then each prerequisite with its symbol and
/// words, its findings, and their fixes (four forms with copy buttons; for a missing
/// authorization, the button that creates it, and its confirmation, progress or result).
pub fn panel_html(check: &Check, action: &Action) -> String {
    let mut out = String::new();
    let checked = match check {
        Check::Waiting(why) => {
            element("p", "class=\"prereq-waiting\"", why, &mut out);
            return out;
        }
        Check::Failed(why) => {
            element("p", "class=\"prereq-failed\" role=\"alert\"", why, &mut out);
            return out;
        }
        Check::Done(checked) => checked,
    };
    let failed = checked.failed();
    let summary = if failed == 0 {
        "No prerequisite is known to fail.".to_owned()
    } else {
        format!(
            "{failed} not met: the service would refuse this configuration, or it would not work. Creating it stays possible."
        )
    };
    out.push_str(&format!(
        "<p class=\"prereq-summary\" data-failed=\"{failed}\">"
    ));
    esc(&summary, &mut out);
    out.push_str("</p>");
    // A failed secret is told in its form, which stays open to try again.
    if matches!(
        action,
        Action::Done(..) | Action::Failed(What::Authorization, _)
    ) {
        action_html(action, &mut out);
    }
    out.push_str("<ul class=\"prereqs\">");
    let (mut fix_index, mut form_index) = (0usize, 0usize);
    for p in &checked.prerequisites {
        let (icon, words) = status_words(&p.status);
        out.push_str("<li");
        attr("class", &format!("prereq prereq-{}", p.status), &mut out);
        attr("data-id", &p.id, &mut out);
        attr("data-status", &p.status, &mut out);
        out.push_str("><p class=\"prereq-head\"><span class=\"prereq-icon\" aria-hidden=\"true\">");
        out.push_str(icon);
        out.push_str("</span><span class=\"prereq-title\">");
        esc(&capitalized(&p.title), &mut out);
        element(
            "span",
            "class=\"prereq-words\"",
            &format!(": {words}"),
            &mut out,
        );
        out.push_str("</span></p>");
        for note in checked.notes_of(p) {
            out.push_str("<div");
            attr(
                "class",
                &format!("prereq-note note-{}", note.severity),
                &mut out,
            );
            attr("data-code", &note.code, &mut out);
            out.push_str("><p>");
            esc(&note.message, &mut out);
            if let Some(hint) = &note.hint {
                element("span", "class=\"hint\"", hint, &mut out);
            }
            out.push_str("</p>");
            if let Some(fix) = &note.fix {
                fix_html(fix, fix_index, &mut form_index, action, &mut out);
                fix_index += 1;
            }
            out.push_str("</div>");
        }
        out.push_str("</li>");
    }
    out.push_str("</ul>");
    out
}

fn fix_html(fix: &Fix, index: usize, form_index: &mut usize, action: &Action, out: &mut String) {
    out.push_str("<div class=\"fix\"");
    attr("data-kind", &fix.kind, out);
    out.push_str("><p class=\"fix-summary\"><strong>Fix: </strong>");
    esc(&fix.summary, out);
    out.push_str("</p>");
    if let Some(what) = What::of(&fix.kind) {
        let working = matches!(action, Action::Working(_));
        out.push_str(&format!(
            "<div class=\"fix-action\"><button type=\"button\" class=\"primary\" data-testid=\"{}\" data-act=\"create\" data-arg=\"{index}\"{}>{}</button>",
            what.testid(),
            if fix.json.is_none() || working { " disabled" } else { "" },
            what.button()
        ));
        if fix.json.is_none() {
            element(
                "span",
                "class=\"fix-reason\"",
                "The server cannot send it: the core could not write its body (something it needs is not known). Use one of the forms below.",
                out,
            );
        }
        // The confirmation and the progress beside the button; the outcome at the panel's top,
        // as the fix itself goes once the check passes.
        // (The secret's are in its form, under the panel.)
        if what == What::Authorization
            && action.what() == Some(what)
            && matches!(action, Action::Confirm(..) | Action::Working(_))
        {
            action_html(action, out);
        }
        out.push_str("</div>");
    }
    for (i, (name, text)) in fix.forms.iter().enumerate() {
        out.push_str(&format!(
            "<details class=\"fix-form\" data-form=\"{name}\"{}><summary>{name}</summary><button type=\"button\" class=\"copy\" data-act=\"copy\" data-arg=\"{}\">Copy</button><pre tabindex=\"0\" aria-label=\"{name} form of the fix\"><code>",
            if i == 0 { " open" } else { "" },
            *form_index
        ));
        esc(text, out);
        out.push_str("</code></pre></details>");
        *form_index += 1;
    }
    out.push_str("</div>");
}

/// An action's confirmation, progress or outcome as markup.
pub fn action_html(action: &Action, out: &mut String) {
    match action {
        Action::Idle => {}
        Action::Confirm(what, body) => {
            out.push_str("<div class=\"confirm\" role=\"group\" data-testid=\"confirm\"");
            attr("aria-label", &format!("Confirm {}", what.noun()), out);
            out.push_str("><p><strong>");
            esc(
                match what {
                    What::Authorization => "This creates one IAM authorization policy:",
                    What::Secret => {
                        "This creates one IAM credentials secret in the instance, and puts its ID in api_key_ref:"
                    }
                },
                out,
            );
            out.push_str("</strong></p><ul>");
            for line in crate::json::parse(body)
                .map(|v| what.lines(&v))
                .unwrap_or_default()
            {
                element("li", "", &line, out);
            }
            out.push_str("</ul><div class=\"confirm-buttons\"><button type=\"button\" class=\"primary\" data-testid=\"confirm-create\" data-act=\"confirm\">Create it</button><button type=\"button\" data-act=\"cancel\">Cancel</button></div></div>");
        }
        Action::Working(what) => element(
            "p",
            "class=\"action-status\" role=\"status\" tabindex=\"-1\"",
            &format!("Creating {}…", what.noun()),
            out,
        ),
        Action::Done(_, words) => element(
            "p",
            "class=\"action-status action-done\" role=\"status\" tabindex=\"-1\"",
            words,
            out,
        ),
        Action::Failed(_, words) => element(
            "p",
            "class=\"action-status action-failed\" role=\"alert\" tabindex=\"-1\"",
            words,
            out,
        ),
    }
}

/// The panel.
#[component]
pub fn Prerequisites(
    /// The page's state.
    world: World,
) -> impl IntoView {
    // The first check runs once the draft has not changed for [`DEBOUNCE`].
    let check = RwSignal::new(Check::Waiting(
        "Not checked yet: checked once the form stays unchanged for a moment.".to_owned(),
    ));
    let busy = RwSignal::new(false);
    let action = RwSignal::new(Action::Idle);
    let generation = StoredValue::new(0u64);
    // The secret form: the fields it opened with (its markup is drawn once per opening, so
    // typing never redraws it), the previews of what is typed, and their generation.
    let form = RwSignal::new(None::<Fields>);
    let previewed = RwSignal::new(Previewed::Waiting(None));
    let preview_generation = StoredValue::new(0u64);
    // The group field's suggestions: the instance's secret groups, listed when the form first
    // opens (a failed listing leaves the default group; the field stays free text).
    let groups = RwSignal::new(String::new());

    let run = move |wanted: u64| {
        if generation.get_value() != wanted {
            return;
        }
        if let Some(why) = world.waiting_untracked() {
            check.set(Check::Waiting(why));
            return;
        }
        let body = world.check_body_untracked();
        let token = world.bearer_untracked();
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
        world.track();
        schedule(DEBOUNCE);
    });

    let preview = move |delay: Duration| {
        preview_generation.update_value(|g| *g += 1);
        let wanted = preview_generation.get_value();
        set_timeout(
            move || {
                if preview_generation.get_value() != wanted || form.with_untracked(Option::is_none)
                {
                    return;
                }
                let body = read_fields().request_body(&world.target_untracked());
                previewed.update(|p| *p = Previewed::Waiting(p.preview().cloned()));
                let token = world.bearer_untracked();
                spawn_local(async move {
                    let answer = api::json("POST", SECRET_FIX, &token, Some(body)).await;
                    if preview_generation.get_value() != wanted {
                        return;
                    }
                    let next = match answer {
                        Ok(value) => {
                            read_preview(&value).map_or_else(Previewed::Failed, Previewed::Done)
                        }
                        Err(failure) => {
                            Previewed::Failed(format!("The previews failed: {failure}"))
                        }
                    };
                    if let Previewed::Done(p) = &next {
                        mark_invalid(p);
                    }
                    previewed.set(next);
                });
            },
            delay,
        );
    };
    let close_form = move || {
        form.set(None);
        previewed.set(Previewed::Waiting(None));
        if action.with_untracked(|a| a.what() == Some(What::Secret)) {
            action.set(Action::Idle);
        }
    };

    let create = move |what: What, body: String| {
        action.set(Action::Working(what));
        let token = world.bearer_untracked();
        spawn_local(async move {
            let result = api::json("POST", what.url(), &token, Some(body)).await;
            let id = |v: &Value| {
                v.get("id")
                    .and_then(Value::as_str)
                    .unwrap_or("?")
                    .to_owned()
            };
            action.set(match (what, result) {
                (What::Authorization, Ok(created)) => Action::Done(
                    what,
                    format!(
                        "Created the authorization (policy {}). Checked again below.",
                        id(&created)
                    ),
                ),
                (What::Secret, Ok(created)) => {
                    // The result goes back into the form: the new secret backs api_key_ref.
                    close_form();
                    world.edit(Path::ApiKeyRef, id(&created));
                    world.bump();
                    Action::Done(
                        what,
                        format!(
                            "Created the IAM credentials secret {} ({}) and put its ID in api_key_ref. Checked again below.",
                            text(&created, "name"),
                            id(&created)
                        ),
                    )
                }
                (_, Err(failure)) => Action::Failed(what, words(&failure)),
            });
            schedule(Duration::ZERO);
        });
    };
    // One listener for every button of the markup: `data-act` says what, `data-arg` which.
    let on_click = move |ev: leptos::ev::MouseEvent| {
        let Some(button) = ev
            .target()
            .and_then(|t| t.dyn_into::<web_sys::Element>().ok())
            .and_then(|e| e.closest("button[data-act]").ok().flatten())
        else {
            return;
        };
        let index: usize = button
            .get_attribute("data-arg")
            .and_then(|a| a.parse().ok())
            .unwrap_or_default();
        match button.get_attribute("data-act").as_deref() {
            Some("copy") => {
                let text = check.with_untracked(|c| match c {
                    Check::Done(checked) => fixes(checked)
                        .into_iter()
                        .flat_map(|f| f.forms.iter().map(|(_, t)| t.clone()))
                        .nth(index),
                    _ => None,
                });
                if let Some(text) = text {
                    spawn_local(async move {
                        if browser::copy(&text).await {
                            button.set_text_content(Some("Copied"));
                        }
                    });
                }
            }
            Some("create") => {
                let fix = check.with_untracked(|c| match c {
                    Check::Done(checked) => fixes(checked)
                        .get(index)
                        .and_then(|f| Some((What::of(&f.kind)?, f.json.clone()?))),
                    _ => None,
                });
                if let Some((What::Secret, body)) = fix {
                    // The secret is made from the form, prefilled with the core's proposal.
                    let fields = crate::json::parse(&body)
                        .map(|v| Fields::from_body(&v))
                        .unwrap_or_default();
                    if action.with_untracked(|a| a.what() == Some(What::Secret)) {
                        action.set(Action::Idle);
                    }
                    previewed.set(Previewed::Waiting(None));
                    form.set(Some(fields));
                    preview(Duration::ZERO);
                    if groups.with_untracked(String::is_empty) {
                        let token = world.bearer_untracked();
                        spawn_local(async move {
                            let list = api::json("GET", SECRET_GROUPS, &token, None)
                                .await
                                .unwrap_or(Value::Null);
                            groups.set(groups_html(&list));
                        });
                    }
                    set_timeout(|| browser::focus("#secret-form-name"), Duration::ZERO);
                } else if let Some((what, body)) = fix {
                    action.set(Action::Confirm(what, body));
                    // The markup is redrawn: the confirmation takes the focus.
                    set_timeout(
                        || browser::focus("[data-testid=\"confirm-create\"]"),
                        Duration::ZERO,
                    );
                }
            }
            Some("confirm") => {
                if let Action::Confirm(what, body) = action.get_untracked() {
                    create(what, body);
                    set_timeout(
                        || browser::focus("[data-testid=\"prerequisites\"] .action-status"),
                        Duration::ZERO,
                    );
                }
            }
            Some("secret-create") => {
                let body = previewed.with_untracked(|p| match p {
                    Previewed::Done(p) if p.problems.is_empty() => p.fix.json.clone(),
                    _ => None,
                });
                if let Some(body) = body {
                    action.set(Action::Confirm(What::Secret, body));
                    set_timeout(
                        || browser::focus("[data-testid=\"confirm-create\"]"),
                        Duration::ZERO,
                    );
                }
            }
            Some("secret-copy") => {
                let text = previewed.with_untracked(|p| {
                    p.preview()
                        .and_then(|p| p.fix.forms.get(index).map(|(_, t)| t.clone()))
                });
                if let Some(text) = text {
                    spawn_local(async move {
                        if browser::copy(&text).await {
                            button.set_text_content(Some("Copied"));
                        }
                    });
                }
            }
            Some("secret-close") => {
                close_form();
                set_timeout(
                    || browser::focus("[data-testid=\"create-secret\"]"),
                    Duration::ZERO,
                );
            }
            Some("cancel") if action.with_untracked(|a| a.what() == Some(What::Secret)) => {
                action.set(Action::Idle);
                set_timeout(
                    || browser::focus("[data-testid=\"secret-form-create\"]"),
                    Duration::ZERO,
                );
            }
            Some("cancel") => {
                action.set(Action::Idle);
                set_timeout(
                    || {
                        browser::focus(
                            "[data-testid=\"prerequisites\"] button[data-act=\"create\"]",
                        )
                    },
                    Duration::ZERO,
                );
            }
            _ => {}
        }
    };
    let html = move || check.with(|c| action.with(|a| panel_html(c, a)));
    let form_markup = move || form.with(|f| f.as_ref().map(form_html).unwrap_or_default());
    let preview_markup = move || {
        let confirm = action.with(|a| {
            let mut out = String::new();
            if a.what() == Some(What::Secret)
                && matches!(a, Action::Confirm(..) | Action::Working(_))
            {
                action_html(a, &mut out);
            }
            out
        });
        if form.with(Option::is_none) {
            return String::new();
        }
        let mut failed = String::new();
        action.with(|a| {
            if matches!(a, Action::Failed(What::Secret, _)) {
                action_html(a, &mut failed);
            }
        });
        failed + &previewed.with(|p| preview_html(p, &confirm))
    };
    // Typing previews again shortly after (and withdraws a confirmation of other settings).
    let on_input = move |_: leptos::ev::Event| {
        if action.with_untracked(|a| matches!(a, Action::Confirm(What::Secret, _))) {
            action.set(Action::Idle);
        }
        preview(DEBOUNCE_PREVIEW);
    };
    let on_key = move |ev: leptos::ev::KeyboardEvent| {
        if ev.key() == "Escape" {
            close_form();
            set_timeout(
                || browser::focus("[data-testid=\"create-secret\"]"),
                Duration::ZERO,
            );
        }
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
            <div aria-live="polite" inner_html=html on:click=on_click></div>
            <div
                class="secret-form"
                data-testid="secret-form"
                role="group"
                aria-labelledby="secret-form-title"
                hidden=move || form.with(Option::is_none)
                on:keydown=on_key
            >
                <div inner_html=form_markup on:input=on_input></div>
                <datalist id=GROUPS_LIST inner_html=move || groups.get()></datalist>
                <div aria-live="polite" inner_html=preview_markup on:click=on_click></div>
            </div>
        </section>
    }
}

/// How long the secret form must stay unchanged before its previews are asked for.
pub const DEBOUNCE_PREVIEW: Duration = Duration::from_millis(250);

/// The secret form's fields as they are in the page.
fn read_fields() -> Fields {
    let document = web_sys::window().and_then(|w| w.document());
    let value = |id: &str| -> String {
        let Some(element) = document.as_ref().and_then(|d| d.get_element_by_id(id)) else {
            return String::new();
        };
        match element.dyn_into::<web_sys::HtmlInputElement>() {
            Ok(input) => input.value(),
            Err(element) => element
                .dyn_into::<web_sys::HtmlSelectElement>()
                .map(|s| s.value())
                .unwrap_or_default(),
        }
    };
    let checked = document
        .as_ref()
        .and_then(|d| d.get_element_by_id("secret-form-auto-rotate"))
        .and_then(|e| e.dyn_into::<web_sys::HtmlInputElement>().ok())
        .is_some_and(|i| i.checked());
    Fields {
        name: value("secret-form-name"),
        group: value("secret-form-group"),
        service_id: value("secret-form-service-id"),
        access_groups: value("secret-form-access-groups"),
        ttl: value("secret-form-ttl"),
        auto_rotate: checked,
        interval: value("secret-form-interval"),
        unit: value("secret-form-unit"),
    }
}

/// Marks each field the core found a problem with as invalid, and the others as valid.
fn mark_invalid(preview: &crate::secret_form::Preview) {
    let Some(document) = web_sys::window().and_then(|w| w.document()) else {
        return;
    };
    for (_, id, _) in crate::secret_form::FIELDS {
        if let Some(element) = document.get_element_by_id(id) {
            let bad = preview.problems.iter().any(|p| p.field().0 == id);
            let _ = element.set_attribute("aria-invalid", if bad { "true" } else { "false" });
        }
    }
}

/// A failed create, in words.
fn words(failure: &Failure) -> String {
    match failure {
        Failure::Service(e) => format!("Refused (HTTP {}): {}", e.status, e.message()),
        other => format!("Failed: {other}"),
    }
}
