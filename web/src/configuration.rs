//! A configuration as the service returned it: every field, and the job's schema.

use leptos::prelude::*;
use sm_config::limits::TASK_TIMEOUT_DEFAULT;
use sm_config::{CustomCredentialsConfiguration, FieldPath as Path};

/// Every field of a configuration, then its schema.
#[component]
pub fn ConfigurationFields(
    /// The configuration.
    configuration: CustomCredentialsConfiguration,
) -> impl IntoView {
    let c = configuration;
    let or_dash = |s: &str| {
        if s.is_empty() {
            "—".to_owned()
        } else {
            s.to_owned()
        }
    };
    let rows: Vec<(&'static str, &'static str, String)> = vec![
        (Path::Name.as_str(), "Name", c.name.clone()),
        ("secret_type", "Secret type", or_dash(&c.secret_type)),
        ("created_at", "Created", or_dash(&c.created_at)),
        ("created_by", "Created by", or_dash(&c.created_by)),
        ("updated_at", "Updated", or_dash(&c.updated_at)),
        (
            Path::ProjectId.as_str(),
            "Code Engine project",
            or_dash(&c.code_engine.project_id),
        ),
        (
            Path::JobName.as_str(),
            "Code Engine job",
            or_dash(&c.code_engine.job_name),
        ),
        (
            Path::Region.as_str(),
            "Code Engine region",
            or_dash(&c.code_engine.region),
        ),
        (
            "code_engine_key_ref",
            "Code Engine key",
            or_dash(c.code_engine_key_ref.as_deref().unwrap_or_default()),
        ),
        (
            Path::ApiKeyRef.as_str(),
            "IAM credentials secret",
            c.api_key_ref
                .clone()
                .unwrap_or_else(|| "none (trusted profile)".to_owned()),
        ),
        (
            Path::TaskTimeout.as_str(),
            "Task timeout",
            c.task_timeout
                .clone()
                .unwrap_or_else(|| format!("{TASK_TIMEOUT_DEFAULT} (default)")),
        ),
    ];
    let schema = c.schema.clone().unwrap_or_default();
    let no_schema = schema.parameters.is_empty() && schema.credentials.is_empty();
    view! {
        <dl class="fields">
            {rows
                .into_iter()
                .map(|(field, label, value)| {
                    view! {
                        <div class="pair" data-field=field>
                            <dt>{label}</dt>
                            <dd>{value}</dd>
                        </div>
                    }
                })
                .collect_view()}
        </dl>
        <div class="schema" data-testid="schema">
            <h4>"Schema"</h4>
            {no_schema.then(|| view! { <p class="muted">"The job declares no inputs or outputs."</p> })}
            {(!schema.parameters.is_empty())
                .then(|| {
                    view! {
                        <table>
                            <caption>"Inputs (parameters)"</caption>
                            <thead>
                                <tr>
                                    <th scope="col">"Name"</th>
                                    <th scope="col">"Format"</th>
                                    <th scope="col">"Environment variable"</th>
                                </tr>
                            </thead>
                            <tbody>
                                {schema
                                    .parameters
                                    .iter()
                                    .map(|p| {
                                        view! {
                                            <tr data-schema="parameter" data-name=p.name.clone()>
                                                <td>{p.name.clone()}</td>
                                                <td>{p.format.clone()}</td>
                                                <td>{p.env_variable_name.clone().unwrap_or_default()}</td>
                                            </tr>
                                        }
                                    })
                                    .collect_view()}
                            </tbody>
                        </table>
                    }
                })}
            {(!schema.credentials.is_empty())
                .then(|| {
                    view! {
                        <table>
                            <caption>"Outputs (credentials)"</caption>
                            <thead>
                                <tr>
                                    <th scope="col">"Name"</th>
                                    <th scope="col">"Format"</th>
                                </tr>
                            </thead>
                            <tbody>
                                {schema
                                    .credentials
                                    .iter()
                                    .map(|p| {
                                        view! {
                                            <tr data-schema="credential" data-name=p.name.clone()>
                                                <td>{p.name.clone()}</td>
                                                <td>{p.format.clone()}</td>
                                            </tr>
                                        }
                                    })
                                    .collect_view()}
                            </tbody>
                        </table>
                    }
                })}
        </div>
    }
}
