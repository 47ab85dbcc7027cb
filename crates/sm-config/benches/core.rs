//! Benchmarks of validation, of each renderer and of the prerequisite check, read by
//! `cargo xtask bench` into BENCHMARKS.md. The IDs (`validate/typed`, `render/curl`, …) are stable: keep them.

use criterion::{Criterion, criterion_group, criterion_main};
use sm_config::prereq::{Fact, Facts, PolicyList, derive_schema, read};
use sm_config::render::{self, Format};
use sm_config::{
    ConfigurationList, ConfigurationPrototype, Endpoint, Target, check_prerequisites, validate,
    validate_json, validate_patch_json,
};
use std::hint::black_box;
use std::time::Duration;

const DOCS_EXAMPLE: &str = include_str!("../../../examples/docs-example.json");

/// A body with an error in every field, an unknown field and a wrong type.
const MANY_ERRORS: &str = r#"{"name":"-my config!","config_type":"iam_credentials_configuration","api_key_ref":"A2F9C2E4-A3A8-C508-2BED-FCB7C26843CA","code_engine":{"job_name":"My_Job-","project_id":"1234","region":"ca-mon","image":"x"},"task_timeout":"1.5h","trusted_profile_id":7}"#;

fn target() -> Target {
    Target::new(
        "b49ad24d-81d4-5ebc-b9b9-b0937d1c84d5",
        "us-south",
        Endpoint::Public,
    )
}

fn validation(c: &mut Criterion) {
    let request: ConfigurationPrototype = serde_json::from_str(DOCS_EXAMPLE).unwrap();
    let target = target();
    let mut group = c.benchmark_group("validate");
    group.bench_function("typed", |b| {
        b.iter(|| validate(black_box(&request), Some(black_box(&target))))
    });
    group.bench_function("json_valid", |b| {
        b.iter(|| validate_json(black_box(DOCS_EXAMPLE), Some(black_box(&target))))
    });
    group.bench_function("json_many_errors", |b| {
        b.iter(|| validate_json(black_box(MANY_ERRORS), Some(black_box(&target))))
    });
    group.bench_function("patch", |b| {
        b.iter(|| validate_patch_json(black_box(br#"{"task_timeout":"30m"}"#)))
    });
    group.finish();
}

fn rendering(c: &mut Criterion) {
    let request: ConfigurationPrototype = serde_json::from_str(DOCS_EXAMPLE).unwrap();
    let target = target();
    let mut group = c.benchmark_group("render");
    for format in Format::ALL {
        group.bench_function(format.as_str(), |b| {
            b.iter(|| render::render(black_box(&request), black_box(&target), format))
        });
    }
    group.finish();
}

/// The facts of a world in which the docs' example request is fine except for its job's
/// trusted-profile flag (irrelevant with `api_key_ref`): what `sm-config check` reads.
fn world() -> Facts {
    let a = "4329073d16d2f3663f74bfa955259139";
    let p = "12345678-5120-4a18-832a-4ba122496633";
    let i = "b49ad24d-81d4-5ebc-b9b9-b0937d1c84d5";
    let s = "a2f9c2e4-a3a8-c508-2bed-fcb7c26843ca";
    let project = format!(
        r#"{{"id":"{p}","name":"project","region":"us-south","status":"active","account_id":"{a}","resource_group_id":"5c49eabcf5e85881a37e2d100a33b3df"}}"#
    );
    let job = r#"{"name":"code-engine-job-name","entity_tag":"1","run_env_variables":[
        {"type":"literal","name":"SMIN_USERNAME","value":"type:string, required:true"},
        {"type":"literal","name":"SMIN_SCOPE","value":"type:enum, required:false"},
        {"type":"literal","name":"SMOUT_TOKEN","value":"type:string, required:true"},
        {"type":"literal","name":"SMOUT_EXPIRY","value":"type:integer"}]}"#;
    let secret = format!(
        r#"{{"id":"{s}","name":"k","secret_type":"iam_credentials","state":1,"state_description":"active","crn":"crn:v1:bluemix:public:secrets-manager:us-south:a/{a}:{i}:secret:{s}","rotation":{{"auto_rotate":true,"interval":60,"unit":"day"}},"reuse_api_key":true}}"#
    );
    let configurations = r#"{"total_count":0,"limit":200,"offset":0,"configurations":[]}"#;
    let policies = format!(
        r#"{{"policies":[{{"id":"x","type":"authorization","state":"active","subjects":[{{"attributes":[{{"name":"accountId","value":"{a}"}},{{"name":"serviceName","value":"secrets-manager"}},{{"name":"serviceInstance","value":"{i}"}}]}}],"roles":[{{"role_id":"crn:v1:bluemix:public:iam::::role:Viewer"}},{{"role_id":"crn:v1:bluemix:public:iam::::serviceRole:Writer"}}],"resources":[{{"attributes":[{{"name":"accountId","value":"{a}"}},{{"name":"serviceName","value":"codeengine"}},{{"name":"serviceInstance","value":"{p}"}}]}}]}}]}}"#
    );
    let configurations: ConfigurationList =
        read("configurations", configurations.as_bytes()).unwrap();
    let policies: PolicyList = read("policies", policies.as_bytes()).unwrap();
    Facts {
        project: Fact::Known(read("project", project.as_bytes()).unwrap()),
        job: Fact::Known(read("job", job.as_bytes()).unwrap()),
        secret: Fact::Known(read("secret", secret.as_bytes()).unwrap()),
        configurations: Fact::Known(configurations.configurations),
        policies: Fact::Known(policies.policies),
        instance_account: Some(a.to_owned()),
    }
}

fn prerequisites(c: &mut Criterion) {
    let request: ConfigurationPrototype = serde_json::from_str(DOCS_EXAMPLE).unwrap();
    let target = target();
    let fine = world();
    // Everything that can be wrong and comes with a fix: no secret, no authorization.
    let mut broken = world();
    broken.secret = Fact::Missing;
    // A listed policy that is not the authorization: missing (an empty list cannot tell).
    broken.policies = Fact::Known(vec![Default::default()]);
    let mut group = c.benchmark_group("prereq");
    group.bench_function("check_all_right", |b| {
        b.iter(|| check_prerequisites(black_box(&request), black_box(&target), black_box(&fine)))
    });
    group.bench_function("check_with_fixes", |b| {
        b.iter(|| check_prerequisites(black_box(&request), black_box(&target), black_box(&broken)))
    });
    let Fact::Known(job) = &fine.job else {
        unreachable!("the world has a job")
    };
    group.bench_function("derive_schema", |b| {
        b.iter(|| derive_schema(black_box(&job.run_env_variables)))
    });
    group.finish();
}

fn config() -> Criterion {
    // Short runs: the whole bench finishes in well under a minute on a shared machine.
    Criterion::default()
        .warm_up_time(Duration::from_secs(1))
        .measurement_time(Duration::from_secs(2))
        .sample_size(50)
}

criterion_group! {
    name = benches;
    config = config();
    targets = validation, rendering, prerequisites
}
criterion_main!(benches);
