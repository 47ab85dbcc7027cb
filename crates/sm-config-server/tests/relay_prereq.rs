//! Relay mode for the prerequisite routes: each prefix reaches its own upstream (Code Engine of
//! the region, IAM, the instance) with the page's token or the server's IAM token, and nothing
//! outside the listed routes is forwarded.

mod common;

use axum::Router;
use axum::extract::{Request, State};
use axum::response::{IntoResponse, Response};
use axum::routing::any;
use common::{Answer, Api};
use serde_json::json;
use sm_config_server::Running;
use std::sync::{Arc, Mutex};

/// One request as a stand-in upstream saw it.
#[derive(Debug, Clone, PartialEq, Eq)]
struct Seen {
    method: String,
    path_and_query: String,
    authorization: String,
}

#[derive(Default)]
struct StandIn {
    seen: Mutex<Vec<Seen>>,
}

/// Answers `/iamhost/identity/token` with a token, and everything else with what it saw.
async fn stand_in(State(s): State<Arc<StandIn>>, request: Request) -> Response {
    let path = request.uri().path().to_owned();
    if path == "/iamhost/identity/token" {
        return axum::Json(json!({"access_token": "server-iam-token", "expires_in": 3600}))
            .into_response();
    }
    let seen = Seen {
        method: request.method().to_string(),
        path_and_query: request
            .uri()
            .path_and_query()
            .map(|p| p.as_str().to_owned())
            .unwrap_or_default(),
        authorization: request
            .headers()
            .get("authorization")
            .map(|v| v.to_str().unwrap().to_owned())
            .unwrap_or_default(),
    };
    s.seen.lock().unwrap().push(seen);
    axum::Json(json!({"upstream_saw": path})).into_response()
}

async fn relay() -> (Running, Arc<StandIn>) {
    let state = Arc::new(StandIn::default());
    let app = Router::new()
        .route("/{*rest}", any(stand_in))
        .with_state(Arc::clone(&state));
    let server =
        common::relay_to_stand_in(common::serve_stand_in(app).await, Some("relay-prereq-key"))
            .await;
    (server, state)
}

fn last(s: &StandIn) -> Seen {
    s.seen
        .lock()
        .unwrap()
        .last()
        .cloned()
        .expect("something was forwarded")
}

fn count(s: &StandIn) -> usize {
    s.seen.lock().unwrap().len()
}

async fn send(
    api: &Api,
    method: &str,
    path: &str,
    token: Option<&str>,
    body: Option<serde_json::Value>,
) -> Answer {
    let mut r = api.client.request(method.parse().unwrap(), api.url(path));
    if let Some(t) = token {
        r = r.bearer_auth(t);
    }
    if let Some(b) = body {
        r = r
            .header("content-type", "application/json")
            .body(b.to_string());
    }
    api.send(r).await
}

#[tokio::test]
async fn each_prefix_reaches_its_upstream_with_the_right_token() {
    let (server, seen) = relay().await;
    let api = Api::new(&server);
    let server_token = "Bearer server-iam-token";
    for (method, path, token, body, upstream_path, auth) in [
        (
            "GET",
            "/codeengine/eu-de/v2/projects?limit=5",
            None,
            None,
            "/ce/eu-de/v2/projects?limit=5",
            server_token,
        ),
        (
            "GET",
            "/codeengine/us-south/v2/projects/8c1e5f0a-3b2d-4e6f-9a7b-1c2d3e4f5a6b/jobs/my-job",
            Some("page-token"),
            None,
            "/ce/us-south/v2/projects/8c1e5f0a-3b2d-4e6f-9a7b-1c2d3e4f5a6b/jobs/my-job",
            "Bearer page-token",
        ),
        (
            "GET",
            "/iam/v1/policies?account_id=abc&type=authorization",
            None,
            None,
            "/iamhost/v1/policies?account_id=abc&type=authorization",
            server_token,
        ),
        (
            "POST",
            "/iam/v1/policies",
            None,
            Some(json!({"type": "authorization"})),
            "/iamhost/v1/policies",
            server_token,
        ),
        (
            "GET",
            "/api/v2/secrets?secret_types=iam_credentials",
            None,
            None,
            "/instance/api/v2/secrets?secret_types=iam_credentials",
            server_token,
        ),
        (
            "GET",
            "/api/v2/secrets/0b7e3c9a-5d1f-4e2a-8c6b-9d0e1f2a3b4c/metadata",
            None,
            None,
            "/instance/api/v2/secrets/0b7e3c9a-5d1f-4e2a-8c6b-9d0e1f2a3b4c/metadata",
            server_token,
        ),
        (
            "POST",
            "/api/v2/secrets",
            Some("page-token"),
            Some(json!({"secret_type": "iam_credentials", "name": "k"})),
            "/instance/api/v2/secrets",
            "Bearer page-token",
        ),
        (
            "GET",
            "/api/v2/secret_groups",
            None,
            None,
            "/instance/api/v2/secret_groups",
            server_token,
        ),
    ] {
        let answer = send(&api, method, path, token, body).await;
        assert_eq!(answer.status, 200, "{method} {path}: {}", answer.body);
        assert_eq!(
            last(&seen),
            Seen {
                method: method.to_owned(),
                path_and_query: upstream_path.to_owned(),
                authorization: auth.to_owned(),
            },
            "{method} {path}"
        );
    }
}

#[tokio::test]
async fn nothing_outside_the_list_is_forwarded() {
    let (server, seen) = relay().await;
    let api = Api::new(&server);
    // The codes are the relay's one allow-list's (`route_not_relayed`, `method_not_relayed`,
    // `invalid_path`), the same under every prefix: the relay refused, the upstream never
    // heard of it.
    for (method, path, body, status, code) in [
        // A secret's payload, and changes to secrets.
        (
            "GET",
            "/api/v2/secrets/0b7e3c9a-5d1f-4e2a-8c6b-9d0e1f2a3b4c",
            None,
            404,
            "route_not_relayed",
        ),
        (
            "DELETE",
            "/api/v2/secrets/0b7e3c9a-5d1f-4e2a-8c6b-9d0e1f2a3b4c",
            None,
            404,
            "route_not_relayed",
        ),
        (
            "GET",
            "/api/v2/secrets/0b7e3c9a-5d1f-4e2a-8c6b-9d0e1f2a3b4c/versions",
            None,
            404,
            "route_not_relayed",
        ),
        (
            "POST",
            "/api/v2/secrets",
            Some(json!({"secret_type": "arbitrary", "payload": "x"})),
            400,
            "invalid_body",
        ),
        (
            "POST",
            "/api/v2/secret_groups",
            Some(json!({"name": "g"})),
            405,
            "method_not_relayed",
        ),
        // IAM: only policies, only list and authorization creates.
        (
            "POST",
            "/iam/v1/policies",
            Some(json!({"type": "access"})),
            400,
            "invalid_body",
        ),
        (
            "DELETE",
            "/iam/v1/policies",
            None,
            405,
            "method_not_relayed",
        ),
        (
            "GET",
            "/iam/v1/policies/abc",
            None,
            404,
            "route_not_relayed",
        ),
        ("GET", "/iam/identity/token", None, 404, "route_not_relayed"),
        ("GET", "/iam/v1/serviceids", None, 404, "route_not_relayed"),
        // Code Engine: only reads of projects and jobs, in a real region, plain segments.
        (
            "GET",
            "/codeengine/mars/v2/projects",
            None,
            404,
            "route_not_relayed",
        ),
        (
            "GET",
            "/codeengine/eu-de/v2/apps",
            None,
            404,
            "route_not_relayed",
        ),
        (
            "GET",
            "/codeengine/eu-de/v2/projects/a%2Fb/jobs",
            None,
            404,
            "invalid_path",
        ),
        (
            "GET",
            "/codeengine/eu-de/v2/projects/../secrets",
            None,
            404,
            "route_not_relayed",
        ),
        (
            "DELETE",
            "/codeengine/eu-de/v2/projects/abc",
            None,
            405,
            "method_not_relayed",
        ),
        (
            "POST",
            "/codeengine/eu-de/v2/projects/abc/jobs",
            Some(json!({})),
            405,
            "method_not_relayed",
        ),
    ] {
        let answer = send(&api, method, path, Some("page-token"), body).await;
        assert_eq!(answer.status, status, "{method} {path}: {}", answer.body);
        assert_eq!(answer.codes(), [code], "{method} {path}");
        assert_eq!(count(&seen), 0, "{method} {path} was forwarded");
    }
    let delete = send(&api, "DELETE", "/iam/v1/policies", None, None).await;
    assert_eq!(delete.headers["allow"], "GET, POST");
}

#[tokio::test]
async fn a_relay_says_at_start_where_requests_go_and_with_what() {
    let (server, _) = relay().await;
    let summary = server.summary().join("\n");
    assert!(
        summary.starts_with("sm-config serve: relay to http://127.0.0.1:")
            && summary
                .ends_with("/instance: requests reach this instance, with the server's api key"),
        "{summary}"
    );
    assert!(!summary.contains("relay-prereq-key"), "{summary}");
}
