//! The configurations of the instance: list, search, paging, detail, update, delete.

mod detail;
mod list;

pub use detail::TASK_TIMEOUT_HELP;

use crate::alert::AlertBox;
use crate::api::{self, Page};
use crate::findings::Shown;
use crate::state::{Alert, AppState};
use leptos::prelude::*;
use leptos::task::spawn_local;
use sm_config::CustomCredentialsConfiguration;
use sm_config::limits::{SEARCH_MAX_LEN, SEARCH_MIN_LEN};
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
    pub(super) fn search_param(self) -> Option<String> {
        let search = self.search.get_untracked();
        let len = search.chars().count();
        (SEARCH_MIN_LEN..=SEARCH_MAX_LEN)
            .contains(&len)
            .then_some(search)
    }

    pub(super) fn load(self) {
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
            {move || list::list_body(m)}
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
            {move || detail::detail_view(m)}
        </section>
    }
}
