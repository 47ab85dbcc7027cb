//! `sm-config check`'s facts read straight from "IBM" (stand-ins: the emulator plays Code
//! Engine and the instance, a small IAM answers tokens and policies): every URL, the token of
//! the API key, the account from the token, and a fact that cannot be read says why.

mod common;

use axum::Router;
use axum::extract::{Request, State};
use axum::response::{IntoResponse, Response};
use axum::routing::{get, post};
use common::emulator;
use serde_json::json;
use sm_config::prereq::{Fact, Needs};
use sm_config::{
    CodeEngine, ConfigurationPrototype, CustomCredentialsConfigurationPrototype, Endpoint, Target,
};
use sm_config_server::Secret;
use sm_config_server::facts::{FactSource, Fetcher};
use std::sync::{Arc, Mutex};

const PAYROLL: &str = "8c1e5f0a-3b2d-4e6f-9a7b-1c2d3e4f5a6b";
const ACCOUNT: &str = "a0c5f1d2e3b4a5968778695a4b3c2d1e";

/// A JWT whose payload is `{"account":{"bss":"a0c5…"}}` (signature not checked by anyone).
fn jwt() -> String {
    // base64url of {"account":{"bss":"a0c5f1d2e3b4a5968778695a4b3c2d1e"}}
    "h.eyJhY2NvdW50Ijp7ImJzcyI6ImEwYzVmMWQyZTNiNGE1OTY4Nzc4Njk1YTRiM2MyZDFlIn19.s".to_owned()
}

#[derive(Default)]
struct Iam {
    policy_queries: Mutex<Vec<(String, String)>>,
}

async fn token() -> Response {
    axum::Json(json!({"access_token": jwt(), "expires_in": 3600})).into_response()
}

async fn policies(State(iam): State<Arc<Iam>>, request: Request) -> Response {
    let auth = request
        .headers()
        .get("authorization")
        .map(|v| v.to_str().unwrap().to_owned())
        .unwrap_or_default();
    iam.policy_queries
        .lock()
        .unwrap()
        .push((request.uri().query().unwrap_or_default().to_owned(), auth));
    axum::Json(json!({"policies": [{
        "id": "p1", "type": "authorization", "state": "active",
        "subjects": [{"attributes": [
            {"name": "accountId", "value": ACCOUNT},
            {"name": "serviceName", "value": "secrets-manager"},
            {"name": "serviceInstance", "value": "00000000-0000-0000-0000-000000000000"}]}],
        "roles": [{"role_id": "crn:v1:bluemix:public:iam::::role:Viewer"},
                  {"role_id": "crn:v1:bluemix:public:iam::::serviceRole:Writer"}],
        "resources": [{"attributes": [
            {"name": "accountId", "value": ACCOUNT},
            {"name": "serviceName", "value": "codeengine"},
            {"name": "serviceInstance", "value": PAYROLL}]}]}]}))
    .into_response()
}

fn request(job: &str, key: Option<&str>) -> ConfigurationPrototype {
    ConfigurationPrototype::CustomCredentialsConfiguration(
        CustomCredentialsConfigurationPrototype {
            name: "direct".to_owned(),
            api_key_ref: key.map(str::to_owned),
            code_engine: CodeEngine {
                job_name: job.to_owned(),
                project_id: PAYROLL.to_owned(),
                region: "us-south".to_owned(),
            },
            ..Default::default()
        },
    )
}

#[tokio::test]
async fn reads_every_fact_from_ibm_with_the_key_s_token() {
    let world = emulator().await;
    let iam = Arc::new(Iam::default());
    let app = Router::new()
        .route("/identity/token", post(token))
        .route("/v1/policies", get(policies))
        .with_state(Arc::clone(&iam));
    let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await.unwrap();
    let iam_url = format!("http://{}", listener.local_addr().unwrap());
    tokio::spawn(async move { axum::serve(listener, app).await.unwrap() });

    let fetcher = Fetcher::new(FactSource::Ibm {
        api_key: Secret::new("direct-api-key"),
        iam_url,
        code_engine_url: format!("{}/codeengine/{{region}}", world.url()),
        instance_url: Some(world.url()),
    })
    .await
    .unwrap();
    assert_eq!(fetcher.token_account().as_deref(), Some(ACCOUNT));
    let target = Target::new(
        "00000000-0000-0000-0000-000000000000",
        "us-south",
        Endpoint::Public,
    );
    let req = request(
        "rotate-db-password",
        Some("0b7e3c9a-5d1f-4e2a-8c6b-9d0e1f2a3b4c"),
    );
    let facts = fetcher.facts(&Needs::of(&req, &target), &target).await;
    assert_eq!(facts.project.known().unwrap().name, "payroll");
    assert_eq!(facts.job.known().unwrap().name, "rotate-db-password");
    assert!(facts.secret.known().unwrap().auto_rotates());
    assert_eq!(facts.configurations, Fact::Known(Vec::new()));
    assert_eq!(facts.policies.known().unwrap().len(), 1);
    assert_eq!(facts.instance_account.as_deref(), Some(ACCOUNT));
    let queries = iam.policy_queries.lock().unwrap().clone();
    assert_eq!(
        queries,
        [(
            format!("account_id={ACCOUNT}&type=authorization&state=active&limit=100"),
            format!("Bearer {}", jwt())
        )]
    );
    let report = sm_config::check_prerequisites(&req, &target, &facts);
    assert!(report.is_valid(), "{report}");

    // Missing things are Missing; an upstream that answers garbage is Unknown with the reason.
    let missing = request("no-such-job", None);
    let facts = fetcher.facts(&Needs::of(&missing, &target), &target).await;
    assert_eq!(facts.job, Fact::Missing);
    let broken = Fetcher::new(FactSource::Ibm {
        api_key: Secret::new("direct-api-key"),
        iam_url: world.url(),
        code_engine_url: format!("{}/codeengine/{{region}}", world.url()),
        instance_url: Some(world.url()),
    })
    .await;
    let err = broken.expect_err("the emulator is no iam");
    assert!(
        err.to_string()
            .starts_with("cannot get an iam token for IBMCLOUD_API_KEY: iam refused"),
        "{err}"
    );
}
