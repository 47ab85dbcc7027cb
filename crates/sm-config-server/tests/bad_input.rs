//! Hostile and broken input: each a clear 4xx in the error container, no panic, nothing stored.

mod common;

use common::{Api, TOKEN, assert_error_container, body, emulator};
use serde_json::Value;
use tokio::io::{AsyncReadExt, AsyncWriteExt};

#[tokio::test]
async fn broken_bodies() {
    let server = emulator().await;
    let api = Api::new(&server);
    let cases: Vec<(&str, Vec<u8>, &str)> = vec![
        ("malformed json", b"{\"name\": \"x1\",".to_vec(), "invalid_json"),
        ("not json at all", b"name=x1".to_vec(), "invalid_json"),
        ("empty body", Vec::new(), "invalid_json"),
        ("invalid utf-8", b"{\"name\": \"\xff\xfe\"}".to_vec(), "invalid_json"),
        ("an array", b"[1,2]".to_vec(), "invalid_type"),
        ("a string", b"\"x\"".to_vec(), "invalid_type"),
        ("null", b"null".to_vec(), "invalid_type"),
        (
            "wrong types",
            br#"{"name": 12, "config_type": "custom_credentials_configuration", "code_engine": "job"}"#.to_vec(),
            "invalid_type",
        ),
        (
            "nested wrong type",
            br#"{"name": "ok_1", "config_type": "custom_credentials_configuration", "code_engine": {"job_name": ["a"], "project_id": "12345678-5120-4a18-832a-4ba122496633", "region": "us-south"}}"#.to_vec(),
            "invalid_type",
        ),
        ("deep nesting", format!("{}{}", "[".repeat(5000), "]".repeat(5000)).into_bytes(), "invalid_json"),
        ("raw nul byte", b"{\"name\": \"a\0b\"}".to_vec(), "invalid_json"),
        (
            "escaped nul",
            br#"{"name": "a\u0000b", "config_type": "custom_credentials_configuration", "code_engine": {"job_name": "j", "project_id": "12345678-5120-4a18-832a-4ba122496633", "region": "us-south"}}"#.to_vec(),
            "pattern",
        ),
    ];
    for (what, bytes, code) in cases {
        let answer = api.create_raw("application/json", bytes).await;
        assert_eq!(answer.status, 400, "{what}: {}", answer.body);
        let codes = answer.codes();
        assert!(codes.iter().any(|c| c == code), "{what}: {codes:?}");
    }
    let mut unknown = body("ok_name", "job");
    unknown["trusted_profile_id"] = Value::from("Profile-1");
    unknown["code_engine"]["extra"] = Value::from(1);
    let answer = api.create(&unknown).await;
    assert_eq!(answer.status, 400);
    assert_eq!(answer.codes(), ["unknown_field", "unknown_field"]);
    let mut targets = answer.targets();
    targets.sort();
    assert_eq!(targets, ["code_engine.extra", "trusted_profile_id"]);

    let ten_kb = "n".repeat(10 * 1024);
    let answer = api.create(&body(&ten_kb, "job")).await;
    assert_eq!(answer.status, 400);
    assert_eq!(answer.codes(), ["too_long"]);
    assert!(
        answer.body.to_string().len() < 2048,
        "a long name is not echoed back whole"
    );
    assert!(api.names().await.is_empty(), "nothing stored");
    server.shutdown().await.unwrap();
}

#[tokio::test]
async fn hostile_paths() {
    let server = emulator().await;
    let api = Api::new(&server);
    assert_eq!(api.create(&body("real_one", "job-r")).await.status, 201);
    for path in [
        "/api/v2/configurations/real_one%2F..",
        "/api/v2/configurations/a%2Fb",
        "/api/v2/configurations/%2e%2e",
        "/api/v2/configurations/%00",
        "/api/v2/configurations/%FF%FE",
        "/api/v2/configurations/real_one/extra",
    ] {
        for method in [reqwest::Method::GET, reqwest::Method::DELETE] {
            let answer = api
                .send(
                    api.client
                        .request(method.clone(), api.url(path))
                        .bearer_auth(TOKEN),
                )
                .await;
            assert!(
                [400, 404].contains(&answer.status),
                "{method} {path}: {}",
                answer.status
            );
            answer.codes();
        }
    }
    let ten_kb = format!("/api/v2/configurations/{}", "n".repeat(10 * 1024));
    let answer = api.get(&ten_kb).await;
    assert_eq!(answer.status, 404);
    assert_eq!(answer.codes(), ["configuration_not_found"]);
    assert!(answer.body.to_string().len() < 2048);

    // reqwest resolves `..` before sending; a raw request sends it as written.
    for raw_path in [
        "/api/v2/configurations/..",
        "/api/v2/configurations/../configurations/real_one",
        "/api/v2/../v2/configurations/real_one",
    ] {
        let (status, text) = raw_request(&server.addr().to_string(), "DELETE", raw_path).await;
        assert!((400..500).contains(&status), "{raw_path}: {status} {text}");
        let body: Value = serde_json::from_str(&text).unwrap();
        assert_error_container(&body, status);
    }
    assert_eq!(api.names().await, ["real_one"], "nothing was deleted");
    server.shutdown().await.unwrap();
}

/// Sends one HTTP/1.1 request exactly as written; returns the status and body.
async fn raw_request(addr: &str, method: &str, path: &str) -> (u16, String) {
    let mut stream = tokio::net::TcpStream::connect(addr).await.unwrap();
    let request = format!(
        "{method} {path} HTTP/1.1\r\nHost: {addr}\r\nAuthorization: Bearer {TOKEN}\r\nConnection: close\r\n\r\n"
    );
    stream.write_all(request.as_bytes()).await.unwrap();
    let mut answer = Vec::new();
    stream.read_to_end(&mut answer).await.unwrap();
    let answer = String::from_utf8_lossy(&answer).into_owned();
    let status = answer[9..12].parse().unwrap();
    let body = answer
        .split_once("\r\n\r\n")
        .map(|(_, b)| b.to_owned())
        .unwrap();
    (status, body)
}
