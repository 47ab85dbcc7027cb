//! The list of the manage section: the table of one page of configurations.

use super::{ListState, Manage};
use crate::alert::AlertBox;
use crate::api::Page;
use leptos::prelude::*;
use sm_config::limits::TASK_TIMEOUT_DEFAULT;

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

pub(super) fn list_body(m: Manage) -> AnyView {
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
