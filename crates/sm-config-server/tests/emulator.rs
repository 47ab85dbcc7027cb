//! Every emulator operation and every error answer, over real loopback HTTP.

mod common;

use common::{Api, PROJECT, TOKEN, body, emulator};
use serde_json::json;

#[tokio::test]
async fn create_fills_in_the_service_fields() {
    let server = emulator().await;
    let api = Api::new(&server);
    let mut request = body("my_config", "job-one");
    request.as_object_mut().unwrap().remove("task_timeout");
    let created = api.create(&request).await;
    assert_eq!(created.status, 201, "{}", created.body);
    let c = &created.body;
    assert_eq!(c["name"], "my_config");
    assert_eq!(c["config_type"], "custom_credentials_configuration");
    assert_eq!(c["secret_type"], "custom_credentials");
    assert_eq!(c["task_timeout"], "10m", "the default");
    assert_eq!(c["api_key_ref"], "a2f9c2e4-a3a8-c508-2bed-fcb7c26843ca");
    assert_eq!(
        c["code_engine"],
        json!({"job_name": "job-one", "project_id": PROJECT, "region": "us-south"})
    );
    let created_by = c["created_by"].as_str().unwrap();
    assert!(created_by.starts_with("iam-ServiceId-") && (4..=128).contains(&created_by.len()));
    assert!(
        c["code_engine_key_ref"]
            .as_str()
            .unwrap()
            .starts_with("sm-access-")
    );
    let created_at = c["created_at"].as_str().unwrap();
    assert_eq!(created_at.len(), 20);
    assert!(created_at.ends_with('Z') && created_at.as_bytes()[10] == b'T');
    assert_eq!(c["updated_at"], c["created_at"]);
    assert!(!c["schema"]["credentials"].as_array().unwrap().is_empty());
    assert!(
        c["schema"]["parameters"][0]["env_variable_name"]
            .as_str()
            .unwrap()
            .starts_with("SMIN_")
    );
    assert_eq!(
        created.headers["content-type"], "application/json",
        "a json answer"
    );

    // The task timeout is echoed as written.
    let mut hours = body("three_hours", "job-two");
    hours["task_timeout"] = json!("3h");
    assert_eq!(api.create(&hours).await.body["task_timeout"], "3h");

    // A body without api_key_ref (trusted profile) has only a warning: it is taken.
    let mut trusted = body("trusted", "job-three");
    trusted.as_object_mut().unwrap().remove("api_key_ref");
    let created = api.create(&trusted).await;
    assert_eq!(created.status, 201, "{}", created.body);
    assert!(created.body.get("api_key_ref").is_none());

    let got = api.get("/api/v2/configurations/my_config").await;
    assert_eq!(got.status, 200);
    assert_eq!(got.body["code_engine_key_ref"], c["code_engine_key_ref"]);
    server.shutdown().await.unwrap();
}

#[tokio::test]
async fn get_update_delete() {
    let server = emulator().await;
    let api = Api::new(&server);
    assert_eq!(api.create(&body("cfg_a", "job-a")).await.status, 201);

    let got = api.get("/api/v2/configurations/cfg_a").await;
    assert_eq!(got.status, 200);
    assert_eq!(got.body["task_timeout"], "50m");

    let patched = api
        .patch(
            "cfg_a",
            "application/merge-patch+json",
            r#"{"task_timeout":"2h"}"#,
        )
        .await;
    assert_eq!(patched.status, 200, "{}", patched.body);
    assert_eq!(patched.body["task_timeout"], "2h");
    assert_eq!(patched.body["name"], "cfg_a", "the whole configuration");
    assert_eq!(patched.body["code_engine"]["job_name"], "job-a");
    assert_eq!(
        api.get("/api/v2/configurations/cfg_a").await.body["task_timeout"],
        "2h"
    );

    // The accept-type header is taken; another config type names nothing here.
    let with_type = api
        .send(
            api.client
                .get(api.url("/api/v2/configurations/cfg_a"))
                .bearer_auth(TOKEN)
                .header(
                    "X-Sm-Accept-Configuration-Type",
                    "custom_credentials_configuration",
                ),
        )
        .await;
    assert_eq!(with_type.status, 200);
    let other_type = api
        .send(
            api.client
                .get(api.url("/api/v2/configurations/cfg_a"))
                .bearer_auth(TOKEN)
                .header(
                    "X-Sm-Accept-Configuration-Type",
                    "iam_credentials_configuration",
                ),
        )
        .await;
    assert_eq!(other_type.status, 404);
    let bad_type = api
        .send(
            api.client
                .get(api.url("/api/v2/configurations/cfg_a"))
                .bearer_auth(TOKEN)
                .header("X-Sm-Accept-Configuration-Type", "nonsense"),
        )
        .await;
    assert_eq!(bad_type.status, 400);
    assert_eq!(bad_type.codes(), ["invalid_header"]);

    let deleted = api.delete("cfg_a").await;
    assert_eq!(deleted.status, 204);
    assert!(deleted.body.is_null(), "no body");
    assert_eq!(api.get("/api/v2/configurations/cfg_a").await.status, 404);
    assert_eq!(api.delete("cfg_a").await.status, 404);
    assert!(api.names().await.is_empty());
    server.shutdown().await.unwrap();
}

#[tokio::test]
async fn update_errors_change_nothing() {
    let server = emulator().await;
    let api = Api::new(&server);
    assert_eq!(api.create(&body("cfg_b", "job-b")).await.status, 201);
    let cases: [(&str, &str, u16, &str, Option<&str>); 8] = [
        (
            "application/merge-patch+json",
            r#"{"task_timeout":"1m"}"#,
            400,
            "out_of_range",
            Some("task_timeout"),
        ),
        (
            "application/merge-patch+json",
            r#"{"task_timeout":"2x"}"#,
            400,
            "pattern",
            Some("task_timeout"),
        ),
        (
            "application/merge-patch+json",
            r#"{"task_timeout":null}"#,
            400,
            "invalid_type",
            Some("task_timeout"),
        ),
        (
            "application/merge-patch+json",
            r#"{"name":"other","task_timeout":"1h"}"#,
            400,
            "immutable",
            Some("name"),
        ),
        (
            "application/merge-patch+json",
            r#"{"bogus":1,"task_timeout":"1h"}"#,
            400,
            "unknown_field",
            Some("bogus"),
        ),
        (
            "application/merge-patch+json",
            "{}",
            400,
            "required",
            Some("task_timeout"),
        ),
        (
            "application/merge-patch+json",
            "{",
            400,
            "invalid_json",
            None,
        ),
        // The contract's type only: plain JSON is refused (a decision, see update's doc).
        (
            "application/json",
            r#"{"task_timeout":"1h"}"#,
            415,
            "unsupported_media_type",
            Some("Content-Type"),
        ),
    ];
    for (content_type, patch, status, code, target) in cases {
        let answer = api.patch("cfg_b", content_type, patch).await;
        assert_eq!(answer.status, status, "{patch}: {}", answer.body);
        assert_eq!(answer.codes()[0], code, "{patch}");
        assert_eq!(
            answer.targets().first().map(String::as_str),
            target,
            "{patch}"
        );
    }
    let unknown = api
        .patch(
            "nope",
            "application/merge-patch+json",
            r#"{"task_timeout":"1h"}"#,
        )
        .await;
    assert_eq!(unknown.status, 404);
    assert_eq!(unknown.codes(), ["configuration_not_found"]);
    let got = api.get("/api/v2/configurations/cfg_b").await;
    assert_eq!(got.body["task_timeout"], "50m", "unchanged");
    assert_eq!(got.body["updated_at"], got.body["created_at"]);
    server.shutdown().await.unwrap();
}

#[tokio::test]
async fn validation_errors_name_their_fields_and_store_nothing() {
    let server = emulator().await;
    let api = Api::new(&server);
    let bad = json!({
        "name": "-bad",
        "config_type": "custom_credentials_configuration",
        "api_key_ref": "A2F9C2E4-A3A8-C508-2BED-FCB7C26843CA",
        "code_engine": {"job_name": "Job_Name", "project_id": "nope", "region": "mars"},
        "task_timeout": "25h"
    });
    let answer = api.create(&bad).await;
    assert_eq!(answer.status, 400, "{}", answer.body);
    answer.codes();
    let targets = answer.targets();
    for field in [
        "name",
        "api_key_ref",
        "code_engine.job_name",
        "code_engine.project_id",
        "code_engine.region",
        "task_timeout",
    ] {
        assert!(targets.iter().any(|t| t == field), "{field} in {targets:?}");
    }
    for e in answer.body["errors"].as_array().unwrap() {
        assert_eq!(e["target"]["type"], "field");
    }

    let mut missing = body("ok_name", "job");
    missing.as_object_mut().unwrap().remove("code_engine");
    let answer = api.create(&missing).await;
    assert_eq!(answer.status, 400);
    assert_eq!(answer.codes(), ["required"]);
    assert_eq!(answer.targets(), ["code_engine"]);

    let mut other_type = body("ok_name", "job");
    other_type["config_type"] = json!("iam_credentials_configuration");
    let answer = api.create(&other_type).await;
    assert_eq!(answer.status, 400);
    assert_eq!(answer.codes(), ["unsupported_config_type"]);

    assert!(api.names().await.is_empty(), "nothing stored");
    server.shutdown().await.unwrap();
}

#[tokio::test]
async fn conflicts_have_distinct_codes() {
    let server = emulator().await;
    let api = Api::new(&server);
    assert_eq!(api.create(&body("first", "job-1")).await.status, 201);

    let dup = api.create(&body("first", "job-2")).await;
    assert_eq!(dup.status, 409);
    assert_eq!(dup.codes(), ["configuration_already_exists"]);
    assert_eq!(dup.targets(), ["name"]);

    let job = api.create(&body("second", "job-1")).await;
    assert_eq!(job.status, 409);
    assert_eq!(job.codes(), ["code_engine_job_already_in_use"]);
    assert_eq!(job.targets(), ["code_engine.job_name"]);

    // The same job name in another project is another job.
    let mut other_project = body("second", "job-1");
    other_project["code_engine"]["project_id"] = json!("22345678-5120-4a18-832a-4ba122496633");
    assert_eq!(api.create(&other_project).await.status, 201);

    for i in 3..=10 {
        let answer = api
            .create(&body(&format!("cfg_{i}"), &format!("job-{i}")))
            .await;
        assert_eq!(answer.status, 201, "{i}");
    }
    let eleventh = api.create(&body("eleventh", "job-11")).await;
    assert_eq!(eleventh.status, 409);
    assert_eq!(eleventh.codes(), ["configuration_limit_reached"]);
    assert_eq!(api.names().await.len(), 10);

    // Deleting one makes room again.
    assert_eq!(api.delete("cfg_3").await.status, 204);
    assert_eq!(api.create(&body("eleventh", "job-11")).await.status, 201);
    server.shutdown().await.unwrap();
}

#[tokio::test]
async fn list_pages_filters_and_links() {
    let server = emulator().await;
    let api = Api::new(&server);
    for (i, name) in ["delta", "alpha", "charlie", "bravo", "echo"]
        .iter()
        .enumerate()
    {
        assert_eq!(
            api.create(&body(name, &format!("job-{i}"))).await.status,
            201
        );
    }
    let all = api.get("/api/v2/configurations").await;
    assert_eq!(all.status, 200);
    assert_eq!(all.body["total_count"], 5);
    assert_eq!(all.body["limit"], 200);
    assert_eq!(all.body["offset"], 0);
    assert_eq!(all.body["configurations"].as_array().unwrap().len(), 5);
    assert_eq!(
        all.body["configurations"][0]["name"], "delta",
        "creation order"
    );
    assert!(all.body.get("next").is_none() && all.body.get("previous").is_none());
    let base = format!("{}/api/v2/configurations", server.url());
    assert_eq!(
        all.body["first"]["href"],
        format!("{base}?limit=200&offset=0")
    );

    let page = api
        .get("/api/v2/configurations?limit=2&offset=2&sort=name")
        .await;
    assert_eq!(page.status, 200);
    let names: Vec<_> = page.body["configurations"]
        .as_array()
        .unwrap()
        .iter()
        .map(|c| c["name"].as_str().unwrap())
        .collect();
    assert_eq!(names, ["charlie", "delta"]);
    assert_eq!(
        page.body["next"]["href"],
        format!("{base}?limit=2&offset=4&sort=name")
    );
    assert_eq!(
        page.body["previous"]["href"],
        format!("{base}?limit=2&offset=0&sort=name")
    );
    assert_eq!(
        page.body["last"]["href"],
        format!("{base}?limit=2&offset=4&sort=name")
    );

    // The links work.
    let next = page.body["next"]["href"].as_str().unwrap().to_owned();
    let next = api.send(api.client.get(next).bearer_auth(TOKEN)).await;
    assert_eq!(next.body["configurations"][0]["name"], "echo");

    let desc = api.get("/api/v2/configurations?sort=-name&limit=1").await;
    assert_eq!(desc.body["configurations"][0]["name"], "echo");
    let search = api.get("/api/v2/configurations?search=HAR").await;
    assert_eq!(search.body["total_count"], 1);
    assert_eq!(search.body["configurations"][0]["name"], "charlie");
    let by_type = api.get("/api/v2/configurations?search=custom_cred").await;
    assert_eq!(by_type.body["total_count"], 5, "search matches secret_type");
    let other = api
        .get("/api/v2/configurations?secret_types=iam_credentials")
        .await;
    assert_eq!(other.body["total_count"], 0);
    let custom = api
        .get("/api/v2/configurations?secret_types=private_cert,custom_credentials")
        .await;
    assert_eq!(custom.body["total_count"], 5);
    let beyond = api.get("/api/v2/configurations?offset=50").await;
    assert_eq!(beyond.status, 200);
    assert!(beyond.body["configurations"].as_array().unwrap().is_empty());
    server.shutdown().await.unwrap();
}

#[tokio::test]
async fn bad_list_parameters() {
    let server = emulator().await;
    let api = Api::new(&server);
    for (query, param) in [
        ("offset=-1", "offset"),
        ("limit=0", "limit"),
        ("limit=1001", "limit"),
        ("limit=ten", "limit"),
        ("sort=created_at", "sort"),
        ("search=x", "search"),
        ("secret_types=kv", "secret_types"),
        (
            "secret_types=iam_credentials,iam_credentials,iam_credentials,iam_credentials,iam_credentials",
            "secret_types",
        ),
    ] {
        let answer = api.get(&format!("/api/v2/configurations?{query}")).await;
        assert_eq!(answer.status, 400, "{query}");
        assert_eq!(answer.codes(), ["invalid_query_parameter"], "{query}");
        assert_eq!(answer.targets(), [param], "{query}");
        assert_eq!(answer.body["errors"][0]["target"]["type"], "parameter");
    }
    let long = format!("/api/v2/configurations?search={}", "y".repeat(129));
    assert_eq!(api.get(&long).await.status, 400);
    let max = format!(
        "/api/v2/configurations?search={}&limit=1000",
        "y".repeat(128)
    );
    assert_eq!(api.get(&max).await.status, 200);
    server.shutdown().await.unwrap();
}

#[tokio::test]
async fn authentication_content_type_and_size() {
    let server = emulator().await;
    let api = Api::new(&server);
    let json_body = body("auth_cfg", "job-x").to_string();

    // No token, an empty one, another scheme: 401 on every route, nothing stored.
    for auth in [None, Some("Bearer "), Some("Basic dXNlcjpwYXNz")] {
        for request in [
            api.client
                .post(api.url("/api/v2/configurations"))
                .header("content-type", "application/json")
                .body(json_body.clone()),
            api.client.get(api.url("/api/v2/configurations")),
            api.client.get(api.url("/api/v2/configurations/auth_cfg")),
            api.client
                .delete(api.url("/api/v2/configurations/auth_cfg")),
        ] {
            let request = match auth {
                Some(a) => request.header("authorization", a),
                None => request,
            };
            let answer = api.send(request).await;
            assert_eq!(answer.status, 401, "{auth:?}");
            assert_eq!(answer.headers["www-authenticate"], "Bearer");
            let codes = answer.codes();
            assert!(
                codes == ["missing_bearer_token"] || codes == ["invalid_bearer_token"],
                "{codes:?}"
            );
            assert_eq!(answer.targets(), ["Authorization"]);
        }
    }

    for content_type in [
        "text/plain",
        "application/x-www-form-urlencoded",
        "application/merge-patch+json",
        "",
    ] {
        let answer = api
            .create_raw(content_type, json_body.clone().into_bytes())
            .await;
        assert_eq!(answer.status, 415, "{content_type:?}");
        assert_eq!(answer.codes(), ["unsupported_media_type"]);
    }
    let no_type = api
        .send(
            api.client
                .post(api.url("/api/v2/configurations"))
                .bearer_auth(TOKEN)
                .body(json_body.clone()),
        )
        .await;
    assert_eq!(no_type.status, 415);
    // Parameters and case do not matter.
    let charset = api
        .create_raw(
            "Application/JSON; charset=utf-8",
            json_body.clone().into_bytes(),
        )
        .await;
    assert_eq!(charset.status, 201, "{}", charset.body);
    assert_eq!(api.delete("auth_cfg").await.status, 204);

    // 64 KiB is the limit: a valid body padded with whitespace to exactly the limit is taken,
    // one byte more is 413.
    let limit = sm_config::limits::MAX_BODY_BYTES;
    let mut at_limit = json_body.clone().into_bytes();
    at_limit.resize(limit, b' ');
    assert_eq!(
        api.create_raw("application/json", at_limit.clone())
            .await
            .status,
        201
    );
    assert_eq!(api.delete("auth_cfg").await.status, 204);
    let mut over = at_limit;
    over.push(b' ');
    let answer = api.create_raw("application/json", over).await;
    assert_eq!(answer.status, 413);
    assert_eq!(answer.codes(), ["request_body_too_large"]);
    let patch = api
        .patch("x1", "application/merge-patch+json", &" ".repeat(limit + 1))
        .await;
    assert_eq!(patch.status, 413);
    assert!(api.names().await.is_empty());
    server.shutdown().await.unwrap();
}

#[tokio::test]
async fn unknown_routes_and_methods_answer_in_the_container() {
    let server = emulator().await;
    let api = Api::new(&server);
    // Secrets are served (see tests/world.rs), their payloads are not.
    let unknown = api
        .get("/api/v2/secrets/0b7e3c9a-5d1f-4e2a-8c6b-9d0e1f2a3b4c")
        .await;
    assert_eq!(unknown.status, 404);
    assert_eq!(unknown.codes(), ["not_found"]);
    assert_eq!(api.get("/api").await.codes(), ["not_found"]);
    let put = api
        .send(
            api.client
                .put(api.url("/api/v2/configurations/x1"))
                .bearer_auth(TOKEN)
                .header("content-type", "application/json")
                .body("{}"),
        )
        .await;
    assert_eq!(put.status, 405);
    assert_eq!(put.codes(), ["method_not_allowed"]);
    server.shutdown().await.unwrap();
}
