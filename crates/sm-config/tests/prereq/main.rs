//! The prerequisite checks, one module per check, each at its edges.
//!
//! Every test starts from a world in which the docs' request is fine (no finding but the
//! provider's schema), changes one fact, and states the complete list of findings it must
//! produce. The facts are read from JSON shaped like the services' own answers (the SDKs'
//! mocks in `prerequisites-apis.md`), through the same lenient readers the CLI uses.

#[path = "../support/bash.rs"]
mod bash;
#[path = "../support/nasty.rs"]
mod nasty;

mod api_key;
mod authorization;
mod checklist;
mod fixes;
mod in_use;
mod models;
mod needs;
mod no_panic;
mod project;
mod provider;
mod schema;
mod secret_settings;
mod trusted_profile;

use serde_json::{Value, json};
use sm_config::prereq::{self, Fact, Facts};
use sm_config::{
    Code, CodeEngine, Configuration, ConfigurationPrototype,
    CustomCredentialsConfigurationPrototype, Endpoint, Finding, Report, Severity, Target,
    check_prerequisites,
};

/// The fixtures' Secrets Manager instance.
pub const INSTANCE_ID: &str = "b49ad24d-81d4-5ebc-b9b9-b0937d1c84d5";
/// The fixtures' account (instance and project alike).
pub const ACCOUNT: &str = "4329073d16d2f3663f74bfa955259139";
/// The fixtures' Code Engine project.
pub const PROJECT_ID: &str = "4e49b3e0-27a8-48d2-a784-c7ee48bb863b";
/// The project's resource group.
pub const RESOURCE_GROUP: &str = "5c49eabcf5e85881a37e2d100a33b3df";
/// The IAM credentials secret the request names.
pub const SECRET_ID: &str = "a2f9c2e4-a3a8-c508-2bed-fcb7c26843ca";
/// The provider job.
pub const JOB: &str = "my-provider";
/// Where instance and project are.
pub const REGION: &str = "us-south";
/// The information finding a proper provider job gives.
pub const SCHEMA_INFO: &str =
    "job my-provider is a credentials provider: parameters username; credentials token";

/// The fixtures' instance as a target.
pub fn target() -> Target {
    Target::new(INSTANCE_ID, REGION, Endpoint::Public)
}

/// The docs' request, pointed at the fixtures.
pub fn request() -> CustomCredentialsConfigurationPrototype {
    CustomCredentialsConfigurationPrototype {
        name: "my_config".into(),
        api_key_ref: Some(SECRET_ID.into()),
        code_engine: CodeEngine {
            job_name: JOB.into(),
            project_id: PROJECT_ID.into(),
            region: REGION.into(),
        },
        task_timeout: Some("50m".into()),
    }
}

/// `GET /v2/projects/{id}`, as the SDK's mock has it (region and id set to the fixture's).
pub fn project_json() -> Value {
    json!({
        "account_id": ACCOUNT,
        "created_at": "2021-03-29T12:18:13.992359829Z",
        "crn": format!("crn:v1:bluemix:public:codeengine:{REGION}:a/{ACCOUNT}:{PROJECT_ID}::"),
        "href": format!("https://api.{REGION}.codeengine.cloud.ibm.com/v2/projects/{PROJECT_ID}"),
        "id": PROJECT_ID,
        "name": "project-name",
        "region": REGION,
        "resource_group_id": RESOURCE_GROUP,
        "resource_type": "project_v2",
        "status": "active"
    })
}

/// `GET /v2/projects/{id}/jobs/{name}`: the SDK's mock job, as a provider.
pub fn job_json() -> Value {
    json!({
        "build": "my-build", "build_run": "my-build-run",
        "computed_env_variables": [{"key": "MY_VARIABLE", "name": "SOME", "prefix": "PREFIX_", "reference": "my-secret", "type": "literal", "value": "VALUE"}],
        "created_at": "2022-09-13T11:41:35+02:00", "entity_tag": "2385407409",
        "href": format!("https://api.{REGION}.codeengine.cloud.ibm.com/v2/projects/{PROJECT_ID}/jobs/{JOB}"),
        "id": "e33b1cv7-7390-4437-a5c2-130d5ccdddc3", "image_reference": "icr.io/codeengine/helloworld",
        "image_secret": "my-secret", "name": JOB, "project_id": PROJECT_ID,
        "region": REGION, "resource_type": "job_v2", "run_arguments": ["RunArguments"], "run_as_user": 1001,
        "run_commands": ["RunCommands"], "run_compute_resource_token_enabled": false,
        "run_env_variables": [
            {"type": "literal", "name": "SMIN_USERNAME", "value": "type:string, required:true"},
            {"type": "literal", "name": "SMOUT_TOKEN", "value": "type:string, required:true"},
            {"key": "MY_VARIABLE", "name": "SOME", "prefix": "PREFIX_", "reference": "my-secret", "type": "literal", "value": "VALUE"}
        ],
        "run_mode": "task", "run_service_account": "default",
        "run_volume_mounts": [{"mount_path": "/app", "read_only": true, "reference": "my-secret", "sub_path": "some-path", "type": "secret"}],
        "scale_array_spec": "1-5,7-8,10", "scale_cpu_limit": "1", "scale_ephemeral_storage_limit": "4G",
        "scale_max_execution_time": 7200, "scale_memory_limit": "4G", "scale_retry_limit": 3
    })
}

/// `GET /api/v2/secrets/{id}/metadata` of a proper IAM credentials secret.
pub fn secret_json() -> Value {
    json!({
        "created_by": "iam-ServiceId-e4a2f0a4-3c76-4bef-b1f2-fbeae11c0f21",
        "created_at": "2022-04-12T23:20:50.520Z",
        "crn": format!("crn:v1:bluemix:public:secrets-manager:{REGION}:a/{ACCOUNT}:{INSTANCE_ID}:secret:{SECRET_ID}"),
        "downloaded": true,
        "id": SECRET_ID,
        "labels": ["my-label"],
        "locks_total": 0,
        "name": "provider-api-key",
        "secret_group_id": "default",
        "secret_type": "iam_credentials",
        "state": 1,
        "state_description": "active",
        "updated_at": "2022-04-12T23:20:50.520Z",
        "versions_total": 1,
        "ttl": "90d",
        "rotation": {"auto_rotate": true, "interval": 60, "unit": "day"},
        "next_rotation_date": "2022-06-12T23:20:50.520Z",
        "service_id": "ServiceId-bb4ccc31-bd31-493a-bb58-52ec399800be",
        "service_id_is_static": true,
        "reuse_api_key": true
    })
}

/// One page of `GET /v1/policies`, holding the authorization IBM's Terraform creates (as the
/// provider reads it back: attributes with operators, roles with CRNs and names).
pub fn policies_json() -> Value {
    json!({
        "limit": 50,
        "first": {"href": "https://iam.cloud.ibm.com/v1/policies?account_id=x&type=authorization"},
        "policies": [{
            "id": "12345678-abcd-1a2b-a1b2-1234567890ab",
            "type": "authorization",
            "subjects": [{"attributes": [
                {"name": "accountId", "value": ACCOUNT},
                {"name": "serviceName", "value": "secrets-manager"},
                {"name": "serviceInstance", "value": INSTANCE_ID}
            ]}],
            "roles": [
                {"role_id": "crn:v1:bluemix:public:iam::::role:Viewer", "display_name": "Viewer"},
                {"role_id": "crn:v1:bluemix:public:iam::::serviceRole:Writer", "display_name": "Writer"}
            ],
            "resources": [{"attributes": [
                {"name": "accountId", "value": ACCOUNT, "operator": "stringEquals"},
                {"name": "serviceName", "value": "codeengine", "operator": "stringEquals"},
                {"name": "serviceInstance", "value": PROJECT_ID, "operator": "stringEquals"}
            ]}],
            "href": "https://iam.cloud.ibm.com/v1/policies/12345678-abcd-1a2b-a1b2-1234567890ab",
            "created_at": "2019-01-01T12:00:00.000Z",
            "created_by_id": "IBMid-123453user",
            "last_modified_at": "2019-01-01T12:00:00.000Z",
            "last_modified_by_id": "IBMid-123453user",
            "state": "active"
        }]
    })
}

/// One page of `GET /api/v2/configurations` with an unrelated configuration.
pub fn configurations_json() -> Value {
    json!({
        "total_count": 2, "limit": 200, "offset": 0,
        "first": {"href": "…?limit=200"}, "last": {"href": "…?offset=0&limit=200"},
        "configurations": [
            {"config_type": "custom_credentials_configuration", "name": "other_config",
             "secret_type": "custom_credentials", "created_by": "iam-ServiceId-x", "created_at": "2025-01-01T00:00:00Z",
             "updated_at": "2025-01-01T00:00:00Z",
             "code_engine": {"job_name": "other-job", "project_id": PROJECT_ID, "region": REGION},
             "task_timeout": "10m"},
            {"config_type": "iam_credentials_configuration", "name": "iam", "secret_type": "iam_credentials",
             "created_by": "x", "created_at": "2025-01-01T00:00:00Z", "updated_at": "2025-01-01T00:00:00Z"}
        ]
    })
}

/// Reads a service answer the way a caller would.
#[track_caller]
pub fn read<T: serde::de::DeserializeOwned>(value: &Value) -> T {
    prereq::read("test fixture", value.to_string().as_bytes()).unwrap()
}

/// Facts in which everything is right.
pub fn world() -> Facts {
    let policies: prereq::PolicyList = read(&policies_json());
    let configurations: sm_config::ConfigurationList = read(&configurations_json());
    Facts {
        project: Fact::Known(read(&project_json())),
        job: Fact::Known(read(&job_json())),
        secret: Fact::Known(read(&secret_json())),
        configurations: Fact::Known(configurations.configurations),
        policies: Fact::Known(policies.policies),
        instance_account: Some(ACCOUNT.into()),
    }
}

/// The prerequisites of `request` against `facts`, at the fixtures' target.
pub fn check_with(request: CustomCredentialsConfigurationPrototype, facts: &Facts) -> Report {
    check_prerequisites(&ConfigurationPrototype::from(request), &target(), facts)
}

/// The docs' request against the world changed by `change`.
pub fn check(change: impl FnOnce(&mut Facts)) -> Report {
    let mut facts = world();
    change(&mut facts);
    check_with(request(), &facts)
}

/// Changes a JSON fixture at a JSON pointer (creating nothing: the key must exist or be new
/// in an existing object).
pub fn set(value: &mut Value, pointer: &str, new: Value) {
    let (parent, key) = pointer.rsplit_once('/').unwrap();
    let object = value.pointer_mut(parent).unwrap();
    match object {
        Value::Object(map) => {
            map.insert(key.to_owned(), new);
        }
        Value::Array(items) => items[key.parse::<usize>().unwrap()] = new,
        _ => panic!("{pointer} is not in an object"),
    }
}

/// Removes a key of a JSON fixture.
pub fn remove(value: &mut Value, pointer: &str) {
    let (parent, key) = pointer.rsplit_once('/').unwrap();
    value
        .pointer_mut(parent)
        .and_then(Value::as_object_mut)
        .unwrap()
        .remove(key)
        .unwrap();
}

/// The fixtures' job fact, changed by `change` first.
pub fn job_with(change: impl FnOnce(&mut Value)) -> Fact<prereq::Job> {
    let mut job = job_json();
    change(&mut job);
    Fact::Known(read(&job))
}

/// The fixtures' secret fact, changed by `change` first.
pub fn secret_with(change: impl FnOnce(&mut Value)) -> Fact<prereq::SecretMetadata> {
    let mut secret = secret_json();
    change(&mut secret);
    Fact::Known(read(&secret))
}

/// The fixtures' project fact, changed by `change` first.
pub fn project_with(change: impl FnOnce(&mut Value)) -> Fact<prereq::Project> {
    let mut project = project_json();
    change(&mut project);
    Fact::Known(read(&project))
}

/// The fixtures' policies fact, changed by `change` first.
pub fn policies_with(change: impl FnOnce(&mut Value)) -> Fact<Vec<prereq::Policy>> {
    let mut policies = policies_json();
    change(&mut policies);
    let list: prereq::PolicyList = read(&policies);
    Fact::Known(list.policies)
}

/// The fixtures' configurations fact, changed by `change` first.
pub fn configurations_with(
    change: impl FnOnce(&mut Vec<Configuration>),
) -> Fact<Vec<Configuration>> {
    let list: sm_config::ConfigurationList = read(&configurations_json());
    let mut configurations = list.configurations;
    change(&mut configurations);
    Fact::Known(configurations)
}

/// An expected finding: path, code, severity, message.
pub type Expected<'a> = (&'a str, Code, Severity, &'a str);

/// The report holds exactly these findings (path, code, severity, message), in this order.
#[track_caller]
pub fn assert_findings(report: &Report, expected: &[Expected]) {
    let got: Vec<(&str, Code, Severity, &str)> = report
        .findings()
        .iter()
        .map(|f| (f.path.as_str(), f.code, f.severity, f.message.as_str()))
        .collect();
    assert_eq!(got, expected, "\nreport:\n{report}");
}

/// The one finding with `code`.
#[track_caller]
pub fn finding(report: &Report, code: Code) -> &Finding {
    let mut found = report.findings().iter().filter(|f| f.code == code);
    let first = found
        .next()
        .unwrap_or_else(|| panic!("no {code} in\n{report}"));
    assert!(found.next().is_none(), "two {code} in\n{report}");
    first
}

/// The findings of a good world: only the schema, as information.
pub fn ok() -> Vec<Expected<'static>> {
    vec![(
        "code_engine.job_name",
        Code::ProviderSchema,
        Severity::Info,
        SCHEMA_INFO,
    )]
}

#[test]
fn a_world_in_which_everything_is_right_gives_only_the_schema() {
    let report = check(|_| {});
    assert_findings(&report, &ok());
    assert!(report.is_valid());
    assert_eq!(report.infos().count(), 1);
    assert_eq!(report.warnings().count(), 0);
}
