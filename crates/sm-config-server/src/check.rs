//! `POST /sm-config/check`: the core's prerequisite check of a request, for the page.
//!
//! The page could run the check itself, but that would link the prerequisites' models, their
//! serde code and the fix renderers into its wasm; the server has all of it already. The facts
//! are read the way `sm-config check --server` reads them ([`crate::facts`]): through this
//! server's own routes, over loopback, so an emulator answers from its world and a relay goes
//! through its one allow-list with the same credential a page request would use (the page's
//! bearer when it sends one, else the relay's own). No upstream route is added for the check.
//!
//! Body: `{"request": <configuration prototype>, "target": {"instance_id", "region",
//! "endpoint"}}` (`target` may be left out: this server's instance). Answer:
//! `{"prerequisites": [{id, title, status, codes}], "findings": [<validation's, then the
//! prerequisites', each with its fix>]}`.

use crate::body::{self, JSON};
use crate::facts::Fetcher;
use crate::failure::{Failure, quoted};
use crate::secret::Secret;
use axum::Json;
use axum::body::Body;
use axum::extract::State;
use axum::http::{HeaderMap, StatusCode};
use serde::{Deserialize, Serialize};
use sm_config::prereq::{Needs, Prerequisite, checklist};
use sm_config::{Finding, Target};
use std::sync::Arc;

/// The route's path.
pub const CHECK_PATH: &str = "/sm-config/check";

/// What the route needs to read the facts.
#[derive(Debug)]
pub(crate) struct CheckRoute {
    /// Reused for every check (building a client loads the TLS roots).
    pub(crate) client: reqwest::Client,
    /// This server over loopback (`http://127.0.0.1:PORT`).
    pub(crate) base: String,
    /// The launch token, sent with the inner requests (they pass the same guard).
    pub(crate) launch: Option<Secret>,
    /// Emulator mode: any bearer does, and the instance's account is the world's.
    pub(crate) emulator: bool,
    /// The instance this server reads, when it has one (a relay to a bare URL has none).
    pub(crate) instance: Option<Target>,
    /// The account of the emulated instance (the world's); `None` for a relay.
    pub(crate) instance_account: Option<String>,
}

/// The request body.
#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
struct CheckBody {
    /// The configuration prototype, as create would get it.
    request: serde_json::Value,
    /// The instance; this server's when absent.
    #[serde(default)]
    target: Option<Target>,
}

/// The 200 answer.
#[derive(Debug, Serialize)]
pub(crate) struct CheckAnswer {
    prerequisites: Vec<Prerequisite>,
    findings: Vec<Finding>,
}

fn invalid(message: impl Into<String>) -> Failure {
    Failure::new(StatusCode::BAD_REQUEST, "invalid_body", message)
}

/// The handler.
pub(crate) async fn check(
    State(route): State<Arc<CheckRoute>>,
    headers: HeaderMap,
    body: Body,
) -> Result<Json<CheckAnswer>, Failure> {
    body::require_content_type(&headers, JSON)?;
    let bytes = body::read(&headers, body).await?;
    let body: CheckBody = serde_json::from_slice(&bytes).map_err(|e| {
        invalid(format!(
            "the body is not a check request ({{\"request\": {{…}}, \"target\": {{…}}}}): {e}"
        ))
    })?;
    if !body.request.is_object() {
        return Err(invalid("request must be a json object").at("field", "request"));
    }
    let target = match (body.target, &route.instance) {
        (None, Some(own)) => own.clone(),
        (None, None) => {
            return Err(invalid(
                "this server relays to a url that names no instance: give the target",
            )
            .at("field", "target"));
        }
        (Some(t), Some(own))
            if t.instance_id != own.instance_id
                || t.region != own.region
                || t.endpoint != own.endpoint =>
        {
            // The facts come from this server's instance: a check of another one would answer
            // for the wrong instance.
            return Err(invalid(format!(
                "this server reads instance {} in {} ({}), not {} in {} ({})",
                quoted(&own.instance_id),
                quoted(&own.region),
                own.endpoint.as_str(),
                quoted(&t.instance_id),
                quoted(&t.region),
                t.endpoint.as_str()
            ))
            .at("field", "target"));
        }
        (Some(t), _) => t,
    };
    let parsed = sm_config::validate_value(&body.request, Some(&target));
    let Some(request) = parsed.request else {
        return Err(invalid("request must be a json object").at("field", "request"));
    };
    let token = match crate::bearer::token(&headers) {
        Ok(token) => Some(Secret::new(token)),
        Err(_) if route.emulator => Some(Secret::new(crate::facts::EMULATOR_TOKEN)),
        // A relay without the page's token uses its own credential (or answers 401, which
        // becomes "could not check" for each fact).
        Err(_) => None,
    };
    let fetcher = Fetcher::through_server(
        route.client.clone(),
        &route.base,
        token,
        route.launch.clone(),
    );
    let needs = Needs::of(&request, &target);
    let mut facts = fetcher.facts(&needs, &target).await;
    if facts.instance_account.is_none() {
        facts.instance_account = route.instance_account.clone();
    }
    let list = checklist(&request, &target, &facts);
    let mut findings = parsed.report.into_findings();
    findings.extend(list.report.into_findings());
    Ok(Json(CheckAnswer {
        prerequisites: list.prerequisites,
        findings,
    }))
}
