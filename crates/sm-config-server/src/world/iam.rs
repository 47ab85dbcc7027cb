//! `/iam/v1/policies` (GET list, POST create), as IAM Policy Management v1 has them at
//! `https://iam.cloud.ibm.com/v1/policies`.
//!
//! Errors: IAM's `ErrorObject` items (`code`, `message`, optional `details`, `more_info`)
//! **\[C: PS-SDK\]** in the same `{trace, errors, status_code}` envelope as the other services;
//! the envelope itself is **\[U\]** for IAM and taken as the strict, common reading.

use super::file::{Attributes, Policy, Role};
use super::paging::{self, params, query, start_token};
use super::wire;
use crate::body::{self, JSON};
use crate::clock;
use crate::emulator::{Emulator, origin, store::StoreError};
use crate::failure::Failure;
use axum::Json;
use axum::body::Body;
use axum::extract::{RawQuery, State};
use axum::http::{HeaderMap, StatusCode};
use axum::response::{IntoResponse, Response};
use serde::Deserialize;
use serde_json::{Value, json};
use std::sync::Arc;

/// Page size when `limit` is not given, and the largest. IAM's bounds are **\[U\]**; 50 and 100
/// are taken (strict: more is refused, not silently cut).
const IAM_LIMIT_DEFAULT: usize = 50;
const IAM_LIMIT_MAX: usize = 100;

fn bad_param(name: &str, code: &str, message: String) -> Failure {
    Failure::new(StatusCode::BAD_REQUEST, code, message).at("parameter", name)
}

/// `GET /iam/v1/policies?account_id=…[&type=…][&state=…][&iam_id=…][&limit=…][&start=…]`.
/// Without `state`, only active policies are listed **\[U\]** (deleted ones are kept by IAM
/// for a while; a check must not count them).
pub(crate) async fn list(
    State(emulator): State<Arc<Emulator>>,
    RawQuery(raw): RawQuery,
    headers: HeaderMap,
) -> Result<Json<Value>, Failure> {
    super::refuse_forbidden(&emulator, super::Listing::Policies).await?;
    let p = params(
        raw.as_deref(),
        &["account_id", "type", "state", "iam_id", "limit", "start"],
    )
    .map_err(|k| {
        bad_param(
            &k,
            "invalid_query_parameter",
            format!("{k} is given more than once"),
        )
    })?;
    let Some(account) = p.get("account_id") else {
        return Err(bad_param(
            "account_id",
            "missing_required_query_parameter",
            "account_id is required".to_owned(),
        ));
    };
    if let Some(t) = p.get("type")
        && !["access", "authorization"].contains(&t.as_str())
    {
        return Err(bad_param(
            "type",
            "invalid_query_parameter",
            "type must be access or authorization".to_owned(),
        ));
    }
    let state = p.get("state").map_or("active", String::as_str);
    if !["active", "deleted"].contains(&state) {
        return Err(bad_param(
            "state",
            "invalid_query_parameter",
            "state must be active or deleted".to_owned(),
        ));
    }
    let limit = paging::whole(&p, "limit", IAM_LIMIT_DEFAULT, 1..=IAM_LIMIT_MAX)
        .map_err(|m| bad_param("limit", "invalid_query_parameter", m))?;
    let start = paging::start(&p).map_err(|m| bad_param("start", "invalid_query_parameter", m))?;
    let origin = origin(&headers);
    let kept = emulator
        .store
        .read(|s| {
            // A policy lives in the account of its resource **[C: IAM-DOCS: the target
            // service is always in the account where the authorization is created]**.
            s.world
                .policies
                .iter()
                .filter(|x| x.resource("accountId") == Some(account.as_str()))
                .filter(|x| p.get("type").is_none_or(|t| &x.kind == t))
                .filter(|x| x.state == state)
                .filter(|x| {
                    p.get("iam_id")
                        .is_none_or(|id| x.subject("iam_id") == Some(id))
                })
                .map(|x| wire::policy(x, &origin))
                .collect::<Vec<_>>()
        })
        .await;
    let total = kept.len();
    let base = format!("{origin}/iam/v1/policies");
    let mut pairs: Vec<(&str, String)> = vec![("account_id", account.clone())];
    for k in ["type", "state", "iam_id"] {
        if let Some(v) = p.get(k) {
            pairs.push((k, v.clone()));
        }
    }
    pairs.push(("limit", limit.to_string()));
    let href = |start: Option<usize>| {
        let mut pairs = pairs.clone();
        if let Some(s) = start {
            pairs.push(("start", start_token(s)));
        }
        format!("{base}?{}", query(&pairs))
    };
    let mut page = json!({
        "limit": limit,
        "first": {"href": href(None)},
        "policies": kept.into_iter().skip(start).take(limit).collect::<Vec<_>>(),
    });
    if start + limit < total {
        page["next"] =
            json!({"href": href(Some(start + limit)), "start": start_token(start + limit)});
    }
    if start > 0 {
        let prev = start.saturating_sub(limit);
        page["previous"] = json!({"href": href(Some(prev)), "start": start_token(prev)});
    }
    Ok(Json(page))
}

/// The body of `POST /v1/policies` **\[C: PS-SDK CreatePolicyOptions\]**.
#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct Prototype {
    #[serde(rename = "type")]
    kind: String,
    subjects: Vec<Attributes>,
    roles: Vec<Role>,
    resources: Vec<Attributes>,
    #[serde(default)]
    description: Option<String>,
}

fn invalid_body(message: String) -> Failure {
    Failure::new(StatusCode::BAD_REQUEST, "invalid_body", message)
}

/// `POST /iam/v1/policies`: 201 with the policy; 409 `policy_conflict_error` when the same
/// grant exists (IAM's status for a duplicate is **\[U\]**; its conflict code is
/// `policy_conflict_error` with `details.conflicts_with` **\[C: PS-SDK\]**).
pub(crate) async fn create(
    State(emulator): State<Arc<Emulator>>,
    headers: HeaderMap,
    body: Body,
) -> Result<Response, Failure> {
    body::require_content_type(&headers, JSON)?;
    let bytes = body::read(&headers, body).await?;
    let mut de = serde_json::Deserializer::from_slice(&bytes);
    let proto: Prototype = serde_path_to_error::deserialize(&mut de).map_err(|e| {
        let path = e.path().to_string();
        invalid_body(format!("{path}: {}", e.into_inner()))
    })?;
    // Rules of CreatePolicy **[C: PS-SDK doc comment]**: accountId on both sides; the
    // subject names serviceName or resourceGroupId.
    for (side, list) in [
        ("subjects", &proto.subjects),
        ("resources", &proto.resources),
    ] {
        if list.len() != 1 {
            return Err(invalid_body(format!("{side} must have exactly one entry")));
        }
        if !list[0].attributes.iter().any(|a| a.name == "accountId") {
            return Err(invalid_body(format!(
                "{side}[0] needs an accountId attribute"
            )));
        }
        if let Some(a) = list[0]
            .attributes
            .iter()
            .find(|a| a.value.is_empty() || a.value.len() > 1000)
        {
            return Err(invalid_body(format!(
                "{side}[0] attribute {} must have a value of 1 to 1000 characters",
                a.name
            )));
        }
    }
    if proto.kind == "authorization"
        && !proto.subjects[0]
            .attributes
            .iter()
            .any(|a| a.name == "serviceName" || a.name == "resourceGroupId")
    {
        return Err(invalid_body(
            "an authorization's subject needs serviceName or resourceGroupId".to_owned(),
        ));
    }
    let policy = Policy {
        id: uuid::Uuid::new_v4().to_string(),
        kind: proto.kind,
        description: proto.description,
        subjects: proto.subjects,
        roles: proto.roles,
        resources: proto.resources,
        state: "active".to_owned(),
        created_at: Some(clock::now_rfc3339()),
    };
    let created = emulator
        .store
        .change(move |state| {
            if policy.resource("accountId") != Some(state.world.account_id.as_str()) {
                return Err(StoreError::Refused(Box::new(Failure::new(
                    StatusCode::FORBIDDEN,
                    "insufficent_permissions",
                    "the emulated caller can create policies only in the world's account",
                ))));
            }
            let mut next = state.world.clone();
            next.policies.push(policy.clone());
            super::check_world(&next).map_err(|e| {
                // A refusal names at least one problem; the whole error stands in otherwise.
                let text = match e.problems.first() {
                    Some(p) => {
                        let at = p.path.split_once('.').map_or("", |(_, rest)| rest);
                        format!("{at}: {}", p.message)
                    }
                    None => e.to_string(),
                };
                StoreError::Refused(Box::new(invalid_body(text)))
            })?;
            if let Some(same) = state.world.policies.iter().find(|x| same_grant(x, &policy)) {
                return Err(StoreError::Refused(Box::new(Failure::conflict(
                    "policy_conflict_error",
                    "a policy with the same subject, roles and resource already exists",
                    json!({"conflicts_with": {"policy": {"id": same.id}}}),
                ))));
            }
            state.world.policies.push(policy.clone());
            state.added.policies.push(policy.clone());
            Ok(policy)
        })
        .await
        .map_err(crate::emulator::store_failure_any)?;
    tracing::debug!(id = %created.id, "policy created");
    let body = wire::policy(&created, &origin(&headers));
    Ok((StatusCode::CREATED, Json(body)).into_response())
}

/// Whether two active policies grant the same roles to the same subject on the same resource
/// (attribute order and operators aside).
fn same_grant(a: &Policy, b: &Policy) -> bool {
    fn attrs(list: &[Attributes]) -> Vec<(String, String)> {
        let mut v: Vec<(String, String)> = list
            .iter()
            .flat_map(|x| {
                x.attributes
                    .iter()
                    .map(|a| (a.name.clone(), a.value.clone()))
            })
            .collect();
        v.sort();
        v
    }
    fn roles(p: &Policy) -> Vec<&str> {
        let mut r: Vec<&str> = p.roles.iter().map(|r| r.role_id.as_str()).collect();
        r.sort_unstable();
        r
    }
    a.state == "active"
        && a.kind == b.kind
        && attrs(&a.subjects) == attrs(&b.subjects)
        && attrs(&a.resources) == attrs(&b.resources)
        && roles(a) == roles(b)
}

/// Any other path under `/iam/`.
pub(crate) async fn no_route() -> Failure {
    Failure::new(
        StatusCode::NOT_FOUND,
        "not_found",
        "no such iam route: the emulator serves /iam/v1/policies (GET, POST)",
    )
}
