//! `sm-config check` end to end against `sm-config serve` (default world), and `sm-config world`.

mod common;

use common::{run, sm_config};
use serde_json::Value;
use std::io::{BufRead, BufReader, Read, Write};
use std::net::TcpStream;
use std::process::{Child, Command, Stdio};
use std::time::Duration;

const PREFIX: &str = "sm-config serve: listening on http://";
const PARTNERS: &str = "2f7d9b4c-6a1e-4c3d-8b5f-7e9a0c1d2b3e";
const PAYROLL: &str = "8c1e5f0a-3b2d-4e6f-9a7b-1c2d3e4f5a6b";
const ROTATED: &str = "0b7e3c9a-5d1f-4e2a-8c6b-9d0e1f2a3b4c";

/// `sm-config serve` on a free port (default world); the child, its address and the lines it
/// printed after the first.
struct Server {
    child: Child,
    addr: String,
    summary: Vec<String>,
}

impl Drop for Server {
    fn drop(&mut self) {
        let _ = self.child.kill();
        let _ = self.child.wait();
    }
}

fn serve() -> Server {
    serve_with(&[], 4)
}

/// `sm-config serve --listen 127.0.0.1:0 ARGS…`, reading `summary_lines` after the first.
fn serve_with(args: &[&str], summary_lines: usize) -> Server {
    let mut child = Command::new(env!("CARGO_BIN_EXE_sm-config"))
        .args(["serve", "--listen", "127.0.0.1:0"])
        .args(args)
        .env_remove("IBMCLOUD_API_KEY")
        .env("RUST_LOG", "warn")
        .stdout(Stdio::piped())
        .stderr(Stdio::inherit())
        .spawn()
        .unwrap();
    let mut out = BufReader::new(child.stdout.take().unwrap());
    let mut line = String::new();
    out.read_line(&mut line).unwrap();
    let addr = line
        .trim()
        .strip_prefix(PREFIX)
        .unwrap_or_else(|| panic!("unexpected first line {line:?}"))
        .to_owned();
    let mut summary = Vec::new();
    for _ in 0..summary_lines {
        let mut l = String::new();
        out.read_line(&mut l).unwrap();
        summary.push(l.trim_end().to_owned());
    }
    Server {
        child,
        addr,
        summary,
    }
}

fn post(addr: &str, path: &str, body: &str) -> (u16, String) {
    let mut stream = TcpStream::connect(addr).unwrap();
    stream
        .set_read_timeout(Some(Duration::from_secs(10)))
        .unwrap();
    let head = format!(
        "POST {path} HTTP/1.1\r\nHost: {addr}\r\nAuthorization: Bearer t\r\nContent-Type: application/json\r\nContent-Length: {}\r\nConnection: close\r\n\r\n{body}",
        body.len()
    );
    stream.write_all(head.as_bytes()).unwrap();
    let mut answer = String::new();
    stream.read_to_string(&mut answer).unwrap();
    let status = answer[9..12].parse().unwrap();
    (status, answer.split_once("\r\n\r\n").unwrap().1.to_owned())
}

fn request_file(
    dir: &std::path::Path,
    name: &str,
    job: &str,
    project: &str,
    region: &str,
    key: Option<&str>,
) -> String {
    let mut body = serde_json::json!({
        "name": name,
        "config_type": "custom_credentials_configuration",
        "code_engine": {"job_name": job, "project_id": project, "region": region}
    });
    if let Some(key) = key {
        body["api_key_ref"] = key.into();
    }
    let path = dir.join(format!("{name}.json"));
    std::fs::write(&path, body.to_string()).unwrap();
    path.display().to_string()
}

fn check(server: &Server, file: &str, json: bool) -> (i32, String, String) {
    let url = format!("http://{}", server.addr);
    let mut args = vec!["check", file, "--server", url.as_str()];
    if json {
        args.extend(["--output", "json"]);
    }
    let out = run(sm_config(&args).env_remove("IBMCLOUD_API_KEY"));
    (
        out.status.code().unwrap(),
        String::from_utf8(out.stdout).unwrap(),
        String::from_utf8(out.stderr).unwrap(),
    )
}

#[test]
fn unauthorized_project_blocks_until_the_authorization_is_created() {
    let server = serve();
    assert!(
        server.summary[0].starts_with("sm-config serve: emulated world: built-in default"),
        "{:?}",
        server.summary
    );
    assert!(
        server.summary[3].contains("payroll"),
        "{:?}",
        server.summary
    );
    let dir = tempfile::tempdir().unwrap();
    let file = request_file(
        dir.path(),
        "partner-keys",
        "issue-partner-key",
        PARTNERS,
        "eu-de",
        Some(ROTATED),
    );

    let (code, out, err) = check(&server, &file, false);
    assert_eq!(code, 1, "{out}\n{err}");
    assert!(
        out.contains("error[authorization_missing] code_engine.project_id"),
        "{out}"
    );
    assert!(out.contains("ibmcloud iam authorization-policy-create 'secrets-manager' 'codeengine' 'Viewer,Writer'"), "{out}");
    assert!(out.contains("something blocks the create"), "{out}");
    // The checklist: the same six lines the console's panel shows.
    assert!(
        out.contains("  prerequisites:\n    [ok]      the code engine project exists and is active in its region\n"),
        "{out}"
    );
    assert!(
        out.contains("    [failed]  secrets manager is authorized on the project (viewer, writer) (authorization_missing)\n"),
        "{out}"
    );

    // The fix's JSON body, sent to the server's IAM route, creates the authorization.
    let (_, json, _) = check(&server, &file, true);
    let doc: Value = serde_json::from_str(&json).unwrap();
    assert_eq!(doc["exit"], 1);
    let statuses: Vec<&str> = doc["files"][0]["prerequisites"]
        .as_array()
        .unwrap()
        .iter()
        .map(|p| p["status"].as_str().unwrap())
        .collect();
    assert_eq!(statuses, ["ok", "ok", "ok", "ok", "ok", "failed"]);
    let fix = doc["files"][0]["findings"]
        .as_array()
        .unwrap()
        .iter()
        .find(|f| f["code"] == "authorization_missing")
        .expect("the finding")["fix"]["json"]
        .as_str()
        .unwrap()
        .to_owned();
    let (status, body) = post(&server.addr, "/iam/v1/policies", &fix);
    assert_eq!(status, 201, "{body}");

    let (code, out, err) = check(&server, &file, false);
    assert_eq!(code, 0, "{out}\n{err}");
    assert!(out.contains("nothing blocks the create"), "{out}");
    assert!(out.contains("info[provider_schema]"), "{out}");
    assert!(!out.contains("[failed]"), "{out}");
}

#[test]
fn each_prerequisite_is_named() {
    let server = serve();
    let dir = tempfile::tempdir().unwrap();
    for (name, job, project, region, key, code) in [
        (
            "not-provider",
            "nightly-report",
            PAYROLL,
            "us-south",
            Some(ROTATED),
            "not_a_provider",
        ),
        (
            "no-job",
            "missing-job",
            PAYROLL,
            "us-south",
            Some(ROTATED),
            "job_not_found",
        ),
        (
            "no-rotation",
            "rotate-db-password",
            PAYROLL,
            "us-south",
            Some("1c8f4d0b-6e2a-4f3b-9d7c-0e1f2a3b4c5d"),
            "secret_no_rotation",
        ),
        (
            "no-profile",
            "rotate-db-password",
            PAYROLL,
            "us-south",
            None,
            "trusted_profiles_disabled",
        ),
        (
            "inactive",
            "old-provider",
            "4a6b8c0d-1e2f-4a3b-9c5d-6e7f8a9b0c1d",
            "eu-de",
            Some(ROTATED),
            "project_inactive",
        ),
        (
            "no-project",
            "any-job",
            "11111111-2222-4333-8444-555555555555",
            "us-south",
            Some(ROTATED),
            "project_not_found",
        ),
    ] {
        let file = request_file(dir.path(), name, job, project, region, key);
        let (exit, json, err) = check(&server, &file, true);
        assert_eq!(exit, 1, "{name}: {json}\n{err}");
        let doc: Value = serde_json::from_str(&json).unwrap();
        let codes: Vec<&str> = doc["files"][0]["findings"]
            .as_array()
            .unwrap()
            .iter()
            .map(|f| f["code"].as_str().unwrap())
            .collect();
        assert!(codes.contains(&code), "{name}: {codes:?}");
    }
    // Trusted profiles instead of a secret: fine for the job that has them.
    let file = request_file(
        dir.path(),
        "trusted",
        "trusted-issuer",
        PAYROLL,
        "us-south",
        None,
    );
    let (exit, out, err) = check(&server, &file, false);
    assert_eq!(exit, 0, "{out}\n{err}");
}

#[test]
fn could_not_check_is_exit_2_and_says_why() {
    let dir = tempfile::tempdir().unwrap();
    let file = request_file(dir.path(), "x-cfg", "job", PAYROLL, "us-south", None);
    // Nothing listens there.
    let out = run(&mut sm_config(&[
        "check",
        &file,
        "--server",
        "http://127.0.0.1:9",
    ]));
    assert_eq!(out.status.code(), Some(2));
    let err = String::from_utf8(out.stderr).unwrap();
    assert!(
        err.starts_with(
            "sm-config: could not check: cannot read http://127.0.0.1:9/sm-config/status"
        ),
        "{err}"
    );
    // No server and no key.
    let out = run(sm_config(&[
        "check",
        &file,
        "--instance-id",
        "b49ad24d-81d4-5ebc-b9b9-b0937d1c84d5",
        "--region",
        "eu-de",
    ])
    .env_remove("IBMCLOUD_API_KEY"));
    assert_eq!(out.status.code(), Some(2));
    let err = String::from_utf8(out.stderr).unwrap();
    assert!(err.contains("set IBMCLOUD_API_KEY"), "{err}");

    // A relay with no credential and upstreams that are not there: each fact says why.
    let relay = serve_with(
        &[
            "--upstream",
            "http://127.0.0.1:9",
            "--code-engine-url",
            "http://127.0.0.1:9/{region}",
            "--iam-url",
            "http://127.0.0.1:9",
        ],
        0,
    );
    let key_file = request_file(
        dir.path(),
        "y-cfg",
        "job",
        PAYROLL,
        "us-south",
        Some(ROTATED),
    );
    let url = format!("http://{}", relay.addr);
    // A relay to a bare URL names no instance: the options do.
    let result = run(sm_config(&[
        "check",
        &key_file,
        "--server",
        &url,
        "--instance-id",
        "b49ad24d-81d4-5ebc-b9b9-b0937d1c84d5",
        "--region",
        "eu-de",
    ])
    .env_remove("IBMCLOUD_API_KEY"));
    let out = String::from_utf8(result.stdout).unwrap();
    let err = String::from_utf8(result.stderr).unwrap();
    assert_eq!(result.status.code(), Some(2), "{out}\n{err}");
    assert!(
        out.contains("warning[fact_unavailable] code_engine.project_id: could not check the code engine project: "),
        "{out}"
    );
    assert!(out.contains("answered 401"), "{out}");
    assert!(out.contains("could not check everything"), "{out}");
}

#[test]
fn world_prints_the_default_and_checks_files() {
    let out = run(&mut sm_config(&["world"]));
    assert_eq!(out.status.code(), Some(0));
    let printed: Value = serde_json::from_slice(&out.stdout).unwrap();
    assert_eq!(printed["format"], "sm-config-world/1");
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("w.json");
    std::fs::write(&path, &out.stdout).unwrap();
    let ok = run(&mut sm_config(&[
        "world",
        "--check",
        path.to_str().unwrap(),
    ]));
    assert_eq!(ok.status.code(), Some(0));
    let summary = String::from_utf8(ok.stdout).unwrap();
    for line in [
        "  secrets manager: 4 secrets, 3 of them iam_credentials; 1 secret group besides default\n",
        "  iam: 1 policy; secrets-manager -> codeengine authorizations for: payroll (8c1e5f0a-3b2d-4e6f-9a7b-1c2d3e4f5a6b)\n",
    ] {
        assert!(summary.contains(line), "missing {line:?} in:\n{summary}");
    }
    let mut broken = printed.clone();
    broken["projects"][0]["region"] = "mars".into();
    std::fs::write(&path, broken.to_string()).unwrap();
    let bad = run(&mut sm_config(&[
        "world",
        "--check",
        path.to_str().unwrap(),
    ]));
    assert_eq!(bad.status.code(), Some(1));
    let text = String::from_utf8(bad.stdout).unwrap();
    assert!(
        text.contains("  projects[0].region: `mars` is not a code engine region"),
        "{text}"
    );
}

/// One request a stand-in received: method, path and query, `Authorization`, and whether it
/// carried a launch token.
#[derive(Debug, Clone, PartialEq, Eq)]
struct Received {
    method: String,
    target: String,
    authorization: String,
    launch_token: bool,
}

/// A stand-in for the instance, Code Engine and IAM at once, on a free port: `POST
/// /iam/identity/token` gets a token, everything else IBM's 404; every request is recorded.
fn stand_in() -> (String, std::sync::Arc<std::sync::Mutex<Vec<Received>>>) {
    use std::sync::{Arc, Mutex};
    let listener = std::net::TcpListener::bind("127.0.0.1:0").unwrap();
    let addr = listener.local_addr().unwrap().to_string();
    let seen = Arc::new(Mutex::new(Vec::new()));
    let record = Arc::clone(&seen);
    std::thread::spawn(move || {
        for stream in listener.incoming() {
            let Ok(stream) = stream else { continue };
            let mut reader = BufReader::new(stream);
            let mut head = Vec::new();
            loop {
                let mut line = String::new();
                if reader.read_line(&mut line).unwrap_or(0) == 0 || line == "\r\n" {
                    break;
                }
                head.push(line.trim_end().to_owned());
            }
            let Some(request_line) = head.first() else {
                continue;
            };
            let mut parts = request_line.split(' ');
            let method = parts.next().unwrap_or_default().to_owned();
            let target = parts.next().unwrap_or_default().to_owned();
            let header = |name: &str| {
                head[1..].iter().find_map(|h| {
                    let (n, v) = h.split_once(':')?;
                    n.eq_ignore_ascii_case(name).then(|| v.trim().to_owned())
                })
            };
            let length: usize = header("content-length")
                .and_then(|l| l.parse().ok())
                .unwrap_or(0);
            let mut body = vec![0; length];
            let _ = reader.read_exact(&mut body);
            record.lock().unwrap().push(Received {
                method: method.clone(),
                target: target.clone(),
                authorization: header("authorization").unwrap_or_default(),
                launch_token: header("x-sm-config-token").is_some(),
            });
            let (status, answer) = if method == "POST" && target == "/iam/identity/token" {
                (
                    "200 OK",
                    r#"{"access_token":"server-iam-token","expires_in":3600}"#.to_owned(),
                )
            } else {
                (
                    "404 Not Found",
                    r#"{"errors":[{"code":"not_found","message":"not here"}],"trace":"0b7e3c9a-5d1f-4e2a-8c6b-9d0e1f2a3b4c","status_code":404}"#.to_owned(),
                )
            };
            let mut stream = reader.into_inner();
            let _ = write!(
                stream,
                "HTTP/1.1 {status}\r\ncontent-type: application/json\r\ncontent-length: {}\r\nconnection: close\r\n\r\n{answer}",
                answer.len()
            );
        }
    });
    (addr, seen)
}

#[test]
fn check_sends_the_launch_token_of_a_relay_holding_a_credential() {
    let (stand_in, seen) = stand_in();
    let dir = tempfile::tempdir().unwrap();
    let token_path = dir.path().join("serve.token");
    let token_file = token_path.to_str().unwrap();
    let mut child = Command::new(env!("CARGO_BIN_EXE_sm-config"))
        .args([
            "serve",
            "--listen",
            "127.0.0.1:0",
            "--upstream",
            &format!("http://{stand_in}/instance"),
            "--code-engine-url",
            &format!("http://{stand_in}/ce/{{region}}"),
            "--iam-url",
            &format!("http://{stand_in}/iam"),
            "--token-file",
            token_file,
        ])
        .env("IBMCLOUD_API_KEY", "cli-check-server-key")
        .env("RUST_LOG", "warn")
        .stdout(Stdio::piped())
        .stderr(Stdio::inherit())
        .spawn()
        .unwrap();
    let mut line = String::new();
    BufReader::new(child.stdout.take().unwrap())
        .read_line(&mut line)
        .unwrap();
    let relay = Server {
        child,
        addr: String::new(),
        summary: Vec::new(),
    };
    // The first line: the console URL, with the launch token in its fragment.
    let (addr, token) = line
        .trim()
        .strip_prefix(PREFIX)
        .and_then(|rest| rest.split_once("/#token="))
        .unwrap_or_else(|| panic!("unexpected first line {line:?}"));
    assert_eq!(token.len(), 64, "{line}");
    assert_eq!(std::fs::read_to_string(&token_path).unwrap().trim(), token);
    let url = format!("http://{addr}");
    let file = request_file(
        dir.path(),
        "through-relay",
        "rotate-db-password",
        PAYROLL,
        "us-south",
        Some(ROTATED),
    );
    let check = |extra: &[&str]| {
        let mut args = vec![
            "check",
            file.as_str(),
            "--server",
            url.as_str(),
            "--instance-id",
            "b49ad24d-81d4-5ebc-b9b9-b0937d1c84d5",
            "--region",
            "us-south",
        ];
        args.extend_from_slice(extra);
        let out = run(sm_config(&args).env_remove("IBMCLOUD_API_KEY"));
        (
            out.status.code().unwrap(),
            String::from_utf8(out.stdout).unwrap(),
            String::from_utf8(out.stderr).unwrap(),
        )
    };

    // Without the token: exit 2, saying how to get in; nothing reached an upstream.
    let (code, out, err) = check(&[]);
    assert_eq!(code, 2, "{out}\n{err}");
    assert!(
        err.starts_with(&format!(
            "sm-config: could not check: {url} holds an ibm cloud credential and answers only requests with its launch token: pass --token-file FILE"
        )),
        "{err}"
    );
    // A token that is not this server's, and a file that is not there: exit 2 as well.
    let wrong = dir.path().join("wrong.token");
    std::fs::write(&wrong, format!("{}\n", "0".repeat(64))).unwrap();
    let (code, _, err) = check(&["--token-file", wrong.to_str().unwrap()]);
    assert_eq!(code, 2, "{err}");
    assert!(
        err.contains(&format!(
            "the launch token in {} is not the one of {url}",
            wrong.display()
        )),
        "{err}"
    );
    let missing = dir.path().join("missing.token");
    let (code, _, err) = check(&["--token-file", missing.to_str().unwrap()]);
    assert_eq!(code, 2, "{err}");
    assert!(
        err.starts_with(&format!(
            "sm-config: could not check: token file {}: ",
            missing.display()
        )),
        "{err}"
    );
    assert_eq!(
        *seen.lock().unwrap(),
        [],
        "forwarded without the launch token"
    );

    // With it: the facts are read through the relay, with the server's IAM token; the
    // stand-in knows no project, so the check names it and blocks.
    let (code, out, err) = check(&["--token-file", token_file]);
    assert_eq!(code, 1, "{out}\n{err}");
    assert!(out.contains("error[project_not_found]"), "{out}");
    let received = seen.lock().unwrap().clone();
    assert!(
        received.contains(&Received {
            method: "GET".to_owned(),
            target: format!("/ce/us-south/v2/projects/{PAYROLL}"),
            authorization: "Bearer server-iam-token".to_owned(),
            launch_token: false,
        }),
        "{received:?}"
    );
    assert!(
        received.contains(&Received {
            method: "GET".to_owned(),
            target: format!("/instance/api/v2/secrets/{ROTATED}/metadata"),
            authorization: "Bearer server-iam-token".to_owned(),
            launch_token: false,
        }),
        "{received:?}"
    );
    assert!(
        received.iter().all(|r| !r.launch_token),
        "the launch token went upstream: {received:?}"
    );
    for printed in [&out, &err] {
        assert!(!printed.contains(token), "the launch token was printed");
        assert!(!printed.contains("cli-check-server-key"));
    }
    drop(relay);
}
