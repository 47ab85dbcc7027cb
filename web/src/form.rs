//! The request form: target, configuration fields, and the submit area.

use crate::draft::Path;
use crate::fields::{RegionField, TextField};
use crate::state::{AppState, ServerState};
use crate::submit::SubmitArea;
use crate::world_loader::{PickerSlot, want};
use leptos::prelude::*;
use sm_config::limits::{NAME_MAX_LEN, NAME_MIN_LEN, TASK_TIMEOUT_DEFAULT, task_timeout_range};
use sm_config::regions::REGIONS;
use std::sync::LazyLock;

/// The name's standing help, its bounds from the core's limits.
static NAME_HELP: LazyLock<String> = LazyLock::new(|| {
    format!(
        "Unique in the instance. Letters, digits, _ - and . ({NAME_MIN_LEN} to {NAME_MAX_LEN} characters)."
    )
});

/// The task timeout's standing help, its range and default from the core's limits.
static TASK_TIMEOUT_HELP: LazyLock<String> = LazyLock::new(|| {
    format!(
        "How long one task may run: {}, a number then s, m, h or d. Empty means the service's default, {TASK_TIMEOUT_DEFAULT}.",
        task_timeout_range()
    )
});

/// The whole form.
#[component]
pub fn RequestForm(
    /// The page's state.
    app: AppState,
) -> impl IntoView {
    let code_engine_regions = REGIONS.iter().filter(|r| r.code_engine).collect();
    view! {
        <form
            class="card request-form"
            data-testid="request-form"
            novalidate
            autocomplete="off"
            // The first use of the form loads the pickers and the prerequisites check.
            on:focusin=move |_| want(app)
            on:pointerdown=move |_| want(app)
            on:submit=move |ev| {
                ev.prevent_default();
                app.submit();
            }
        >
            <TargetFields app=app />
            <fieldset class="group">
                <legend>"Configuration"</legend>
                <TextField
                    app=app
                    path=Path::Name
                    label="Name"
                    placeholder="my-credentials-engine"
                    help=NAME_HELP.as_str()
                />
            </fieldset>
            <fieldset class="group">
                <legend>"Code Engine job"</legend>
                <p class="legend-help">
                    "The job that issues the credentials. Secrets Manager reads its inputs ("
                    <code>"SMIN_"</code> ") and outputs (" <code>"SMOUT_"</code>
                    ") from the job's environment variables when the configuration is created."
                </p>
                <RegionField
                    app=app
                    path=Path::Region
                    label="Region"
                    regions=code_engine_regions
                />
                <PickerSlot app=app index=0 label="Project" idle="Choose a Code Engine region to list its projects." />
                <TextField
                    app=app
                    path=Path::ProjectId
                    label="Project ID"
                    placeholder="12345678-5120-4a18-832a-4ba122496633"
                    help="Filled by the picker above, or typed: a project in another account, or one you cannot list."
                    mono=true
                />
                <PickerSlot app=app index=1 label="Job" idle="Choose a project to list its jobs." />
                <TextField
                    app=app
                    path=Path::JobName
                    label="Job name"
                    placeholder="credentials-job"
                    mono=true
                />
            </fieldset>
            <fieldset class="group">
                <legend>"Authentication and limits"</legend>
                <PickerSlot app=app index=2 label="IAM credentials secret" idle="The instance's IAM credentials secrets are listed once you start on the form." />
                <TextField
                    app=app
                    path=Path::ApiKeyRef
                    label="IAM credentials secret ID"
                    optional=true
                    mono=true
                    placeholder="a2f9c2e4-a3a8-c508-2bed-fcb7c26843ca"
                    help="The job uses the API key of this IAM credentials secret (with auto-rotation, in the same instance). Leave it empty to have the job authenticate with a trusted profile instead."
                />
                <TextField
                    app=app
                    path=Path::TaskTimeout
                    label="Task timeout"
                    optional=true
                    mono=true
                    placeholder=TASK_TIMEOUT_DEFAULT
                    help=TASK_TIMEOUT_HELP.as_str()
                />
            </fieldset>
            <SubmitArea app=app />
        </form>
    }
}

/// The instance requests go to, prefilled from the server's status.
#[component]
fn TargetFields(app: AppState) -> impl IntoView {
    let emulator = move || {
        app.server
            .with(|s| matches!(s, ServerState::Known(st) if st.is_emulator()))
    };
    let endpoint = app.value(Path::Endpoint);
    let radio = move |value: &'static str, label: &'static str| {
        view! {
            <label class="radio">
                <input
                    type="radio"
                    name=Path::Endpoint.as_str()
                    value=value
                    prop:checked=move || {
                        endpoint.with(|e| e == value || (e.is_empty() && value == "public"))
                    }
                    on:change=move |_| app.edit(Path::Endpoint, value.to_owned())
                />
                {label}
            </label>
        }
    };
    view! {
        <fieldset class="group target" data-testid="target">
            <legend>"Secrets Manager instance"</legend>
            {move || notice(app)}
            {move || emulator().then(|| view! {
                <p class="notice notice-emulator" data-testid="emulator-notice">
                    <strong>"Emulator. "</strong>
                    "Requests go to the local emulator run by sm-config serve, not to IBM Cloud. "
                    "Nothing you create here exists in your account. The projects, jobs, secrets "
                    "and authorizations it lists are an emulated world: the built-in example, or "
                    "the file the server was started with ("
                    <code>"sm-config serve --world FILE"</code>
                    ")."
                </p>
            }) }
            <TextField
                app=app
                path=Path::InstanceId
                label="Instance ID"
                mono=true
                placeholder="b49ad24d-81d4-5ebc-b9b9-b0937d1c84d5"
            />
            <div class="row">
                <RegionField
                    app=app
                    path=Path::TargetRegion
                    label="Region"
                    regions=REGIONS.iter().collect()
                />
                <div class="field" role="radiogroup" aria-labelledby="endpoint-label">
                    <span class="label" id="endpoint-label">"Endpoint"</span>
                    <div class="radios">
                        {radio("public", "Public")} {radio("private", "Private")}
                    </div>
                </div>
            </div>
        </fieldset>
    }
}

/// What the server's status says about where requests go, when it is not the emulator.
fn notice(app: AppState) -> Option<AnyView> {
    app.server.with(|s| match s {
        ServerState::Known(status) if status.locked() => {
            let stale = app.stale_launch_token.get();
            let printed = format!(
                "sm-config serve: listening on {}/#token=…",
                crate::browser::origin()
            );
            Some(
                view! {
                    <div class="notice notice-offline" role="alert" data-testid="launch-token-needed">
                        <p>
                            <strong>"Open the link sm-config serve printed. "</strong>
                            {if stale {
                                "The link this tab was opened with is from an earlier run of the server, which has since restarted. "
                            } else {
                                "This page was opened without it. "
                            }}
                            "The server holds an IBM Cloud API key, so it answers only the page opened from the link it printed when it started, in the terminal where it runs:"
                        </p>
                        <p><code>{printed}</code></p>
                        <p>
                            "Open that whole link, with its " <code>"#token=…"</code>
                            " part (scripts read the token from the file given with "
                            <code>"--token-file"</code> "). Until then nothing is sent to the instance."
                        </p>
                    </div>
                }
                .into_any(),
            )
        }
        ServerState::Known(status) if !status.is_emulator() => {
            let instance = status.instance_id.clone().unwrap_or_default();
            let credentials = if status.credentials {
                "The server signs requests with its own credentials."
            } else {
                "Paste an IAM bearer token below; it stays in this page's memory only."
            };
            Some(
                view! {
                    <p class="notice notice-relay" data-testid="relay-notice">
                        <strong>"Live instance. "</strong>
                        "Requests are relayed to instance " <code>{instance}</code> ". "
                        {credentials}
                    </p>
                }
                .into_any(),
            )
        }
        ServerState::Unavailable(reason) => Some(
            view! {
                <p class="notice notice-offline" data-testid="status-unavailable">
                    <strong>"No sm-config server. "</strong>
                    "The previews work; sending needs the page to be served by sm-config serve ("
                    {reason.clone()} ")."
                </p>
            }
            .into_any(),
        ),
        _ => None,
    })
}
