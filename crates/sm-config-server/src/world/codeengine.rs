//! `/codeengine/{region}/v2/projects[/{id}[/jobs[/{name}]]]`, as Code Engine API v2 has them
//! at `https://api.{region}.codeengine.cloud.ibm.com/v2`.
//!
//! Errors use Code Engine's body (`{"errors":[{"code","message"}],"trace","status_code"}`,
//! [C: CE-DOCS getting-started-api.md]); its 404 code is `resource_not_found`.

use super::paging::{self, params, query, start_token};
use super::wire;
use crate::emulator::{Emulator, origin};
use crate::failure::Failure;
use axum::Json;
use axum::extract::{Path, RawQuery, State};
use axum::http::{HeaderMap, StatusCode};
use serde_json::{Value, json};
use std::sync::Arc;

/// Page size when `limit` is not given, and the largest one. Code Engine's own are not
/// published **\[U\]**; the SDK's examples ask for 100, so 100 is both (strict: a client that
/// asks for more is refused rather than silently given fewer).
pub const CE_LIMIT_MAX: usize = 100;

/// Code Engine's 404.
pub(crate) fn not_found(what: String) -> Failure {
    Failure::new(StatusCode::NOT_FOUND, "resource_not_found", what)
}

fn bad_param(name: &str, message: String) -> Failure {
    Failure::new(StatusCode::BAD_REQUEST, "invalid_query_parameter", message).at("parameter", name)
}

fn region_known(region: &str) -> Result<(), Failure> {
    if sm_config::regions::is_code_engine_region(region) {
        Ok(())
    } else {
        Err(not_found(format!(
            "code engine has no region {}",
            crate::failure::quoted(region)
        )))
    }
}

/// `limit` and `start`, checked. A `start` token makes the other parameters count for nothing,
/// as Code Engine documents; the emulator keeps `limit` from it instead of guessing.
fn page_query(raw: Option<&str>) -> Result<(usize, usize), Failure> {
    let p = params(raw, &["limit", "start"])
        .map_err(|k| bad_param(&k, format!("{k} is given more than once")))?;
    let limit = paging::whole(&p, "limit", CE_LIMIT_MAX, 1..=CE_LIMIT_MAX)
        .map_err(|m| bad_param("limit", m))?;
    let start = paging::start(&p).map_err(|m| bad_param("start", m))?;
    Ok((limit, start))
}

/// A page in Code Engine's list shape, under the key `key`.
fn page(key: &str, items: Vec<Value>, limit: usize, start: usize, base: &str) -> Value {
    let total = items.len();
    let mut out = json!({
        "limit": limit,
        "first": {"href": format!("{base}?{}", query(&[("limit", limit.to_string())]))},
    });
    if start + limit < total {
        let token = start_token(start + limit);
        out["next"] = json!({
            "href": format!("{base}?{}", query(&[("limit", limit.to_string()), ("start", token.clone())])),
            "start": token,
        });
    }
    out[key] = Value::Array(items.into_iter().skip(start).take(limit).collect());
    out
}

/// `GET /codeengine/{region}/v2/projects`: the region's projects. Whether a regional endpoint
/// lists only its own region's projects is **\[U\]**; the emulator lists only them (the strict
/// reading: a picker that trusted a mixed list would offer projects of the wrong region).
pub(crate) async fn list_projects(
    State(emulator): State<Arc<Emulator>>,
    Path(region): Path<String>,
    RawQuery(raw): RawQuery,
    headers: HeaderMap,
) -> Result<Json<Value>, Failure> {
    super::refuse_forbidden(&emulator, super::Listing::Projects).await?;
    region_known(&region)?;
    let (limit, start) = page_query(raw.as_deref())?;
    let origin = origin(&headers);
    let base = format!("{origin}/codeengine/{region}/v2/projects");
    let items = emulator
        .store
        .read(|s| {
            s.world
                .projects
                .iter()
                .filter(|p| p.region == region)
                .map(|p| wire::project(&s.world, p, &origin))
                .collect::<Vec<_>>()
        })
        .await;
    Ok(Json(page("projects", items, limit, start, &base)))
}

/// `GET /codeengine/{region}/v2/projects/{id}`.
pub(crate) async fn get_project(
    State(emulator): State<Arc<Emulator>>,
    Path((region, id)): Path<(String, String)>,
    headers: HeaderMap,
) -> Result<Json<Value>, Failure> {
    region_known(&region)?;
    let origin = origin(&headers);
    emulator
        .store
        .read(|s| {
            s.world
                .projects
                .iter()
                .find(|p| p.id == id && p.region == region)
                .map(|p| wire::project(&s.world, p, &origin))
        })
        .await
        .map(Json)
        .ok_or_else(|| project_not_found(&id, &region))
}

fn project_not_found(id: &str, region: &str) -> Failure {
    not_found(format!(
        "no project {} in region {region}",
        crate::failure::quoted(id)
    ))
}

/// `GET /codeengine/{region}/v2/projects/{id}/jobs`.
pub(crate) async fn list_jobs(
    State(emulator): State<Arc<Emulator>>,
    Path((region, id)): Path<(String, String)>,
    RawQuery(raw): RawQuery,
    headers: HeaderMap,
) -> Result<Json<Value>, Failure> {
    super::refuse_forbidden(&emulator, super::Listing::Jobs).await?;
    region_known(&region)?;
    let (limit, start) = page_query(raw.as_deref())?;
    let origin = origin(&headers);
    let base = format!("{origin}/codeengine/{region}/v2/projects/{id}/jobs");
    let items = emulator
        .store
        .read(|s| {
            s.world
                .projects
                .iter()
                .find(|p| p.id == id && p.region == region)
                .map(|p| {
                    p.jobs
                        .iter()
                        .map(|j| wire::job(p, j, &origin))
                        .collect::<Vec<_>>()
                })
        })
        .await
        .ok_or_else(|| project_not_found(&id, &region))?;
    Ok(Json(page("jobs", items, limit, start, &base)))
}

/// `GET /codeengine/{region}/v2/projects/{id}/jobs/{name}`.
pub(crate) async fn get_job(
    State(emulator): State<Arc<Emulator>>,
    Path((region, id, name)): Path<(String, String, String)>,
    headers: HeaderMap,
) -> Result<Json<Value>, Failure> {
    region_known(&region)?;
    let origin = origin(&headers);
    let found = emulator
        .store
        .read(|s| {
            let p = s
                .world
                .projects
                .iter()
                .find(|p| p.id == id && p.region == region)?;
            Some(
                p.jobs
                    .iter()
                    .find(|j| j.name == name)
                    .map(|j| wire::job(p, j, &origin)),
            )
        })
        .await
        .ok_or_else(|| project_not_found(&id, &region))?;
    found.map(Json).ok_or_else(|| {
        not_found(format!(
            "no job {} in project {}",
            crate::failure::quoted(&name),
            crate::failure::quoted(&id)
        ))
    })
}

/// Any other path under `/codeengine/`.
pub(crate) async fn no_route() -> Failure {
    not_found(
        "no such code engine route: the emulator serves /codeengine/{region}/v2/projects[/{id}[/jobs[/{name}]]]"
            .to_owned(),
    )
}
