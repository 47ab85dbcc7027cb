//! The sm-config console page: build, preview, submit and manage custom credentials engine
//! configurations of IBM Cloud Secrets Manager.
//!
//! Every rule and every rendering comes from the core crate `sm-config`; the page only lays
//! them out. It talks to the `sm-config serve` that served it (emulator or relay).

pub mod alert;
pub mod api;
pub mod browser;
pub mod configuration;
pub mod draft;
pub mod fields;
pub mod findings;
pub mod form;
pub mod html;
pub mod import;
pub mod json;
pub mod manage;
pub mod pickers;
pub mod prereq;
pub mod previews;
pub mod secret_form;
pub mod state;
pub mod submit;
pub mod world;
pub mod world_loader;

use draft::Draft;
use leptos::prelude::*;
use state::{AppState, ServerState};
use std::time::Duration;
use wasm_bindgen::JsCast;

/// The id of the element the page mounts in.
pub const ROOT_ID: &str = "sm-config-app";

/// The page, for a draft (normally the one in the URL).
#[component]
pub fn App(
    /// The draft to start from.
    draft: Draft,
) -> impl IntoView {
    let app = AppState::new(draft);
    // The URL follows the draft, so a link reopens it; the token is not in the draft. Written
    // in the task after the change, not in the change's own: in Chromium `replaceState` costs
    // more (~1.5 ms) than all the rest of a keystroke, which should not wait for it. Changes of
    // one task share one write.
    let url_pending = StoredValue::new(false);
    Effect::new(move |_| {
        app.draft.track();
        if !url_pending.get_value() {
            url_pending.set_value(true);
            set_timeout(
                move || {
                    url_pending.set_value(false);
                    app.draft.with_untracked(browser::replace_query);
                },
                Duration::ZERO,
            );
        }
    });
    app.load_status();
    world_loader::start(app);
    view! {
        <header class="top">
            <div class="brand">
                <span class="logo" aria-hidden="true"></span>
                <div>
                    <h1>"Custom credentials engine"</h1>
                    <p class="tagline">
                        "IBM Cloud Secrets Manager · create a configuration backed by a Code Engine job"
                    </p>
                </div>
            </div>
            <ModeBadge app=app />
        </header>
        <main class="layout">
            // Above both columns, so the form and the previews start at the same height.
            <div class="column-wide">
                <import::Import app=app />
            </div>
            <div class="column-form">
                <form::RequestForm app=app />
            </div>
            <div class="column-previews">
                <previews::Previews app=app />
                <world_loader::PanelSlot app=app />
            </div>
            <div class="column-wide">
                <manage::Configurations app=app />
            </div>
        </main>
        <footer class="bottom">
            <p>
                "Validated with the service's rules by sm-config. Tokens stay in this tab's memory."
            </p>
        </footer>
    }
}

/// Where requests go, at a glance.
#[component]
fn ModeBadge(app: AppState) -> impl IntoView {
    let text = move || {
        app.server.with(|s| match s {
            ServerState::Loading => ("badge", "Connecting…"),
            ServerState::Known(st) if st.is_emulator() => ("badge badge-emulator", "Emulator"),
            ServerState::Known(st) if st.locked() => ("badge badge-offline", "Locked"),
            ServerState::Known(_) => ("badge badge-relay", "Live instance"),
            ServerState::Unavailable(_) => ("badge badge-offline", "Offline"),
        })
    };
    view! {
        <span class=move || text().0 data-testid="mode">
            {move || text().1}
        </span>
    }
}

/// Mounts the page in `#sm-config-app` (or the body, when the element is missing).
pub fn mount() {
    // First, before anything can copy the URL: the launch token leaves the address bar.
    api::set_launch_token(browser::take_launch_token());
    let draft = browser::draft_from_location();
    let root = web_sys::window()
        .and_then(|w| w.document())
        .and_then(|d| d.get_element_by_id(ROOT_ID))
        .and_then(|e| e.dyn_into::<web_sys::HtmlElement>().ok());
    match root {
        Some(root) => leptos::mount::mount_to(root, move || view! { <App draft=draft /> }).forget(),
        None => leptos::mount::mount_to_body(move || view! { <App draft=draft /> }),
    }
}
