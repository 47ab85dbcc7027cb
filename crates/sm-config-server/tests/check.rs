//! `POST /sm-config/check`: the core's checklist and findings for a request, from the facts the
//! server reads through its own routes (the emulator's default world here; a relay in
//! `relay_check.rs`). Also the world option that forbids listing.

mod common;

use common::{Answer, Api, emulator, start_with};
use serde_json::{Value, json};
use sm_config_server::world::DEFAULT_WORLD_JSON;
use sm_config_server::{CHECK_PATH, Config, Running};

const PAYROLL: &str = "8c1e5f0a-3b2d-4e6f-9a7b-1c2d3e4f5a6b";
const PARTNERS: &str = "2f7d9b4c-6a1e-4c3d-8b5f-7e9a0c1d2b3e";
const ROTATED: &str = "0b7e3c9a-5d1f-4e2a-8c6b-9d0e1f2a3b4c";
const NO_ROTATION: &str = "1c8f4d0b-6e2a-4f3b-9d7c-0e1f2a3b4c5d";
const INSTANCE: &str = "00000000-0000-0000-0000-000000000000";
const IDS: [&str; 6] = [
    "project",
    "job",
    "provider",
    "unique",
    "credentials",
    "authorization",
];

/// A create body for the default world.
fn request(project: &str, region: &str, job: &str, secret: Option<&str>) -> Value {
    let mut r = json!({
        "name": "db-password",
        "config_type": "custom_credentials_configuration",
        "code_engine": {"job_name": job, "project_id": project, "region": region},
        "task_timeout": "10m"
    });
    if let Some(s) = secret {
        r["api_key_ref"] = json!(s);
    }
    r
}

fn target() -> Value {
    json!({"instance_id": INSTANCE, "region": "us-south", "endpoint": "public"})
}

async fn check_raw(api: &Api, content_type: &str, body: String) -> Answer {
    api.send(
        api.client
            .post(api.url(CHECK_PATH))
            .header("content-type", content_type)
            .body(body),
    )
    .await
}

async fn check(api: &Api, request: Value) -> Answer {
    let answer = check_raw(
        api,
        "application/json",
        json!({"request": request, "target": target()}).to_string(),
    )
    .await;
    assert_eq!(answer.status, 200, "{}", answer.body);
    answer
}

/// `(id, status, codes)` of each prerequisite, asserting the wire shape on the way.
fn statuses(answer: &Answer) -> Vec<(String, String, Vec<String>)> {
    let list = answer.body["prerequisites"].as_array().unwrap();
    let ids: Vec<&str> = list.iter().map(|p| p["id"].as_str().unwrap()).collect();
    assert_eq!(ids, IDS, "{}", answer.body);
    list.iter()
        .map(|p| {
            let title = p["title"].as_str().unwrap();
            assert!(
                !title.is_empty() && title == title.to_lowercase(),
                "{title}"
            );
            (
                p["id"].as_str().unwrap().to_owned(),
                p["status"].as_str().unwrap().to_owned(),
                p["codes"]
                    .as_array()
                    .unwrap()
                    .iter()
                    .map(|c| c.as_str().unwrap().to_owned())
                    .collect(),
            )
        })
        .collect()
}

fn status_of(answer: &Answer, id: &str) -> (String, Vec<String>) {
    statuses(answer)
        .into_iter()
        .find(|(i, _, _)| i == id)
        .map(|(_, s, c)| (s, c))
        .unwrap()
}

fn finding<'a>(answer: &'a Answer, code: &str) -> &'a Value {
    answer.body["findings"]
        .as_array()
        .unwrap()
        .iter()
        .find(|f| f["code"] == code)
        .unwrap_or_else(|| panic!("no {code} in {}", answer.body))
}

#[tokio::test]
async fn a_provider_job_with_a_rotated_secret_and_the_authorization_is_all_ok() {
    let server = emulator().await;
    let api = Api::new(&server);
    let answer = check(
        &api,
        request(PAYROLL, "us-south", "rotate-db-password", Some(ROTATED)),
    )
    .await;
    for (id, status, _) in statuses(&answer) {
        assert_eq!(status, "ok", "{id}: {}", answer.body);
    }
    // The only finding is the provider's schema, as the service will derive it.
    let findings = answer.body["findings"].as_array().unwrap();
    assert_eq!(findings.len(), 1, "{}", answer.body);
    assert_eq!(findings[0]["code"], "provider_schema");
    assert_eq!(findings[0]["severity"], "info");
    assert_eq!(
        findings[0]["message"],
        "job rotate-db-password is a credentials provider: parameters username, db_host; credentials password"
    );
    // The same with the server's instance taken when the target is left out.
    let answer = check_raw(
        &api,
        "application/json",
        json!({"request": request(PAYROLL, "us-south", "rotate-db-password", Some(ROTATED))})
            .to_string(),
    )
    .await;
    assert_eq!(answer.status, 200, "{}", answer.body);
    assert!(statuses(&answer).iter().all(|(_, s, _)| s == "ok"));
}

#[tokio::test]
async fn a_job_that_is_not_a_provider_fails_the_provider() {
    let server = emulator().await;
    let api = Api::new(&server);
    let answer = check(
        &api,
        request(PAYROLL, "us-south", "nightly-report", Some(ROTATED)),
    )
    .await;
    assert_eq!(
        status_of(&answer, "provider"),
        ("failed".to_owned(), vec!["not_a_provider".to_owned()])
    );
    assert_eq!(status_of(&answer, "job").0, "ok");
    let f = finding(&answer, "not_a_provider");
    assert_eq!(f["severity"], "error");
    assert_eq!(f["path"], "code_engine.job_name");
}

#[tokio::test]
async fn a_secret_without_rotation_fails_the_credentials_with_its_fix() {
    let server = emulator().await;
    let api = Api::new(&server);
    let answer = check(
        &api,
        request(PAYROLL, "us-south", "rotate-db-password", Some(NO_ROTATION)),
    )
    .await;
    assert_eq!(
        status_of(&answer, "credentials"),
        ("failed".to_owned(), vec!["secret_no_rotation".to_owned()])
    );
    let fix = &finding(&answer, "secret_no_rotation")["fix"];
    assert_eq!(fix["kind"], "iam_credentials_secret", "{fix}");
    for form in ["summary", "cli", "terraform", "curl"] {
        assert!(!fix[form].as_str().unwrap().is_empty(), "{form}: {fix}");
    }
    // The fix's JSON is the create body for a secret that rotates, in the secret's group.
    let body: Value = serde_json::from_str(fix["json"].as_str().unwrap()).unwrap();
    assert_eq!(body["secret_type"], "iam_credentials");
    assert_eq!(body["rotation"]["auto_rotate"], true);
    assert_eq!(body["reuse_api_key"], true);
    assert_eq!(
        body["secret_group_id"],
        "d2b5e8f1-4c7a-4b0d-9e3f-6a9c2b5e8f10"
    );
    // Nothing else failed.
    for (id, status, _) in statuses(&answer) {
        if id != "credentials" {
            assert_eq!(status, "ok", "{id}");
        }
    }
}

#[tokio::test]
async fn a_missing_authorization_fails_with_the_policy_to_create() {
    let server = emulator().await;
    let api = Api::new(&server);
    let answer = check(
        &api,
        request(PARTNERS, "eu-de", "issue-partner-key", Some(ROTATED)),
    )
    .await;
    assert_eq!(
        status_of(&answer, "authorization"),
        (
            "failed".to_owned(),
            vec!["authorization_missing".to_owned()]
        )
    );
    let fix = &finding(&answer, "authorization_missing")["fix"];
    assert_eq!(fix["kind"], "authorization", "{fix}");
    let policy: Value = serde_json::from_str(fix["json"].as_str().unwrap()).unwrap();
    assert_eq!(policy["type"], "authorization");
    let roles: Vec<&str> = policy["roles"]
        .as_array()
        .unwrap()
        .iter()
        .map(|r| r["role_id"].as_str().unwrap())
        .collect();
    assert_eq!(
        roles,
        [
            "crn:v1:bluemix:public:iam::::role:Viewer",
            "crn:v1:bluemix:public:iam::::serviceRole:Writer"
        ]
    );
    let text = policy.to_string();
    assert!(text.contains(PARTNERS) && text.contains(INSTANCE), "{text}");
    // The fix is what the emulator's IAM takes: creating it turns the item green.
    let created = api
        .send(
            api.client
                .post(api.url("/iam/v1/policies"))
                .bearer_auth(common::TOKEN)
                .header("content-type", "application/json")
                .body(fix["json"].as_str().unwrap().to_owned()),
        )
        .await;
    assert_eq!(created.status, 201, "{}", created.body);
    let answer = check(
        &api,
        request(PARTNERS, "eu-de", "issue-partner-key", Some(ROTATED)),
    )
    .await;
    assert_eq!(
        status_of(&answer, "authorization").0,
        "ok",
        "{}",
        answer.body
    );
}

#[tokio::test]
async fn validation_findings_come_first_and_skip_their_checks() {
    let server = emulator().await;
    let api = Api::new(&server);
    let mut r = request(PAYROLL, "us-south", "rotate-db-password", Some(ROTATED));
    r["code_engine"]["project_id"] = json!("not/a/project");
    let answer = check(&api, r).await;
    let first = &answer.body["findings"][0];
    assert_eq!(first["path"], "code_engine.project_id", "{}", answer.body);
    assert_eq!(first["severity"], "error");
    assert_eq!(
        statuses(&answer)
            .iter()
            .map(|(_, s, _)| s.as_str())
            .collect::<Vec<_>>(),
        ["skipped", "skipped", "skipped", "ok", "ok", "skipped"]
    );
}

#[tokio::test]
async fn a_body_that_cannot_be_read_is_a_400_never_a_500() {
    let server = emulator().await;
    let api = Api::new(&server);
    for (body, code) in [
        ("not json".to_owned(), "invalid_body"),
        ("[]".to_owned(), "invalid_body"),
        ("{}".to_owned(), "invalid_body"),
        (json!({"request": "x"}).to_string(), "invalid_body"),
        (json!({"request": [1]}).to_string(), "invalid_body"),
        (
            json!({"request": {}, "target": target(), "extra": 1}).to_string(),
            "invalid_body",
        ),
        (
            json!({"request": {}, "target": {"instance_id": 1}}).to_string(),
            "invalid_body",
        ),
    ] {
        let answer = check_raw(&api, "application/json", body.clone()).await;
        assert_eq!(answer.status, 400, "{body}: {}", answer.body);
        assert_eq!(answer.codes(), [code], "{body}");
    }
    // Another instance than the one this server reads.
    let other = json!({"request": {}, "target": {"instance_id": "b49ad24d-81d4-5ebc-b9b9-b0937d1c84d5", "region": "us-south"}});
    let answer = check_raw(&api, "application/json", other.to_string()).await;
    assert_eq!(answer.status, 400, "{}", answer.body);
    assert_eq!(answer.targets(), ["target"]);
    assert!(
        answer.body["errors"][0]["message"]
            .as_str()
            .unwrap()
            .starts_with("this server reads instance `00000000-0000-0000-0000-000000000000` in `us-south` (public), not `b49ad24d-"),
        "{}",
        answer.body
    );
    let answer = check_raw(&api, "text/plain", "{}".to_owned()).await;
    assert_eq!(answer.status, 415);
    let answer = check_raw(
        &api,
        "application/json",
        format!("{{\"request\": \"{}\"}}", "x".repeat(70_000)),
    )
    .await;
    assert_eq!(answer.status, 413);
    // A request that is an object but not a valid one is an answer, not a 400: the page
    // checks drafts.
    let answer = check(&api, json!({})).await;
    assert!(
        answer.body["findings"]
            .as_array()
            .unwrap()
            .iter()
            .any(|f| f["code"] == "required")
    );
    let get = api.get(CHECK_PATH).await;
    assert_eq!(get.status, 405);
}

async fn with_world(change: impl FnOnce(&mut Value)) -> (Running, tempfile::TempDir) {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("world.json");
    let mut world: Value = serde_json::from_str(DEFAULT_WORLD_JSON).unwrap();
    change(&mut world);
    std::fs::write(&path, world.to_string()).unwrap();
    let server = start_with(Config {
        listen: "127.0.0.1:0".parse().unwrap(),
        world: Some(path),
        ..Config::default()
    })
    .await;
    (server, dir)
}

#[tokio::test]
async fn a_world_can_forbid_listing_but_not_reading_by_id() {
    let (server, _dir) = with_world(|w| {
        w["forbidden"] = json!(["projects", "jobs", "secrets", "secret_groups", "policies"]);
    })
    .await;
    assert!(
        server
            .summary()
            .iter()
            .any(|l| l.contains("listing forbidden (403) for: code engine projects, code engine jobs, secrets, secret groups, iam policies")),
        "{:?}",
        server.summary()
    );
    let api = Api::new(&server);
    for (path, what) in [
        ("/codeengine/us-south/v2/projects", "code engine projects"),
        (
            &format!("/codeengine/us-south/v2/projects/{PAYROLL}/jobs")[..],
            "code engine jobs",
        ),
        ("/api/v2/secrets", "secrets"),
        ("/api/v2/secret_groups", "secret groups"),
        (
            "/iam/v1/policies?account_id=a0c5f1d2e3b4a5968778695a4b3c2d1e",
            "iam policies",
        ),
    ] {
        let answer = api.get(path).await;
        assert_eq!(answer.status, 403, "{path}: {}", answer.body);
        assert_eq!(answer.codes(), ["forbidden"], "{path}");
        assert_eq!(
            answer.body["errors"][0]["message"],
            format!("the caller is not authorized to list {what}: read one by its id instead")
        );
    }
    // One item by its ID still works: the free-text path.
    for path in [
        format!("/codeengine/us-south/v2/projects/{PAYROLL}"),
        format!("/codeengine/us-south/v2/projects/{PAYROLL}/jobs/rotate-db-password"),
        format!("/api/v2/secrets/{ROTATED}/metadata"),
    ] {
        let answer = api.get(&path).await;
        assert_eq!(answer.status, 200, "{path}: {}", answer.body);
    }
    // The check reads by ID, except the policies, which only a list gives: that one cannot
    // be told, and says why.
    let answer = check(
        &api,
        request(PAYROLL, "us-south", "rotate-db-password", Some(ROTATED)),
    )
    .await;
    assert_eq!(
        statuses(&answer)
            .iter()
            .map(|(_, s, _)| s.as_str())
            .collect::<Vec<_>>(),
        ["ok", "ok", "ok", "ok", "ok", "unknown"]
    );
    assert_eq!(status_of(&answer, "authorization").1, ["fact_unavailable"]);
    let message = finding(&answer, "fact_unavailable")["message"]
        .as_str()
        .unwrap();
    assert!(
        message.starts_with("could not check the service authorization: ")
            && message.contains("answered 403: the caller is not authorized to list iam policies"),
        "{message}"
    );
}

#[tokio::test]
async fn a_forbidden_list_must_be_one_the_world_knows() {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("world.json");
    let mut world: Value = serde_json::from_str(DEFAULT_WORLD_JSON).unwrap();
    world["forbidden"] = json!(["configurations"]);
    std::fs::write(&path, world.to_string()).unwrap();
    let err = sm_config_server::start(Config {
        listen: "127.0.0.1:0".parse().unwrap(),
        world: Some(path),
        ..Config::default()
    })
    .await
    .expect_err("unknown list");
    let shown = err.to_string();
    assert!(
        shown.contains("unknown variant `configurations`"),
        "{shown}"
    );
}
