//! The emulated world over loopback HTTP: Code Engine, Secrets Manager secrets and groups, IAM
//! policies; paging, filters, 404s and each service's error body; world files; `--data`.

mod common;

use common::{Answer, Api, TOKEN, emulator, start_with};
use serde_json::{Value, json};
use sm_config_server::world::{DEFAULT_WORLD_JSON, default_world};
use sm_config_server::{Config, ServeError, start};

const ACCOUNT: &str = "a0c5f1d2e3b4a5968778695a4b3c2d1e";
const PAYROLL: &str = "8c1e5f0a-3b2d-4e6f-9a7b-1c2d3e4f5a6b";
const PARTNERS: &str = "2f7d9b4c-6a1e-4c3d-8b5f-7e9a0c1d2b3e";
const ROTATED: &str = "0b7e3c9a-5d1f-4e2a-8c6b-9d0e1f2a3b4c";

fn names(list: &Value, key: &str) -> Vec<String> {
    list[key]
        .as_array()
        .unwrap_or_else(|| panic!("no {key} in {list}"))
        .iter()
        .map(|x| x["name"].as_str().unwrap().to_owned())
        .collect()
}

#[track_caller]
fn assert_error(answer: &Answer, status: u16, code: &str) {
    assert_eq!(answer.status, status, "{}", answer.body);
    assert_eq!(answer.codes(), [code], "{}", answer.body);
}

async fn post(api: &Api, path: &str, body: &Value) -> Answer {
    api.send(
        api.client
            .post(api.url(path))
            .bearer_auth(TOKEN)
            .header("content-type", "application/json")
            .body(body.to_string()),
    )
    .await
}

#[tokio::test]
async fn code_engine_projects_and_jobs() {
    let server = emulator().await;
    let api = Api::new(&server);
    let us = api.get("/codeengine/us-south/v2/projects").await;
    assert_eq!(us.status, 200, "{}", us.body);
    assert_eq!(names(&us.body, "projects"), ["payroll"]);
    assert_eq!(us.body["limit"], 100);
    assert!(us.body.get("next").is_none(), "one page: {}", us.body);
    let p = &us.body["projects"][0];
    assert_eq!(p["id"], PAYROLL);
    assert_eq!(p["status"], "active");
    assert_eq!(p["resource_type"], "project_v2");
    assert_eq!(
        p["crn"],
        format!("crn:v1:bluemix:public:codeengine:us-south:a/{ACCOUNT}:{PAYROLL}::")
    );
    assert_eq!(
        p["href"],
        format!("{}/codeengine/us-south/v2/projects/{PAYROLL}", server.url())
    );
    let eu = api.get("/codeengine/eu-de/v2/projects").await;
    assert_eq!(names(&eu.body, "projects"), ["partners", "legacy"]);

    // Paging with limit and the start token of next.
    let first = api.get("/codeengine/eu-de/v2/projects?limit=1").await;
    assert_eq!(names(&first.body, "projects"), ["partners"]);
    let start = first.body["next"]["start"].as_str().unwrap().to_owned();
    let next_href = first.body["next"]["href"].as_str().unwrap();
    assert!(
        next_href.ends_with(&format!("limit=1&start={start}")),
        "{next_href}"
    );
    let second = api
        .get(&format!(
            "/codeengine/eu-de/v2/projects?limit=1&start={start}"
        ))
        .await;
    assert_eq!(names(&second.body, "projects"), ["legacy"]);
    assert!(second.body.get("next").is_none(), "{}", second.body);

    for (query, param) in [
        ("limit=0", "limit"),
        ("limit=101", "limit"),
        ("start=12", "start"),
        ("limit=1&limit=2", "limit"),
    ] {
        let bad = api
            .get(&format!("/codeengine/eu-de/v2/projects?{query}"))
            .await;
        assert_error(&bad, 400, "invalid_query_parameter");
        assert_eq!(bad.targets(), [param], "{query}");
    }

    // One project, its jobs, one job.
    let one = api
        .get(&format!("/codeengine/us-south/v2/projects/{PAYROLL}"))
        .await;
    assert_eq!(one.body["name"], "payroll");
    let jobs = api
        .get(&format!(
            "/codeengine/us-south/v2/projects/{PAYROLL}/jobs?limit=2"
        ))
        .await;
    assert_eq!(
        names(&jobs.body, "jobs"),
        ["rotate-db-password", "trusted-issuer"]
    );
    assert!(jobs.body["next"]["start"].is_string());
    let job = api
        .get(&format!(
            "/codeengine/us-south/v2/projects/{PAYROLL}/jobs/trusted-issuer"
        ))
        .await;
    assert_eq!(job.status, 200, "{}", job.body);
    assert_eq!(job.body["run_compute_resource_token_enabled"], true);
    assert_eq!(job.body["project_id"], PAYROLL);
    assert_eq!(job.body["run_env_variables"][1]["name"], "SMOUT_TOKEN");
    assert_eq!(job.body["run_env_variables"][1]["type"], "literal");

    // 404s in Code Engine's body: a project in another region, unknown ids, names, regions.
    for path in [
        format!("/codeengine/us-south/v2/projects/{PARTNERS}"),
        format!("/codeengine/eu-de/v2/projects/{PAYROLL}/jobs"),
        format!("/codeengine/us-south/v2/projects/{PAYROLL}/jobs/nope"),
        "/codeengine/mars/v2/projects".to_owned(),
        "/codeengine/us-south/v2/apps".to_owned(),
        "/codeengine/us-south/v1/projects".to_owned(),
    ] {
        let missing = api.get(&path).await;
        assert_error(&missing, 404, "resource_not_found");
    }
    // No token, no answer.
    let anonymous = api
        .send(api.client.get(api.url("/codeengine/us-south/v2/projects")))
        .await;
    assert_error(&anonymous, 401, "missing_bearer_token");
    // Read only.
    let write = api
        .send(
            api.client
                .post(api.url("/codeengine/us-south/v2/projects"))
                .bearer_auth(TOKEN),
        )
        .await;
    assert_eq!(write.status, 405, "{}", write.body);
}

#[tokio::test]
async fn secrets_lists_filters_and_metadata() {
    let server = emulator().await;
    let api = Api::new(&server);
    let all = api.get("/api/v2/secrets").await;
    assert_eq!(all.status, 200, "{}", all.body);
    assert_eq!(all.body["total_count"], 4);
    assert_eq!(all.body["limit"], 200);
    assert_eq!(all.body["offset"], 0);
    assert!(all.body["first"]["href"].is_string() && all.body["last"]["href"].is_string());

    let iam = api
        .get("/api/v2/secrets?secret_types=iam_credentials")
        .await;
    assert_eq!(
        names(&iam.body, "secrets"),
        ["provider-key", "no-rotation-key", "no-reuse-key"]
    );
    let s = &iam.body["secrets"][0];
    assert_eq!(
        s["rotation"],
        json!({"auto_rotate": true, "interval": 60, "unit": "day"})
    );
    assert_eq!(s["reuse_api_key"], true);
    assert_eq!(s["state"], 1);
    assert_eq!(s["state_description"], "active");
    assert!(s.get("api_key").is_none(), "never a payload: {s}");
    assert!(iam.body["secrets"][1].get("rotation").is_none());

    let page = api
        .get("/api/v2/secrets?secret_types=iam_credentials&limit=2&offset=2&sort=name")
        .await;
    assert_eq!(names(&page.body, "secrets"), ["provider-key"]);
    assert_eq!(page.body["total_count"], 3);
    let prev = page.body["previous"]["href"].as_str().unwrap();
    assert!(
        prev.contains("offset=0") && prev.contains("secret_types=iam_credentials"),
        "{prev}"
    );
    assert!(page.body.get("next").is_none());

    let found = api.get("/api/v2/secrets?search=PAYROLL").await;
    assert_eq!(
        names(&found.body, "secrets"),
        ["db-note"],
        "labels are searched"
    );
    let grouped = api.get("/api/v2/secrets?groups=default").await;
    assert_eq!(names(&grouped.body, "secrets"), ["no-reuse-key", "db-note"]);
    let labelled = api
        .get("/api/v2/secrets?match_all_labels=payroll,other")
        .await;
    assert_eq!(labelled.body["total_count"], 0);

    for (query, param) in [
        ("limit=1001", "limit"),
        ("offset=-1", "offset"),
        ("search=x", "search"),
        ("secret_types=certificates", "secret_types"),
        ("groups=nope", "groups"),
        ("sort=size", "sort"),
    ] {
        let bad = api.get(&format!("/api/v2/secrets?{query}")).await;
        assert_error(&bad, 400, "invalid_query_parameter");
        assert_eq!(bad.targets(), [param]);
    }

    let meta = api
        .get(&format!("/api/v2/secrets/{ROTATED}/metadata"))
        .await;
    assert_eq!(meta.status, 200, "{}", meta.body);
    assert_eq!(meta.body["name"], "provider-key");
    assert_eq!(
        meta.body["crn"],
        format!(
            "crn:v1:bluemix:public:secrets-manager:us-south:a/{ACCOUNT}:00000000-0000-0000-0000-000000000000:secret:{ROTATED}"
        )
    );
    let unknown = api
        .get("/api/v2/secrets/00000000-0000-4000-8000-000000000000/metadata")
        .await;
    assert_error(&unknown, 404, "secret_not_found");
    assert_error(
        &api.get("/api/v2/secrets/nope/metadata").await,
        400,
        "invalid_path",
    );
    // The payload route is not served.
    assert_error(
        &api.get(&format!("/api/v2/secrets/{ROTATED}")).await,
        404,
        "not_found",
    );

    let groups = api.get("/api/v2/secret_groups").await;
    assert_eq!(groups.body["total_count"], 1);
    assert_eq!(
        groups.body["secret_groups"][0]["name"],
        "custom-credentials"
    );
    assert!(groups.body["secret_groups"][0]["description"].is_string());
}

#[tokio::test]
async fn creating_an_iam_credentials_secret() {
    let server = emulator().await;
    let api = Api::new(&server);
    let request = json!({
        "secret_type": "iam_credentials",
        "name": "new-provider-key",
        "secret_group_id": "d2b5e8f1-4c7a-4b0d-9e3f-6a9c2b5e8f10",
        "ttl": "90d",
        "service_id": "ServiceId-6f1d2c3b-4a5e-4f60-8a7b-9c0d1e2f3a4b",
        "reuse_api_key": true,
        "rotation": {"auto_rotate": true, "interval": 60, "unit": "day"}
    });
    let created = post(&api, "/api/v2/secrets", &request).await;
    assert_eq!(created.status, 201, "{}", created.body);
    assert_eq!(created.body["secret_type"], "iam_credentials");
    assert!(created.body.get("api_key").is_none());
    let id = created.body["id"].as_str().unwrap().to_owned();
    let meta = api.get(&format!("/api/v2/secrets/{id}/metadata")).await;
    assert_eq!(meta.body["rotation"]["auto_rotate"], true);
    let listed = api
        .get("/api/v2/secrets?secret_types=iam_credentials")
        .await;
    assert_eq!(listed.body["total_count"], 4);

    let again = post(&api, "/api/v2/secrets", &request).await;
    assert_error(&again, 409, "secret_already_exists");
    let mut arbitrary = request.clone();
    arbitrary["secret_type"] = json!("arbitrary");
    let refused = post(&api, "/api/v2/secrets", &arbitrary).await;
    assert_error(&refused, 400, "invalid_field");
    assert_eq!(refused.targets(), ["secret_type"]);
    for (field, value, target) in [
        ("ttl", json!("ninety days"), "ttl"),
        ("rotation", json!({"auto_rotate": true}), "rotation"),
        (
            "rotation",
            json!({"auto_rotate": true, "interval": 1, "unit": "hour"}),
            "rotation.unit",
        ),
        ("name", json!("x"), "name"),
        (
            "secret_group_id",
            json!("00000000-0000-4000-8000-000000000000"),
            "secret_group_id",
        ),
        ("payload", json!("hunter2"), "payload"),
        ("custom_metadata", json!({"a": 1}), "custom_metadata"),
    ] {
        let mut bad = request.clone();
        bad["name"] = json!("another-key");
        bad[field] = value;
        let answer = post(&api, "/api/v2/secrets", &bad).await;
        assert!(
            matches!(answer.status, 400 | 404),
            "{field}: {}",
            answer.body
        );
        assert_eq!(answer.targets(), [target], "{field}: {}", answer.body);
    }
    let mut no_identity = request.clone();
    no_identity["name"] = json!("third-key");
    no_identity.as_object_mut().unwrap().remove("service_id");
    assert_eq!(
        post(&api, "/api/v2/secrets", &no_identity).await.targets(),
        ["service_id"]
    );
}

/// The emulator's answer to a create and the core's errors (`core`, their paths) agree: both
/// take it, or both refuse it on `refused` alone (the emulator with 400 `invalid_field`).
#[track_caller]
fn assert_agree(name: &str, answer: &Answer, core: &[String], refused: Option<&str>) {
    match refused {
        None => {
            assert_eq!(answer.status, 201, "{name}: {}", answer.body);
            assert!(core.is_empty(), "{name}: the core refuses {core:?}");
        }
        Some(field) => {
            assert_error(answer, 400, "invalid_field");
            assert_eq!(answer.targets(), [field], "{name}: {}", answer.body);
            assert_eq!(core, [field], "{name}: the core");
        }
    }
}

/// The emulator's create and the core's `SecretSettings::check` agree, field by field, on the
/// boundaries: the TTL's bounds (1 minute, 90 days, as a string or a number of seconds), its
/// shape, the name's pattern, and the proposal's placeholder service ID.
#[tokio::test]
async fn the_emulator_and_the_core_agree_on_secret_rules() {
    let server = emulator().await;
    let api = Api::new(&server);
    let service_id = "ServiceId-6f1d2c3b-4a5e-4f60-8a7b-9c0d1e2f3a4b";
    let placeholder = sm_config::prereq::SERVICE_ID_PLACEHOLDER;
    // (name, ttl, service id, the field refused or None when created)
    let cases: [(&str, Value, &str, Option<&str>); 12] = [
        ("ttl-90d", json!("90d"), service_id, None),
        ("ttl-91d", json!("91d"), service_id, Some("ttl")),
        ("ttl-59s", json!("59s"), service_id, Some("ttl")),
        ("ttl-60s", json!("60s"), service_id, None),
        ("ttl-1m", json!("1m"), service_id, None),
        ("ttl-7776001", json!(7_776_001), service_id, Some("ttl")),
        ("ttl-7776000", json!(7_776_000), service_id, None),
        ("ttl-comma", json!("9,d"), service_id, Some("ttl")),
        ("-starts-with-dash", json!("30d"), service_id, Some("name")),
        ("ends-with-dot.", json!("30d"), service_id, Some("name")),
        ("x", json!("30d"), service_id, Some("name")),
        (
            "placeholder-id",
            json!("30d"),
            placeholder,
            Some("service_id"),
        ),
    ];
    for (name, ttl, sid, refused) in cases {
        let body = json!({
            "secret_type": "iam_credentials", "name": name, "secret_group_id": "default",
            "ttl": ttl, "service_id": sid, "reuse_api_key": true,
            "rotation": {"auto_rotate": true, "interval": 30, "unit": "day"}
        });
        let answer = post(&api, "/api/v2/secrets", &body).await;
        let settings: sm_config::prereq::SecretSettings = serde_json::from_value(json!({
            "name": name, "secret_group_id": "default", "service_id": sid,
            "ttl": ttl.as_str().map_or_else(|| ttl.to_string(), str::to_owned),
            "rotation": {"auto_rotate": true, "interval": 30, "unit": "day"}
        }))
        .unwrap();
        let core: Vec<String> = settings
            .check()
            .errors()
            .map(|f| f.path.to_string())
            .collect();
        assert_agree(name, &answer, &core, refused);
    }
}

fn authorization(project: &str) -> Value {
    json!({
        "type": "authorization",
        "subjects": [{"attributes": [
            {"name": "accountId", "value": ACCOUNT},
            {"name": "serviceName", "value": "secrets-manager"},
            {"name": "serviceInstance", "value": "00000000-0000-0000-0000-000000000000"}]}],
        "roles": [
            {"role_id": "crn:v1:bluemix:public:iam::::role:Viewer"},
            {"role_id": "crn:v1:bluemix:public:iam::::serviceRole:Writer"}],
        "resources": [{"attributes": [
            {"name": "accountId", "value": ACCOUNT, "operator": "stringEquals"},
            {"name": "serviceName", "value": "codeengine", "operator": "stringEquals"},
            {"name": "serviceInstance", "value": project, "operator": "stringEquals"}]}]
    })
}

#[tokio::test]
async fn iam_policies_list_and_create() {
    let server = emulator().await;
    let api = Api::new(&server);
    let missing = api.get("/iam/v1/policies?type=authorization").await;
    assert_error(&missing, 400, "missing_required_query_parameter");
    assert_eq!(missing.targets(), ["account_id"]);
    let list = api
        .get(&format!(
            "/iam/v1/policies?account_id={ACCOUNT}&type=authorization"
        ))
        .await;
    assert_eq!(list.status, 200, "{}", list.body);
    let policies = list.body["policies"].as_array().unwrap();
    assert_eq!(policies.len(), 1);
    assert_eq!(policies[0]["roles"][1]["display_name"], "Writer");
    assert_eq!(list.body["limit"], 50);
    let other = api
        .get("/iam/v1/policies?account_id=ffffffffffffffffffffffffffffffff")
        .await;
    assert_eq!(other.body["policies"], json!([]));
    let access = api
        .get(&format!(
            "/iam/v1/policies?account_id={ACCOUNT}&type=access"
        ))
        .await;
    assert_eq!(access.body["policies"], json!([]));
    let bad = api
        .get(&format!("/iam/v1/policies?account_id={ACCOUNT}&type=owner"))
        .await;
    assert_error(&bad, 400, "invalid_query_parameter");

    let created = post(&api, "/iam/v1/policies", &authorization(PARTNERS)).await;
    assert_eq!(created.status, 201, "{}", created.body);
    assert_eq!(created.body["state"], "active");
    let id = created.body["id"].as_str().unwrap().to_owned();
    let page1 = api
        .get(&format!(
            "/iam/v1/policies?account_id={ACCOUNT}&type=authorization&limit=1"
        ))
        .await;
    assert_eq!(page1.body["policies"].as_array().unwrap().len(), 1);
    let start = page1.body["next"]["start"].as_str().unwrap();
    let page2 = api
        .get(&format!(
            "/iam/v1/policies?account_id={ACCOUNT}&type=authorization&limit=1&start={start}"
        ))
        .await;
    assert_eq!(page2.body["policies"][0]["id"], id.as_str());
    assert!(page2.body.get("next").is_none());
    assert!(page2.body["previous"]["start"].is_string());

    let duplicate = post(&api, "/iam/v1/policies", &authorization(PARTNERS)).await;
    assert_error(&duplicate, 409, "policy_conflict_error");
    assert_eq!(
        duplicate.body["errors"][0]["details"]["conflicts_with"]["policy"]["id"],
        id.as_str()
    );
    let mut no_account = authorization(PAYROLL);
    no_account["resources"][0]["attributes"]
        .as_array_mut()
        .unwrap()
        .remove(0);
    assert_error(
        &post(&api, "/iam/v1/policies", &no_account).await,
        400,
        "invalid_body",
    );
    let mut foreign = authorization(PAYROLL);
    foreign["resources"][0]["attributes"][0]["value"] = json!("ffffffffffffffffffffffffffffffff");
    assert_error(
        &post(&api, "/iam/v1/policies", &foreign).await,
        403,
        "insufficent_permissions",
    );
    assert_error(&api.get("/iam/v2/policies").await, 404, "not_found");
}

/// Writes `world` to `path` and starts a server on it, which must refuse it.
async fn refused_world(path: &std::path::Path, world: &Value) -> ServeError {
    std::fs::write(path, world.to_string()).unwrap();
    start(Config {
        listen: "127.0.0.1:0".parse().unwrap(),
        world: Some(path.to_owned()),
        ..Config::default()
    })
    .await
    .expect_err("invalid world")
}

#[tokio::test]
async fn world_files_are_read_and_checked() {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("world.json");
    let mut world: Value = serde_json::from_str(DEFAULT_WORLD_JSON).unwrap();
    world["projects"][0]["name"] = json!("renamed");
    std::fs::write(&path, world.to_string()).unwrap();
    let server = start_with(Config {
        listen: "127.0.0.1:0".parse().unwrap(),
        world: Some(path.clone()),
        ..Config::default()
    })
    .await;
    assert!(
        server.summary()[0].contains("world.json"),
        "{:?}",
        server.summary()
    );
    let api = Api::new(&server);
    let us = api.get("/codeengine/us-south/v2/projects").await;
    assert_eq!(names(&us.body, "projects"), ["renamed"]);

    world["projects"][1]["jobs"][0]["name"] = json!("Not_A_Job");
    world["secrets"][0]["ttl"] = json!(90);
    let err = refused_world(&path, &world).await;
    assert!(matches!(err, ServeError::World { .. }), "{err}");
    let shown = err.to_string();
    assert!(
        shown.starts_with(&format!("world file {}:\n", path.display())),
        "{shown}"
    );
    assert!(
        shown.contains("secrets[0].ttl: invalid type: integer `90`, expected a string"),
        "{shown}"
    );

    world["secrets"][0]["ttl"] = json!("90d");
    let err = refused_world(&path, &world).await;
    assert_eq!(
        err.to_string(),
        format!(
            "world file {}:\nprojects[1].jobs[0].name: must be 1-63 lowercase letters, digits and `-`, starting and ending with a letter or digit",
            path.display()
        )
    );

    // A world file's secrets meet the core's TTL bounds and name rule.
    world["projects"][1]["jobs"][0]["name"] = json!("issue-partner-key");
    world["secrets"][0]["ttl"] = json!("91d");
    world["secrets"][1]["name"] = json!("-dash-first");
    let err = refused_world(&path, &world).await;
    assert_eq!(
        err.to_string(),
        format!(
            "world file {}:\nsecrets[0].ttl: must be digits with an optional unit s, m, h or d (e.g. `90d`), between 1 minute and 90 days\nsecrets[1].name: must be 2 to 256 letters, digits, `-`, `_` and `.`, starting with a letter, digit or `_` and ending with a letter or digit",
            path.display()
        )
    );
    world["secrets"][0]["ttl"] = json!("90d");
    world["secrets"][1]["name"] = json!("no-rotation-key");
    let missing = dir.path().join("none.json");
    let err = start(Config {
        listen: "127.0.0.1:0".parse().unwrap(),
        world: Some(missing),
        ..Config::default()
    })
    .await
    .expect_err("no file");
    assert!(matches!(err, ServeError::WorldRead { .. }), "{err}");
    assert_eq!(default_world().projects.len(), 3);
}

#[tokio::test]
async fn data_files_keep_what_was_created_in_the_world() {
    let dir = tempfile::tempdir().unwrap();
    let data = dir.path().join("data.json");
    let config = || Config {
        listen: "127.0.0.1:0".parse().unwrap(),
        data: Some(data.clone()),
        ..Config::default()
    };
    let server = start_with(config()).await;
    let api = Api::new(&server);
    assert_eq!(
        post(&api, "/iam/v1/policies", &authorization(PARTNERS))
            .await
            .status,
        201
    );
    let secret = json!({"secret_type": "iam_credentials", "name": "kept-key", "ttl": "1d",
        "reuse_api_key": true, "access_groups": ["AccessGroupId-12"]});
    assert_eq!(post(&api, "/api/v2/secrets", &secret).await.status, 201);
    server.shutdown().await.unwrap();

    let server = start_with(config()).await;
    let api = Api::new(&server);
    let list = api
        .get(&format!(
            "/iam/v1/policies?account_id={ACCOUNT}&type=authorization"
        ))
        .await;
    assert_eq!(list.body["policies"].as_array().unwrap().len(), 2);
    let found = api.get("/api/v2/secrets?search=kept-key").await;
    assert_eq!(names(&found.body, "secrets"), ["kept-key"]);
    assert!(
        server.summary()[3].contains("partners"),
        "{:?}",
        server.summary()
    );
}
#[tokio::test]
async fn configurations_get_their_schema_from_the_job() {
    let server = emulator().await;
    let api = Api::new(&server);
    let created = api
        .create(&json!({
            "name": "payroll-db",
            "config_type": "custom_credentials_configuration",
            "api_key_ref": ROTATED,
            "code_engine": {"job_name": "rotate-db-password", "project_id": PAYROLL, "region": "us-south"}
        }))
        .await;
    assert_eq!(created.status, 201, "{}", created.body);
    let schema = &created.body["schema"];
    let params: Vec<&str> = schema["parameters"]
        .as_array()
        .unwrap()
        .iter()
        .map(|p| p["env_variable_name"].as_str().unwrap())
        .collect();
    assert_eq!(params, ["SMIN_USERNAME", "SMIN_DB_HOST"], "{schema}");
    assert_eq!(
        schema["credentials"].as_array().unwrap().len(),
        1,
        "{schema}"
    );
    // The secret now says who references it.
    let meta = api
        .get(&format!("/api/v2/secrets/{ROTATED}/metadata"))
        .await;
    assert_eq!(meta.body["referenced_by"], json!(["payroll-db"]));

    // A job of a world project must exist there and be a provider.
    for (job, region, code, target) in [
        (
            "nightly-report",
            "us-south",
            "code_engine_job_not_a_provider",
            "code_engine.job_name",
        ),
        (
            "no-such-job",
            "us-south",
            "code_engine_job_not_found",
            "code_engine.job_name",
        ),
        (
            "rotate-db-password",
            "eu-de",
            "code_engine_project_not_found",
            "code_engine.region",
        ),
    ] {
        let refused = api
            .create(&json!({
                "name": "refused",
                "config_type": "custom_credentials_configuration",
                "api_key_ref": ROTATED,
                "code_engine": {"job_name": job, "project_id": PAYROLL, "region": region}
            }))
            .await;
        assert_error(&refused, 400, code);
        assert_eq!(refused.targets(), [target]);
    }
}

/// The same agreement on the secret's identity and group: access groups (their shape, at most
/// ten, each once) and the secret group ID's shape.
#[tokio::test]
async fn the_emulator_and_the_core_agree_on_access_groups_and_groups() {
    let server = emulator().await;
    let api = Api::new(&server);
    let eleven: Vec<String> = (0..11).map(|i| format!("AccessGroupId-g{i}")).collect();
    // (name, secret group, access groups, the field refused or None when created)
    let cases: [(&str, &str, Value, Option<&str>); 7] = [
        (
            "groups-ok",
            "default",
            json!(["AccessGroupId-a1", "AccessGroupId-b-2"]),
            None,
        ),
        ("groups-ten", "default", json!(eleven[..10]), None),
        (
            "groups-eleven",
            "default",
            json!(eleven),
            Some("access_groups"),
        ),
        (
            "groups-shape",
            "default",
            json!(["AccessGroupId-Upper"]),
            Some("access_groups"),
        ),
        (
            "groups-dash",
            "default",
            json!(["AccessGroupId-ab-"]),
            Some("access_groups"),
        ),
        (
            "groups-twice",
            "default",
            json!(["AccessGroupId-a1", "AccessGroupId-a1"]),
            Some("access_groups"),
        ),
        (
            "group-shape",
            "not-a-uuid",
            json!(["AccessGroupId-a1"]),
            Some("secret_group_id"),
        ),
    ];
    for (name, group, groups, refused) in cases {
        let body = json!({
            "secret_type": "iam_credentials", "name": name, "secret_group_id": group,
            "ttl": "30d", "access_groups": groups, "reuse_api_key": true,
            "rotation": {"auto_rotate": true, "interval": 30, "unit": "day"}
        });
        let answer = post(&api, "/api/v2/secrets", &body).await;
        let settings: sm_config::prereq::SecretSettings = serde_json::from_value(json!({
            "name": name, "secret_group_id": group, "access_groups": groups, "ttl": "30d",
            "rotation": {"auto_rotate": true, "interval": 30, "unit": "day"}
        }))
        .unwrap();
        // the core names the entry (`access_groups[1]`); the emulator, the field
        let core: Vec<String> = settings
            .check()
            .errors()
            .map(|f| f.path.split('[').next().unwrap_or_default().to_owned())
            .collect();
        assert_agree(name, &answer, &core, refused);
    }
}
