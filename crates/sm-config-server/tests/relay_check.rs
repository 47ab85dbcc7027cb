//! `POST /sm-config/check` on a relay: the facts are read through the relay's own routes, so
//! they reach Code Engine, the instance and IAM with the page's bearer token when it sends one,
//! else the relay's credential; only the reads the check needs are sent; and the route is
//! behind the launch token like every route that uses the credential.

mod common;

use axum::Router;
use axum::extract::{Request, State};
use axum::response::{IntoResponse, Response};
use axum::routing::any;
use common::{Answer, Api};
use serde_json::json;
use sm_config_server::{CHECK_PATH, Running};
use std::sync::{Arc, Mutex};

const INSTANCE: &str = "b49ad24d-81d4-5ebc-b9b9-b0937d1c84d5";
const ACCOUNT: &str = "4329073d16d2f3663f74bfa955259139";
const PROJECT: &str = "4e49b3e0-27a8-48d2-a784-c7ee48bb863b";
const SECRET: &str = "a2f9c2e4-a3a8-c508-2bed-fcb7c26843ca";

/// What the stand-in upstreams saw: path and query, and the authorization header.
#[derive(Default)]
struct Seen(Mutex<Vec<(String, String)>>);

/// IAM's token endpoint, and the four reads of a check, answered as the services would.
async fn upstream(State(seen): State<Arc<Seen>>, request: Request) -> Response {
    let path = request.uri().path().to_owned();
    if path == "/iamhost/identity/token" {
        return axum::Json(json!({"access_token": "server-iam-token", "expires_in": 3600}))
            .into_response();
    }
    let auth = request
        .headers()
        .get("authorization")
        .map(|v| v.to_str().unwrap().to_owned())
        .unwrap_or_default();
    let pq = request
        .uri()
        .path_and_query()
        .map(|p| p.as_str().to_owned())
        .unwrap_or_default();
    seen.0.lock().unwrap().push((pq, auth));
    let body = if path == format!("/ce/us-south/v2/projects/{PROJECT}") {
        json!({"id": PROJECT, "name": "p", "region": "us-south", "status": "active",
               "account_id": ACCOUNT, "resource_group_id": "5c49eabcf5e85881a37e2d100a33b3df"})
    } else if path == format!("/ce/us-south/v2/projects/{PROJECT}/jobs/my-provider") {
        json!({"name": "my-provider", "project_id": PROJECT, "run_env_variables": [
            {"type": "literal", "name": "SMIN_USERNAME", "value": "type:string, required:true"},
            {"type": "literal", "name": "SMOUT_TOKEN", "value": "type:string, required:true"}]})
    } else if path == format!("/instance/api/v2/secrets/{SECRET}/metadata") {
        json!({"id": SECRET, "secret_type": "iam_credentials", "state": 1,
               "crn": format!("crn:v1:bluemix:public:secrets-manager:us-south:a/{ACCOUNT}:{INSTANCE}:secret:{SECRET}"),
               "rotation": {"auto_rotate": true, "interval": 60, "unit": "day"}, "reuse_api_key": true})
    } else if path == "/instance/api/v2/configurations" {
        json!({"total_count": 0, "limit": 1000, "offset": 0, "configurations": []})
    } else if path == "/iamhost/v1/policies" {
        json!({"policies": []})
    } else {
        return (axum::http::StatusCode::NOT_FOUND, "not a stand-in route").into_response();
    };
    axum::Json(body).into_response()
}

async fn relay(api_key: Option<&str>) -> (Running, Arc<Seen>) {
    let seen = Arc::new(Seen::default());
    let app = Router::new()
        .route("/{*rest}", any(upstream))
        .with_state(Arc::clone(&seen));
    let server = common::relay_to_stand_in(common::serve_stand_in(app).await, api_key).await;
    (server, seen)
}

fn body() -> String {
    json!({
        "request": {
            "name": "my_config", "config_type": "custom_credentials_configuration",
            "api_key_ref": SECRET,
            "code_engine": {"job_name": "my-provider", "project_id": PROJECT, "region": "us-south"},
            "task_timeout": "10m"
        },
        "target": {"instance_id": INSTANCE, "region": "us-south", "endpoint": "public"}
    })
    .to_string()
}

async fn check(api: &Api, bearer: Option<&str>) -> Answer {
    let mut r = api
        .client
        .post(api.url(CHECK_PATH))
        .header("content-type", "application/json")
        .body(body());
    if let Some(b) = bearer {
        r = r.bearer_auth(b);
    }
    api.send(r).await
}

fn statuses(answer: &Answer) -> Vec<String> {
    answer.body["prerequisites"]
        .as_array()
        .unwrap_or_else(|| panic!("{}", answer.body))
        .iter()
        .map(|p| p["status"].as_str().unwrap().to_owned())
        .collect()
}

/// The reads of one check, in order, and nothing else.
fn expected_reads() -> Vec<String> {
    vec![
        format!("/ce/us-south/v2/projects/{PROJECT}"),
        format!("/ce/us-south/v2/projects/{PROJECT}/jobs/my-provider"),
        format!("/instance/api/v2/secrets/{SECRET}/metadata"),
        "/instance/api/v2/configurations?limit=1000&offset=0".to_owned(),
        format!(
            "/iamhost/v1/policies?account_id={ACCOUNT}&type=authorization&state=active&limit=100"
        ),
    ]
}

#[tokio::test]
async fn a_relay_reads_with_the_pages_bearer() {
    let (server, seen) = relay(None).await;
    let api = Api::new(&server);
    let answer = check(&api, Some("page-token")).await;
    assert_eq!(answer.status, 200, "{}", answer.body);
    // IAM listed no policy: the authorization cannot be told; everything else holds.
    assert_eq!(
        statuses(&answer),
        ["ok", "ok", "ok", "ok", "ok", "unknown"],
        "{}",
        answer.body
    );
    let seen = seen.0.lock().unwrap().clone();
    assert_eq!(
        seen.iter().map(|(p, _)| p.clone()).collect::<Vec<_>>(),
        expected_reads()
    );
    assert!(
        seen.iter().all(|(_, auth)| auth == "Bearer page-token"),
        "{seen:?}"
    );
}

#[tokio::test]
async fn a_relay_without_a_token_cannot_tell_and_says_why() {
    let (server, seen) = relay(None).await;
    let api = Api::new(&server);
    let answer = check(&api, None).await;
    assert_eq!(answer.status, 200, "{}", answer.body);
    assert_eq!(
        statuses(&answer),
        [
            "unknown", "unknown", "unknown", "unknown", "unknown", "unknown"
        ],
        "{}",
        answer.body
    );
    let reasons: Vec<&str> = answer.body["findings"]
        .as_array()
        .unwrap()
        .iter()
        .filter(|f| f["code"] == "fact_unavailable")
        .map(|f| f["message"].as_str().unwrap())
        .collect();
    assert!(!reasons.is_empty());
    for r in &reasons {
        assert!(r.contains("answered 401"), "{r}");
    }
    assert!(
        seen.0.lock().unwrap().is_empty(),
        "nothing reached upstream"
    );
}

#[tokio::test]
async fn a_relay_holding_a_key_checks_only_with_the_launch_token() {
    let (server, seen) = relay(Some("relay-key")).await;
    let refused = check(&Api::without_launch_token(&server), None).await;
    assert_eq!(refused.status, 401, "{}", refused.body);
    assert!(seen.0.lock().unwrap().is_empty());
    let answer = check(&Api::new(&server), None).await;
    assert_eq!(answer.status, 200, "{}", answer.body);
    assert_eq!(statuses(&answer), ["ok", "ok", "ok", "ok", "ok", "unknown"]);
    let seen = seen.0.lock().unwrap().clone();
    assert_eq!(
        seen.iter().map(|(p, _)| p.clone()).collect::<Vec<_>>(),
        expected_reads()
    );
    // The relay's own credential, which never left the server.
    assert!(
        seen.iter()
            .all(|(_, auth)| auth == "Bearer server-iam-token"),
        "{seen:?}"
    );
    assert!(!answer.body.to_string().contains("server-iam-token"));
}
