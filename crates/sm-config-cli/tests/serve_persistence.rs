//! `sm-config serve --data`: a SIGKILL in the middle of a stream of changes loses nothing that
//! was acknowledged and leaves a readable file; SIGTERM shuts down cleanly.

use std::collections::{BTreeSet, VecDeque};
use std::io::{BufRead, BufReader, Read, Write};
use std::net::TcpStream;
use std::path::{Path, PathBuf};
use std::process::{Child, Command, Stdio};
use std::sync::Arc;
use std::sync::atomic::{AtomicUsize, Ordering};
use std::time::Duration;

const PREFIX: &str = "sm-config serve: listening on http://";

/// Starts `sm-config serve` on a free port with `--data file`; returns it and its address.
fn serve(data: &Path) -> (Child, String) {
    let mut child = Command::new(env!("CARGO_BIN_EXE_sm-config"))
        .args(["serve", "--listen", "127.0.0.1:0", "--data"])
        .arg(data)
        .env("RUST_LOG", "warn")
        .stdout(Stdio::piped())
        .stderr(Stdio::inherit())
        .spawn()
        .unwrap();
    let mut line = String::new();
    BufReader::new(child.stdout.take().unwrap())
        .read_line(&mut line)
        .unwrap();
    let addr = line
        .trim()
        .strip_prefix(PREFIX)
        .unwrap_or_else(|| panic!("unexpected first line {line:?}"))
        .to_owned();
    (child, addr)
}

/// One HTTP/1.1 request; `None` when the server is gone.
fn request(addr: &str, method: &str, path: &str, body: Option<&str>) -> Option<(u16, String)> {
    let mut stream = TcpStream::connect(addr).ok()?;
    stream
        .set_read_timeout(Some(Duration::from_secs(10)))
        .ok()?;
    let body = body.unwrap_or("");
    let head = format!(
        "{method} {path} HTTP/1.1\r\nHost: {addr}\r\nAuthorization: Bearer t\r\nContent-Type: application/json\r\nContent-Length: {}\r\nConnection: close\r\n\r\n{body}",
        body.len()
    );
    stream.write_all(head.as_bytes()).ok()?;
    let mut answer = String::new();
    stream.read_to_string(&mut answer).ok()?;
    let status = answer.get(9..12)?.parse().ok()?;
    let body = answer.split_once("\r\n\r\n")?.1.to_owned();
    Some((status, body))
}

fn create_body(i: usize) -> String {
    format!(
        r#"{{"name":"cfg-{i}","config_type":"custom_credentials_configuration","code_engine":{{"job_name":"job-{i}","project_id":"12345678-5120-4a18-832a-4ba122496633","region":"us-south"}}}}"#
    )
}

fn scratch() -> PathBuf {
    let nanos = std::time::SystemTime::now()
        .duration_since(std::time::UNIX_EPOCH)
        .unwrap()
        .as_nanos();
    let dir = std::env::temp_dir().join(format!("sm-config-serve-{}-{nanos}", std::process::id()));
    std::fs::create_dir_all(&dir).unwrap();
    dir
}

/// What the client knows after the kill: names certainly stored, and names whose last change
/// was in flight (they may be there or not).
struct Outcome {
    stored: BTreeSet<String>,
    uncertain: BTreeSet<String>,
}

/// Creates configurations one after another, deleting the oldest to stay under the limit of
/// 10, until the server stops answering.
fn churn(addr: String, acknowledged: Arc<AtomicUsize>) -> Outcome {
    let mut live: VecDeque<String> = VecDeque::new();
    let mut uncertain = BTreeSet::new();
    for i in 0.. {
        if live.len() == 8 {
            let oldest = live.front().unwrap().clone();
            match request(
                &addr,
                "DELETE",
                &format!("/api/v2/configurations/{oldest}"),
                None,
            ) {
                Some((204, _)) => {
                    live.pop_front();
                }
                Some((status, body)) => panic!("delete answered {status}: {body}"),
                None => {
                    uncertain.insert(oldest);
                    break;
                }
            }
        }
        let name = format!("cfg-{i}");
        match request(
            &addr,
            "POST",
            "/api/v2/configurations",
            Some(&create_body(i)),
        ) {
            Some((201, _)) => {
                live.push_back(name);
                acknowledged.fetch_add(1, Ordering::SeqCst);
            }
            Some((status, body)) => panic!("create answered {status}: {body}"),
            None => {
                uncertain.insert(name);
                break;
            }
        }
    }
    let stored = live
        .into_iter()
        .filter(|n| !uncertain.contains(n))
        .collect();
    Outcome { stored, uncertain }
}

fn names(addr: &str) -> BTreeSet<String> {
    let (status, body) = request(addr, "GET", "/api/v2/configurations", None).unwrap();
    assert_eq!(status, 200, "{body}");
    let list: serde_json::Value = serde_json::from_str(&body).unwrap();
    list["configurations"]
        .as_array()
        .unwrap()
        .iter()
        .map(|c| c["name"].as_str().unwrap().to_owned())
        .collect()
}

#[test]
fn sigkill_loses_nothing_acknowledged() {
    let dir = scratch();
    let data = dir.join("state.json");
    for round in 0..3 {
        let (mut child, addr) = serve(&data);
        assert!(names(&addr).is_empty(), "round {round} starts empty");
        let acknowledged = Arc::new(AtomicUsize::new(0));
        let worker = {
            let (addr, acknowledged) = (addr.clone(), Arc::clone(&acknowledged));
            std::thread::spawn(move || churn(addr, acknowledged))
        };
        // Kill at a different point of the stream each round, always mid-stream.
        while acknowledged.load(Ordering::SeqCst) < 15 + round * 7 {
            std::thread::sleep(Duration::from_millis(1));
        }
        child.kill().unwrap();
        child.wait().unwrap();
        let outcome = worker.join().unwrap();

        let text = std::fs::read_to_string(&data).unwrap();
        let file: serde_json::Value = serde_json::from_str(&text).expect("the data file is whole");
        assert!(file["configurations"].is_array());

        let (mut restarted, addr) = serve(&data);
        let found = names(&addr);
        for name in &outcome.stored {
            assert!(
                found.contains(name),
                "round {round}: acknowledged {name} lost; found {found:?}"
            );
        }
        for name in &found {
            assert!(
                outcome.stored.contains(name) || outcome.uncertain.contains(name),
                "round {round}: {name} was never created or was deleted"
            );
        }
        // Start the next round from an empty instance.
        for name in &found {
            let (status, _) = request(
                &addr,
                "DELETE",
                &format!("/api/v2/configurations/{name}"),
                None,
            )
            .unwrap();
            assert_eq!(status, 204);
        }
        restarted.kill().unwrap();
        restarted.wait().unwrap();
    }
    std::fs::remove_dir_all(&dir).unwrap();
}

#[test]
fn sigterm_shuts_down_cleanly() {
    let dir = scratch();
    let (mut child, addr) = serve(&dir.join("state.json"));
    let (status, _) = request(
        &addr,
        "POST",
        "/api/v2/configurations",
        Some(&create_body(1)),
    )
    .unwrap();
    assert_eq!(status, 201);
    let killed = Command::new("kill")
        .args(["-TERM", &child.id().to_string()])
        .status()
        .unwrap();
    assert!(killed.success());
    let exit = child.wait().unwrap();
    assert!(exit.success(), "{exit:?}");
    assert!(
        request(&addr, "GET", "/sm-config/status", None).is_none(),
        "stopped listening"
    );
    std::fs::remove_dir_all(&dir).unwrap();
}
