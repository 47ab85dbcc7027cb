//! `validate_fields` (the bindings' fast path: borrowed fields, no JSON value) against
//! `validate_value` (the general path every other input takes): for every well-formed body
//! the two reports must be identical, findings, messages, hints and spans alike.

use proptest::prelude::*;
use proptest::test_runner::{Config, TestRunner};
use serde_json::{Map, Value};
use sm_config::{Endpoint, Fields, Target, validate_fields, validate_value};

/// Text a field may hold: valid values of every field, near misses, and anything at all.
fn text() -> impl Strategy<Value = String> {
    prop_oneof![
        Just(String::new()),
        Just("my_config".to_owned()),
        Just("code-engine-job-name".to_owned()),
        Just("12345678-5120-4a18-832a-4ba122496633".to_owned()),
        Just("A2F9C2E4-A3A8-C508-2BED-FCB7C26843CA".to_owned()),
        Just("50m".to_owned()),
        Just("5s".to_owned()),
        Just("1.5h".to_owned()),
        prop::sample::select(vec![
            "us-south", "ca-mon", "eu-de", "US-South", " eu-gb", "mars", "in-mum",
        ])
        .prop_map(str::to_owned),
        "[a-zA-Z0-9_.\\- ]{0,12}",
        "[0-9a-fA-F\\-]{34,38}",
        "[0-9]{0,7}[smhdSMHD.,]?[0-9]?",
        "[a-z0-9\\-]{60,66}",
        "\\PC{0,20}",
        any::<String>(),
    ]
}

fn fields() -> impl Strategy<Value = (String, Option<String>, [String; 3], Option<String>)> {
    (
        text(),
        prop::option::of(text()),
        [text(), text(), text()],
        prop::option::of(text()),
    )
}

fn target() -> impl Strategy<Value = Option<Target>> {
    prop::option::of(
        (
            prop_oneof![
                Just("b49ad24d-81d4-5ebc-b9b9-b0937d1c84d5".to_owned()),
                text()
            ],
            prop_oneof![
                Just("us-south".to_owned()),
                Just("ca-mon".to_owned()),
                text()
            ],
        )
            .prop_map(|(id, region)| Target::new(id, region, Endpoint::Public)),
    )
}

#[test]
fn fast_path_reports_exactly_what_the_json_path_reports() {
    let mut runner = TestRunner::new(Config {
        cases: 4096,
        ..Config::default()
    });
    runner
        .run(
            &(fields(), target()),
            |((name, key, ce, timeout), target)| {
                let [job_name, project_id, region] = &ce;
                let mut body = Map::new();
                body.insert("name".into(), name.clone().into());
                body.insert(
                    "config_type".into(),
                    "custom_credentials_configuration".into(),
                );
                if let Some(key) = &key {
                    body.insert("api_key_ref".into(), key.clone().into());
                }
                let mut code_engine = Map::new();
                code_engine.insert("job_name".into(), job_name.clone().into());
                code_engine.insert("project_id".into(), project_id.clone().into());
                code_engine.insert("region".into(), region.clone().into());
                body.insert("code_engine".into(), Value::Object(code_engine));
                if let Some(timeout) = &timeout {
                    body.insert("task_timeout".into(), timeout.clone().into());
                }
                let general = validate_value(&Value::Object(body), target.as_ref()).report;
                let fast = validate_fields(
                    &Fields {
                        name: &name,
                        api_key_ref: key.as_deref(),
                        job_name,
                        project_id,
                        region,
                        task_timeout: timeout.as_deref(),
                    },
                    target.as_ref(),
                );
                prop_assert_eq!(fast, general);
                Ok(())
            },
        )
        .unwrap();
}

/// A field left out of the body reads as empty on the fast path, as the JSON path reads it.
#[test]
fn left_out_required_fields_match_empty_ones() {
    let body = serde_json::json!({
        "config_type": "custom_credentials_configuration",
        "code_engine": {}
    });
    let general = validate_value(&body, None).report;
    let fast = validate_fields(&Fields::default(), None);
    assert_eq!(fast, general);
    assert_eq!(
        fast.findings()
            .iter()
            .map(|f| f.path.as_str())
            .collect::<Vec<_>>(),
        [
            "name",
            "api_key_ref",
            "code_engine.job_name",
            "code_engine.project_id",
            "code_engine.region"
        ]
    );
}
