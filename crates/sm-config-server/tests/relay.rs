//! Relay mode against an emulator upstream and an IAM stand-in: token exchange, caching,
//! refresh, single flight, the page's own token, and no secret in any answer or log line.

mod common;

use axum::Router;
use axum::body::Body;
use axum::extract::{Request, State};
use axum::http::StatusCode;
use axum::response::{IntoResponse, Response};
use axum::routing::{any, post};
use common::{Api, body, capture_logs, emulator, logs, serve_stand_in as serve, start_with};
use serde_json::json;
use sm_config_server::{Config, Mode, RelayConfig, Running, Secret};
use std::net::SocketAddr;
use std::sync::atomic::{AtomicBool, AtomicUsize, Ordering};
use std::sync::{Arc, Mutex};
use std::time::Duration;

fn assert_nowhere(secrets: &[&str], answers: &[&common::Answer]) {
    let logs = logs();
    assert!(
        logs.contains("sm-config serve started"),
        "logs are captured"
    );
    for secret in secrets {
        assert!(!logs.contains(secret), "{secret} in the logs");
        for answer in answers {
            assert!(
                !answer.body.to_string().contains(secret),
                "{secret} in {}",
                answer.body
            );
            for value in answer.headers.values() {
                assert!(!String::from_utf8_lossy(value.as_bytes()).contains(secret));
            }
        }
    }
}

// ---- IAM stand-in ----

struct IamState {
    api_key: String,
    expires_in: u64,
    delay: Duration,
    calls: AtomicUsize,
}

async fn token(State(iam): State<Arc<IamState>>, request: Request) -> Response {
    let n = iam.calls.fetch_add(1, Ordering::SeqCst) + 1;
    tokio::time::sleep(iam.delay).await;
    let content_type = request.headers().get("content-type").cloned();
    assert_eq!(content_type.unwrap(), "application/x-www-form-urlencoded");
    let bytes = axum::body::to_bytes(request.into_body(), 4096)
        .await
        .unwrap();
    let form: Vec<(String, String)> = form_urlencoded::parse(&bytes).into_owned().collect();
    let grant = form
        .iter()
        .find(|(k, _)| k == "grant_type")
        .map(|(_, v)| v.as_str());
    assert_eq!(grant, Some("urn:ibm:params:oauth:grant-type:apikey"));
    let key = form
        .iter()
        .find(|(k, _)| k == "apikey")
        .map(|(_, v)| v.as_str());
    if key != Some(iam.api_key.as_str()) {
        return (
            StatusCode::BAD_REQUEST,
            axum::Json(json!({"errorCode": "BXNIM0415E", "errorMessage": "Provided API key could not be found."})),
        )
            .into_response();
    }
    axum::Json(json!({
        "access_token": format!("iam-access-token-{n}"),
        "refresh_token": "not-used",
        "token_type": "Bearer",
        "expires_in": iam.expires_in,
        "expiration": 0
    }))
    .into_response()
}

async fn iam(api_key: &str, expires_in: u64, delay: Duration) -> (SocketAddr, Arc<IamState>) {
    let state = Arc::new(IamState {
        api_key: api_key.to_owned(),
        expires_in,
        delay,
        calls: AtomicUsize::new(0),
    });
    let app = Router::new()
        .route("/identity/token", post(token))
        .with_state(Arc::clone(&state));
    (serve(app).await, state)
}

// ---- recording upstream: notes each Authorization header, then forwards to an emulator ----

struct Recorder {
    emulator: String,
    client: reqwest::Client,
    seen: Mutex<Vec<String>>,
    refuse_next: AtomicBool,
}

async fn record(State(rec): State<Arc<Recorder>>, request: Request) -> Response {
    let auth = request
        .headers()
        .get("authorization")
        .map(|v| v.to_str().unwrap().to_owned())
        .unwrap_or_default();
    rec.seen.lock().unwrap().push(auth.clone());
    if rec.refuse_next.swap(false, Ordering::SeqCst) {
        return (StatusCode::UNAUTHORIZED, axum::Json(json!({"errors": [{"code": "expired", "message": "token expired"}], "trace": "t", "status_code": 401}))).into_response();
    }
    let (parts, body) = request.into_parts();
    let bytes = axum::body::to_bytes(body, 1 << 20).await.unwrap();
    let url = format!("{}{}", rec.emulator, parts.uri.path_and_query().unwrap());
    let mut out = rec.client.request(parts.method, url).body(bytes);
    for (name, value) in &parts.headers {
        if name != "host" {
            out = out.header(name, value);
        }
    }
    let answer = out.send().await.unwrap();
    let mut response = Response::builder().status(answer.status());
    for (name, value) in answer.headers() {
        response = response.header(name, value);
    }
    response
        .body(Body::from(answer.bytes().await.unwrap()))
        .unwrap()
}

async fn recorder(emulator: &Running) -> (SocketAddr, Arc<Recorder>) {
    let state = Arc::new(Recorder {
        emulator: emulator.url(),
        client: reqwest::Client::new(),
        seen: Mutex::new(Vec::new()),
        refuse_next: AtomicBool::new(false),
    });
    let app = Router::new()
        .route("/{*rest}", any(record))
        .with_state(Arc::clone(&state));
    (serve(app).await, state)
}

async fn relay(upstream: SocketAddr, iam: SocketAddr, api_key: Option<&str>) -> Running {
    start_with(Config {
        listen: "127.0.0.1:0".parse().unwrap(),
        mode: Mode::Relay(RelayConfig {
            upstream: format!("http://{upstream}"),
            target: None,
            api_key: api_key.map(Secret::new),
            iam_url: format!("http://{iam}"),
            code_engine_url: None,
        }),
        ..Config::default()
    })
    .await
}

/// A client of the relay that sends no token of its own.
async fn anonymous(api: &Api, request: reqwest::RequestBuilder) -> common::Answer {
    api.send(request).await
}

#[tokio::test]
async fn exchanges_the_key_caches_the_token_and_relays_every_operation() {
    capture_logs(tracing::Level::TRACE);
    let key = "relay-test-api-key-AAAA1111";
    let (iam_addr, iam_state) = iam(key, 3600, Duration::ZERO).await;
    let upstream = emulator().await;
    let (rec_addr, rec) = recorder(&upstream).await;
    let server = relay(rec_addr, iam_addr, Some(key)).await;
    let api = Api::new(&server);
    let c = &api.client;
    let json_body = body("relayed", "job-relay").to_string();

    let created = anonymous(
        &api,
        c.post(api.url("/api/v2/configurations"))
            .header("content-type", "application/json")
            .body(json_body.clone()),
    )
    .await;
    assert_eq!(created.status, 201, "{}", created.body);
    assert_eq!(created.body["name"], "relayed");
    assert_eq!(created.headers["content-type"], "application/json");
    let duplicate = anonymous(
        &api,
        c.post(api.url("/api/v2/configurations"))
            .header("content-type", "application/json")
            .body(json_body),
    )
    .await;
    assert_eq!(duplicate.status, 409);
    assert_eq!(
        duplicate.codes(),
        ["configuration_already_exists"],
        "the upstream's error, as is"
    );
    let list = anonymous(
        &api,
        c.get(api.url("/api/v2/configurations?limit=5&sort=name")),
    )
    .await;
    assert_eq!(list.status, 200);
    assert_eq!(list.body["total_count"], 1);
    assert_eq!(list.body["limit"], 5, "the query is passed on");
    let got = anonymous(
        &api,
        c.get(api.url("/api/v2/configurations/relayed")).header(
            "X-Sm-Accept-Configuration-Type",
            "custom_credentials_configuration",
        ),
    )
    .await;
    assert_eq!(got.status, 200);
    let patched = anonymous(
        &api,
        c.patch(api.url("/api/v2/configurations/relayed"))
            .header("content-type", "application/merge-patch+json")
            .body(r#"{"task_timeout":"1h"}"#),
    )
    .await;
    assert_eq!(patched.status, 200, "{}", patched.body);
    assert_eq!(patched.body["task_timeout"], "1h");
    let deleted = anonymous(&api, c.delete(api.url("/api/v2/configurations/relayed"))).await;
    assert_eq!(deleted.status, 204);
    let gone = anonymous(&api, c.get(api.url("/api/v2/configurations/relayed"))).await;
    assert_eq!(gone.status, 404);

    assert_eq!(
        iam_state.calls.load(Ordering::SeqCst),
        1,
        "one exchange, then the cache"
    );
    let seen = rec.seen.lock().unwrap().clone();
    assert_eq!(seen.len(), 7);
    assert!(
        seen.iter().all(|a| a == "Bearer iam-access-token-1"),
        "{seen:?}"
    );

    // The upstream refuses the token: it is dropped, and the next request gets a new one.
    rec.refuse_next.store(true, Ordering::SeqCst);
    let refused = anonymous(&api, c.get(api.url("/api/v2/configurations"))).await;
    assert_eq!(refused.status, 401);
    let again = anonymous(&api, c.get(api.url("/api/v2/configurations"))).await;
    assert_eq!(again.status, 200);
    assert_eq!(iam_state.calls.load(Ordering::SeqCst), 2);
    assert_eq!(
        rec.seen.lock().unwrap().last().unwrap(),
        "Bearer iam-access-token-2"
    );

    assert_nowhere(
        &[key, "iam-access-token-1", "iam-access-token-2"],
        &[
            &created, &duplicate, &list, &got, &patched, &deleted, &gone, &refused, &again,
        ],
    );
    server.shutdown().await.unwrap();
    upstream.shutdown().await.unwrap();
}

#[tokio::test]
async fn refreshes_at_eighty_percent_of_the_life() {
    capture_logs(tracing::Level::TRACE);
    let key = "relay-test-api-key-BBBB2222";
    // 2 s tokens: refreshed after 1.6 s.
    let (iam_addr, iam_state) = iam(key, 2, Duration::ZERO).await;
    let upstream = emulator().await;
    let (rec_addr, rec) = recorder(&upstream).await;
    let server = relay(rec_addr, iam_addr, Some(key)).await;
    let api = Api::new(&server);
    let list = || anonymous(&api, api.client.get(api.url("/api/v2/configurations")));
    assert_eq!(list().await.status, 200);
    assert_eq!(list().await.status, 200);
    assert_eq!(iam_state.calls.load(Ordering::SeqCst), 1);
    tokio::time::sleep(Duration::from_millis(1700)).await;
    assert_eq!(list().await.status, 200);
    assert_eq!(
        iam_state.calls.load(Ordering::SeqCst),
        2,
        "refreshed before expiry"
    );
    let seen = rec.seen.lock().unwrap().clone();
    assert_eq!(
        seen,
        [
            "Bearer iam-access-token-1",
            "Bearer iam-access-token-1",
            "Bearer iam-access-token-2"
        ]
    );
    assert_nowhere(&[key, "iam-access-token-1", "iam-access-token-2"], &[]);
    server.shutdown().await.unwrap();
    upstream.shutdown().await.unwrap();
}

#[tokio::test(flavor = "multi_thread", worker_threads = 4)]
async fn concurrent_requests_share_one_exchange() {
    capture_logs(tracing::Level::TRACE);
    let key = "relay-test-api-key-CCCC3333";
    let (iam_addr, iam_state) = iam(key, 3600, Duration::from_millis(300)).await;
    let upstream = emulator().await;
    let (rec_addr, rec) = recorder(&upstream).await;
    let server = relay(rec_addr, iam_addr, Some(key)).await;
    let api = Api::new(&server);
    let tasks: Vec<_> = (0..20)
        .map(|_| {
            let api = api.clone();
            tokio::spawn(async move {
                api.send(api.client.get(api.url("/api/v2/configurations")))
                    .await
                    .status
            })
        })
        .collect();
    for task in tasks {
        assert_eq!(task.await.unwrap(), 200);
    }
    assert_eq!(iam_state.calls.load(Ordering::SeqCst), 1, "single flight");
    assert_eq!(rec.seen.lock().unwrap().len(), 20);
    assert_nowhere(&[key, "iam-access-token-1"], &[]);
    server.shutdown().await.unwrap();
    upstream.shutdown().await.unwrap();
}

#[tokio::test]
async fn passes_the_pages_own_token_through() {
    capture_logs(tracing::Level::TRACE);
    let key = "relay-test-api-key-DDDD4444";
    let (iam_addr, iam_state) = iam(key, 3600, Duration::ZERO).await;
    let upstream = emulator().await;
    let (rec_addr, rec) = recorder(&upstream).await;
    let page_token = "page-own-token-5555";
    for server_key in [Some(key), None] {
        let server = relay(rec_addr, iam_addr, server_key).await;
        let api = Api::new(&server);
        let answer = api
            .send(
                api.client
                    .get(api.url("/api/v2/configurations"))
                    .bearer_auth(page_token),
            )
            .await;
        assert_eq!(answer.status, 200);
        assert_eq!(
            rec.seen.lock().unwrap().last().unwrap(),
            &format!("Bearer {page_token}")
        );
        server.shutdown().await.unwrap();
    }
    assert_eq!(
        iam_state.calls.load(Ordering::SeqCst),
        0,
        "no exchange needed"
    );
    assert_nowhere(&[key, page_token], &[]);
    upstream.shutdown().await.unwrap();
}

#[tokio::test]
async fn failures_are_clear_and_keep_secrets() {
    capture_logs(tracing::Level::TRACE);
    let key = "relay-test-api-key-EEEE5555";
    let (iam_addr, iam_state) = iam("another-key", 3600, Duration::ZERO).await;
    let upstream = emulator().await;
    let (rec_addr, rec) = recorder(&upstream).await;

    // No key and no token: 401 here, the upstream never asked.
    let bare = relay(rec_addr, iam_addr, None).await;
    let api = Api::new(&bare);
    let answer = api
        .send(api.client.get(api.url("/api/v2/configurations")))
        .await;
    assert_eq!(answer.status, 401);
    assert_eq!(answer.codes(), ["missing_bearer_token"]);
    assert!(rec.seen.lock().unwrap().is_empty());
    // Paths that leave /api/v2/ are refused before anything is sent.
    let (status, _) = raw(&bare, "GET", "/api/v2/../../identity/token").await;
    assert_eq!(status, 404);
    bare.shutdown().await.unwrap();

    // IAM refuses the key: 502 naming IAM's code, not the key.
    let wrong = relay(rec_addr, iam_addr, Some(key)).await;
    let api = Api::new(&wrong);
    let refused = api
        .send(api.client.get(api.url("/api/v2/configurations")))
        .await;
    assert_eq!(refused.status, 502);
    assert_eq!(refused.codes(), ["iam_token_unavailable"]);
    assert!(
        refused.body["errors"][0]["message"]
            .as_str()
            .unwrap()
            .contains("BXNIM0415E")
    );
    assert_eq!(iam_state.calls.load(Ordering::SeqCst), 1);
    assert!(rec.seen.lock().unwrap().is_empty());
    let too_big = api
        .send(
            api.client
                .post(api.url("/api/v2/configurations"))
                .bearer_auth("t")
                .header("content-type", "application/json")
                .body(vec![b' '; sm_config::limits::MAX_BODY_BYTES + 1]),
        )
        .await;
    assert_eq!(too_big.status, 413);
    wrong.shutdown().await.unwrap();

    // An upstream that is not there: 502.
    let closed = tokio::net::TcpListener::bind("127.0.0.1:0").await.unwrap();
    let nowhere = closed.local_addr().unwrap();
    drop(closed);
    let lost = relay(nowhere, iam_addr, None).await;
    let api = Api::new(&lost);
    let unreachable = api
        .send(
            api.client
                .get(api.url("/api/v2/configurations"))
                .bearer_auth("page-token-6666"),
        )
        .await;
    assert_eq!(unreachable.status, 502);
    assert_eq!(unreachable.codes(), ["upstream_unreachable"]);
    lost.shutdown().await.unwrap();

    assert_nowhere(
        &[key, "page-token-6666"],
        &[&answer, &refused, &unreachable, &too_big],
    );
    upstream.shutdown().await.unwrap();
}

async fn raw(server: &Running, method: &str, path: &str) -> (u16, String) {
    use tokio::io::{AsyncReadExt, AsyncWriteExt};
    let addr = server.addr().to_string();
    let mut stream = tokio::net::TcpStream::connect(&addr).await.unwrap();
    let request = format!("{method} {path} HTTP/1.1\r\nHost: {addr}\r\nConnection: close\r\n\r\n");
    stream.write_all(request.as_bytes()).await.unwrap();
    let mut answer = Vec::new();
    stream.read_to_end(&mut answer).await.unwrap();
    let answer = String::from_utf8_lossy(&answer).into_owned();
    (answer[9..12].parse().unwrap(), answer)
}
