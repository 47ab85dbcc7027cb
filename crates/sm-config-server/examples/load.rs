//! A small load generator for `sm-config serve`, used by `cargo xtask bench server`.
//!
//! `load URL cycle|get CONNECTIONS SECONDS` keeps CONNECTIONS keep-alive HTTP/1.1 connections
//! busy for SECONDS (after a one-second warm-up) and prints one JSON line: requests, round
//! trips, errors, and latency percentiles in microseconds.
//!
//! - `cycle`: each connection creates a configuration of its own, reads it back and deletes
//!   it, over and over (the emulator holds at most 10, so creates must be undone; at most 10
//!   connections). A round trip is one create + get (+ the delete that makes room again).
//! - `get`: every connection reads one configuration created beforehand.
//! - `prereq`: every connection reads the emulated world's routes in turn (the default world):
//!   Code Engine projects of a region, one job, IAM credentials secrets, one secret's metadata,
//!   the authorization policies. A round trip is the five reads.

use axum::body::Bytes;
use http_body_util::{BodyExt, Full};
use hyper::client::conn::http1::{self, SendRequest};
use hyper::{Method, Request, StatusCode};
use hyper_util::rt::TokioIo;
use std::time::{Duration, Instant};

const PROJECT: &str = "12345678-5120-4a18-832a-4ba122496633";
const WARM_UP: Duration = Duration::from_secs(1);
/// The `prereq` reads, in the default world.
const PREREQ_PATHS: [&str; 5] = [
    "/codeengine/us-south/v2/projects",
    "/codeengine/us-south/v2/projects/8c1e5f0a-3b2d-4e6f-9a7b-1c2d3e4f5a6b/jobs/rotate-db-password",
    "/api/v2/secrets?secret_types=iam_credentials",
    "/api/v2/secrets/0b7e3c9a-5d1f-4e2a-8c6b-9d0e1f2a3b4c/metadata",
    "/iam/v1/policies?account_id=a0c5f1d2e3b4a5968778695a4b3c2d1e&type=authorization",
];

#[derive(Default)]
struct Tally {
    requests: u64,
    cycles: u64,
    errors: u64,
    latencies_us: Vec<u32>,
}

struct Conn {
    sender: SendRequest<Full<Bytes>>,
    host: String,
}

impl Conn {
    async fn open(host: &str) -> Conn {
        let stream = tokio::net::TcpStream::connect(host).await.expect("connect");
        stream.set_nodelay(true).expect("nodelay");
        let (sender, conn) = http1::handshake(TokioIo::new(stream))
            .await
            .expect("handshake");
        tokio::spawn(conn);
        Conn {
            sender,
            host: host.to_owned(),
        }
    }

    /// Sends one request; returns its status and how long it took.
    async fn send(
        &mut self,
        method: Method,
        path: &str,
        content_type: &str,
        body: Bytes,
    ) -> (StatusCode, Duration) {
        let request = Request::builder()
            .method(method)
            .uri(path)
            .header("host", &self.host)
            .header("authorization", "Bearer bench")
            .header("content-type", content_type)
            .body(Full::new(body))
            .expect("request");
        let started = Instant::now();
        self.sender.ready().await.expect("connection ready");
        let response = self.sender.send_request(request).await.expect("response");
        let status = response.status();
        response.into_body().collect().await.expect("body");
        (status, started.elapsed())
    }
}

fn create_body(name: &str, job: &str) -> Bytes {
    Bytes::from(format!(
        r#"{{"name":"{name}","config_type":"custom_credentials_configuration","api_key_ref":"a2f9c2e4-a3a8-c508-2bed-fcb7c26843ca","code_engine":{{"job_name":"{job}","project_id":"{PROJECT}","region":"us-south"}},"task_timeout":"30m"}}"#
    ))
}

async fn worker(host: String, mode: String, id: usize, start: Instant, end: Instant) -> Tally {
    let mut conn = Conn::open(&host).await;
    let mut tally = Tally::default();
    let name = format!("load-{id}");
    let path = format!("/api/v2/configurations/{name}");
    let body = create_body(&name, &format!("load-job-{id}"));
    let record = |tally: &mut Tally, ok: bool, took: Duration| {
        if Instant::now() >= start {
            tally.requests += 1;
            tally.errors += u64::from(!ok);
            tally
                .latencies_us
                .push(u32::try_from(took.as_micros()).unwrap_or(u32::MAX));
        }
    };
    while Instant::now() < end {
        if mode == "cycle" {
            let (s, t) = conn
                .send(
                    Method::POST,
                    "/api/v2/configurations",
                    "application/json",
                    body.clone(),
                )
                .await;
            record(&mut tally, s == StatusCode::CREATED, t);
            let (s, t) = conn
                .send(Method::GET, &path, "application/json", Bytes::new())
                .await;
            record(&mut tally, s == StatusCode::OK, t);
            let (s, t) = conn
                .send(Method::DELETE, &path, "application/json", Bytes::new())
                .await;
            record(&mut tally, s == StatusCode::NO_CONTENT, t);
            if Instant::now() >= start {
                tally.cycles += 1;
            }
        } else if mode == "prereq" {
            for path in PREREQ_PATHS {
                let (s, t) = conn
                    .send(Method::GET, path, "application/json", Bytes::new())
                    .await;
                record(&mut tally, s == StatusCode::OK, t);
            }
            if Instant::now() >= start {
                tally.cycles += 1;
            }
        } else {
            let (s, t) = conn
                .send(
                    Method::GET,
                    "/api/v2/configurations/load-shared",
                    "application/json",
                    Bytes::new(),
                )
                .await;
            record(&mut tally, s == StatusCode::OK, t);
            if Instant::now() >= start {
                tally.cycles += 1;
            }
        }
    }
    tally
}

fn percentile(sorted: &[u32], p: f64) -> u32 {
    if sorted.is_empty() {
        return 0;
    }
    let rank = ((p / 100.0) * sorted.len() as f64).ceil() as usize;
    sorted[rank.clamp(1, sorted.len()) - 1]
}

#[tokio::main]
async fn main() {
    let args: Vec<String> = std::env::args().skip(1).collect();
    let [url, mode, connections, seconds] = args.as_slice() else {
        eprintln!("usage: load URL cycle|get|prereq CONNECTIONS SECONDS");
        std::process::exit(2);
    };
    let host = url
        .trim_start_matches("http://")
        .trim_end_matches('/')
        .to_owned();
    let connections: usize = connections.parse().expect("connections");
    let seconds: u64 = seconds.parse().expect("seconds");
    assert!(
        ["cycle", "get", "prereq"].contains(&mode.as_str()),
        "mode is cycle, get or prereq"
    );
    if mode == "get" {
        let mut conn = Conn::open(&host).await;
        let (status, _) = conn
            .send(
                Method::POST,
                "/api/v2/configurations",
                "application/json",
                create_body("load-shared", "load-shared-job"),
            )
            .await;
        assert!(
            status == StatusCode::CREATED || status == StatusCode::CONFLICT,
            "setup: {status}"
        );
    }
    let start = Instant::now() + WARM_UP;
    let end = start + Duration::from_secs(seconds);
    let tasks: Vec<_> = (0..connections)
        .map(|id| tokio::spawn(worker(host.clone(), mode.clone(), id, start, end)))
        .collect();
    let mut total = Tally::default();
    for task in tasks {
        let t = task.await.expect("worker");
        total.requests += t.requests;
        total.cycles += t.cycles;
        total.errors += t.errors;
        total.latencies_us.extend(t.latencies_us);
    }
    let measured = Instant::now()
        .saturating_duration_since(start)
        .as_secs_f64();
    total.latencies_us.sort_unstable();
    let l = &total.latencies_us;
    println!(
        "{{\"mode\":\"{mode}\",\"connections\":{connections},\"seconds\":{measured:.3},\"requests\":{},\"round_trips\":{},\"errors\":{},\"p50_us\":{},\"p90_us\":{},\"p99_us\":{},\"max_us\":{}}}",
        total.requests,
        total.cycles,
        total.errors,
        percentile(l, 50.0),
        percentile(l, 90.0),
        percentile(l, 99.0),
        l.last().copied().unwrap_or(0)
    );
}
