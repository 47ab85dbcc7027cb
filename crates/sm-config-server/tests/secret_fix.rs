//! `POST /sm-config/secret-fix`: the console's secret form, checked and rendered by the core.

mod common;

use common::{Answer, Api, emulator};
use serde_json::{Value, json};
use sm_config::prereq::SecretSettings;
use sm_config::{Endpoint, Target};
use sm_config_server::SECRET_FIX_PATH;

const INSTANCE: &str = "00000000-0000-0000-0000-000000000000";
const SID: &str = "ServiceId-11111111-2222-3333-4444-555555555555";

fn settings() -> Value {
    json!({
        "name": "rotate-db-password-api-key", "secret_group_id": "default", "service_id": SID,
        "ttl": "30d", "rotation": {"auto_rotate": true, "interval": 7, "unit": "day"}
    })
}

async fn post(api: &Api, content_type: &str, body: String) -> Answer {
    api.send(
        api.client
            .post(api.url(SECRET_FIX_PATH))
            .header("content-type", content_type)
            .body(body),
    )
    .await
}

#[tokio::test]
async fn the_answer_is_the_cores_findings_and_rendering() {
    let server = emulator().await;
    let api = Api::new(&server);
    let target = Target::new(INSTANCE, "us-south", Endpoint::Public);
    for body in [
        json!({"settings": settings()}),
        json!({"settings": settings(), "target": {"instance_id": INSTANCE, "region": "us-south", "endpoint": "public"}}),
    ] {
        let answer = post(&api, "application/json", body.to_string()).await;
        assert_eq!(answer.status, 200, "{}", answer.body);
        assert_eq!(answer.body["findings"], json!([]));
        let core: SecretSettings = serde_json::from_value(settings()).unwrap();
        assert_eq!(
            answer.body["fix"],
            serde_json::to_value(core.render(&target)).unwrap()
        );
        let sent: Value =
            serde_json::from_str(answer.body["fix"]["json"].as_str().unwrap()).unwrap();
        assert_eq!(
            sent,
            json!({
                "secret_type": "iam_credentials", "name": "rotate-db-password-api-key",
                "secret_group_id": "default", "service_id": SID, "ttl": "30d",
                "reuse_api_key": true,
                "rotation": {"auto_rotate": true, "interval": 7, "unit": "day"}
            })
        );
        for form in ["cli", "terraform", "curl"] {
            assert!(
                answer.body["fix"][form]
                    .as_str()
                    .unwrap()
                    .contains("rotate-db-password-api-key"),
                "{form}"
            );
        }
    }
}

#[tokio::test]
async fn bad_settings_are_findings_and_still_a_preview() {
    let server = emulator().await;
    let api = Api::new(&server);
    let mut s = settings();
    s["name"] = json!("-x");
    s["ttl"] = json!("91d");
    s["access_groups"] = json!(["AccessGroupId-a1"]);
    // Another instance is only text: it is rendered for it.
    let body = json!({"settings": s, "target": {"instance_id": "b49ad24d-81d4-5ebc-b9b9-b0937d1c84d5", "region": "eu-de", "endpoint": "private"}});
    let answer = post(&api, "application/json", body.to_string()).await;
    assert_eq!(answer.status, 200, "{}", answer.body);
    let findings: Vec<(String, String, String)> = answer.body["findings"]
        .as_array()
        .unwrap()
        .iter()
        .map(|f| {
            assert_eq!(f["severity"], "error");
            (
                f["path"].as_str().unwrap().to_owned(),
                f["code"].as_str().unwrap().to_owned(),
                f["message"].as_str().unwrap().to_owned(),
            )
        })
        .collect();
    let own = |p: &str, c: &str, m: &str| (p.to_owned(), c.to_owned(), m.to_owned());
    assert_eq!(
        findings,
        [
            own(
                "name",
                "pattern",
                "the name may hold only letters, digits, _, - and ., start with a letter, digit or _ and end with a letter or digit"
            ),
            own(
                "access_groups",
                "invalid_type",
                "give a service id or access groups, not both"
            ),
            own(
                "ttl",
                "out_of_range",
                "the ttl is between 1 minute and 90 days"
            ),
        ]
    );
    assert!(
        answer.body["fix"]["curl"]
            .as_str()
            .unwrap()
            .contains("https://b49ad24d-81d4-5ebc-b9b9-b0937d1c84d5.private.eu-de.secrets-manager.appdomain.cloud/api/v2/secrets"),
        "{}",
        answer.body
    );
}

#[tokio::test]
async fn a_body_that_cannot_be_read_is_a_400_never_a_500() {
    let server = emulator().await;
    let api = Api::new(&server);
    let mut extra = settings();
    extra["labels"] = json!([]);
    let mut interval = settings();
    interval["rotation"]["interval"] = json!(-1);
    for body in [
        "not json".to_owned(),
        "[]".to_owned(),
        "{}".to_owned(),
        json!({"settings": "x"}).to_string(),
        json!({"settings": settings(), "extra": 1}).to_string(),
        json!({"settings": extra}).to_string(),
        json!({"settings": interval}).to_string(),
        json!({"settings": {"name": "n1"}}).to_string(),
        json!({"settings": settings(), "target": {"instance_id": 1}}).to_string(),
    ] {
        let answer = post(&api, "application/json", body.clone()).await;
        assert_eq!(answer.status, 400, "{body}: {}", answer.body);
        assert_eq!(answer.codes(), ["invalid_body"], "{body}");
    }
    let answer = post(&api, "text/plain", settings().to_string()).await;
    assert_eq!(answer.status, 415);
    let mut big = settings();
    big["name"] = json!("x".repeat(70_000));
    let answer = post(
        &api,
        "application/json",
        json!({"settings": big}).to_string(),
    )
    .await;
    assert_eq!(answer.status, 413);
    let get = api.get(SECRET_FIX_PATH).await;
    assert_eq!(get.status, 405);
}

/// A relay to a URL that names no instance needs the target, and the route reads nothing
/// upstream either way.
#[tokio::test]
async fn a_relay_without_an_instance_needs_the_target_and_forwards_nothing() {
    use std::sync::Arc;
    use std::sync::atomic::{AtomicUsize, Ordering};
    let seen = Arc::new(AtomicUsize::new(0));
    let counter = Arc::clone(&seen);
    let app = axum::Router::new().fallback(move || {
        counter.fetch_add(1, Ordering::SeqCst);
        async { axum::http::StatusCode::NOT_FOUND }
    });
    let server = common::relay_to_stand_in(common::serve_stand_in(app).await, None).await;
    let api = Api::new(&server);
    let answer = post(
        &api,
        "application/json",
        json!({"settings": settings()}).to_string(),
    )
    .await;
    assert_eq!(answer.status, 400, "{}", answer.body);
    assert_eq!(answer.codes(), ["invalid_body"]);
    assert_eq!(answer.targets(), ["target"]);
    assert_eq!(
        answer.body["errors"][0]["message"],
        "this server relays to a url that names no instance: give the target"
    );
    let body = json!({"settings": settings(), "target": {"instance_id": INSTANCE, "region": "eu-gb", "endpoint": "public"}});
    let answer = post(&api, "application/json", body.to_string()).await;
    assert_eq!(answer.status, 200, "{}", answer.body);
    assert!(
        answer.body["fix"]["curl"]
            .as_str()
            .unwrap()
            .contains(".eu-gb.secrets-manager.appdomain.cloud/api/v2/secrets")
    );
    assert_eq!(seen.load(Ordering::SeqCst), 0, "the route read upstream");
}
