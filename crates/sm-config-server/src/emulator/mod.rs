//! Emulator mode: `/api/v2/configurations` of one made-up instance, with the service's
//! rules (through the core's validator), limits and error answers.

mod list;
mod persist;
pub(crate) mod store;

pub(crate) use persist::DataFile;
pub(crate) use store::State as EmulatorState;

use crate::body::{self, JSON, MERGE_PATCH};
use crate::failure::{Failure, quoted};
use crate::{bearer, clock};
use axum::Router;
use axum::body::Body;
use axum::extract::rejection::PathRejection;
use axum::extract::{Path, RawQuery, State};
use axum::http::{HeaderMap, StatusCode, header};
use axum::response::{IntoResponse, Response};
use axum::routing::get;
use list::ListQuery;
use sm_config::FieldPath;
use sm_config::limits::TASK_TIMEOUT_DEFAULT;
use sm_config::{
    ConfigType, Configuration, ConfigurationPrototype, CustomCredentialsConfiguration, Schema,
    SchemaCredential, SchemaParameter,
};
use std::sync::Arc;
use store::{Store, StoreError};

/// The optional header that picks a config type when names repeat across types **\[S\]**.
const ACCEPT_CONFIG_TYPE: &str = "x-sm-accept-configuration-type";

/// The emulated instance and the world around it.
#[derive(Debug)]
pub(crate) struct Emulator {
    pub(crate) store: Arc<Store>,
    /// The instance the emulator plays (the core's placeholder), for secrets' CRNs.
    pub(crate) instance: sm_config::Target,
    /// Who the emulator says created configurations (a made-up service ID).
    created_by: String,
}

impl Emulator {
    /// An instance holding `state`, kept in `file` when there is one.
    pub(crate) fn new(state: EmulatorState, file: Option<DataFile>) -> Emulator {
        Emulator {
            store: Arc::new(Store::new(state, file)),
            instance: sm_config::Target::placeholder(),
            created_by: format!("iam-ServiceId-{}", uuid::Uuid::new_v4()),
        }
    }
}

/// `http://HOST` of a request, for the links in answers. The guard has already checked the
/// Host, so it is safe to echo.
pub(crate) fn origin(headers: &HeaderMap) -> String {
    let host = headers
        .get(header::HOST)
        .and_then(|h| h.to_str().ok())
        .unwrap_or("localhost");
    format!("http://{host}")
}

/// The answer for a refused change to the world.
pub(crate) fn store_failure_any(e: StoreError) -> Failure {
    match e {
        StoreError::Refused(f) => *f,
        other => store_failure(other, ""),
    }
}

/// `/api/v2/configurations[/{name}]` and the world's routes, every one behind a bearer token.
pub(crate) fn routes(emulator: Arc<Emulator>) -> Router {
    use crate::world::{codeengine, iam, secrets};
    Router::new()
        .route("/api/v2/configurations", get(list_all).post(create))
        .route(
            "/api/v2/configurations/{name}",
            get(get_one).patch(update).delete(delete),
        )
        .route("/api/v2/secrets", get(secrets::list).post(secrets::create))
        .route("/api/v2/secrets/{id}/metadata", get(secrets::metadata))
        .route("/api/v2/secret_groups", get(secrets::groups))
        .with_state(Arc::clone(&emulator))
        .layer(axum::middleware::from_fn(bearer::require))
        // Nested, so each prefix has its own service's 404 for paths it does not serve.
        .nest(
            "/codeengine",
            Router::new()
                .route("/{region}/v2/projects", get(codeengine::list_projects))
                .route("/{region}/v2/projects/{id}", get(codeengine::get_project))
                .route(
                    "/{region}/v2/projects/{id}/jobs",
                    get(codeengine::list_jobs),
                )
                .route(
                    "/{region}/v2/projects/{id}/jobs/{name}",
                    get(codeengine::get_job),
                )
                .with_state(Arc::clone(&emulator))
                .layer(axum::middleware::from_fn(bearer::require))
                .fallback(codeengine::no_route),
        )
        .nest(
            "/iam",
            Router::new()
                .route("/v1/policies", get(iam::list).post(iam::create))
                .with_state(emulator)
                .layer(axum::middleware::from_fn(bearer::require))
                .fallback(iam::no_route),
        )
}

/// The schema of a configuration backed by `code_engine`, as the service reads it from the
/// job's `SMIN_`/`SMOUT_` variables at creation, through the core's derivation.
///
/// A job of a project the world holds must exist in the project's region and be a provider,
/// or the create is refused (what the real service answers then is **\[U\]**; refusing is the
/// strict reading). A project the world does not hold at all gets [`unknown_job_schema`]:
/// requests for made-up projects worked before the emulator had a world, and the world is a
/// sample, not the account; `sm-config check` is what tells whether a job really exists.
fn job_schema(world: &crate::world::World, ce: &sm_config::CodeEngine) -> Result<Schema, Failure> {
    let mut same_id = world
        .projects
        .iter()
        .filter(|p| p.id == ce.project_id)
        .peekable();
    if same_id.peek().is_none() {
        return Ok(unknown_job_schema());
    }
    let Some(project) = same_id.find(|p| p.region == ce.region) else {
        return Err(Failure::new(
            StatusCode::BAD_REQUEST,
            "code_engine_project_not_found",
            format!(
                "project {} is not in code engine region {}",
                quoted(&ce.project_id),
                quoted(&ce.region)
            ),
        )
        .at_field(FieldPath::Region));
    };
    let job = project
        .jobs
        .iter()
        .find(|j| j.name == ce.job_name)
        .ok_or_else(|| {
            Failure::new(
                StatusCode::BAD_REQUEST,
                "code_engine_job_not_found",
                format!(
                    "project {} has no job {}",
                    quoted(&project.name),
                    quoted(&ce.job_name)
                ),
            )
            .at_field(FieldPath::JobName)
        })?;
    let variables: Vec<sm_config::prereq::EnvVar> = job
        .run_env_variables
        .iter()
        .map(|v| sm_config::prereq::EnvVar {
            kind: v.kind.clone(),
            name: Some(v.name.clone()),
            value: Some(v.value.clone()),
            ..Default::default()
        })
        .collect();
    sm_config::prereq::derive_schema(&variables)
        .into_result()
        .map_err(|problem| {
            Failure::new(
                StatusCode::BAD_REQUEST,
                "code_engine_job_not_a_provider",
                format!("job {}: {problem}", quoted(&job.name)),
            )
            .at_field(FieldPath::JobName)
        })
}

/// The schema given to a configuration whose project the world does not hold.
fn unknown_job_schema() -> Schema {
    Schema {
        parameters: vec![SchemaParameter {
            name: "user_name".to_owned(),
            format: "required:false".to_owned(),
            env_variable_name: Some("SMIN_USER_NAME".to_owned()),
        }],
        credentials: vec![SchemaCredential {
            name: "password".to_owned(),
            format: "required:true".to_owned(),
        }],
    }
}

fn answer(status: StatusCode, c: CustomCredentialsConfiguration) -> Response {
    (
        status,
        axum::Json(Configuration::CustomCredentialsConfiguration(c)),
    )
        .into_response()
}

fn not_found(name: &str) -> Failure {
    Failure::new(
        StatusCode::NOT_FOUND,
        "configuration_not_found",
        format!("no configuration is called {}", quoted(name)),
    )
}

pub(crate) fn store_failure(e: StoreError, name: &str) -> Failure {
    let message = e.to_string();
    match e {
        StoreError::DuplicateName => Failure::new(
            StatusCode::CONFLICT,
            "configuration_already_exists",
            format!("a configuration called {} already exists", quoted(name)),
        )
        .at_field(FieldPath::Name),
        StoreError::JobInUse(_) => Failure::new(
            StatusCode::CONFLICT,
            "code_engine_job_already_in_use",
            format!("{message}: a job backs at most one configuration"),
        )
        .at_field(FieldPath::JobName),
        StoreError::LimitReached => Failure::new(
            StatusCode::CONFLICT,
            "configuration_limit_reached",
            format!("{message}: delete one first"),
        ),
        StoreError::NotFound => not_found(name),
        StoreError::Refused(f) => *f,
        StoreError::Write(source) => {
            tracing::error!(error = %source, "data file write failed");
            Failure::new(
                StatusCode::INTERNAL_SERVER_ERROR,
                "storage_write_failed",
                "the change could not be saved; nothing was changed",
            )
        }
    }
}

/// The `{name}` path segment, percent-decoded; a bad encoding is a 400.
fn path_name(path: Result<Path<String>, PathRejection>) -> Result<String, Failure> {
    path.map(|Path(name)| name).map_err(|_| {
        Failure::new(
            StatusCode::BAD_REQUEST,
            "invalid_path",
            "the configuration name in the path is not valid percent-encoded utf-8",
        )
    })
}

/// Checks `X-Sm-Accept-Configuration-Type`: absent or custom credentials goes on; another
/// known type names a configuration the emulator cannot hold (404); anything else is a 400.
fn accept_type(headers: &HeaderMap, name: &str) -> Result<(), Failure> {
    let Some(value) = headers.get(ACCEPT_CONFIG_TYPE) else {
        return Ok(());
    };
    match value.to_str().ok().and_then(ConfigType::from_wire) {
        Some(ConfigType::CustomCredentialsConfiguration) => Ok(()),
        Some(_) => Err(not_found(name)),
        None => Err(Failure::new(
            StatusCode::BAD_REQUEST,
            "invalid_header",
            "x-sm-accept-configuration-type must be a configuration type such as custom_credentials_configuration",
        )
        .at("header", "X-Sm-Accept-Configuration-Type")),
    }
}

async fn create(
    State(emulator): State<Arc<Emulator>>,
    headers: HeaderMap,
    body: Body,
) -> Result<Response, Failure> {
    body::require_content_type(&headers, JSON)?;
    let bytes = body::read(&headers, body).await?;
    let parsed = sm_config::validate_json_bytes(&bytes, None);
    if !parsed.report.is_valid() {
        return Err(Failure::from_report(&parsed.report));
    }
    let Some(ConfigurationPrototype::CustomCredentialsConfiguration(request)) = parsed.request
    else {
        return Err(Failure::from_report(&parsed.report));
    };
    let schema = emulator
        .store
        .read(|s| job_schema(&s.world, &request.code_engine))
        .await?;
    let now = clock::now_rfc3339();
    let created = CustomCredentialsConfiguration {
        name: request.name,
        secret_type: "custom_credentials".to_owned(),
        created_by: emulator.created_by.clone(),
        created_at: now.clone(),
        updated_at: now,
        api_key_ref: request.api_key_ref,
        code_engine: request.code_engine,
        code_engine_key_ref: Some(format!("sm-access-{}", uuid::Uuid::new_v4())),
        schema: Some(schema),
        task_timeout: Some(
            request
                .task_timeout
                .unwrap_or_else(|| TASK_TIMEOUT_DEFAULT.to_owned()),
        ),
    };
    let name = created.name.clone();
    emulator
        .store
        .create(created.clone())
        .await
        .map_err(|e| store_failure(e, &name))?;
    tracing::debug!(name = %name, "configuration created");
    Ok(answer(StatusCode::CREATED, created))
}

async fn list_all(
    State(emulator): State<Arc<Emulator>>,
    RawQuery(raw): RawQuery,
    headers: HeaderMap,
) -> Result<Response, Failure> {
    let query = ListQuery::parse(raw.as_deref())?;
    // The guard has already checked the Host, so it is safe to echo in the links.
    let host = headers
        .get(header::HOST)
        .and_then(|h| h.to_str().ok())
        .unwrap_or("localhost");
    let base = format!("http://{host}/api/v2/configurations");
    let page = query.page(emulator.store.all().await, &base);
    Ok(axum::Json(page).into_response())
}

async fn get_one(
    State(emulator): State<Arc<Emulator>>,
    path: Result<Path<String>, PathRejection>,
    headers: HeaderMap,
) -> Result<Response, Failure> {
    let name = path_name(path)?;
    accept_type(&headers, &name)?;
    match emulator.store.get(&name).await {
        Some(c) => Ok(answer(StatusCode::OK, c)),
        None => Err(not_found(&name)),
    }
}

/// Update takes only `application/merge-patch+json`, the type the contract names; plain
/// `application/json` is refused with 415 so a client that would break against the real
/// service breaks here first **\[P\]**.
async fn update(
    State(emulator): State<Arc<Emulator>>,
    path: Result<Path<String>, PathRejection>,
    headers: HeaderMap,
    body: Body,
) -> Result<Response, Failure> {
    let name = path_name(path)?;
    accept_type(&headers, &name)?;
    body::require_content_type(&headers, MERGE_PATCH)?;
    let bytes = body::read(&headers, body).await?;
    // An unknown name is a 404 even when the body is bad: there is nothing to patch.
    if emulator.store.get(&name).await.is_none() {
        return Err(not_found(&name));
    }
    let parsed = sm_config::validate_patch_json(&bytes);
    if !parsed.report.is_valid() {
        return Err(Failure::from_report(&parsed.report));
    }
    let Some(task_timeout) = parsed.request.and_then(|p| p.task_timeout) else {
        return Err(Failure::from_report(&parsed.report));
    };
    let changed = emulator
        .store
        .update_task_timeout(name.clone(), task_timeout, clock::now_rfc3339())
        .await
        .map_err(|e| store_failure(e, &name))?;
    tracing::debug!(name = %name, "configuration updated");
    Ok(answer(StatusCode::OK, changed))
}

async fn delete(
    State(emulator): State<Arc<Emulator>>,
    path: Result<Path<String>, PathRejection>,
    headers: HeaderMap,
) -> Result<Response, Failure> {
    let name = path_name(path)?;
    accept_type(&headers, &name)?;
    emulator
        .store
        .delete(name.clone())
        .await
        .map_err(|e| store_failure(e, &name))?;
    tracing::debug!(name = %name, "configuration deleted");
    Ok(StatusCode::NO_CONTENT.into_response())
}
