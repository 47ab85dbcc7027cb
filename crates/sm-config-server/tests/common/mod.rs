//! Shared by the integration tests: start a server in-process, talk to it over loopback.
#![allow(dead_code)] // each test binary uses a different part

use serde_json::{Value, json};
use sm_config_server::{Config, Mode, RelayConfig, Running, Secret, start};
use std::net::SocketAddr;

pub const TOKEN: &str = "test-token";
pub const PROJECT: &str = "12345678-5120-4a18-832a-4ba122496633";

/// An emulator on a free loopback port.
pub async fn emulator() -> Running {
    start_with(Config {
        listen: "127.0.0.1:0".parse().unwrap(),
        ..Config::default()
    })
    .await
}

pub async fn start_with(config: Config) -> Running {
    start(config).await.unwrap()
}

/// Serves `app` (an upstream stand-in) on a free loopback port and gives its address.
pub async fn serve_stand_in(app: axum::Router) -> SocketAddr {
    let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await.unwrap();
    let addr = listener.local_addr().unwrap();
    tokio::spawn(async move { axum::serve(listener, app).await.unwrap() });
    addr
}

/// A relay whose instance (`/instance`), IAM (`/iamhost`) and Code Engine (`/ce/{region}`) are
/// all the stand-in at `addr`, holding `api_key` when one is given.
pub async fn relay_to_stand_in(addr: SocketAddr, api_key: Option<&str>) -> Running {
    start_with(Config {
        listen: "127.0.0.1:0".parse().unwrap(),
        mode: Mode::Relay(RelayConfig {
            upstream: format!("http://{addr}/instance"),
            target: None,
            api_key: api_key.map(Secret::new),
            iam_url: format!("http://{addr}/iamhost"),
            code_engine_url: Some(format!("http://{addr}/ce/{{region}}")),
        }),
        ..Config::default()
    })
    .await
}

/// A valid create body for `name`, backed by job `job`.
pub fn body(name: &str, job: &str) -> Value {
    json!({
        "name": name,
        "config_type": "custom_credentials_configuration",
        "api_key_ref": "a2f9c2e4-a3a8-c508-2bed-fcb7c26843ca",
        "code_engine": {"job_name": job, "project_id": PROJECT, "region": "us-south"},
        "task_timeout": "50m"
    })
}

/// The launch token in the server's console URL (`…/#token=…`), if it has one.
pub fn launch_token(server: &Running) -> Option<String> {
    let url = server.console_url();
    let (base, fragment) = url.split_once("/#token=")?;
    assert_eq!(base, server.url());
    Some(fragment.to_owned())
}

/// A status and the body read as JSON (`Value::Null` for an empty body).
pub struct Answer {
    pub status: u16,
    pub body: Value,
    pub headers: reqwest::header::HeaderMap,
}

impl Answer {
    /// The `code` of every error, asserting the container's shape on the way.
    pub fn codes(&self) -> Vec<String> {
        assert_error_container(&self.body, self.status);
        self.body["errors"]
            .as_array()
            .unwrap()
            .iter()
            .map(|e| e["code"].as_str().unwrap().to_owned())
            .collect()
    }

    /// The `target.name` of every error that has one.
    pub fn targets(&self) -> Vec<String> {
        self.body["errors"]
            .as_array()
            .unwrap()
            .iter()
            .filter_map(|e| e["target"]["name"].as_str().map(str::to_owned))
            .collect()
    }
}

/// IBM's error container: non-empty `errors[]` of `{code, message, target?}`, a UUID trace,
/// and the status again.
pub fn assert_error_container(body: &Value, status: u16) {
    let errors = body["errors"]
        .as_array()
        .unwrap_or_else(|| panic!("no errors[] in {body}"));
    assert!(!errors.is_empty(), "{body}");
    for e in errors {
        let code = e["code"].as_str().unwrap();
        assert!(
            !code.is_empty() && code.chars().all(|c| c.is_ascii_lowercase() || c == '_'),
            "code {code:?} is not snake_case"
        );
        assert!(!e["message"].as_str().unwrap().is_empty(), "{body}");
        if let Some(target) = e.get("target") {
            assert!(
                ["field", "parameter", "header"].contains(&target["type"].as_str().unwrap()),
                "{body}"
            );
            assert!(!target["name"].as_str().unwrap().is_empty(), "{body}");
        }
    }
    let trace = body["trace"]
        .as_str()
        .unwrap_or_else(|| panic!("no trace in {body}"));
    assert!(uuid_like(trace), "trace {trace:?}");
    assert_eq!(body["status_code"], json!(status), "{body}");
}

fn uuid_like(s: &str) -> bool {
    let groups: Vec<_> = s.split('-').map(str::len).collect();
    groups == [8, 4, 4, 4, 12] && s.chars().all(|c| c == '-' || c.is_ascii_hexdigit())
}

/// A client of one server, sending the bearer token unless told otherwise.
#[derive(Clone)]
pub struct Api {
    pub client: reqwest::Client,
    pub base: String,
}

impl Api {
    /// A client of `server` that sends its launch token, when it has one, with every request
    /// (as the page opened from the printed URL does).
    pub fn new(server: &Running) -> Api {
        match launch_token(server) {
            Some(token) => {
                let mut headers = reqwest::header::HeaderMap::new();
                headers.insert(
                    sm_config_server::LAUNCH_TOKEN_HEADER,
                    reqwest::header::HeaderValue::from_str(&token).unwrap(),
                );
                Api {
                    client: reqwest::Client::builder()
                        .default_headers(headers)
                        .build()
                        .unwrap(),
                    base: server.url(),
                }
            }
            None => Api::at(&server.url()),
        }
    }

    /// A client that sends no launch token.
    pub fn without_launch_token(server: &Running) -> Api {
        Api::at(&server.url())
    }

    pub fn at(base: &str) -> Api {
        Api {
            client: reqwest::Client::new(),
            base: base.to_owned(),
        }
    }

    pub fn url(&self, path: &str) -> String {
        format!("{}{path}", self.base)
    }

    pub async fn send(&self, request: reqwest::RequestBuilder) -> Answer {
        let response = request.send().await.unwrap();
        let status = response.status().as_u16();
        let headers = response.headers().clone();
        let bytes = response.bytes().await.unwrap();
        let body = if bytes.is_empty() {
            Value::Null
        } else {
            serde_json::from_slice(&bytes)
                .unwrap_or_else(|_| Value::String(String::from_utf8_lossy(&bytes).into_owned()))
        };
        Answer {
            status,
            body,
            headers,
        }
    }

    pub async fn create(&self, body: &Value) -> Answer {
        self.send(
            self.client
                .post(self.url("/api/v2/configurations"))
                .bearer_auth(TOKEN)
                .header("content-type", "application/json")
                .body(body.to_string()),
        )
        .await
    }

    pub async fn create_raw(&self, content_type: &str, body: Vec<u8>) -> Answer {
        self.send(
            self.client
                .post(self.url("/api/v2/configurations"))
                .bearer_auth(TOKEN)
                .header("content-type", content_type)
                .body(body),
        )
        .await
    }

    pub async fn get(&self, path: &str) -> Answer {
        self.send(self.client.get(self.url(path)).bearer_auth(TOKEN))
            .await
    }

    pub async fn patch(&self, name: &str, content_type: &str, body: &str) -> Answer {
        self.send(
            self.client
                .patch(self.url(&format!("/api/v2/configurations/{name}")))
                .bearer_auth(TOKEN)
                .header("content-type", content_type)
                .body(body.to_owned()),
        )
        .await
    }

    pub async fn delete(&self, name: &str) -> Answer {
        self.send(
            self.client
                .delete(self.url(&format!("/api/v2/configurations/{name}")))
                .bearer_auth(TOKEN),
        )
        .await
    }

    /// The names the server holds, via the list.
    pub async fn names(&self) -> Vec<String> {
        let list = self.get("/api/v2/configurations").await;
        assert_eq!(list.status, 200, "{}", list.body);
        list.body["configurations"]
            .as_array()
            .unwrap()
            .iter()
            .map(|c| c["name"].as_str().unwrap().to_owned())
            .collect()
    }
}

// ---- captured logs ----

static LOGS: std::sync::OnceLock<std::sync::Arc<std::sync::Mutex<Vec<u8>>>> =
    std::sync::OnceLock::new();

#[derive(Clone)]
struct Capture(std::sync::Arc<std::sync::Mutex<Vec<u8>>>);

impl std::io::Write for Capture {
    fn write(&mut self, buf: &[u8]) -> std::io::Result<usize> {
        self.0.lock().unwrap().extend_from_slice(buf);
        Ok(buf.len())
    }
    fn flush(&mut self) -> std::io::Result<()> {
        Ok(())
    }
}

/// Every event of every crate at `level` and above, into one buffer for [`logs`]; the first
/// call of a test binary sets it up (the subscriber is global), later calls keep it.
pub fn capture_logs(level: tracing::Level) {
    LOGS.get_or_init(|| {
        let buffer = std::sync::Arc::new(std::sync::Mutex::new(Vec::new()));
        let writer = Capture(std::sync::Arc::clone(&buffer));
        let subscriber = tracing_subscriber::fmt()
            .with_max_level(level)
            .with_ansi(false)
            .with_writer(move || writer.clone())
            .finish();
        tracing::subscriber::set_global_default(subscriber).unwrap();
        buffer
    });
}

/// Everything logged since [`capture_logs`].
pub fn logs() -> String {
    String::from_utf8_lossy(&LOGS.get().unwrap().lock().unwrap()).into_owned()
}
