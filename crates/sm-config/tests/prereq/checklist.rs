//! The checklist: six prerequisites, each ok / failed / unknown / skipped, from the same run
//! of the checks as the report.

use super::*;
use sm_config::prereq::{Checklist, PrerequisiteId as P, PrerequisiteStatus as S, checklist};

fn list_with(
    change_request: impl FnOnce(&mut CustomCredentialsConfigurationPrototype),
    change: impl FnOnce(&mut Facts),
) -> Checklist {
    let mut r = request();
    change_request(&mut r);
    let mut facts = world();
    change(&mut facts);
    let list = checklist(&ConfigurationPrototype::from(r.clone()), &target(), &facts);
    // One run gives both: the report is exactly what `check_prerequisites` returns.
    assert_eq!(list.report, check_with(r, &facts));
    every_code_in_its_place(&list);
    list
}

fn list(change: impl FnOnce(&mut Facts)) -> Checklist {
    list_with(|_| {}, change)
}

/// Each prerequisite's codes belong to it (`fact_unavailable` to whichever check could not
/// read its fact), and together they are the report's codes, in report order.
#[track_caller]
fn every_code_in_its_place(list: &Checklist) {
    for item in &list.prerequisites {
        for code in &item.codes {
            assert!(
                P::of(*code) == Some(item.id) || *code == Code::FactUnavailable,
                "{code:?} listed under {}",
                item.id
            );
        }
    }
    let mut listed: Vec<Code> = list
        .prerequisites
        .iter()
        .flat_map(|p| p.codes.clone())
        .collect();
    let mut reported: Vec<Code> = list.report.findings().iter().map(|f| f.code).collect();
    listed.sort_by_key(|c| c.as_str());
    reported.sort_by_key(|c| c.as_str());
    assert_eq!(listed, reported);
}

/// The statuses in checklist order, with each item's codes.
#[track_caller]
fn assert_statuses(list: &Checklist, expected: [(S, &[Code]); 6]) {
    let got: Vec<(P, S, Vec<Code>)> = list
        .prerequisites
        .iter()
        .map(|p| (p.id, p.status, p.codes.clone()))
        .collect();
    let want: Vec<(P, S, Vec<Code>)> = P::ALL
        .iter()
        .zip(expected)
        .map(|(id, (s, codes))| (*id, s, codes.to_vec()))
        .collect();
    assert_eq!(got, want);
}

#[test]
fn every_prerequisite_code_belongs_to_exactly_one_item() {
    // The prerequisite codes are the ones after validation's (`Code::ALL` is in that order);
    // each names one item, and `fact_unavailable` none (the run knows whose fact it was).
    let first = Code::ALL
        .iter()
        .position(|c| *c == Code::ProjectNotFound)
        .unwrap();
    for code in &Code::ALL[..first] {
        assert_eq!(P::of(*code), None, "validation's {code:?}");
    }
    for code in &Code::ALL[first..] {
        match code {
            Code::FactUnavailable => assert_eq!(P::of(*code), None),
            _ => assert!(P::of(*code).is_some(), "{code:?} has no prerequisite"),
        }
    }
    // And every item has at least one code of its own.
    for id in P::ALL {
        assert!(Code::ALL.iter().any(|c| P::of(*c) == Some(id)), "{id}");
    }
}

#[test]
fn ids_titles_and_statuses_have_stable_wire_forms() {
    let ids: Vec<&str> = P::ALL.iter().map(|p| p.as_str()).collect();
    assert_eq!(
        ids,
        [
            "project",
            "job",
            "provider",
            "unique",
            "credentials",
            "authorization"
        ]
    );
    for id in P::ALL {
        assert_eq!(serde_json::to_value(id).unwrap(), id.as_str());
        assert_eq!(id.title(), id.title().to_lowercase());
    }
    for s in [S::Ok, S::Failed, S::Unknown, S::Skipped] {
        assert_eq!(serde_json::to_value(s).unwrap(), s.as_str());
    }
    let list = list(|_| {});
    assert_eq!(
        serde_json::to_value(&list.prerequisites[0]).unwrap(),
        json!({"id": "project", "title": "the code engine project exists and is active in its region",
               "status": "ok", "codes": []})
    );
    assert_eq!(
        serde_json::to_value(&list.prerequisites[2]).unwrap()["codes"],
        json!(["provider_schema"])
    );
}

#[test]
fn a_world_in_which_everything_is_right_is_all_ok() {
    let ok: &[Code] = &[];
    assert_statuses(
        &list(|_| {}),
        [
            (S::Ok, ok),
            (S::Ok, ok),
            (S::Ok, &[Code::ProviderSchema]),
            (S::Ok, ok),
            (S::Ok, ok),
            (S::Ok, ok),
        ],
    );
}

#[test]
fn a_missing_project_fails_it_and_skips_what_depends_on_it() {
    let list = list(|f| f.project = Fact::Missing);
    assert_statuses(
        &list,
        [
            (S::Failed, &[Code::ProjectNotFound]),
            (S::Skipped, &[]),
            (S::Skipped, &[]),
            (S::Ok, &[]),
            (S::Ok, &[]),
            (S::Skipped, &[]),
        ],
    );
}

#[test]
fn the_secret_is_checked_whatever_the_project() {
    // api_key_ref's check needs the secret, not the project.
    let list = list(|f| {
        f.project = Fact::Missing;
        f.secret = secret_with(|s| set(s, "/rotation/auto_rotate", json!(false)));
    });
    assert_eq!(list.get(P::Credentials).unwrap().status, S::Failed);
    assert_eq!(
        list.get(P::Credentials).unwrap().codes,
        [Code::SecretNoRotation]
    );
}

#[test]
fn an_unreadable_project_makes_what_depends_on_it_unknown() {
    let list = list(|f| f.project = Fact::Unknown("forbidden (403)".into()));
    assert_statuses(
        &list,
        [
            (S::Unknown, &[Code::FactUnavailable]),
            (S::Unknown, &[]),
            (S::Unknown, &[]),
            (S::Ok, &[]),
            (S::Ok, &[]),
            (S::Unknown, &[]),
        ],
    );
}

#[test]
fn a_job_that_is_not_a_provider_fails_the_provider_only() {
    let list = list(|f| {
        f.job = job_with(|j| set(j, "/run_env_variables", json!([])));
    });
    assert_eq!(list.get(P::Job).unwrap().status, S::Ok);
    let provider = list.get(P::Provider).unwrap();
    assert_eq!(provider.status, S::Failed);
    assert_eq!(provider.codes, [Code::NotAProvider]);
    assert_eq!(list.get(P::Credentials).unwrap().status, S::Ok);
}

#[test]
fn a_missing_job_skips_the_provider_and_the_trusted_profile() {
    let list = list_with(|r| r.api_key_ref = None, |f| f.job = Fact::Missing);
    assert_statuses(
        &list,
        [
            (S::Ok, &[]),
            (S::Failed, &[Code::JobNotFound]),
            (S::Skipped, &[]),
            (S::Ok, &[]),
            (S::Skipped, &[]),
            (S::Ok, &[]),
        ],
    );
}

#[test]
fn without_api_key_ref_the_credentials_are_the_trusted_profiles() {
    let list = list_with(|r| r.api_key_ref = None, |_| {});
    let credentials = list.get(P::Credentials).unwrap();
    assert_eq!(credentials.status, S::Failed);
    assert_eq!(credentials.codes, [Code::TrustedProfilesDisabled]);
    let list = list_with(
        |r| r.api_key_ref = None,
        |f| f.job = job_with(|j| set(j, "/run_compute_resource_token_enabled", json!(true))),
    );
    assert_eq!(list.get(P::Credentials).unwrap().status, S::Ok);
}

#[test]
fn a_secret_without_rotation_fails_the_credentials() {
    let list = list(|f| f.secret = secret_with(|s| set(s, "/rotation/auto_rotate", json!(false))));
    let credentials = list.get(P::Credentials).unwrap();
    assert_eq!(credentials.status, S::Failed);
    assert_eq!(credentials.codes, [Code::SecretNoRotation]);
}

#[test]
fn warnings_are_unknown_not_failed() {
    // IAM listed nothing: cannot tell.
    let list = list(|f| f.policies = Fact::Known(Vec::new()));
    let authorization = list.get(P::Authorization).unwrap();
    assert_eq!(authorization.status, S::Unknown);
    assert_eq!(authorization.codes, [Code::AuthorizationUnconfirmed]);
    let list = list_with(
        |_| {},
        |f| f.configurations = Fact::Unknown("timeout".into()),
    );
    assert_eq!(list.get(P::Unique).unwrap().status, S::Unknown);
    assert_eq!(list.get(P::Unique).unwrap().codes, [Code::FactUnavailable]);
}

#[test]
fn a_missing_authorization_fails_it() {
    // Policies for other things (unlike an empty list) mean it is missing.
    let list = list_with(
        |_| {},
        |f| {
            f.policies = policies_with(|p| {
                set(
                    p,
                    "/policies/0/resources/0/attributes/2/value",
                    json!("another-project"),
                )
            })
        },
    );
    let authorization = list.get(P::Authorization).unwrap();
    assert_eq!(authorization.status, S::Failed);
    assert_eq!(authorization.codes, [Code::AuthorizationMissing]);
}

#[test]
fn invalid_fields_skip_their_checks() {
    let list = list_with(
        |r| {
            r.code_engine.project_id = "not a project/../x".into();
            r.api_key_ref = Some("bad id".into());
        },
        |_| {},
    );
    assert_statuses(
        &list,
        [
            (S::Skipped, &[]),
            (S::Skipped, &[]),
            (S::Skipped, &[]),
            (S::Ok, &[]),
            (S::Skipped, &[]),
            (S::Skipped, &[]),
        ],
    );
    // An invalid instance skips what needs the instance.
    let facts = world();
    let bad = Target::new("not-an-instance", REGION, Endpoint::Public);
    let list = checklist(&ConfigurationPrototype::from(request()), &bad, &facts);
    assert_eq!(list.get(P::Project).unwrap().status, S::Ok);
    assert_eq!(list.get(P::Unique).unwrap().status, S::Skipped);
    assert_eq!(list.get(P::Credentials).unwrap().status, S::Skipped);
    assert_eq!(list.get(P::Authorization).unwrap().status, S::Skipped);
}
