//! `api_key_ref`: an active `iam_credentials` secret of this instance with auto-rotation and
//! a reused API key.

use super::*;
use sm_config::prereq::FixKind;

/// The findings of the world with the secret changed: the schema, then these.
#[track_caller]
fn assert_secret(report: &Report, expected: &[(Code, &str)]) {
    let mut all = ok();
    all.extend(
        expected
            .iter()
            .map(|(code, message)| ("api_key_ref", *code, Severity::Error, *message)),
    );
    assert_findings(report, &all);
    for f in report.errors() {
        let fix = f
            .fix
            .as_deref()
            .expect("every secret finding carries its fix");
        assert_eq!(fix.kind, FixKind::IamCredentialsSecret);
    }
}

#[test]
fn a_missing_secret_is_an_error_with_a_fix() {
    let report = check(|f| f.secret = Fact::Missing);
    assert_secret(
        &report,
        &[(
            Code::SecretNotFound,
            "no secret a2f9c2e4-a3a8-c508-2bed-fcb7c26843ca in the instance",
        )],
    );
    let fix = finding(&report, Code::SecretNotFound)
        .fix
        .as_deref()
        .unwrap();
    // Nothing is known of a service ID: the placeholder, and the summary says so.
    assert_eq!(
        fix.summary,
        "create the iam credentials secret my_config-api-key with auto-rotation and a reused api key (replace ServiceId-00000000-0000-0000-0000-000000000000 with the job's service id), then use its id as api_key_ref"
    );
}

#[test]
fn an_unreadable_secret_is_a_warning() {
    let report = check(|f| f.secret = Fact::Unknown("forbidden (403)".into()));
    let mut expected = ok();
    expected.push((
        "api_key_ref",
        Code::FactUnavailable,
        Severity::Warning,
        "could not check the secret: forbidden (403)",
    ));
    assert_findings(&report, &expected);
}

#[test]
fn a_secret_of_another_type_is_an_error() {
    let report = check(|f| {
        f.secret = secret_with(|s| {
            set(s, "/secret_type", json!("arbitrary"));
            remove(s, "/rotation");
        })
    });
    // Rotation and reuse are not asked of a secret that is the wrong kind anyway.
    assert_secret(
        &report,
        &[(
            Code::SecretWrongType,
            "secret provider-api-key is arbitrary, not iam_credentials",
        )],
    );
}

#[test]
fn an_inactive_secret_is_an_error() {
    for state in ["pre_activation", "suspended", "deactivated", "destroyed"] {
        let report =
            check(|f| f.secret = secret_with(|s| set(s, "/state_description", json!(state))));
        let message = format!("secret provider-api-key is {state}, not active");
        assert_secret(&report, &[(Code::SecretInactive, &message)]);
    }
}

#[test]
fn the_numeric_state_decides_when_there_is_no_description() {
    let report = check(|f| f.secret = secret_with(|s| remove(s, "/state_description")));
    assert_findings(&report, &ok());
    let report = check(|f| {
        f.secret = secret_with(|s| {
            remove(s, "/state_description");
            set(s, "/state", json!(2));
        })
    });
    assert_secret(
        &report,
        &[(
            Code::SecretInactive,
            "secret provider-api-key is state 2, not active",
        )],
    );
    let report = check(|f| {
        f.secret = secret_with(|s| {
            remove(s, "/state_description");
            remove(s, "/state");
        })
    });
    assert_secret(
        &report,
        &[(
            Code::SecretInactive,
            "secret provider-api-key is of unknown state, not active",
        )],
    );
}

const NO_ROTATION: &str = "secret provider-api-key has no automatic rotation";
const NO_REUSE: &str = "secret provider-api-key does not reuse its api key";

#[test]
fn a_secret_without_rotation_is_an_error_whether_absent_or_off() {
    let absent = check(|f| f.secret = secret_with(|s| remove(s, "/rotation")));
    assert_secret(&absent, &[(Code::SecretNoRotation, NO_ROTATION)]);
    let off =
        check(|f| f.secret = secret_with(|s| set(s, "/rotation", json!({"auto_rotate": false}))));
    assert_secret(&off, &[(Code::SecretNoRotation, NO_ROTATION)]);
    let null = check(|f| f.secret = secret_with(|s| set(s, "/rotation", Value::Null)));
    assert_secret(&null, &[(Code::SecretNoRotation, NO_ROTATION)]);
}

#[test]
fn a_secret_without_reuse_is_an_error_whether_absent_or_off() {
    let off = check(|f| f.secret = secret_with(|s| set(s, "/reuse_api_key", json!(false))));
    assert_secret(&off, &[(Code::SecretNoReuse, NO_REUSE)]);
    let absent = check(|f| f.secret = secret_with(|s| remove(s, "/reuse_api_key")));
    assert_secret(&absent, &[(Code::SecretNoReuse, NO_REUSE)]);
}

#[test]
fn every_problem_of_one_secret_is_reported() {
    let report = check(|f| {
        f.secret = secret_with(|s| {
            set(s, "/state_description", json!("suspended"));
            remove(s, "/rotation");
            set(s, "/reuse_api_key", json!(false));
        })
    });
    assert_secret(
        &report,
        &[
            (
                Code::SecretInactive,
                "secret provider-api-key is suspended, not active",
            ),
            (Code::SecretNoRotation, NO_ROTATION),
            (Code::SecretNoReuse, NO_REUSE),
        ],
    );
    // The fix keeps what is known of the old secret: its group and service ID.
    let fix = finding(&report, Code::SecretNoRotation)
        .fix
        .as_deref()
        .unwrap();
    assert!(
        fix.cli.contains(
            "--iam-credentials-service-id='ServiceId-bb4ccc31-bd31-493a-bb58-52ec399800be'"
        ),
        "{}",
        fix.cli
    );
}

#[test]
fn a_secret_of_another_instance_is_an_error() {
    let other = "0a1b2c3d-0000-0000-0000-000000000000";
    let report = check(|f| {
        f.secret = secret_with(|s| {
            set(
                s,
                "/crn",
                json!(format!(
                    "crn:v1:bluemix:public:secrets-manager:{REGION}:a/{ACCOUNT}:{other}:secret:{SECRET_ID}"
                )),
            )
        })
    });
    let message = format!("secret provider-api-key belongs to instance {other}, not this one");
    assert_secret(&report, &[(Code::SecretOtherInstance, &message)]);
}

#[test]
fn a_secret_without_a_name_is_named_by_its_id() {
    let report = check(|f| {
        f.secret = secret_with(|s| {
            remove(s, "/name");
            remove(s, "/rotation");
        })
    });
    assert_eq!(
        finding(&report, Code::SecretNoRotation).message,
        "secret a2f9c2e4-a3a8-c508-2bed-fcb7c26843ca has no automatic rotation"
    );
}
