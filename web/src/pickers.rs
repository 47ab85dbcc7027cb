//! Pick, don't type: the region's Code Engine projects, the project's jobs and the instance's
//! IAM credentials secrets, listed through the server's routes (emulated world or relay), each
//! beside the free-text field it fills.
//!
//! The lists only help: the free-text fields stay the form's fields, a listing that fails
//! (401/403/network) is told in words, and whatever ends up in a field, picked or typed, is
//! checked the same way, by the core's validator and the server's prerequisite check. Which jobs
//! are credentials providers and which secrets can back `api_key_ref` is the core's
//! (`derive_schema`, `SecretMetadata`'s rules), not the page's.
//!
//! Native `<select>` elements (keyboard-operable, with type-ahead), plus a filter box for long
//! lists. Answers are read from `serde_json::Value` by hand, not by the core's serde models:
//! a derive per model would cost the page ~1 KB of wasm each (`docs/page-size.md`).

use crate::api::{self, Failure};
use crate::draft::Path;
use crate::html::{attr, element, esc};
use crate::world::World;
use leptos::prelude::*;
use serde_json::Value;
use sm_config::prereq::{IAM_CREDENTIALS, PROJECT_ACTIVE};
use sm_config::{EnvVar, Job, Rotation, SecretMetadata, derive_schema};

/// Lists longer than this get a filter box (shorter ones: the select's own type-ahead).
pub const FILTER_FROM: usize = 6;
/// Code Engine's largest page (`limit`), and how many pages the page follows at most.
const CE_LIMIT: usize = 100;
const CE_PAGES: usize = 20;
/// The secrets list's largest page: one request lists up to this many.
const SECRETS_LIMIT: u64 = sm_config::limits::LIST_LIMIT_MAX;

/// One entry of a picker.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Item {
    /// What picking it puts in the field (project ID, job name, secret ID).
    pub value: String,
    /// Its name.
    pub label: String,
    /// What else the list says about it (ID, group, inputs and outputs…).
    pub detail: String,
    /// What is wrong with it, when something is (shown, marked).
    pub problem: Option<String>,
    /// Whether the problem rules it out (a job that is no provider, or that a configuration
    /// uses; an inactive project): then it is shown but cannot be picked. A secret with a
    /// problem can still be picked, so the prerequisites panel shows its fix.
    pub refused: bool,
}

impl Item {
    /// Whether the filter text (any case) is in its name, value or detail.
    pub fn matches(&self, filter: &str) -> bool {
        // ASCII case only: names and IDs are ASCII, and Unicode's case tables would cost the
        // page several KB.
        let filter = filter.trim().to_ascii_lowercase();
        filter.is_empty()
            || [&self.label, &self.value, &self.detail]
                .iter()
                .any(|t| t.to_ascii_lowercase().contains(&filter))
    }

    /// The option's text.
    pub fn option_text(&self) -> String {
        match &self.problem {
            Some(problem) => format!("{} — {problem}", self.label),
            None if self.detail.is_empty() => self.label.clone(),
            None => format!("{} · {}", self.label, self.detail),
        }
    }
}

/// What a picker shows.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Listing {
    /// Nothing to list yet, and why (`Choose a region first.`).
    Idle(&'static str),
    /// The list is being read.
    Loading,
    /// The list, and whether more were there than the page read.
    Items(Vec<Item>, bool),
    /// The listing failed: what happened, in words.
    Failed(String),
}

fn text<'a>(value: &'a Value, key: &str) -> &'a str {
    value.get(key).and_then(Value::as_str).unwrap_or_default()
}

fn array<'a>(value: &'a Value, key: &str) -> &'a [Value] {
    value
        .get(key)
        .and_then(Value::as_array)
        .map(Vec::as_slice)
        .unwrap_or_default()
}

/// The items of Code Engine's project list: active projects can be picked, the others are
/// shown with their status.
pub fn projects(list: &[Value]) -> Vec<Item> {
    list.iter()
        .map(|p| {
            let status = text(p, "status");
            let group = text(p, "resource_group_id");
            Item {
                value: text(p, "id").to_owned(),
                label: text(p, "name").to_owned(),
                detail: format!("{} · resource group {group}", text(p, "id")),
                problem: (status != PROJECT_ACTIVE).then(|| format!("{status}, not active")),
                refused: status != PROJECT_ACTIVE,
            }
        })
        .collect()
}

/// A configuration that uses a job: `(project ID, job name, configuration name)`.
pub type Use = (String, String, String);

/// The items of Code Engine's job list, read by the core's `derive_schema`: a credentials
/// provider shows its inputs and outputs; a job that is not one, or that a configuration
/// already uses (one configuration per job), is shown with the reason and cannot be picked.
pub fn jobs(list: &[Value], project_id: &str, uses: &[Use]) -> Vec<Item> {
    list.iter()
        .map(|j| {
            let name = text(j, "name").to_owned();
            let variables: Vec<EnvVar> = array(j, "run_env_variables")
                .iter()
                .map(|v| EnvVar {
                    kind: text(v, "type").to_owned(),
                    name: v.get("name").and_then(Value::as_str).map(str::to_owned),
                    value: v.get("value").and_then(Value::as_str).map(str::to_owned),
                    ..EnvVar::default()
                })
                .collect();
            let job = Job {
                run_compute_resource_token_enabled: j
                    .get("run_compute_resource_token_enabled")
                    .and_then(Value::as_bool),
                ..Job::default()
            };
            let trusted = if job.trusted_profiles_enabled() {
                "trusted profiles on"
            } else {
                "trusted profiles off"
            };
            let used_by = uses
                .iter()
                .find(|(p, job, _)| p == project_id && *job == name)
                .map(|(_, _, config)| format!("used by configuration {config}"));
            match derive_schema(&variables).into_result() {
                Ok(schema) => {
                    let names = |n: Vec<&str>| {
                        if n.is_empty() {
                            "none".to_owned()
                        } else {
                            n.join(", ")
                        }
                    };
                    let inputs = names(schema.parameters.iter().map(|p| p.name.as_str()).collect());
                    let outputs =
                        names(schema.credentials.iter().map(|c| c.name.as_str()).collect());
                    Item {
                        detail: format!(
                            "credentials provider · inputs {inputs} · outputs {outputs} · {trusted}"
                        ),
                        refused: used_by.is_some(),
                        problem: used_by,
                        label: name.clone(),
                        value: name,
                    }
                }
                Err(problem) => Item {
                    detail: trusted.to_owned(),
                    problem: Some(problem.to_string()),
                    refused: true,
                    label: name.clone(),
                    value: name,
                },
            }
        })
        .collect()
}

/// The items of the instance's secret list (metadata only): an IAM credentials secret can back
/// `api_key_ref` when it is active, rotates automatically and reuses its API key (the core's
/// `SecretMetadata` rules); the others are shown with every reason.
pub fn secrets(list: &Value, groups: &Value) -> Vec<Item> {
    array(list, "secrets")
        .iter()
        .map(|s| {
            let rotation = s.get("rotation").map(|r| Rotation {
                auto_rotate: r.get("auto_rotate").and_then(Value::as_bool) == Some(true),
                ..Rotation::default()
            });
            let meta = SecretMetadata {
                secret_type: text(s, "secret_type").to_owned(),
                state: s.get("state").and_then(Value::as_i64),
                state_description: s
                    .get("state_description")
                    .and_then(Value::as_str)
                    .map(str::to_owned),
                rotation,
                reuse_api_key: s.get("reuse_api_key").and_then(Value::as_bool),
                ..SecretMetadata::default()
            };
            let group_id = text(s, "secret_group_id");
            let group = array(groups, "secret_groups")
                .iter()
                .find(|g| text(g, "id") == group_id)
                .map_or(group_id, |g| text(g, "name"));
            let on = |b: bool| if b { "on" } else { "off" };
            let mut detail = format!(
                "group {group} · rotation {} · reuse {}",
                on(meta.auto_rotates()),
                on(meta.reuses_api_key())
            );
            let service_id = text(s, "service_id");
            if !service_id.is_empty() {
                detail.push_str(" · ");
                detail.push_str(service_id);
            }
            let mut problems = Vec::new();
            if meta.secret_type != IAM_CREDENTIALS {
                problems.push(format!("{}, not iam_credentials", meta.secret_type));
            }
            if !meta.is_active() {
                problems.push(format!("{}, not active", meta.state_text()));
            }
            if !meta.auto_rotates() {
                problems.push("no automatic rotation".to_owned());
            }
            if !meta.reuses_api_key() {
                problems.push("does not reuse its API key".to_owned());
            }
            Item {
                value: text(s, "id").to_owned(),
                label: text(s, "name").to_owned(),
                detail,
                problem: (!problems.is_empty()).then(|| problems.join("; ")),
                refused: false,
            }
        })
        .collect()
}

/// A failed listing, in words: what could not be listed, why, and that typing still works.
pub fn failure_words(what: &str, failure: &Failure) -> String {
    let why = match failure {
        Failure::Service(e) if e.status == 401 => {
            format!("the token was refused (HTTP 401: {})", e.message())
        }
        Failure::Service(e) if e.status == 403 => {
            format!("not allowed (HTTP 403: {})", e.message())
        }
        other => other.to_string(),
    };
    format!("Could not list {what}: {why}. Type it in the field below instead.")
}

/// A field's value when the core finds no error in it (so it is safe in a URL), else `None`:
/// the page sends the region and the project ID only when they are valid.
fn valid(world: World, part: fn(&crate::world::Input) -> String) -> Memo<Option<String>> {
    world.part(move |i| Some(part(i)).filter(|v| !v.is_empty()))
}

/// What a picker lists, with the token to list it with.
#[derive(Debug, Clone, PartialEq, Eq)]
enum Query {
    /// The region's projects.
    Projects(String, String),
    /// The project's jobs: region, project ID, token.
    Jobs(String, String, String),
    /// The instance's IAM credentials secrets.
    Secrets(String),
}

/// Lists what a query names. One function for the three pickers: each async function the
/// page has is a state machine of its own in the wasm, with the fetch code inlined into it.
async fn fetch_listing(query: Query) -> Listing {
    match query {
        Query::Projects(region, token) => {
            let url = format!("/codeengine/{}/v2/projects", api::segment(&region));
            match code_engine_list(&url, "projects", &token).await {
                Ok((list, more)) => Listing::Items(projects(&list), more),
                Err(f) => Listing::Failed(failure_words("the region's projects", &f)),
            }
        }
        Query::Jobs(region, project, token) => {
            let url = format!(
                "/codeengine/{}/v2/projects/{}/jobs",
                api::segment(&region),
                api::segment(&project)
            );
            match code_engine_list(&url, "jobs", &token).await {
                Ok((list, more)) => {
                    let uses = uses(&token).await;
                    Listing::Items(jobs(&list, &project, &uses), more)
                }
                Err(f) => Listing::Failed(failure_words("the project's jobs", &f)),
            }
        }
        Query::Secrets(token) => {
            let url =
                format!("/api/v2/secrets?secret_types={IAM_CREDENTIALS}&limit={SECRETS_LIMIT}");
            let list = match api::json("GET", &url, &token, None).await {
                Ok(list) => list,
                Err(f) => return Listing::Failed(failure_words("the IAM credentials secrets", &f)),
            };
            // Without the groups the secrets still list, with their group IDs.
            let groups = api::json("GET", "/api/v2/secret_groups", &token, None)
                .await
                .unwrap_or(Value::Null);
            let total = list.get("total_count").and_then(Value::as_u64).unwrap_or(0);
            let items = secrets(&list, &groups);
            let more = total > items.len() as u64;
            Listing::Items(items, more)
        }
    }
}

/// A listing that follows its inputs: `inputs` (tracked) gives what to list, or why nothing
/// can be. Answers to outdated inputs are dropped. Signals and `spawn_local`, as the rest of
/// the page, rather than a resource under `<Suspense>`: Leptos's async view machinery costs
/// the first load more than the budget allows (measured; see the report in `docs/page-size.md`).
fn listing(inputs: impl Fn() -> Result<Query, &'static str> + 'static) -> RwSignal<Listing> {
    let out = RwSignal::new(Listing::Loading);
    let generation = StoredValue::new(0u64);
    Effect::new(move |_| {
        let inputs = inputs();
        generation.update_value(|g| *g += 1);
        let wanted = generation.get_value();
        match inputs {
            Err(why) => out.set(Listing::Idle(why)),
            Ok(query) => {
                out.set(Listing::Loading);
                leptos::task::spawn_local(async move {
                    let listed = fetch_listing(query).await;
                    if generation.get_value() == wanted {
                        out.set(listed);
                    }
                });
            }
        }
    });
    out
}

/// Follows Code Engine's `next.start` pages of a list, up to [`CE_PAGES`]; the items, and
/// whether more were left.
async fn code_engine_list(
    url: &str,
    key: &str,
    token: &str,
) -> Result<(Vec<Value>, bool), Failure> {
    let mut all = Vec::new();
    let mut start: Option<String> = None;
    for _ in 0..CE_PAGES {
        let page_url = match &start {
            None => format!("{url}?limit={CE_LIMIT}"),
            Some(s) => format!("{url}?limit={CE_LIMIT}&start={}", api::segment(s)),
        };
        let page = api::json("GET", &page_url, token, None).await?;
        all.extend(array(&page, key).iter().cloned());
        start = page
            .get("next")
            .and_then(|n| n.get("start"))
            .and_then(Value::as_str)
            .map(str::to_owned);
        if start.is_none() {
            return Ok((all, false));
        }
    }
    Ok((all, true))
}

/// Every configuration's use of a job (first page of up to the service's largest limit).
async fn uses(token: &str) -> Vec<Use> {
    match api::list(0, sm_config::limits::LIST_LIMIT_MAX, None, token).await {
        Ok(page) => page
            .configurations
            .into_iter()
            .map(|c| (c.code_engine.project_id, c.code_engine.job_name, c.name))
            .collect(),
        Err(_) => Vec::new(),
    }
}

/// The Code Engine project picker: the active projects of the chosen region.
#[component]
pub fn ProjectPicker(
    /// The page's state.
    world: World,
) -> impl IntoView {
    let region = valid(world, |i| i.region.clone());
    let listing = listing(move || {
        let (ready, region, token) = (world.ready(), region.get(), world.bearer());
        match region.filter(|_| ready) {
            Some(region) => Ok(Query::Projects(region, token)),
            None => Err("Choose a Code Engine region to list its projects."),
        }
    });
    view! {
        <Picker
            world=world
            path=Path::ProjectId
            noun="project"
            label="Project"
            listing=listing
            on_pick=|world: World, id: String| {
                // Another project: the job picked in the old one is not in it.
                if world.value_untracked(Path::ProjectId) != id {
                    world.edit(Path::JobName, String::new());
                }
                world.edit(Path::ProjectId, id);
            }
        />
    }
}

/// The job picker: the chosen project's jobs, providers and jobs in use marked.
#[component]
pub fn JobPicker(
    /// The page's state.
    world: World,
) -> impl IntoView {
    let region = valid(world, |i| i.region.clone());
    let project = valid(world, |i| i.project.clone());
    let listing = listing(move || {
        let (ready, region, project, token) =
            (world.ready(), region.get(), project.get(), world.bearer());
        world.track_lists();
        match (region, project, ready) {
            (Some(region), Some(project), true) => Ok(Query::Jobs(region, project, token)),
            _ => Err("Choose a project to list its jobs."),
        }
    });
    view! {
        <Picker
            world=world
            path=Path::JobName
            noun="job"
            label="Job"
            listing=listing
            on_pick=|world: World, name: String| world.edit(Path::JobName, name)
        />
    }
}

/// The IAM credentials secret picker, or no secret (the job uses a trusted profile).
#[component]
pub fn SecretPicker(
    /// The page's state.
    world: World,
) -> impl IntoView {
    let listing = listing(move || {
        let (ready, token) = (world.ready(), world.bearer());
        world.track_lists();
        if ready {
            Ok(Query::Secrets(token))
        } else {
            Err("The secrets are listed once the server answers.")
        }
    });
    view! {
        <Picker
            world=world
            path=Path::ApiKeyRef
            noun="secret"
            label="IAM credentials secret"
            none="No secret: the job uses a trusted profile"
            listing=listing
            on_pick=|world: World, id: String| world.edit(Path::ApiKeyRef, id)
        />
    }
}

/// The options of a picker's select, as markup: the empty choice (or `none`), then the
/// entries the filter keeps (and the picked one, always), the picked one selected, refused ones
/// disabled with their reason.
pub fn options_html(
    listing: &Listing,
    value: &str,
    filter: &str,
    noun: &str,
    none: Option<&str>,
) -> String {
    let mut out = String::new();
    let items = match listing {
        Listing::Items(items, _) => items,
        Listing::Loading => {
            element(
                "option",
                "value=\"\"",
                &format!("Loading the {noun}s…"),
                &mut out,
            );
            return out;
        }
        Listing::Idle(_) | Listing::Failed(_) => {
            element(
                "option",
                "value=\"\"",
                "Nothing listed: type it below",
                &mut out,
            );
            return out;
        }
    };
    let first = none.map_or_else(|| format!("Choose a {noun}"), str::to_owned);
    let attrs = if value.is_empty() {
        "value=\"\" selected"
    } else {
        "value=\"\""
    };
    element("option", attrs, &first, &mut out);
    for item in items
        .iter()
        .filter(|i| i.value == value || i.matches(filter))
    {
        out.push_str("<option");
        attr("value", &item.value, &mut out);
        if item.refused {
            out.push_str(" disabled");
        }
        if item.value == value {
            out.push_str(" selected");
        }
        if let Some(problem) = &item.problem {
            attr("title", problem, &mut out);
        }
        out.push('>');
        esc(&item.option_text(), &mut out);
        out.push_str("</option>");
    }
    out
}

/// A picker's status line: loading, why nothing is listed, the failure, or how many are listed
/// and what the picked entry is (or that the value was typed and is not in the list).
pub fn status_text(listing: &Listing, value: &str, noun: &str) -> String {
    let (items, more) = match listing {
        Listing::Loading => return format!("Loading the {noun}s…"),
        Listing::Idle(why) => return (*why).to_owned(),
        Listing::Failed(words) => return words.clone(),
        Listing::Items(items, more) => (items, *more),
    };
    let mut line = match items.len() {
        0 => format!("No {noun}s to list."),
        1 => format!("1 {noun} listed."),
        n => format!("{n} {noun}s listed."),
    };
    if more {
        line.push_str(" More exist than the page lists: type the one you want below.");
    }
    match items.iter().find(|i| i.value == value) {
        Some(i) => {
            line.push_str(&format!(" {}: {}.", i.label, i.detail));
            if let Some(p) = &i.problem {
                line.push_str(&format!(" Cannot back a configuration: {p}."));
            }
        }
        None if !value.is_empty() => line.push_str(&format!(
            " {value} is not in the list: typed by hand, it is checked all the same."
        )),
        None => {}
    }
    line
}

/// One picker: its label, a filter box for long lists, the select, and a status line. The
/// elements stay; only the options (markup) and the status text follow the listing, so focus
/// and the filter's text survive every update.
#[component]
fn Picker(
    world: World,
    path: Path,
    noun: &'static str,
    label: &'static str,
    listing: RwSignal<Listing>,
    on_pick: fn(World, String),
    #[prop(optional)] none: Option<&'static str>,
) -> impl IntoView {
    let id = format!("pick-{noun}");
    let status_id = format!("pick-{noun}-status");
    let value = world.value(path);
    let filter = RwSignal::new(String::new());
    let options = move || {
        listing.with(|l| value.with(|v| filter.with(|f| options_html(l, v, f, noun, none))))
    };
    let status = move || listing.with(|l| value.with(|v| status_text(l, v, noun)));
    let failed = move || listing.with(|l| matches!(l, Listing::Failed(_)));
    let long = move || listing.with(|l| matches!(l, Listing::Items(i, _) if i.len() > FILTER_FROM));
    let usable = move || listing.with(|l| matches!(l, Listing::Items(..)));
    view! {
        <div class="field picker" data-testid=format!("{noun}-picker")>
            <label for=id.clone()>{label}</label>
            <input
                type="search"
                class="picker-filter"
                name=format!("filter-{noun}")
                aria-label=format!("Filter the {noun}s")
                placeholder="Filter"
                hidden=move || !long()
                prop:value=filter
                on:input=move |ev| filter.set(event_target_value(&ev))
            />
            <select
                id=id.clone()
                name=id
                aria-describedby=status_id.clone()
                disabled=move || !usable()
                inner_html=options
                on:change=move |ev| on_pick(world, event_target_value(&ev))
            ></select>
            <p
                class=move || if failed() { "picker-status picker-failed" } else { "picker-status" }
                id=status_id
                role=move || if failed() { "alert" } else { "status" }
                data-testid=move || failed().then_some("picker-failed")
            >
                {status}
            </p>
        </div>
    }
}
