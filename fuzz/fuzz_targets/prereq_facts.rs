//! The facts as the services send them, into the prerequisite check: no panic, and every
//! finding and fix well-formed.
//!
//! Input: one flag byte (bit 0: the request has `api_key_ref`; bit 1: the instance's account
//! is known), then up to five bodies separated by NUL bytes, read as the CLI reads the
//! services' answers: a Code Engine project, a job, a secret's metadata, a configurations page
//! and a policies page. An empty body is a 404 (missing); one that does not read is unknown.
#![no_main]

use libfuzzer_sys::fuzz_target;
use sm_config::prereq::{self, Fact, Facts, PolicyList, read};
use sm_config::{
    CodeEngine, ConfigurationList, ConfigurationPrototype,
    CustomCredentialsConfigurationPrototype, Endpoint, Target, check_prerequisites,
};

fn fact<T: serde::de::DeserializeOwned>(what: &'static str, body: Option<&[u8]>) -> Fact<T> {
    match body {
        None | Some([]) => Fact::Missing,
        Some(body) => Fact::from_result(read(what, body)),
    }
}

fn list<L: serde::de::DeserializeOwned, T>(
    what: &'static str,
    body: Option<&[u8]>,
    items: impl FnOnce(L) -> Vec<T>,
) -> Fact<Vec<T>> {
    match fact::<L>(what, body) {
        Fact::Known(l) => Fact::Known(items(l)),
        Fact::Missing => Fact::Missing,
        Fact::Unknown(r) => Fact::Unknown(r),
    }
}

fuzz_target!(|data: &[u8]| {
    let Some((&flags, rest)) = data.split_first() else {
        return;
    };
    let mut bodies = rest.split(|b| *b == 0);
    let facts = Facts {
        project: fact("code engine project", bodies.next()),
        job: fact("code engine job", bodies.next()),
        secret: fact("secret", bodies.next()),
        configurations: list("configurations", bodies.next(), |l: ConfigurationList| {
            l.configurations
        }),
        policies: list("policies", bodies.next(), |l: PolicyList| l.policies),
        instance_account: (flags & 2 != 0).then(|| "4329073d16d2f3663f74bfa955259139".to_owned()),
    };
    let request = ConfigurationPrototype::from(CustomCredentialsConfigurationPrototype {
        name: "my_config".into(),
        api_key_ref: (flags & 1 != 0).then(|| "a2f9c2e4-a3a8-c508-2bed-fcb7c26843ca".to_owned()),
        code_engine: CodeEngine {
            job_name: "my-provider".into(),
            project_id: "4e49b3e0-27a8-48d2-a784-c7ee48bb863b".into(),
            region: "us-south".into(),
        },
        task_timeout: None,
    });
    let target = Target::new(
        "b49ad24d-81d4-5ebc-b9b9-b0937d1c84d5",
        "us-south",
        Endpoint::Public,
    );
    let report = check_prerequisites(&request, &target, &facts);
    for finding in report.findings() {
        assert!(!finding.message.is_empty());
        if let Some(fix) = &finding.fix {
            assert!(fix.cli.starts_with("ibmcloud "));
            assert!(fix.curl.starts_with("curl -X "));
            if let Some(json) = &fix.json {
                assert!(serde_json::from_str::<serde_json::Value>(json).is_ok());
            }
        }
    }
    // The derivation the emulator uses agrees with the check on what a provider is (the job is
    // looked at only once its project is known).
    if let (Fact::Known(_), Fact::Known(job)) = (&facts.project, &facts.job) {
        let derived = prereq::derive_schema(&job.run_env_variables);
        let schema_reported = report
            .findings()
            .iter()
            .any(|f| f.code == sm_config::Code::ProviderSchema);
        assert_eq!(derived.is_provider(), schema_reported);
    }
});
