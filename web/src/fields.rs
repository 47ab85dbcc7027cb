//! One labelled input of the draft with its findings: a text box or a region picker.

use crate::draft::{ElementIds, Path};
use crate::findings::FindingList;
use crate::state::AppState;
use leptos::prelude::*;
use sm_config::regions::Region;

/// A text input bound to one field of the draft.
#[component]
pub fn TextField(
    /// The page's state.
    app: AppState,
    /// Which field.
    path: Path,
    /// The label.
    label: &'static str,
    /// The standing explanation under the label.
    #[prop(optional)]
    help: Option<&'static str>,
    /// The placeholder.
    #[prop(optional)]
    placeholder: Option<&'static str>,
    /// Marks the field optional in its label.
    #[prop(optional)]
    optional: bool,
    /// Use a monospace face (IDs).
    #[prop(optional)]
    mono: bool,
) -> impl IntoView {
    let value = app.value(path);
    let shown = app.shown(path);
    let invalid = AppState::invalid(shown);
    let id = path.input_id();
    view! {
        <div class="field" class:field-invalid=invalid>
            <label for=id.clone()>
                {label}
                {optional.then(|| view! { <span class="optional">" optional"</span> })}
            </label>
            <input
                id=id
                type="text"
                name=path.as_str()
                class:mono=mono
                autocomplete="off"
                spellcheck="false"
                placeholder=placeholder
                aria-invalid=move || invalid.get().then_some("true")
                aria-describedby=path.findings_id()
                prop:value=value
                on:input=move |ev| app.edit(path, event_target_value(&ev))
                on:blur=move |_| app.touch(path)
            />
            <FindingList id=path.findings_id() findings=shown help=help.unwrap_or_default() />
        </div>
    }
}

/// A region picker bound to one field of the draft; the first option is empty.
#[component]
pub fn RegionField(
    /// The page's state.
    app: AppState,
    /// Which field.
    path: Path,
    /// The label.
    label: &'static str,
    /// The regions to offer.
    regions: Vec<&'static Region>,
    /// The standing explanation under the label.
    #[prop(optional)]
    help: Option<&'static str>,
) -> impl IntoView {
    let value = app.value(path);
    let shown = app.shown(path);
    let invalid = AppState::invalid(shown);
    let id = path.input_id();
    let options = regions
        .into_iter()
        .map(|r| {
            view! {
                <option value=r.id prop:selected=move || value.with(|v| v == r.id)>
                    {format!("{} ({})", r.label, r.id)}
                </option>
            }
        })
        .collect_view();
    view! {
        <div class="field" class:field-invalid=invalid>
            <label for=id.clone()>{label}</label>
            <select
                id=id
                name=path.as_str()
                aria-invalid=move || invalid.get().then_some("true")
                aria-describedby=path.findings_id()
                on:change=move |ev| app.edit(path, event_target_value(&ev))
                on:blur=move |_| app.touch(path)
            >
                <option value="" prop:selected=move || value.with(String::is_empty)>
                    "Choose a region"
                </option>
                {options}
            </select>
            <FindingList id=path.findings_id() findings=shown help=help.unwrap_or_default() />
        </div>
    }
}
