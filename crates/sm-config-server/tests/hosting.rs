//! Status, the hosted console, and the guards (Host, Origin, timeouts).

mod common;

use common::{Api, TOKEN, body, emulator, start_with};
use serde_json::json;
use sm_config_server::Running;
use sm_config_server::{Config, DEFAULT_CSP, Mode, RelayConfig, Secret, Status};
use std::time::Duration;
use tokio::io::{AsyncReadExt, AsyncWriteExt};

fn loopback() -> Config {
    Config {
        listen: "127.0.0.1:0".parse().unwrap(),
        ..Config::default()
    }
}

/// A server hosting a console made of these files (kept while the directory lives).
async fn hosting(files: &[(&str, &[u8])]) -> (tempfile::TempDir, Running) {
    let dist = tempfile::tempdir().unwrap();
    for (name, content) in files {
        std::fs::write(dist.path().join(name), content).unwrap();
    }
    let server = start_with(Config {
        dist: Some(dist.path().to_owned()),
        ..loopback()
    })
    .await;
    (dist, server)
}

#[tokio::test]
async fn status_reports_the_mode() {
    let server = emulator().await;
    let api = Api::new(&server);
    let status = api.send(api.client.get(api.url("/sm-config/status"))).await;
    assert_eq!(status.status, 200);
    assert_eq!(
        status.body,
        json!({
            "mode": "emulator",
            "instance_id": "00000000-0000-0000-0000-000000000000",
            "region": "us-south",
            "endpoint": "public",
            "credentials": false,
            "launch_token": false,
            "authorized": true
        })
    );
    server.shutdown().await.unwrap();

    let relay = start_with(Config {
        mode: Mode::Relay(RelayConfig {
            upstream: "https://b49ad24d-81d4-5ebc-b9b9-b0937d1c84d5.private.eu-de.secrets-manager.appdomain.cloud".to_owned(),
            target: None,
            api_key: Some(Secret::new("key-value-123")),
            iam_url: "http://127.0.0.1:9".to_owned(),
            code_engine_url: None,
        }),
        ..loopback()
    })
    .await;
    let api = Api::new(&relay);
    let status = api.send(api.client.get(api.url("/sm-config/status"))).await;
    let parsed: Status = serde_json::from_value(status.body.clone()).unwrap();
    assert_eq!(parsed.mode, "relay");
    assert_eq!(
        parsed.instance_id.as_deref(),
        Some("b49ad24d-81d4-5ebc-b9b9-b0937d1c84d5")
    );
    assert_eq!(parsed.region.as_deref(), Some("eu-de"));
    assert_eq!(parsed.endpoint.as_deref(), Some("private"));
    assert!(parsed.credentials);
    assert!(parsed.upstream.unwrap().starts_with("https://b49ad24d"));
    assert!(!status.body.to_string().contains("key-value-123"));
    relay.shutdown().await.unwrap();
}

#[tokio::test]
async fn hosts_the_console_with_security_headers() {
    let script = "export const greeting = 'hello';\n".repeat(300);
    let (_dist, server) = hosting(&[
        ("index.html", b"<!doctype html><title>console</title>"),
        ("app.wasm", b"\0asm"),
        ("app.js", script.as_bytes()),
        ("app-0123456789abcdef_bg.wasm", b"\0asm"),
    ])
    .await;
    let api = Api::new(&server);
    let index = api.client.get(api.url("/")).send().await.unwrap();
    assert_eq!(index.status(), 200);
    let index_cache = index.headers()["cache-control"].clone();
    assert_eq!(index.headers()["content-security-policy"], DEFAULT_CSP);
    assert_eq!(index.headers()["x-content-type-options"], "nosniff");
    assert_eq!(index.headers()["referrer-policy"], "no-referrer");
    assert!(
        index
            .text()
            .await
            .unwrap()
            .contains("<title>console</title>")
    );
    let wasm = api.client.get(api.url("/app.wasm")).send().await.unwrap();
    assert_eq!(wasm.headers()["content-type"], "application/wasm");
    let gzipped = api
        .client
        .get(api.url("/app.js"))
        .header("accept-encoding", "gzip")
        .send()
        .await
        .unwrap();
    assert_eq!(gzipped.headers()["content-encoding"], "gzip");
    assert_eq!(gzipped.headers()["content-security-policy"], DEFAULT_CSP);
    let sent = gzipped.bytes().await.unwrap();
    assert!(sent.starts_with(&[0x1f, 0x8b]), "a gzip stream");
    assert!(sent.len() < script.len() / 10, "{} bytes sent", sent.len());
    let plain = api.client.get(api.url("/app.js")).send().await.unwrap();
    assert!(plain.headers().get("content-encoding").is_none());
    assert_eq!(plain.text().await.unwrap(), script);
    // Unhashed names are revalidated on each use; trunk's hashed names are kept for a year.
    assert_eq!(index_cache, "no-cache");
    assert_eq!(wasm.headers()["cache-control"], "no-cache");
    let hashed = api
        .client
        .get(api.url("/app-0123456789abcdef_bg.wasm"))
        .send()
        .await
        .unwrap();
    assert_eq!(hashed.status(), 200);
    assert_eq!(
        hashed.headers()["cache-control"],
        "public, max-age=31536000, immutable"
    );
    let revalidated = api
        .client
        .get(api.url("/app-0123456789abcdef_bg.wasm"))
        .header("if-modified-since", "Fri, 01 Jan 2100 00:00:00 GMT")
        .send()
        .await
        .unwrap();
    assert_eq!(revalidated.status(), 304);
    assert_eq!(
        revalidated.headers()["cache-control"],
        "public, max-age=31536000, immutable"
    );
    let missing = api.client.get(api.url("/nope.js")).send().await.unwrap();
    assert_eq!(missing.status(), 404);
    assert_eq!(missing.headers()["cache-control"], "no-cache");
    let missing_hashed = api
        .client
        .get(api.url("/gone-0123456789abcdef.js"))
        .send()
        .await
        .unwrap();
    assert_eq!(missing_hashed.status(), 404);
    assert_eq!(missing_hashed.headers()["cache-control"], "no-cache");
    assert_eq!(missing.headers()["content-security-policy"], DEFAULT_CSP);
    let escape = api
        .client
        .get(api.url("/..%2f..%2fetc%2fpasswd"))
        .send()
        .await
        .unwrap();
    assert_eq!(escape.status(), 404);
    // The API answers carry nosniff too.
    let api_answer = api.get("/api/v2/configurations").await;
    assert_eq!(api_answer.headers["x-content-type-options"], "nosniff");
    server.shutdown().await.unwrap();

    let custom = start_with(Config {
        csp: "default-src 'none'".to_owned(),
        ..loopback()
    })
    .await;
    let api = Api::new(&custom);
    let root = api.client.get(api.url("/")).send().await.unwrap();
    assert_eq!(root.status(), 404, "no console without --dist");
    assert_eq!(
        root.headers()["content-security-policy"],
        "default-src 'none'"
    );
    assert!(root.text().await.unwrap().contains("--dist"));
    custom.shutdown().await.unwrap();
}

#[tokio::test]
async fn sends_the_precompressed_copies_the_browser_accepts() {
    let wasm = b"\0asm\x01\0\0\0".repeat(200);
    let script = "export const greeting = 'hello';\n".repeat(300);
    let (_dist, server) = hosting(&[
        ("app.wasm", &wasm),
        // Not real streams: which bytes arrive tells which file was sent.
        ("app.wasm.br", b"brotli copy"),
        ("app.wasm.gz", b"zopfli copy"),
        ("app.js", script.as_bytes()),
    ])
    .await;
    let api = Api::new(&server);
    let fetch = |path: &'static str, accept: Option<&'static str>| {
        let request = api.client.get(api.url(path));
        let request = match accept {
            Some(a) => request.header("accept-encoding", a),
            None => request,
        };
        async move { request.send().await.unwrap() }
    };
    let header = |r: &reqwest::Response, name: &str| {
        r.headers()
            .get_all(name)
            .iter()
            .map(|v| v.to_str().unwrap().to_owned())
            .collect::<Vec<_>>()
    };

    // What Chromium asks for: brotli is preferred.
    let br = fetch("/app.wasm", Some("gzip, deflate, br, zstd")).await;
    assert_eq!(br.status(), 200);
    assert_eq!(header(&br, "content-encoding"), ["br"]);
    assert_eq!(header(&br, "content-type"), ["application/wasm"]);
    assert_eq!(header(&br, "vary"), ["accept-encoding"]);
    assert_eq!(header(&br, "content-security-policy"), [DEFAULT_CSP]);
    assert_eq!(br.bytes().await.unwrap().as_ref(), b"brotli copy");

    let gz = fetch("/app.wasm", Some("gzip")).await;
    assert_eq!(header(&gz, "content-encoding"), ["gzip"]);
    assert_eq!(header(&gz, "content-type"), ["application/wasm"]);
    assert_eq!(gz.bytes().await.unwrap().as_ref(), b"zopfli copy");

    let refused = fetch("/app.wasm", Some("br;q=0, gzip;q=0")).await;
    assert!(refused.headers().get("content-encoding").is_none());
    assert_eq!(refused.bytes().await.unwrap().as_ref(), &wasm[..]);
    let plain = fetch("/app.wasm", None).await;
    assert!(plain.headers().get("content-encoding").is_none());
    assert_eq!(plain.bytes().await.unwrap().as_ref(), &wasm[..]);

    // A file without copies is still gzipped on the way, with one Vary.
    let onthefly = fetch("/app.js", Some("gzip, deflate, br, zstd")).await;
    assert_eq!(header(&onthefly, "content-encoding"), ["gzip"]);
    assert_eq!(header(&onthefly, "vary"), ["accept-encoding"]);
    assert!(onthefly.bytes().await.unwrap().starts_with(&[0x1f, 0x8b]));

    // The copies are not a way around the path guard.
    let escape = fetch("/..%2fapp.wasm", Some("br")).await;
    assert_eq!(escape.status(), 404);
    server.shutdown().await.unwrap();
}

#[tokio::test]
async fn refuses_foreign_hosts_and_origins() {
    let server = emulator().await;
    let api = Api::new(&server);
    let port = server.addr().port();
    for host in [
        format!("localhost:{port}"),
        format!("127.0.0.1:{port}"),
        "localhost".to_owned(),
    ] {
        let ok = api
            .send(
                api.client
                    .get(api.url("/sm-config/status"))
                    .header("host", host.clone()),
            )
            .await;
        assert_eq!(ok.status, 200, "{host}");
    }
    for host in [
        format!("evil.example:{port}"),
        format!("localhost.evil.example:{port}"),
        format!("localhost:{}", port.wrapping_add(1)),
    ] {
        let refused = api
            .send(
                api.client
                    .get(api.url("/api/v2/configurations"))
                    .bearer_auth(TOKEN)
                    .header("host", host.clone()),
            )
            .await;
        assert_eq!(refused.status, 403, "{host}");
        assert_eq!(refused.codes(), ["host_not_allowed"]);
        let page = api
            .send(api.client.get(api.url("/")).header("host", host.clone()))
            .await;
        assert_eq!(page.status, 403, "the page is guarded too: {host}");
    }

    let create = |origin: Option<&str>| {
        let request = api
            .client
            .post(api.url("/api/v2/configurations"))
            .bearer_auth(TOKEN)
            .header("content-type", "application/json")
            .body(body("from_page", "job-p").to_string());
        match origin {
            Some(o) => request.header("origin", o),
            None => request,
        }
    };
    for origin in [
        "http://evil.example",
        "null",
        &format!("https://localhost:{port}"),
    ] {
        let refused = api.send(create(Some(origin))).await;
        assert_eq!(refused.status, 403, "{origin}");
        assert_eq!(refused.codes(), ["origin_not_allowed"]);
    }
    let delete_foreign = api
        .send(
            api.client
                .delete(api.url("/api/v2/configurations/from_page"))
                .bearer_auth(TOKEN)
                .header("origin", "http://evil.example"),
        )
        .await;
    assert_eq!(delete_foreign.status, 403);
    assert!(
        api.names().await.is_empty(),
        "nothing stored by a refused request"
    );
    // A read with a foreign origin is let through (the browser keeps the answer from it).
    let read = api
        .send(
            api.client
                .get(api.url("/api/v2/configurations"))
                .bearer_auth(TOKEN)
                .header("origin", "http://evil.example"),
        )
        .await;
    assert_eq!(read.status, 200);
    let own = api
        .send(create(Some(&format!("http://localhost:{port}"))))
        .await;
    assert_eq!(own.status, 201, "{}", own.body);
    let no_origin = api
        .send(
            api.client
                .delete(api.url("/api/v2/configurations/from_page"))
                .bearer_auth(TOKEN),
        )
        .await;
    assert_eq!(no_origin.status, 204, "non-browser clients send no origin");
    server.shutdown().await.unwrap();
}

#[tokio::test]
async fn a_slow_request_times_out() {
    let server = start_with(Config {
        request_timeout: Duration::from_secs(1),
        ..loopback()
    })
    .await;
    let addr = server.addr().to_string();
    let mut stream = tokio::net::TcpStream::connect(&addr).await.unwrap();
    // Promise 100 bytes, send 10, then stall.
    let head = format!(
        "POST /api/v2/configurations HTTP/1.1\r\nHost: {addr}\r\nAuthorization: Bearer {TOKEN}\r\nContent-Type: application/json\r\nContent-Length: 100\r\n\r\n{{\"name\":\"x"
    );
    stream.write_all(head.as_bytes()).await.unwrap();
    let mut answer = vec![0u8; 4096];
    let n = tokio::time::timeout(Duration::from_secs(10), stream.read(&mut answer))
        .await
        .expect("the server answers before the client gives up")
        .unwrap();
    let text = String::from_utf8_lossy(&answer[..n]);
    assert!(text.starts_with("HTTP/1.1 408"), "{text}");
    assert!(text.contains("request_timeout"), "{text}");
    server.shutdown().await.unwrap();
}

#[tokio::test]
async fn port_zero_and_bind_errors() {
    let server = emulator().await;
    assert_ne!(server.addr().port(), 0);
    let taken = sm_config_server::start(Config {
        listen: server.addr(),
        ..Config::default()
    })
    .await
    .expect_err("the port is taken");
    assert!(
        taken.to_string().starts_with("cannot listen on 127.0.0.1:"),
        "{taken}"
    );
    server.shutdown().await.unwrap();
}
