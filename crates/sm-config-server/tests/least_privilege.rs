//! The relay grants no more than the console needs: the launch token when the server holds a
//! credential, and only the allow-listed routes, against an upstream and an IAM stand-in that
//! record every request they receive.

mod common;

use axum::Router;
use axum::extract::{Request, State};
use axum::response::{IntoResponse, Response};
use axum::routing::{any, post};
use common::{
    Answer, Api, assert_error_container, capture_logs, launch_token, logs, serve_stand_in as serve,
    start_with,
};
use serde_json::{Value, json};
use sm_config_server::{Config, Mode, RelayConfig, Running, Secret, ServeError};
use std::net::SocketAddr;
use std::sync::atomic::{AtomicUsize, Ordering};
use std::sync::{Arc, Mutex};

// ---- stand-ins that record what reaches them ----

/// One request as the upstream saw it.
#[derive(Debug, Clone, PartialEq, Eq)]
struct Seen {
    method: String,
    /// The path and query exactly as received.
    target: String,
    authorization: String,
    /// Every header name it carried.
    headers: Vec<String>,
}

#[derive(Default)]
struct Upstream {
    seen: Mutex<Vec<Seen>>,
}

impl Upstream {
    fn seen(&self) -> Vec<Seen> {
        self.seen.lock().unwrap().clone()
    }
}

async fn record(State(up): State<Arc<Upstream>>, request: Request) -> Response {
    let headers = request.headers();
    up.seen.lock().unwrap().push(Seen {
        method: request.method().to_string(),
        target: request
            .uri()
            .path_and_query()
            .map(|pq| pq.as_str().to_owned())
            .unwrap_or_default(),
        authorization: headers
            .get("authorization")
            .map(|v| v.to_str().unwrap().to_owned())
            .unwrap_or_default(),
        headers: headers.keys().map(|k| k.as_str().to_owned()).collect(),
    });
    axum::Json(json!({"configurations": [], "total_count": 0})).into_response()
}

struct Iam {
    calls: AtomicUsize,
    /// Every request to IAM other than a token exchange (the policy API), as received.
    other: Upstream,
}

async fn token(State(iam): State<Arc<Iam>>) -> Response {
    iam.calls.fetch_add(1, Ordering::SeqCst);
    axum::Json(json!({"access_token": "iam-token-of-the-server", "expires_in": 3600}))
        .into_response()
}

async fn iam_other(State(iam): State<Arc<Iam>>, request: Request) -> Response {
    let headers = request.headers();
    iam.other.seen.lock().unwrap().push(Seen {
        method: request.method().to_string(),
        target: request
            .uri()
            .path_and_query()
            .map(|pq| pq.as_str().to_owned())
            .unwrap_or_default(),
        authorization: headers
            .get("authorization")
            .map(|v| v.to_str().unwrap().to_owned())
            .unwrap_or_default(),
        headers: headers.keys().map(|k| k.as_str().to_owned()).collect(),
    });
    axum::Json(json!({"policies": []})).into_response()
}

struct Setup {
    upstream: Arc<Upstream>,
    iam: Arc<Iam>,
    upstream_addr: SocketAddr,
    iam_addr: SocketAddr,
}

async fn stand_ins() -> Setup {
    let upstream = Arc::new(Upstream::default());
    let upstream_addr = serve(
        Router::new()
            .route("/", any(record))
            .route("/{*rest}", any(record))
            .with_state(Arc::clone(&upstream)),
    )
    .await;
    let iam = Arc::new(Iam {
        calls: AtomicUsize::new(0),
        other: Upstream::default(),
    });
    let iam_addr = serve(
        Router::new()
            .route("/identity/token", post(token))
            .fallback(iam_other)
            .with_state(Arc::clone(&iam)),
    )
    .await;
    Setup {
        upstream,
        iam,
        upstream_addr,
        iam_addr,
    }
}

fn relay_config(setup: &Setup, api_key: Option<&str>) -> Config {
    Config {
        listen: "127.0.0.1:0".parse().unwrap(),
        mode: Mode::Relay(RelayConfig {
            upstream: format!("http://{}", setup.upstream_addr),
            target: None,
            api_key: api_key.map(Secret::new),
            iam_url: format!("http://{}", setup.iam_addr),
            code_engine_url: None,
        }),
        ..Config::default()
    }
}

/// [`relay_config`] with Code Engine at the upstream stand-in's `/ce/{region}`, so that every
/// prerequisite route has a stand-in that records it.
fn relay_config_with_prereqs(setup: &Setup, api_key: Option<&str>) -> Config {
    let mut config = relay_config(setup, api_key);
    if let Mode::Relay(relay) = &mut config.mode {
        relay.code_engine_url = Some(format!("http://{}/ce/{{region}}", setup.upstream_addr));
    }
    config
}

/// Nothing reached any stand-in: not the instance, not Code Engine, not IAM.
#[track_caller]
fn assert_nothing_forwarded(setup: &Setup, what: &str) {
    assert!(
        setup.upstream.seen().is_empty(),
        "{what}: reached the instance or code engine: {:?}",
        setup.upstream.seen()
    );
    assert!(
        setup.iam.other.seen().is_empty(),
        "{what}: reached iam: {:?}",
        setup.iam.other.seen()
    );
    assert_eq!(
        setup.iam.calls.load(Ordering::SeqCst),
        0,
        "{what}: iam token exchange"
    );
}

/// Every prerequisite route of the table, as (method, path, body), with a body it accepts.
fn prerequisite_routes() -> Vec<(&'static str, &'static str, Option<Value>)> {
    vec![
        ("GET", "/api/v2/secrets?secret_types=iam_credentials", None),
        (
            "POST",
            "/api/v2/secrets",
            Some(json!({"secret_type": "iam_credentials", "name": "k"})),
        ),
        (
            "GET",
            "/api/v2/secrets/0b5571f7-21e6-42b7-91c5-3f5ac9793a46/metadata",
            None,
        ),
        ("GET", "/api/v2/secret_groups", None),
        ("GET", "/codeengine/us-south/v2/projects?limit=5", None),
        ("GET", "/codeengine/us-south/v2/projects/p1", None),
        ("GET", "/codeengine/us-south/v2/projects/p1/jobs", None),
        ("GET", "/codeengine/eu-de/v2/projects/p1/jobs/my-job", None),
        (
            "GET",
            "/iam/v1/policies?account_id=a1&type=authorization",
            None,
        ),
        (
            "POST",
            "/iam/v1/policies",
            Some(json!({"type": "authorization", "roles": []})),
        ),
    ]
}

fn request(api: &Api, method: &str, path: &str, body: Option<&Value>) -> reqwest::RequestBuilder {
    let mut r = api.client.request(method.parse().unwrap(), api.url(path));
    if let Some(body) = body {
        r = r
            .header("content-type", "application/json")
            .body(body.to_string());
    }
    r
}

/// A request written by hand on a socket, so paths reach the server byte for byte (an HTTP
/// client would resolve `..` itself).
async fn raw(server: &Running, method: &str, path: &str, headers: &[(&str, &str)]) -> Answer {
    use tokio::io::{AsyncReadExt, AsyncWriteExt};
    let addr = server.addr().to_string();
    let mut stream = tokio::net::TcpStream::connect(&addr).await.unwrap();
    let mut request = format!("{method} {path} HTTP/1.1\r\nHost: {addr}\r\nConnection: close\r\n");
    for (name, value) in headers {
        request.push_str(&format!("{name}: {value}\r\n"));
    }
    request.push_str("Content-Length: 0\r\n\r\n");
    stream.write_all(request.as_bytes()).await.unwrap();
    let mut answer = Vec::new();
    stream.read_to_end(&mut answer).await.unwrap();
    let answer = String::from_utf8_lossy(&answer).into_owned();
    let status = answer[9..12].parse().unwrap();
    let (head, body) = answer.split_once("\r\n\r\n").unwrap();
    let mut map = reqwest::header::HeaderMap::new();
    for line in head.lines().skip(1) {
        let (name, value) = line.split_once(": ").unwrap();
        map.append(
            reqwest::header::HeaderName::from_bytes(name.as_bytes()).unwrap(),
            value.parse().unwrap(),
        );
    }
    Answer {
        status,
        body: serde_json::from_str(body).unwrap_or(Value::String(body.to_owned())),
        headers: map,
    }
}

#[track_caller]
fn assert_refused(answer: &Answer, status: u16, code: &str) {
    assert_eq!(answer.status, status, "{}", answer.body);
    assert_error_container(&answer.body, status);
    assert_eq!(answer.codes(), [code], "{}", answer.body);
}

#[tokio::test]
async fn without_the_launch_token_nothing_is_forwarded() {
    capture_logs(tracing::Level::INFO);
    let setup = stand_ins().await;
    let server = start_with(relay_config(&setup, Some("server-api-key-LP1"))).await;
    assert!(server.needs_launch_token());
    let token = launch_token(&server).expect("a launch token");
    assert_eq!(token.len(), 64, "256 bits as hex");
    assert!(token.bytes().all(|b| b.is_ascii_hexdigit()));
    assert_eq!(
        server.console_url(),
        format!("{}/#token={token}", server.url())
    );
    let mut wrong = token.clone().into_bytes();
    wrong[10] = if wrong[10] == b'a' { b'b' } else { b'a' };
    let wrong = String::from_utf8(wrong).unwrap();
    assert_eq!(wrong.len(), token.len());

    let bare = Api::without_launch_token(&server);
    let c = &bare.client;
    let attempts = [
        c.get(bare.url("/api/v2/configurations")),
        c.post(bare.url("/api/v2/configurations"))
            .header("content-type", "application/json")
            .body("{}"),
        c.delete(bare.url("/api/v2/configurations/x")),
        c.get(bare.url("/api/v2/secrets/0b5571f7-21e6-42b7-91c5-3f5ac9793a46")),
        c.delete(bare.url("/api/v2/secrets/0b5571f7-21e6-42b7-91c5-3f5ac9793a46")),
        c.get(bare.url("/api/v1/anything")),
        // The page's own bearer token does not stand in for the launch token.
        c.get(bare.url("/api/v2/configurations"))
            .bearer_auth("someone-elses-iam-token"),
    ];
    for attempt in attempts {
        let answer = bare.send(attempt).await;
        assert_refused(&answer, 401, "missing_launch_token");
        assert_eq!(answer.targets(), ["X-SM-Config-Token"]);
        assert_eq!(
            answer.headers["www-authenticate"],
            r#"SM-Config-Token header="X-SM-Config-Token""#
        );
    }
    for value in [
        wrong.as_str(),
        "",
        &token[..63],
        &format!("{token}0"),
        &token.to_uppercase(),
    ] {
        let answer = bare
            .send(
                c.get(bare.url("/api/v2/configurations"))
                    .header("X-SM-Config-Token", value),
            )
            .await;
        assert_refused(&answer, 401, "invalid_launch_token");
    }
    let dotted = raw(&server, "GET", "/api/v2/configurations/../secrets/x", &[]).await;
    assert_refused(&dotted, 401, "missing_launch_token");
    assert!(
        setup.upstream.seen().is_empty(),
        "{:?}",
        setup.upstream.seen()
    );
    assert_eq!(setup.iam.calls.load(Ordering::SeqCst), 0, "no iam exchange");

    // The status tells the page a token is needed, and nothing about the instance.
    let status = bare.get("/sm-config/status").await;
    assert_eq!(status.status, 200);
    assert_eq!(
        status.body,
        json!({"mode": "relay", "instance_id": null, "region": null, "endpoint": null,
               "credentials": true, "launch_token": true, "authorized": false})
    );
    let wrong_status = bare
        .send(
            c.get(bare.url("/sm-config/status"))
                .header("X-SM-Config-Token", &wrong),
        )
        .await;
    assert_eq!(wrong_status.body["authorized"], false);

    // With the token: forwarded, with the server's IAM token and without the launch token.
    let api = Api::new(&server);
    let status = api.get("/sm-config/status").await;
    assert_eq!(status.body["authorized"], true);
    assert_eq!(status.body["launch_token"], true);
    assert_eq!(
        status.body["upstream"],
        format!("http://{}", setup.upstream_addr)
    );
    let list = api
        .send(api.client.get(api.url("/api/v2/configurations?limit=5")))
        .await;
    assert_eq!(list.status, 200, "{}", list.body);
    let seen = setup.upstream.seen();
    assert_eq!(seen.len(), 1);
    assert_eq!(seen[0].method, "GET");
    assert_eq!(seen[0].target, "/api/v2/configurations?limit=5");
    assert_eq!(seen[0].authorization, "Bearer iam-token-of-the-server");
    assert!(
        !seen[0].headers.iter().any(|h| h == "x-sm-config-token"),
        "{:?}",
        seen[0].headers
    );

    // Refusals are logged at info with method, path and reason, never a header value.
    let logs = logs();
    let refused: Vec<&str> = logs
        .lines()
        .filter(|l| l.contains("request refused"))
        .collect();
    assert!(
        refused.iter().any(|l| l.contains(" INFO ")
            && l.contains("method=DELETE")
            && l.contains("/api/v2/secrets/0b5571f7-21e6-42b7-91c5-3f5ac9793a46")
            && l.contains("no launch token")),
        "{logs}"
    );
    assert!(
        refused.iter().any(|l| l.contains("wrong launch token")),
        "{logs}"
    );
    for secret in [
        token.as_str(),
        wrong.as_str(),
        "someone-elses-iam-token",
        "server-api-key-LP1",
        "iam-token-of-the-server",
    ] {
        assert!(!logs.contains(secret), "{secret} in the logs");
    }
    server.shutdown().await.unwrap();
}

#[tokio::test]
async fn the_relay_forwards_only_the_allow_list() {
    capture_logs(tracing::Level::INFO);
    let setup = stand_ins().await;
    let server = start_with(relay_config(&setup, Some("server-api-key-LP2"))).await;
    let token = launch_token(&server).unwrap();
    let with_token = [("X-SM-Config-Token", token.as_str())];
    let secret = "/api/v2/secrets/0b5571f7-21e6-42b7-91c5-3f5ac9793a46";

    let refusals = [
        // Secret payloads, versions, deletes: not what sm-config uses.
        ("GET", secret.to_owned(), 404, "route_not_relayed"),
        ("DELETE", secret.to_owned(), 404, "route_not_relayed"),
        (
            "GET",
            format!("{secret}/versions"),
            404,
            "route_not_relayed",
        ),
        (
            "GET",
            format!("{secret}/versions/current"),
            404,
            "route_not_relayed",
        ),
        // The secret list and the groups are prerequisite rows now (metadata only: below);
        // a secret create passes only with an iam_credentials body, and this one is empty.
        ("POST", "/api/v2/secrets".to_owned(), 400, "invalid_body"),
        (
            "DELETE",
            "/api/v2/secrets".to_owned(),
            405,
            "method_not_relayed",
        ),
        (
            "PUT",
            "/api/v2/configurations/x".to_owned(),
            405,
            "method_not_relayed",
        ),
        (
            "DELETE",
            "/api/v2/configurations".to_owned(),
            405,
            "method_not_relayed",
        ),
        (
            "OPTIONS",
            "/api/v2/configurations".to_owned(),
            405,
            "method_not_relayed",
        ),
        // Encoded and dotted variants of allowed paths.
        (
            "GET",
            "/api/v2/configurations/../secrets/x".to_owned(),
            404,
            "invalid_path",
        ),
        (
            "GET",
            "/api/v2/configurations/%2e%2e/secrets/x".to_owned(),
            404,
            "invalid_path",
        ),
        (
            "GET",
            "/api/v2/configurations/%2E%2E/%2e%2e/secrets/x".to_owned(),
            404,
            "invalid_path",
        ),
        (
            "DELETE",
            "/api/v2/configurations/..".to_owned(),
            404,
            "invalid_path",
        ),
        (
            "GET",
            "/api/v2/configurations/./x".to_owned(),
            404,
            "invalid_path",
        ),
        (
            "GET",
            "/api/v2//configurations".to_owned(),
            404,
            "invalid_path",
        ),
        (
            "GET",
            "/api/v2/configurations%2f..%2fsecrets%2fx".to_owned(),
            404,
            "invalid_path",
        ),
        (
            "GET",
            "/api/v2/configurations/x%2F..%2F..%2Fsecrets".to_owned(),
            404,
            "invalid_path",
        ),
        (
            "GET",
            "/api/v2/configurations/%252e%252e".to_owned(),
            404,
            "invalid_path",
        ),
        (
            "GET",
            "/api/v2/configurations/".to_owned(),
            404,
            "invalid_path",
        ),
        // Outside /api/v2/ altogether.
        ("GET", "/api/v1/configurations".to_owned(), 404, "not_found"),
        ("GET", "/api/v2".to_owned(), 404, "not_found"),
    ];
    for (method, path, status, code) in &refusals {
        let answer = raw(&server, method, path, &with_token).await;
        assert_refused(&answer, *status, code);
        if *status == 405 {
            let allow = answer.headers["allow"].to_str().unwrap();
            assert!(allow.contains("GET"), "{method} {path}: Allow {allow}");
            assert!(!allow.contains(method), "{method} {path}: Allow {allow}");
        }
    }
    // Not an API path: the console's files (none here), never the upstream.
    let doubled = raw(&server, "GET", "//api/v2/configurations", &with_token).await;
    assert_eq!(doubled.status, 404);
    assert!(
        setup.upstream.seen().is_empty(),
        "refused requests reached the upstream: {:?}",
        setup.upstream.seen()
    );
    assert_eq!(setup.iam.calls.load(Ordering::SeqCst), 0);

    // What the console uses goes through, to exactly the path that was matched.
    let allowed = [
        ("GET", "/api/v2/configurations?offset=0&limit=10&search=ab"),
        ("POST", "/api/v2/configurations"),
        ("GET", "/api/v2/configurations/my_config-1.v2"),
        ("PATCH", "/api/v2/configurations/my_config-1.v2"),
        ("DELETE", "/api/v2/configurations/my_config-1.v2"),
        ("GET", "/api/v2/configurations/%61bc"),
        ("GET", "/api/v2/secrets?secret_types=iam_credentials"),
        ("GET", "/api/v2/secret_groups"),
    ];
    for (method, path) in allowed {
        let answer = raw(&server, method, path, &with_token).await;
        assert_eq!(answer.status, 200, "{method} {path}: {}", answer.body);
    }
    let seen: Vec<(String, String)> = setup
        .upstream
        .seen()
        .into_iter()
        .map(|s| (s.method, s.target))
        .collect();
    assert_eq!(
        seen,
        [
            ("GET", "/api/v2/configurations?offset=0&limit=10&search=ab"),
            ("POST", "/api/v2/configurations"),
            ("GET", "/api/v2/configurations/my_config-1.v2"),
            ("PATCH", "/api/v2/configurations/my_config-1.v2"),
            ("DELETE", "/api/v2/configurations/my_config-1.v2"),
            ("GET", "/api/v2/configurations/abc"),
            ("GET", "/api/v2/secrets?secret_types=iam_credentials"),
            ("GET", "/api/v2/secret_groups"),
        ]
        .map(|(m, t)| (m.to_owned(), t.to_owned()))
    );

    let logs = logs();
    assert!(
        logs.lines().any(|l| l.contains("request refused")
            && l.contains("method=PUT")
            && l.contains("/api/v2/configurations/x")
            && l.contains("method not on the allow-list")),
        "{logs}"
    );
    assert!(
        logs.lines()
            .any(|l| l.contains("request refused") && l.contains("dot segment")),
        "{logs}"
    );
    assert!(!logs.contains(&token), "the launch token in the logs");
    server.shutdown().await.unwrap();
}

#[tokio::test]
async fn the_allow_list_holds_without_a_server_credential() {
    capture_logs(tracing::Level::INFO);
    let setup = stand_ins().await;
    let server = start_with(relay_config(&setup, None)).await;
    assert!(!server.needs_launch_token());
    assert_eq!(server.console_url(), server.url(), "no token, plain url");
    let page = [("Authorization", "Bearer page-own-token")];
    let payload = raw(
        &server,
        "GET",
        "/api/v2/secrets/0b5571f7-21e6-42b7-91c5-3f5ac9793a46",
        &page,
    )
    .await;
    assert_refused(&payload, 404, "route_not_relayed");
    let dotted = raw(
        &server,
        "GET",
        "/api/v2/configurations/%2e%2e/secrets",
        &page,
    )
    .await;
    assert_refused(&dotted, 404, "invalid_path");
    assert!(setup.upstream.seen().is_empty());
    // The console's routes need no launch token here: the page brings its own IBM token.
    let list = raw(&server, "GET", "/api/v2/configurations", &page).await;
    assert_eq!(list.status, 200);
    assert_eq!(
        setup.upstream.seen()[0].authorization,
        "Bearer page-own-token"
    );
    let status = Api::new(&server).get("/sm-config/status").await;
    assert_eq!(status.body["launch_token"], false);
    assert_eq!(status.body["authorized"], true);
    server.shutdown().await.unwrap();
}

#[tokio::test]
async fn the_emulator_needs_no_launch_token_and_is_unchanged() {
    let server = common::emulator().await;
    assert!(!server.needs_launch_token());
    assert_eq!(server.console_url(), server.url());
    let api = Api::new(&server);
    let created = api.create(&common::body("plain", "job-plain")).await;
    assert_eq!(created.status, 201, "{}", created.body);
    assert_eq!(api.names().await, ["plain"]);
    let status = api.get("/sm-config/status").await;
    assert_eq!(status.body["launch_token"], false);
    assert_eq!(status.body["authorized"], true);
    assert_eq!(status.body["region"], "us-south");
    server.shutdown().await.unwrap();
}

#[cfg(unix)]
#[tokio::test]
async fn the_token_file_is_private_works_and_goes_with_the_server() {
    use std::os::unix::fs::PermissionsExt;
    capture_logs(tracing::Level::INFO);
    let setup = stand_ins().await;
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("sm-config.token");
    let server = start_with(Config {
        token_file: Some(path.clone()),
        ..relay_config(&setup, Some("server-api-key-LP3"))
    })
    .await;
    let mode = std::fs::metadata(&path).unwrap().permissions().mode();
    assert_eq!(mode & 0o777, 0o600, "mode {mode:o}");
    let written = std::fs::read_to_string(&path).unwrap();
    assert_eq!(Some(written.trim_end().to_owned()), launch_token(&server));
    let script = Api::without_launch_token(&server);
    let list = script
        .send(
            script
                .client
                .get(script.url("/api/v2/configurations"))
                .header("X-SM-Config-Token", written.trim_end()),
        )
        .await;
    assert_eq!(list.status, 200, "{}", list.body);
    server.shutdown().await.unwrap();
    assert!(!path.exists(), "the token file outlived the server");

    // No launch token to write: refused at start, nothing written.
    let emulator_with_file = sm_config_server::start(Config {
        listen: "127.0.0.1:0".parse().unwrap(),
        token_file: Some(path.clone()),
        ..Config::default()
    })
    .await;
    assert!(matches!(
        emulator_with_file,
        Err(ServeError::TokenFileUnused)
    ));
    assert!(!path.exists());
    // An unwritable place: a clear error, no server.
    let nowhere = sm_config_server::start(Config {
        token_file: Some(dir.path().join("missing-dir").join("t")),
        ..relay_config(&setup, Some("server-api-key-LP3"))
    })
    .await;
    let err = nowhere.expect_err("unwritable token file");
    assert!(err.to_string().starts_with("token file "), "{err}");
}

#[tokio::test]
async fn prerequisite_routes_need_the_launch_token() {
    capture_logs(tracing::Level::INFO);
    let setup = stand_ins().await;
    let server = start_with(relay_config_with_prereqs(
        &setup,
        Some("server-api-key-LP4"),
    ))
    .await;
    let token = launch_token(&server).expect("a launch token");
    let mut wrong = token.clone().into_bytes();
    wrong[0] = if wrong[0] == b'a' { b'b' } else { b'a' };
    let wrong = String::from_utf8(wrong).unwrap();
    let bare = Api::without_launch_token(&server);
    for (method, path, body) in prerequisite_routes() {
        let missing = bare.send(request(&bare, method, path, body.as_ref())).await;
        assert_refused(&missing, 401, "missing_launch_token");
        // The page's own IBM token does not stand in for the launch token either.
        let page = bare
            .send(request(&bare, method, path, body.as_ref()).bearer_auth("page-iam-token"))
            .await;
        assert_refused(&page, 401, "missing_launch_token");
        let wrong = bare
            .send(request(&bare, method, path, body.as_ref()).header("X-SM-Config-Token", &wrong))
            .await;
        assert_refused(&wrong, 401, "invalid_launch_token");
    }
    // The check route reads through the same routes with the same credential: it is behind
    // the token as well.
    // So is the secret form's route (it reads nothing, but it is the API's).
    let check = json!({"request": {}, "target": {"instance_id": "b49ad24d-81d4-5ebc-b9b9-b0937d1c84d5", "region": "us-south"}});
    let secret_fix = json!({"settings": {"name": "n1", "secret_group_id": "default", "ttl": "1d", "rotation": {"auto_rotate": true}}});
    for (path, body, (headers, code)) in [
        (sm_config_server::CHECK_PATH, &check),
        (sm_config_server::SECRET_FIX_PATH, &secret_fix),
    ]
    .into_iter()
    .flat_map(|(path, body)| {
        [
            (vec![], "missing_launch_token"),
            (
                vec![("authorization", "Bearer page-iam-token")],
                "missing_launch_token",
            ),
            (
                vec![("x-sm-config-token", wrong.as_str())],
                "invalid_launch_token",
            ),
        ]
        .into_iter()
        .map(move |h| (path, body, h))
    }) {
        let mut r = request(&bare, "POST", path, Some(body));
        for (k, v) in headers {
            r = r.header(k, v);
        }
        assert_refused(&bare.send(r).await, 401, code);
    }
    // Paths under the new prefixes that are not routes at all are behind the token too.
    for path in [
        "/codeengine/us-south/v2/projects/x/apps",
        "/iam/identity/token",
    ] {
        let answer = raw(&server, "GET", path, &[]).await;
        assert_refused(&answer, 401, "missing_launch_token");
    }
    assert_nothing_forwarded(&setup, "without the launch token");
    let logs = logs();
    assert!(
        logs.lines().any(|l| l.contains("request refused")
            && l.contains("method=POST")
            && l.contains("/iam/v1/policies")
            && l.contains("no launch token")),
        "{logs}"
    );

    // With it, each reaches its own stand-in with the server's IAM token.
    let api = Api::new(&server);
    for (method, path, body) in prerequisite_routes() {
        let answer = api.send(request(&api, method, path, body.as_ref())).await;
        assert_eq!(answer.status, 200, "{method} {path}: {}", answer.body);
    }
    let targets = |seen: Vec<Seen>| -> Vec<(String, String, String)> {
        seen.into_iter()
            .map(|s| (s.method, s.target, s.authorization))
            .collect()
    };
    let server_token = "Bearer iam-token-of-the-server";
    let expected = |rows: &[(&str, &str)]| -> Vec<(String, String, String)> {
        rows.iter()
            .map(|(m, t)| ((*m).to_owned(), (*t).to_owned(), server_token.to_owned()))
            .collect()
    };
    assert_eq!(
        targets(setup.upstream.seen()),
        expected(&[
            ("GET", "/api/v2/secrets?secret_types=iam_credentials"),
            ("POST", "/api/v2/secrets"),
            (
                "GET",
                "/api/v2/secrets/0b5571f7-21e6-42b7-91c5-3f5ac9793a46/metadata"
            ),
            ("GET", "/api/v2/secret_groups"),
            ("GET", "/ce/us-south/v2/projects?limit=5"),
            ("GET", "/ce/us-south/v2/projects/p1"),
            ("GET", "/ce/us-south/v2/projects/p1/jobs"),
            ("GET", "/ce/eu-de/v2/projects/p1/jobs/my-job"),
        ])
    );
    assert_eq!(
        targets(setup.iam.other.seen()),
        expected(&[
            ("GET", "/v1/policies?account_id=a1&type=authorization"),
            ("POST", "/v1/policies"),
        ])
    );
    for seen in setup.upstream.seen().iter().chain(&setup.iam.other.seen()) {
        assert!(
            !seen.headers.iter().any(|h| h == "x-sm-config-token"),
            "the launch token went upstream: {seen:?}"
        );
    }
    assert!(!logs.contains(&token), "the launch token in the logs");
    server.shutdown().await.unwrap();
}

#[tokio::test]
async fn nothing_outside_the_table_reaches_code_engine_iam_or_the_instance() {
    capture_logs(tracing::Level::INFO);
    let setup = stand_ins().await;
    let server = start_with(relay_config_with_prereqs(
        &setup,
        Some("server-api-key-LP5"),
    ))
    .await;
    let token = launch_token(&server).unwrap();
    let with_token = [("X-SM-Config-Token", token.as_str())];
    let secret = "/api/v2/secrets/0b5571f7-21e6-42b7-91c5-3f5ac9793a46";
    let policy = "/iam/v1/policies/2a3b4c5d-6e7f-4a8b-9c0d-1e2f3a4b5c6d";
    let refusals = [
        // Code Engine: only reads of projects and jobs, in a region the core knows.
        (
            "GET",
            "/codeengine/us-south/v2/projects/x/apps".to_owned(),
            404,
            "route_not_relayed",
        ),
        (
            "GET",
            "/codeengine/us-south/v2/projects/x/builds".to_owned(),
            404,
            "route_not_relayed",
        ),
        (
            "GET",
            "/codeengine/us-south/v2/projects/x/secrets".to_owned(),
            404,
            "route_not_relayed",
        ),
        (
            "GET",
            "/codeengine/us-south/v2/projects/x/jobs/j/runs".to_owned(),
            404,
            "route_not_relayed",
        ),
        (
            "DELETE",
            "/codeengine/us-south/v2/projects/x".to_owned(),
            405,
            "method_not_relayed",
        ),
        (
            "PATCH",
            "/codeengine/us-south/v2/projects/x/jobs/j".to_owned(),
            405,
            "method_not_relayed",
        ),
        (
            "POST",
            "/codeengine/us-south/v2/projects".to_owned(),
            405,
            "method_not_relayed",
        ),
        (
            "GET",
            "/codeengine/mars/v2/projects".to_owned(),
            404,
            "route_not_relayed",
        ),
        (
            "GET",
            "/codeengine/evil.example/v2/projects".to_owned(),
            404,
            "route_not_relayed",
        ),
        (
            "GET",
            "/codeengine/evil.example%2f/v2/projects".to_owned(),
            404,
            "invalid_path",
        ),
        (
            "GET",
            "/codeengine/us-south/v2/projects/x/../../../../api/v2/secrets/y".to_owned(),
            404,
            "invalid_path",
        ),
        (
            "GET",
            "/codeengine/us-south/v2/projects/%2e%2e/jobs".to_owned(),
            404,
            "invalid_path",
        ),
        (
            "GET",
            "/codeengine/us-south//v2/projects".to_owned(),
            404,
            "invalid_path",
        ),
        (
            "GET",
            "/codeengine/us-south/v2/projects/a%2Fb/jobs".to_owned(),
            404,
            "invalid_path",
        ),
        // IAM: only the policy list and authorization creates; no delete, no other API.
        ("DELETE", policy.to_owned(), 404, "route_not_relayed"),
        ("GET", policy.to_owned(), 404, "route_not_relayed"),
        ("PUT", policy.to_owned(), 404, "route_not_relayed"),
        (
            "DELETE",
            "/iam/v1/policies".to_owned(),
            405,
            "method_not_relayed",
        ),
        (
            "POST",
            "/iam/identity/token".to_owned(),
            404,
            "route_not_relayed",
        ),
        (
            "GET",
            "/iam/v1/serviceids".to_owned(),
            404,
            "route_not_relayed",
        ),
        (
            "GET",
            "/iam/v2/policies".to_owned(),
            404,
            "route_not_relayed",
        ),
        ("GET", "/iam/v1/policies/..".to_owned(), 404, "invalid_path"),
        (
            "GET",
            "/iam/v1/policies%2f..%2f..%2fidentity%2ftoken".to_owned(),
            404,
            "invalid_path",
        ),
        // The instance: never a secret itself, its versions, or a change to it.
        ("GET", secret.to_owned(), 404, "route_not_relayed"),
        ("DELETE", secret.to_owned(), 404, "route_not_relayed"),
        (
            "GET",
            format!("{secret}/versions"),
            404,
            "route_not_relayed",
        ),
        (
            "GET",
            format!("{secret}/versions/current"),
            404,
            "route_not_relayed",
        ),
        (
            "PATCH",
            format!("{secret}/metadata"),
            405,
            "method_not_relayed",
        ),
        (
            "GET",
            format!(
                "{secret}/metadata/../../{}",
                "0b5571f7-21e6-42b7-91c5-3f5ac9793a46"
            ),
            404,
            "invalid_path",
        ),
        (
            "GET",
            "/api/v2/secrets/0b5571f7-21e6-42b7-91c5-3f5ac9793a46%2fmetadata".to_owned(),
            404,
            "invalid_path",
        ),
        (
            "POST",
            "/api/v2/secret_groups".to_owned(),
            405,
            "method_not_relayed",
        ),
        (
            "GET",
            "/api/v2/secret_groups/g1".to_owned(),
            404,
            "route_not_relayed",
        ),
    ];
    for (method, path, status, code) in &refusals {
        let answer = raw(&server, method, path, &with_token).await;
        assert_eq!(answer.status, *status, "{method} {path}: {}", answer.body);
        assert_refused(&answer, *status, code);
        assert_nothing_forwarded(&setup, &format!("{method} {path}"));
    }
    // Creates of another kind than the console's: refused on their body.
    let api = Api::new(&server);
    for (path, body, reason) in [
        (
            "/api/v2/secrets",
            json!({"secret_type": "arbitrary", "name": "x", "payload": "p"}),
            "secret_type iam_credentials",
        ),
        (
            "/api/v2/secrets",
            json!({"secret_type": "imported_cert", "name": "x"}),
            "secret_type iam_credentials",
        ),
        (
            "/iam/v1/policies",
            json!({"type": "access", "subjects": [], "roles": [], "resources": []}),
            "type authorization",
        ),
    ] {
        let answer = api.send(request(&api, "POST", path, Some(&body))).await;
        assert_refused(&answer, 400, "invalid_body");
        let message = answer.body["errors"][0]["message"].as_str().unwrap();
        assert!(message.contains(reason), "{message}");
    }
    for (path, body) in [
        (
            "/api/v2/secrets",
            r#"{"secret_type":"arbitrary","secret_type":"iam_credentials"}"#,
        ),
        (
            "/api/v2/secrets",
            r#"{"secret_type":"iam_credentials","Secret_Type":"arbitrary"}"#,
        ),
        (
            "/iam/v1/policies",
            r#"{"type":"authorization","TYPE":"access"}"#,
        ),
    ] {
        let answer = api
            .send(
                api.client
                    .post(api.url(path))
                    .header("content-type", "application/json")
                    .body(body),
            )
            .await;
        assert_refused(&answer, 400, "invalid_body");
    }
    assert_nothing_forwarded(&setup, "refused creates");

    let logs = logs();
    assert!(
        logs.lines().any(|l| l.contains("request refused")
            && l.contains("method=DELETE")
            && l.contains(policy)
            && l.contains("route not on the allow-list")),
        "{logs}"
    );
    assert!(
        logs.lines().any(|l| l.contains("request refused")
            && l.contains("/iam/v1/policies")
            && l.contains("type authorization")),
        "{logs}"
    );
    server.shutdown().await.unwrap();
}
