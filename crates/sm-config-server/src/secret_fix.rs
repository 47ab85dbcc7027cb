//! `POST /sm-config/secret-fix`: the console's "create an iam credentials secret" form, checked
//! and rendered by the core.
//!
//! The page does not link the core's secret rules or the fix renderers (its first load has a
//! budget), so it sends the form's fields here as they are typed and shows the answer: the
//! core's findings on the settings and the secret in the four forms. Nothing is read or written
//! upstream: the page creates the secret itself by posting the answer's `json` to
//! `/api/v2/secrets`, through the same relay allow-list as any create.
//!
//! Body: `{"settings": {name, secret_group_id, service_id | access_groups, ttl, rotation:
//! {auto_rotate, interval, unit}}, "target": {instance_id, region, endpoint}}` (`target` may be
//! left out: this server's instance). Answer: `{"findings": [...], "fix": {kind, summary, cli,
//! terraform, curl, json}}`, 200 whatever the findings say (the form shows them); 400 for a body
//! that is not of that shape.

use crate::body::{self, JSON};
use crate::check::CheckRoute;
use crate::failure::Failure;
use axum::Json;
use axum::body::Body;
use axum::extract::State;
use axum::http::{HeaderMap, StatusCode};
use serde::{Deserialize, Serialize};
use sm_config::prereq::{Fix, SecretSettings};
use sm_config::{Finding, Target};
use std::sync::Arc;

/// The route's path.
pub const SECRET_FIX_PATH: &str = "/sm-config/secret-fix";

/// The request body.
#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
struct SecretFixBody {
    settings: SecretSettings,
    #[serde(default)]
    target: Option<Target>,
}

/// The 200 answer.
#[derive(Debug, Serialize)]
pub(crate) struct SecretFixAnswer {
    findings: Vec<Finding>,
    fix: Fix,
}

fn invalid(message: impl Into<String>) -> Failure {
    Failure::new(StatusCode::BAD_REQUEST, "invalid_body", message)
}

/// The handler.
pub(crate) async fn secret_fix(
    State(route): State<Arc<CheckRoute>>,
    headers: HeaderMap,
    body: Body,
) -> Result<Json<SecretFixAnswer>, Failure> {
    body::require_content_type(&headers, JSON)?;
    let bytes = body::read(&headers, body).await?;
    let body: SecretFixBody = serde_json::from_slice(&bytes).map_err(|e| {
        invalid(format!(
            "the body is not a secret fix request ({{\"settings\": {{…}}, \"target\": {{…}}}}): {e}"
        ))
    })?;
    // Rendering for another instance than this server's is harmless (it is text), so any
    // target is taken; without one, this server's.
    let target = match (body.target, &route.instance) {
        (Some(t), _) => t,
        (None, Some(own)) => own.clone(),
        (None, None) => {
            return Err(invalid(
                "this server relays to a url that names no instance: give the target",
            )
            .at("field", "target"));
        }
    };
    let findings = body.settings.check().into_findings();
    let fix = body.settings.render(&target);
    Ok(Json(SecretFixAnswer { findings, fix }))
}
