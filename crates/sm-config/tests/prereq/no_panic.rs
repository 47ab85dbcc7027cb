//! No input reaches a panic: arbitrary JSON for every fact, read as a caller would (a body that
//! does not read becomes an unknown fact), then checked against arbitrary requests.

use super::*;
use proptest::prelude::*;
use proptest::test_runner::{Config, TestRunner};
use sm_config::prereq::{Fact, Needs, PolicyList, read as read_fact};

/// Any JSON, biased to the shapes the services use (objects with their keys).
fn any_json() -> impl Strategy<Value = Value> {
    let key = prop::sample::select(vec![
        "id",
        "name",
        "region",
        "status",
        "account_id",
        "crn",
        "resource_group_id",
        "run_env_variables",
        "type",
        "value",
        "run_compute_resource_token_enabled",
        "entity_tag",
        "secret_type",
        "state",
        "state_description",
        "rotation",
        "auto_rotate",
        "reuse_api_key",
        "service_id",
        "secret_group_id",
        "policies",
        "subjects",
        "resources",
        "attributes",
        "roles",
        "role_id",
        "display_name",
        "operator",
        "configurations",
        "config_type",
        "code_engine",
        "job_name",
        "project_id",
    ]);
    let leaf = prop_oneof![
        Just(Value::Null),
        any::<bool>().prop_map(Value::from),
        any::<i64>().prop_map(Value::from),
        any::<f64>().prop_map(Value::from),
        "[a-zA-Z0-9_:, -]{0,12}".prop_map(Value::from),
        prop::sample::select(vec![
            "active",
            "literal",
            "SMIN_A",
            "SMOUT_B",
            "type:string, required:true",
            "authorization",
            "secrets-manager",
            "codeengine",
            "serviceInstance",
            "serviceName",
            "accountId",
            "iam_credentials",
            "custom_credentials_configuration",
            PROJECT_ID,
            INSTANCE_ID,
            ACCOUNT,
            "crn:v1:bluemix:public:iam::::role:Viewer",
        ])
        .prop_map(Value::from),
    ];
    leaf.prop_recursive(5, 64, 8, move |inner| {
        prop_oneof![
            prop::collection::vec(inner.clone(), 0..6).prop_map(Value::Array),
            prop::collection::vec((key.clone(), inner), 0..8).prop_map(|kv| Value::Object(
                kv.into_iter().map(|(k, v)| (k.to_owned(), v)).collect()
            )),
        ]
    })
}

fn fact<T: serde::de::DeserializeOwned>(v: &Option<Value>) -> Fact<T> {
    match v {
        None => Fact::Missing,
        Some(v) => Fact::from_result(read_fact("fact", v.to_string().as_bytes())),
    }
}

#[test]
fn arbitrary_facts_never_panic_the_check() {
    let strategy = (
        prop::collection::vec(prop::option::of(any_json()), 5),
        prop::option::of(".{0,40}"),
        prop::bool::ANY,
    );
    let mut runner = TestRunner::new(Config {
        failure_persistence: None,
        ..Config::with_cases(3000)
    });
    let result = runner.run(&strategy, |(values, account, key)| {
        let configurations: Fact<sm_config::ConfigurationList> = fact(&values[3]);
        let policies: Fact<PolicyList> = fact(&values[4]);
        let facts = Facts {
            project: fact(&values[0]),
            job: fact(&values[1]),
            secret: fact(&values[2]),
            configurations: match configurations {
                Fact::Known(l) => Fact::Known(l.configurations),
                Fact::Missing => Fact::Missing,
                Fact::Unknown(r) => Fact::Unknown(r),
            },
            policies: match policies {
                Fact::Known(l) => Fact::Known(l.policies),
                Fact::Missing => Fact::Missing,
                Fact::Unknown(r) => Fact::Unknown(r),
            },
            instance_account: account,
        };
        let mut r = request();
        if !key {
            r.api_key_ref = None;
        }
        let request = ConfigurationPrototype::from(r);
        let report = check_prerequisites(&request, &target(), &facts);
        let _ = Needs::of(&request, &target());
        for f in report.findings() {
            prop_assert!(!f.message.is_empty());
            prop_assert_eq!(f.message.trim(), f.message.as_str());
            if let Some(fix) = &f.fix {
                prop_assert!(fix.cli.starts_with("ibmcloud "));
                prop_assert!(fix.curl.starts_with("curl -X "));
                prop_assert!(hcl::parse(&fix.terraform).is_ok(), "{}", fix.terraform);
            }
        }
        Ok(())
    });
    if let Err(e) = result {
        panic!("{e}");
    }
}
