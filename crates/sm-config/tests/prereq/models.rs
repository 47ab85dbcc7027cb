//! The models read what the services send: the SDKs' mock answers, `null`s, unknown fields,
//! and list pages, with a typed error for the wrong JSON type.

use super::*;
use sm_config::prereq::{
    JobList, PolicyList, Project, ProjectList, SecretMetadata, SecretMetadataList, read,
};

#[test]
fn a_project_list_page_reads_with_its_next_start() {
    let page = json!({"first": {"href": "Href"}, "limit": 100, "next": {"href": "Href", "start": "Start"},
                      "projects": [project_json()]});
    let list: ProjectList = super::read(&page);
    assert_eq!(list.limit, 100);
    assert_eq!(list.next.unwrap().start.as_deref(), Some("Start"));
    let p = &list.projects[0];
    assert_eq!(
        (
            p.id.as_str(),
            p.name.as_str(),
            p.region.as_str(),
            p.status.as_str()
        ),
        (PROJECT_ID, "project-name", REGION, "active")
    );
    assert_eq!(p.resource_group_id, RESOURCE_GROUP);
    assert!(p.is_active());
    assert_eq!(p.account(), Some(ACCOUNT));
    // The last page has no `next`.
    let last: ProjectList = super::read(&json!({"limit": 100, "projects": []}));
    assert_eq!(last.next, None);
}

#[test]
fn the_account_comes_from_the_crn_when_absent() {
    let mut p = project_json();
    remove(&mut p, "/account_id");
    let p: Project = super::read(&p);
    assert_eq!(p.account(), Some(ACCOUNT));
}

#[test]
fn a_job_list_page_reads_the_provider_variables() {
    let page = json!({"first": {"href": "Href"}, "limit": 100, "next": {"href": "Href", "start": "Start"},
                      "jobs": [job_json()]});
    let list: JobList = super::read(&page);
    let job = &list.jobs[0];
    assert_eq!(job.name, JOB);
    assert_eq!(job.entity_tag.as_deref(), Some("2385407409"));
    assert!(!job.trusted_profiles_enabled());
    assert_eq!(job.run_env_variables.len(), 3);
    assert_eq!(job.run_env_variables[0].kind, "literal");
    assert_eq!(job.run_env_variables[2].prefix.as_deref(), Some("PREFIX_"));
}

#[test]
fn a_secret_list_page_reads_with_its_offsets() {
    let page = json!({
        "total_count": 232, "limit": 50, "offset": 100,
        "first": {"href": "https://us-south.secrets-maanger.cloud.ibm.com/x/api/v2/secrets?limit=50"},
        "next": {"href": "…?offset=150&limit=50"},
        "previous": {"href": "…?offset=50&limit=50"},
        "last": {"href": "…?offset=200&limit=50"},
        "secrets": [secret_json(), {"id": "x", "secret_type": "arbitrary", "name": "other"}]
    });
    let list: SecretMetadataList = super::read(&page);
    assert_eq!((list.total_count, list.limit, list.offset), (232, 50, 100));
    assert_eq!(list.secrets.len(), 2);
    let s = &list.secrets[0];
    assert!(s.is_active() && s.auto_rotates() && s.reuses_api_key());
    assert_eq!(s.rotation.as_ref().unwrap().interval, Some(60));
    assert!(!list.secrets[1].auto_rotates());
}

#[test]
fn a_policy_list_page_reads_as_the_sdk_mock_has_it() {
    let mock = json!({"limit": 1, "first": {"href": "Href"}, "next": {"href": "Href", "start": "Start"}, "previous": {"href": "Href", "start": "Start"},
        "policies": [{"id": "ID", "type": "Type", "description": "Description",
          "subjects": [{"attributes": [{"name": "Name", "value": "Value"}]}],
          "roles": [{"role_id": "RoleID", "display_name": "DisplayName", "description": "Description"}],
          "resources": [{"attributes": [{"name": "Name", "value": "Value", "operator": "Operator"}], "tags": [{"name": "Name", "value": "Value", "operator": "Operator"}]}],
          "href": "Href", "created_at": "2019-01-01T12:00:00.000Z", "created_by_id": "CreatedByID",
          "last_modified_at": "2019-01-01T12:00:00.000Z", "last_modified_by_id": "LastModifiedByID", "state": "active"}]});
    let list: PolicyList = super::read(&mock);
    let p = &list.policies[0];
    assert_eq!((p.id.as_str(), p.kind.as_str()), ("ID", "Type"));
    assert_eq!(p.subjects[0].attributes[0].name, "Name");
    assert_eq!(p.roles[0].display_name.as_deref(), Some("DisplayName"));
    assert_eq!(
        p.resources[0].attributes[0].operator.as_deref(),
        Some("Operator")
    );
    assert_eq!(list.next.unwrap().start.as_deref(), Some("Start"));
}

#[test]
fn nulls_read_as_absent() {
    let s: SecretMetadata = read(
        "secret",
        br#"{"id": null, "secret_type": null, "rotation": null, "reuse_api_key": null, "state": null}"#,
    )
    .unwrap();
    assert_eq!(s, SecretMetadata::default());
    let p: Project = read("project", br#"{"id": "x", "name": null, "status": null}"#).unwrap();
    assert_eq!(p.name, "");
}

#[test]
fn a_wrong_type_is_a_typed_error_with_a_stable_message() {
    let err = read::<Project>("code engine project", br#"{"status": 5}"#).unwrap_err();
    assert_eq!(err.what, "code engine project");
    assert_eq!(
        err.to_string(),
        "could not read the code engine project: invalid type: integer `5`, expected a string at line 1 column 12"
    );
    let err = read::<SecretMetadata>("secret", b"<html>").unwrap_err();
    assert_eq!(
        err.to_string(),
        "could not read the secret: expected value at line 1 column 1"
    );
    // Into a fact: unknown, with the reason.
    assert_eq!(
        Fact::from_result(read::<Project>("code engine project", b"[]")),
        Fact::Unknown(
            "could not read the code engine project: expected an object, not an array".into()
        )
    );
}

#[test]
fn facts_serialize_with_stable_tags() {
    let facts = Facts {
        project: Fact::Missing,
        job: Fact::Unknown("forbidden".into()),
        ..Facts::default()
    };
    let v = serde_json::to_value(&facts).unwrap();
    assert_eq!(v["project"], json!("missing"));
    assert_eq!(v["job"], json!({"unknown": "forbidden"}));
    assert_eq!(v["secret"], json!({"unknown": "not fetched"}));
    let back: Facts = serde_json::from_value(v).unwrap();
    assert_eq!(back, facts);
    let known = serde_json::to_value(world()).unwrap();
    assert_eq!(known["project"]["known"]["id"], json!(PROJECT_ID));
}

#[test]
fn findings_serialize_their_fix_only_when_there_is_one() {
    let report =
        check(|f| f.policies = policies_with(|p| set(p, "/policies/0/type", json!("access"))));
    let v = serde_json::to_value(&report).unwrap();
    assert_eq!(v[0].get("fix"), None);
    assert_eq!(v[0]["severity"], json!("info"));
    assert_eq!(v[1]["code"], json!("authorization_missing"));
    assert_eq!(v[1]["fix"]["kind"], json!("authorization"));
    assert!(
        v[1]["fix"]["cli"]
            .as_str()
            .unwrap()
            .starts_with("ibmcloud iam authorization-policy-create")
    );
}

#[test]
fn every_code_has_its_wire_name() {
    for code in Code::ALL {
        assert_eq!(serde_json::to_value(code).unwrap(), json!(code.as_str()));
    }
}
