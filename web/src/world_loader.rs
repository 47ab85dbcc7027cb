//! The page's side of the world module (`crate::world`): the slots it mounts in, what they
//! show until it is there, when it is loaded, and the page's state sent to it on every change.
//!
//! It is loaded on the form's first use (focus or a press anywhere in the form), or at once
//! when the draft already names a Code Engine region, project, job or secret (a link, an
//! import). So the first paint of an empty form does not wait for it, and the first load stays
//! within its budget (`docs/page-size.md`).

use crate::api;
use crate::draft::{self, Path};
use crate::prereq::check_body;
use crate::state::{AppState, ServerState};
use crate::world::{Input, SLOTS};
use leptos::prelude::*;
use std::cell::RefCell;
use wasm_bindgen::prelude::*;
use wasm_bindgen_futures::JsFuture;

#[wasm_bindgen]
extern "C" {
    /// The world module's exports (`src/bin/sm-config-world.rs`).
    type WorldModule;

    #[wasm_bindgen(method)]
    fn mount(
        this: &WorldModule,
        slots: Vec<web_sys::HtmlElement>,
        edit: &js_sys::Function,
        launch_token: String,
        input: Vec<String>,
    );

    #[wasm_bindgen(method)]
    fn update(this: &WorldModule, input: Vec<String>);

    /// `web/boot.js`'s loader: imports the module's JS and starts its wasm.
    #[wasm_bindgen(js_name = smConfigWorld, catch)]
    fn load_module() -> Result<js_sys::Promise, JsValue>;
}

thread_local! {
    /// The mounted module.
    static MODULE: RefCell<Option<WorldModule>> = const { RefCell::new(None) };
}

/// Where the world module stands.
#[derive(Debug, Clone, PartialEq, Eq, Default)]
pub enum WorldStatus {
    /// Not asked for yet.
    #[default]
    Idle,
    /// Being loaded.
    Loading,
    /// Mounted in its slots.
    Ready,
    /// It could not be loaded: why, in words.
    Failed(String),
}

/// Why the server cannot be asked yet, in words, or `""` (tracked).
fn waiting(app: AppState) -> &'static str {
    app.server.with(|s| match s {
        ServerState::Known(st) if st.locked() => "The server needs its launch link first.",
        ServerState::Known(_) => "",
        ServerState::Loading => "Waiting for the server…",
        ServerState::Unavailable(_) => {
            "No sm-config server: the prerequisites are checked by sm-config serve."
        }
    })
}

/// What the module reads of the page's state (tracked).
fn input(app: AppState) -> Input {
    if app.needs_token() {
        app.token.track();
    }
    let valid = |path: Path| {
        let bad = app.derived.with(|d| {
            d.report
                .for_path(path.as_str())
                .any(|f| f.severity == sm_config::Severity::Error)
        });
        let value = app.draft.with(|d| d.get(path).to_owned());
        if bad { String::new() } else { value }
    };
    let (project_id, job_name, api_key_ref, target) = app.draft.with(|d| {
        (
            d.get(Path::ProjectId).to_owned(),
            d.get(Path::JobName).to_owned(),
            d.get(Path::ApiKeyRef).to_owned(),
            d.target(),
        )
    });
    Input {
        waiting: waiting(app).to_owned(),
        bearer: app.bearer(),
        region: valid(Path::Region),
        project: valid(Path::ProjectId),
        check_body: app.derived.with(|d| check_body(&d.request, &target)),
        project_id,
        job_name,
        api_key_ref,
        target,
        list_version: app.list_version.get(),
    }
}

/// Loads and mounts the module, once; later calls do nothing.
pub fn want(app: AppState) {
    if app.world.with_untracked(|w| *w != WorldStatus::Idle) {
        return;
    }
    app.world.set(WorldStatus::Loading);
    leptos::task::spawn_local(async move {
        let status = match load(app).await {
            Ok(()) => WorldStatus::Ready,
            Err(e) => WorldStatus::Failed(
                e.as_string()
                    .or_else(|| {
                        e.dyn_ref::<js_sys::Error>()
                            .map(|e| String::from(e.message()))
                    })
                    .unwrap_or_else(|| "unknown error".to_owned()),
            ),
        };
        app.world.set(status);
    });
}

async fn load(app: AppState) -> Result<(), JsValue> {
    let module: WorldModule = JsFuture::from(load_module()?).await?.unchecked_into();
    let document = web_sys::window()
        .and_then(|w| w.document())
        .ok_or("no document")?;
    let slots = SLOTS
        .iter()
        .filter_map(|id| document.get_element_by_id(id)?.dyn_into().ok())
        .collect::<Vec<web_sys::HtmlElement>>();
    if slots.len() != SLOTS.len() {
        return Err("the page has no place for the lists".into());
    }
    // A pick or a created secret comes back as an edit of the draft, as if typed.
    let edit = Closure::<dyn Fn(String, String)>::new(move |path: String, value: String| {
        if let Some(path) = draft::field(&path) {
            app.edit(path, value);
        }
    });
    let parts = untrack(|| input(app)).to_parts();
    module.mount(
        slots,
        edit.as_ref().unchecked_ref(),
        api::launch_token(),
        parts,
    );
    // The callback lives as long as the page.
    edit.forget();
    MODULE.with(|m| *m.borrow_mut() = Some(module));
    Ok(())
}

/// Starts following the page's state: loads the module when the draft already names what
/// it lists or checks, and sends it every change once it is there.
pub fn start(app: AppState) {
    Effect::new(move |_| {
        let named = app.draft.with(|d| {
            [
                Path::Region,
                Path::ProjectId,
                Path::JobName,
                Path::ApiKeyRef,
            ]
            .iter()
            .any(|p| !d.get(*p).is_empty())
        });
        if named {
            want(app);
        }
    });
    Effect::new(move |_| {
        if app.world.with(|w| *w != WorldStatus::Ready) {
            return;
        }
        let parts = input(app).to_parts();
        MODULE.with(|m| {
            if let Some(module) = m.borrow().as_ref() {
                module.update(parts);
            }
        });
    });
}

/// What a slot shows until the module is mounted in it.
fn pending_text(status: &WorldStatus, idle: &'static str) -> String {
    match status {
        WorldStatus::Idle | WorldStatus::Ready => idle.to_owned(),
        WorldStatus::Loading => "Loading…".to_owned(),
        WorldStatus::Failed(why) => {
            format!("Could not load the lists and the check ({why}). Type it in the field below.")
        }
    }
}

/// A picker's slot: the module's picker, and until it is there, a disabled one saying why.
#[component]
pub fn PickerSlot(
    /// The page's state.
    app: AppState,
    /// Which: 0 project, 1 job, 2 secret (the order of [`SLOTS`]).
    index: usize,
    /// The picker's label.
    label: &'static str,
    /// What it says before the module is there.
    idle: &'static str,
) -> impl IntoView {
    let id = format!("{}-pending", SLOTS[index]);
    let failed = move || app.world.with(|w| matches!(w, WorldStatus::Failed(_)));
    view! {
        <div id=SLOTS[index]></div>
        <div class="field picker" hidden=move || app.world.with(|w| *w == WorldStatus::Ready)>
            <label for=id.clone()>{label}</label>
            <select id=id disabled>
                <option value="">"Nothing listed yet"</option>
            </select>
            <p
                class=move || if failed() { "picker-status picker-failed" } else { "picker-status" }
                role=move || if failed() { "alert" } else { "status" }
            >
                {move || app.world.with(|w| pending_text(w, idle))}
            </p>
        </div>
    }
}

/// The prerequisites panel's slot: the module's panel, and until it is there, what it will do.
#[component]
pub fn PanelSlot(
    /// The page's state.
    app: AppState,
) -> impl IntoView {
    view! {
        <div id=SLOTS[3]></div>
        <section
            class="card prereq-panel"
            data-testid="prerequisites-pending"
            aria-labelledby="prereq-pending-title"
            hidden=move || app.world.with(|w| *w == WorldStatus::Ready)
        >
            <div class="prereq-bar">
                <h2 id="prereq-pending-title">"Prerequisites"</h2>
            </div>
            <p class="hint">
                {move || {
                    app.world
                        .with(|w| {
                            pending_text(
                                w,
                                "Checked here once you start on the form: the Code Engine project and job, the IAM credentials secret and the service authorization.",
                            )
                        })
                }}
            </p>
        </section>
    }
}
