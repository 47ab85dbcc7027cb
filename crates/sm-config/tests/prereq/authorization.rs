//! The authorization Secrets Manager (this instance) → Code Engine (this project) with Viewer
//! and Writer: present, absent, incomplete, and unknown.

use super::*;
use sm_config::prereq::{AuthorizationStatus, FixKind, Project, authorization_status};

const MISSING: &str = "secrets manager has no authorization on code engine project project-name";

/// The findings of the world with the policies changed: the schema, then these.
#[track_caller]
fn assert_authorization(report: &Report, expected: &[(Code, Severity, &str)]) {
    let mut all = ok();
    all.extend(
        expected.iter().map(|(code, severity, message)| {
            ("code_engine.project_id", *code, *severity, *message)
        }),
    );
    assert_findings(report, &all);
}

fn with_policies(change: impl FnOnce(&mut Value)) -> Report {
    check(|f| f.policies = policies_with(change))
}

#[test]
fn the_authorization_terraform_creates_is_found() {
    assert_findings(&with_policies(|_| {}), &ok());
}

#[test]
fn policies_for_other_things_mean_it_is_missing() {
    let report = with_policies(|p| {
        set(
            p,
            "/policies/0/resources/0/attributes/2/value",
            json!("11111111-2222-3333-4444-555555555555"),
        )
    });
    assert_authorization(
        &report,
        &[(Code::AuthorizationMissing, Severity::Error, MISSING)],
    );
    let f = finding(&report, Code::AuthorizationMissing);
    assert_eq!(
        f.hint.as_deref(),
        Some(
            "create the service authorization secrets-manager → codeengine with viewer and writer"
        )
    );
    assert_eq!(f.fix.as_deref().unwrap().kind, FixKind::Authorization);
}

#[test]
fn an_empty_list_cannot_tell_and_says_so() {
    let report = with_policies(|p| set(p, "/policies", json!([])));
    assert_authorization(
        &report,
        &[(
            Code::AuthorizationUnconfirmed,
            Severity::Warning,
            "iam listed no authorization policies, so whether secrets manager may use code engine project project-name cannot be told",
        )],
    );
    assert!(report.is_valid());
    // The fix is offered all the same.
    assert!(
        finding(&report, Code::AuthorizationUnconfirmed)
            .fix
            .is_some()
    );
}

#[test]
fn unreadable_policies_are_a_warning() {
    let report = check(|f| f.policies = Fact::Unknown("forbidden (403)".into()));
    assert_authorization(
        &report,
        &[(
            Code::FactUnavailable,
            Severity::Warning,
            "could not check the service authorization: forbidden (403)",
        )],
    );
}

#[test]
fn a_policy_without_writer_is_incomplete() {
    let report = with_policies(|p| {
        p["policies"][0]["roles"].as_array_mut().unwrap().pop();
    });
    assert_authorization(
        &report,
        &[(
            Code::AuthorizationIncomplete,
            Severity::Error,
            "the authorization of secrets manager on code engine project project-name lacks writer",
        )],
    );
    assert_eq!(
        finding(&report, Code::AuthorizationIncomplete)
            .hint
            .as_deref(),
        Some(
            "add the missing roles to policy 12345678-abcd-1a2b-a1b2-1234567890ab, or create the authorization with viewer and writer"
        )
    );
}

#[test]
fn a_policy_without_roles_lacks_both() {
    let report = with_policies(|p| set(p, "/policies/0/roles", json!([])));
    assert_eq!(
        finding(&report, Code::AuthorizationIncomplete).message,
        "the authorization of secrets manager on code engine project project-name lacks viewer and writer"
    );
}

#[test]
fn roles_add_up_over_policies() {
    let report = with_policies(|p| {
        let mut second = p["policies"][0].clone();
        p["policies"][0]["roles"].as_array_mut().unwrap().pop();
        second["id"] = json!("second");
        second["roles"].as_array_mut().unwrap().remove(0);
        p["policies"].as_array_mut().unwrap().push(second);
    });
    assert_findings(&report, &ok());
}

#[test]
fn roles_are_recognised_by_crn_alone() {
    let report = with_policies(|p| {
        for role in p["policies"][0]["roles"].as_array_mut().unwrap() {
            role.as_object_mut().unwrap().remove("display_name");
        }
    });
    assert_findings(&report, &ok());
}

#[test]
fn higher_roles_are_not_assumed_to_include_viewer_and_writer() {
    let report = with_policies(|p| {
        set(
            p,
            "/policies/0/roles",
            json!([{"role_id": "crn:v1:bluemix:public:iam::::serviceRole:Manager", "display_name": "Manager"},
                   {"role_id": "crn:v1:bluemix:public:iam::::role:Administrator", "display_name": "Administrator"}]),
        )
    });
    assert_eq!(
        finding(&report, Code::AuthorizationIncomplete).severity,
        Severity::Error
    );
}

#[test]
fn deleted_and_access_policies_do_not_count() {
    let deleted = with_policies(|p| set(p, "/policies/0/state", json!("deleted")));
    assert_authorization(
        &deleted,
        &[(Code::AuthorizationMissing, Severity::Error, MISSING)],
    );
    let access = with_policies(|p| set(p, "/policies/0/type", json!("access")));
    assert_authorization(
        &access,
        &[(Code::AuthorizationMissing, Severity::Error, MISSING)],
    );
}

#[test]
fn a_policy_for_another_instance_does_not_count() {
    let report = with_policies(|p| {
        set(
            p,
            "/policies/0/subjects/0/attributes/2/value",
            json!("0a1b2c3d-0000-0000-0000-000000000000"),
        )
    });
    assert_authorization(
        &report,
        &[(Code::AuthorizationMissing, Severity::Error, MISSING)],
    );
}

#[test]
fn a_policy_for_every_instance_of_the_account_counts_when_the_account_is_known() {
    let every_instance = |p: &mut Value| {
        p["policies"][0]["subjects"][0]["attributes"]
            .as_array_mut()
            .unwrap()
            .remove(2);
    };
    assert_findings(&with_policies(every_instance), &ok());
    // Without knowing the instance's account, such a policy cannot be tied to it.
    let report = check(|f| {
        f.policies = policies_with(every_instance);
        f.instance_account = None;
        f.secret = secret_with(|s| remove(s, "/crn"));
    });
    assert_authorization(
        &report,
        &[(Code::AuthorizationMissing, Severity::Error, MISSING)],
    );
    // The secret's CRN tells the account too.
    let report = check(|f| {
        f.policies = policies_with(every_instance);
        f.instance_account = None;
    });
    assert_findings(&report, &ok());
}

#[test]
fn a_policy_on_every_project_of_the_account_counts() {
    let report = with_policies(|p| {
        p["policies"][0]["resources"][0]["attributes"]
            .as_array_mut()
            .unwrap()
            .remove(2);
    });
    assert_findings(&report, &ok());
    // … of the project's own account only.
    let report = with_policies(|p| {
        p["policies"][0]["resources"][0]["attributes"]
            .as_array_mut()
            .unwrap()
            .remove(2);
        set(
            p,
            "/policies/0/resources/0/attributes/0/value",
            json!("ffffffffffffffffffffffffffffffff"),
        );
    });
    assert_authorization(
        &report,
        &[(Code::AuthorizationMissing, Severity::Error, MISSING)],
    );
}

#[test]
fn narrower_or_wildcard_policies_are_not_counted() {
    let narrower = with_policies(|p| {
        p["policies"][0]["resources"][0]["attributes"]
            .as_array_mut()
            .unwrap()
            .push(json!({"name": "resourceType", "value": "job", "operator": "stringEquals"}))
    });
    assert_authorization(
        &narrower,
        &[(Code::AuthorizationMissing, Severity::Error, MISSING)],
    );
    let wildcard = with_policies(|p| {
        set(
            p,
            "/policies/0/resources/0/attributes/2/operator",
            json!("stringMatch"),
        )
    });
    assert_authorization(
        &wildcard,
        &[(Code::AuthorizationMissing, Severity::Error, MISSING)],
    );
}

#[test]
fn the_status_function_says_which_policies_match() {
    let policies: sm_config::prereq::PolicyList = read(&policies_json());
    let project: Project = read(&project_json());
    assert_eq!(
        authorization_status(&policies.policies, INSTANCE_ID, Some(ACCOUNT), &project),
        AuthorizationStatus::Granted {
            policy_ids: vec!["12345678-abcd-1a2b-a1b2-1234567890ab".into()]
        }
    );
    assert_eq!(
        authorization_status(&[], INSTANCE_ID, Some(ACCOUNT), &project),
        AuthorizationStatus::Unconfirmed
    );
}
