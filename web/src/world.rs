//! The world around a configuration, in a wasm module of its own: the pickers (Code Engine
//! projects and jobs, IAM credentials secrets), the prerequisites panel and the secret form.
//!
//! Why a second module: together they cost the page ~24 KB of brotli, more than twice what
//! issue 14 allows the first load to grow (`docs/page-size.md`). None of it is needed to paint
//! the form, so the page (`crate::world_loader`) loads this module when the form is first used,
//! and mounts it into four slots it keeps empty for it ([`SLOTS`]). The module
//! (`src/bin/sm-config-world.rs`) is a Leptos program of its own: it reads what it needs of the
//! page's state from [`Input`], which the page sends on every change, and hands picks and
//! created secrets back through one callback (`edit(path, value)`), so the page's draft stays
//! the one state.

use crate::draft::Path;
use leptos::prelude::*;
use sm_config::{Endpoint, Target};
use std::cell::{Cell, RefCell};
use wasm_bindgen::JsValue;

/// The ids of the elements the module mounts in, in the order [`mount`] takes them: the
/// project picker, the job picker, the secret picker and the prerequisites panel.
pub const SLOTS: [&str; 4] = ["world-project", "world-job", "world-secret", "world-panel"];

/// What the module reads of the page's state. The page sends it whole on every change; the
/// module's memos keep each picker and the panel from hearing about the parts they do not read.
#[derive(Clone, PartialEq, Default)]
pub struct Input {
    /// Why nothing can be listed or checked yet (the server's state, in words); empty when
    /// the server is there and lets the page in.
    pub waiting: String,
    /// The bearer token requests carry (memory only, as in the page).
    pub bearer: String,
    /// The Code Engine region, when the core finds no error in it (so it is safe in a URL).
    pub region: String,
    /// The project ID, likewise.
    pub project: String,
    /// The project ID, as typed.
    pub project_id: String,
    /// The job name, as typed.
    pub job_name: String,
    /// `api_key_ref`, as typed.
    pub api_key_ref: String,
    /// The check route's body for the draft (`crate::prereq::check_body`).
    pub check_body: String,
    /// The target as typed: instance ID, Secrets Manager region, endpoint.
    pub target: Target,
    /// The page's list version: bumped when configurations were created or deleted.
    pub list_version: u64,
}

/// Every part but the bearer token, which is only said to be there or not: an `Input` printed
/// (a failed test, a log line) never shows a token.
impl std::fmt::Debug for Input {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("Input")
            .field("waiting", &self.waiting)
            .field(
                "bearer",
                &if self.bearer.is_empty() {
                    ""
                } else {
                    "<hidden>"
                },
            )
            .field("region", &self.region)
            .field("project", &self.project)
            .field("project_id", &self.project_id)
            .field("job_name", &self.job_name)
            .field("api_key_ref", &self.api_key_ref)
            .field("check_body", &self.check_body)
            .field("target", &self.target)
            .field("list_version", &self.list_version)
            .finish()
    }
}

impl Input {
    /// The input as the strings that cross from the page's wasm to the module's.
    pub fn to_parts(&self) -> Vec<String> {
        vec![
            self.waiting.clone(),
            self.bearer.clone(),
            self.region.clone(),
            self.project.clone(),
            self.project_id.clone(),
            self.job_name.clone(),
            self.api_key_ref.clone(),
            self.check_body.clone(),
            self.target.instance_id.clone(),
            self.target.region.clone(),
            self.target.endpoint.as_str().to_owned(),
            self.list_version.to_string(),
        ]
    }

    /// The input from [`Input::to_parts`]'s strings (missing ones read as empty).
    pub fn from_parts(parts: Vec<String>) -> Input {
        let mut parts = parts.into_iter();
        let mut next = move || parts.next().unwrap_or_default();
        Input {
            waiting: next(),
            bearer: next(),
            region: next(),
            project: next(),
            project_id: next(),
            job_name: next(),
            api_key_ref: next(),
            check_body: next(),
            target: {
                let (instance_id, region) = (next(), next());
                let endpoint = next().parse().unwrap_or(Endpoint::Public);
                Target::new(instance_id, region, endpoint)
            },
            list_version: next().parse().unwrap_or_default(),
        }
    }

    /// The value of a field the module shows.
    pub fn value(&self, path: Path) -> &str {
        match path {
            Path::ProjectId => &self.project_id,
            Path::JobName => &self.job_name,
            Path::ApiKeyRef => &self.api_key_ref,
            _ => "",
        }
    }
}

/// The module's view of the page: the last [`Input`], and the way back.
#[derive(Debug, Clone, Copy)]
pub struct World {
    input: RwSignal<Input>,
    /// Bumped by the module itself: a secret it created.
    local_version: RwSignal<u64>,
    /// Whether the server is there and lets the page in.
    ready: Memo<bool>,
    /// The bearer token.
    bearer: Memo<String>,
    /// The page's list version.
    versions: Memo<u64>,
}

thread_local! {
    /// The mounted world, for [`update`].
    static WORLD: Cell<Option<World>> = const { Cell::new(None) };
    /// The page's `edit(path, value)`.
    static EDIT: RefCell<Option<js_sys::Function>> = const { RefCell::new(None) };
}

impl World {
    /// A world for an input, with no way back (tests; [`mount`] sets the callback).
    pub fn new(input: Input) -> World {
        let input = RwSignal::new(input);
        World {
            input,
            local_version: RwSignal::new(0),
            ready: Memo::new(move |_| input.with(|i| i.waiting.is_empty())),
            bearer: Memo::new(move |_| input.with(|i| i.bearer.clone())),
            versions: Memo::new(move |_| input.with(|i| i.list_version)),
        }
    }

    /// Replaces the input (the page's state changed).
    pub fn set(self, input: Input) {
        if self.input.with_untracked(|old| *old != input) {
            self.input.set(input);
        }
    }

    /// Whether the server is there and lets the page in (tracked: only its changes).
    pub fn ready(self) -> bool {
        self.ready.get()
    }

    /// The bearer token (tracked: only its changes).
    pub fn bearer(self) -> String {
        self.bearer.get()
    }

    /// Why the server cannot be asked yet, if so (untracked).
    pub fn waiting_untracked(self) -> Option<String> {
        self.input
            .with_untracked(|i| (!i.waiting.is_empty()).then(|| i.waiting.clone()))
    }

    /// A memo of one part of the input, so a reader hears only of changes to it.
    pub fn part<T: Clone + PartialEq + Send + Sync + 'static>(
        self,
        part: impl Fn(&Input) -> T + Send + Sync + 'static,
    ) -> Memo<T> {
        let input = self.input;
        Memo::new(move |_| input.with(|i| part(i)))
    }

    /// The bearer token (untracked).
    pub fn bearer_untracked(self) -> String {
        self.input.with_untracked(|i| i.bearer.clone())
    }

    /// The check route's body for the draft (untracked).
    pub fn check_body_untracked(self) -> String {
        self.input.with_untracked(|i| i.check_body.clone())
    }

    /// The target as typed (untracked).
    pub fn target_untracked(self) -> Target {
        self.input.with_untracked(|i| i.target.clone())
    }

    /// A field's value as a memo.
    pub fn value(self, path: Path) -> Memo<String> {
        self.part(move |i| i.value(path).to_owned())
    }

    /// A field's value now (untracked).
    pub fn value_untracked(self, path: Path) -> String {
        self.input.with_untracked(|i| i.value(path).to_owned())
    }

    /// Tracks every change of the input and of the module's own list version.
    pub fn track(self) {
        self.input.track();
        self.local_version.track();
    }

    /// Tracks the list version: the page's (configurations created or deleted) and the
    /// module's own (a secret it created).
    pub fn track_lists(self) {
        // Read, not only tracked: a memo tracked before its first read counts as changed at
        // the next change of its input, whatever its value, and would list again.
        self.versions.get();
        self.local_version.track();
    }

    /// The lists may have changed (the module created a secret).
    pub fn bump(self) {
        self.local_version.update(|v| *v += 1);
    }

    /// Sets a field of the page's draft, as if typed there.
    pub fn edit(self, path: Path, value: String) {
        // The module's copy follows at once, so what it shows does not wait for the page.
        self.input.update(|i| match path {
            Path::ProjectId => i.project_id.clone_from(&value),
            Path::JobName => i.job_name.clone_from(&value),
            Path::ApiKeyRef => i.api_key_ref.clone_from(&value),
            _ => {}
        });
        EDIT.with(|edit| {
            if let Some(edit) = edit.borrow().as_ref() {
                let _ = edit.call2(
                    &JsValue::NULL,
                    &JsValue::from_str(path.as_str()),
                    &JsValue::from_str(&value),
                );
            }
        });
    }
}

/// Mounts the pickers and the panel into the page's slots (in [`SLOTS`]' order): `edit` is
/// the page's `edit(path, value)`, `launch_token` the header every request carries, `input`
/// the page's state as [`Input::to_parts`] writes it.
pub fn mount(
    slots: Vec<web_sys::HtmlElement>,
    edit: js_sys::Function,
    launch_token: String,
    input: Vec<String>,
) {
    crate::api::set_launch_token(launch_token);
    EDIT.with(|e| *e.borrow_mut() = Some(edit));
    let world = World::new(Input::from_parts(input));
    WORLD.with(|w| w.set(Some(world)));
    let mut slots = slots.into_iter();
    let mut next = || {
        let slot = slots.next()?;
        slot.set_inner_html("");
        Some(slot)
    };
    use crate::pickers::{JobPicker, ProjectPicker, SecretPicker};
    use crate::prereq::Prerequisites;
    if let Some(slot) = next() {
        leptos::mount::mount_to(slot, move || view! { <ProjectPicker world=world /> }).forget();
    }
    if let Some(slot) = next() {
        leptos::mount::mount_to(slot, move || view! { <JobPicker world=world /> }).forget();
    }
    if let Some(slot) = next() {
        leptos::mount::mount_to(slot, move || view! { <SecretPicker world=world /> }).forget();
    }
    if let Some(slot) = next() {
        leptos::mount::mount_to(slot, move || view! { <Prerequisites world=world /> }).forget();
    }
}

/// The page's state changed: `input` as [`Input::to_parts`] writes it.
pub fn update(input: Vec<String>) {
    if let Some(world) = WORLD.with(Cell::get) {
        world.set(Input::from_parts(input));
    }
}
