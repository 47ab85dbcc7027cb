//! Benchmarks of validation and of each renderer, read by `cargo xtask bench` into
//! BENCHMARKS.md. The IDs (`validate/typed`, `render/curl`, …) are stable: keep them.

use criterion::{Criterion, criterion_group, criterion_main};
use sm_config::render::{self, Format};
use sm_config::{
    ConfigurationPrototype, Endpoint, Target, validate, validate_json, validate_patch_json,
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
    targets = validation, rendering
}
criterion_main!(benches);
