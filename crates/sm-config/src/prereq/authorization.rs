//! The IAM service authorization Secrets Manager (this instance) → Code Engine (this project)
//! with Viewer and Writer **\[S: IBM's Terraform module, the providers' README\]**.
//!
//! IAM returns only the policies the caller may read, and an empty list when it may read none
//! **\[S: PS-SDK\]**: an empty list says nothing (a warning), a list without a match says the
//! authorization is missing (an error).
//!
//! Matching, strict where the sources are silent **\[P\]**: an active (or state-less)
//! `authorization` policy whose attributes all use `stringEquals` (or no operator); subject
//! `serviceName = secrets-manager` and `serviceInstance` = the instance (or, absent, an
//! `accountId` equal to the instance's known account); resource `serviceName = codeengine` and
//! `serviceInstance` = the project (or, absent, the project's `accountId` and, if given, its
//! `resourceGroupId`). Any other attribute (`resourceType`, `resource`, a subject's
//! `resourceGroupId`, `stringMatch` wildcards) narrows or cannot be verified here, so such a
//! policy is not counted. Roles add up over matching policies: Viewer is
//! `…iam::::role:Viewer`, Writer `…iam::::serviceRole:Writer` (or their display names); higher
//! roles are not assumed to include them.

use super::fix::{
    AuthorizationFix, SOURCE_SERVICE, TARGET_SERVICE, VIEWER_ROLE_CRN, WRITER_ROLE_CRN,
};
use super::model::{Policy, PolicyAttributes, Project, crn_account};
use super::{Fact, Facts, unavailable};
use crate::field::FieldPath;
use crate::report::{Code, Finding, Report};
use crate::target::Target;
use serde::{Deserialize, Serialize};

/// What the policies say about the authorization.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case", tag = "status")]
pub enum AuthorizationStatus {
    /// Matching policies grant Viewer and Writer.
    Granted {
        /// The matching policies' IDs.
        policy_ids: Vec<String>,
    },
    /// Matching policies exist but lack roles.
    Partial {
        /// The roles missing (`Viewer`, `Writer`).
        missing_roles: Vec<String>,
        /// The matching policies' IDs.
        policy_ids: Vec<String>,
    },
    /// Policies were listed and none matches.
    Missing,
    /// IAM listed no policy at all: cannot tell.
    Unconfirmed,
}

fn equals_only(attrs: &PolicyAttributes) -> bool {
    attrs
        .attributes
        .iter()
        .all(|a| matches!(a.operator.as_deref(), None | Some("stringEquals")))
}

fn value<'a>(attrs: &'a PolicyAttributes, name: &str) -> Option<&'a str> {
    attrs.get(name).map(|a| a.value.as_str())
}

fn only_known(attrs: &PolicyAttributes, known: &[&str]) -> bool {
    attrs
        .attributes
        .iter()
        .all(|a| known.contains(&a.name.as_str()))
}

fn subject_matches(s: &PolicyAttributes, instance_id: &str, account: Option<&str>) -> bool {
    if !equals_only(s) || !only_known(s, &["accountId", "serviceName", "serviceInstance"]) {
        return false;
    }
    if value(s, "serviceName") != Some(SOURCE_SERVICE) {
        return false;
    }
    let account_ok = match (value(s, "accountId"), account) {
        (Some(a), Some(b)) => a == b,
        (_, _) => false,
    };
    let account_conflict = matches!((value(s, "accountId"), account), (Some(a), Some(b)) if a != b);
    match value(s, "serviceInstance") {
        Some(i) => i == instance_id && !account_conflict,
        None => account_ok,
    }
}

fn resource_matches(r: &PolicyAttributes, project: &Project) -> bool {
    if !equals_only(r)
        || !only_known(
            r,
            &[
                "accountId",
                "serviceName",
                "serviceInstance",
                "resourceGroupId",
            ],
        )
    {
        return false;
    }
    if value(r, "serviceName") != Some(TARGET_SERVICE) {
        return false;
    }
    let account = project.account();
    if let (Some(a), Some(b)) = (value(r, "accountId"), account)
        && a != b
    {
        return false;
    }
    if let Some(group) = value(r, "resourceGroupId")
        && group != project.resource_group_id
    {
        return false;
    }
    match value(r, "serviceInstance") {
        Some(i) => i == project.id,
        // The whole service in an account: only when that account is known to be the
        // project's.
        None => value(r, "accountId").is_some() && value(r, "accountId") == account,
    }
}

/// Which of Viewer and Writer a policy grants.
fn roles(policy: &Policy) -> (bool, bool) {
    let mut viewer = false;
    let mut writer = false;
    for role in &policy.roles {
        let name = role.display_name.as_deref();
        viewer |= role.role_id == VIEWER_ROLE_CRN || name == Some("Viewer");
        writer |= role.role_id == WRITER_ROLE_CRN || name == Some("Writer");
    }
    (viewer, writer)
}

/// Whether `policies` authorize Secrets Manager instance `instance_id` (of `instance_account`,
/// when known) on `project` with Viewer and Writer.
pub fn authorization_status(
    policies: &[Policy],
    instance_id: &str,
    instance_account: Option<&str>,
    project: &Project,
) -> AuthorizationStatus {
    if policies.is_empty() {
        return AuthorizationStatus::Unconfirmed;
    }
    let (mut viewer, mut writer) = (false, false);
    let mut ids = Vec::new();
    for policy in policies {
        let live = policy.kind == "authorization"
            && matches!(policy.state.as_deref(), None | Some("active"));
        let matches = live
            && policy
                .subjects
                .iter()
                .any(|s| subject_matches(s, instance_id, instance_account))
            && policy
                .resources
                .iter()
                .any(|r| resource_matches(r, project));
        if matches {
            let (v, w) = roles(policy);
            viewer |= v;
            writer |= w;
            ids.push(policy.id.clone());
        }
    }
    if ids.is_empty() {
        return AuthorizationStatus::Missing;
    }
    let mut missing = Vec::new();
    if !viewer {
        missing.push("Viewer".to_owned());
    }
    if !writer {
        missing.push("Writer".to_owned());
    }
    if missing.is_empty() {
        AuthorizationStatus::Granted { policy_ids: ids }
    } else {
        AuthorizationStatus::Partial {
            missing_roles: missing,
            policy_ids: ids,
        }
    }
}

pub(crate) fn check(report: &mut Report, target: &Target, project: &Project, facts: &Facts) {
    let instance_account = facts.instance_account.as_deref().or_else(|| {
        facts
            .secret
            .known()
            .and_then(|s| s.crn.as_deref())
            .and_then(crn_account)
    });
    // Rendered only for a finding: most checks find the authorization in place.
    let fix = || {
        AuthorizationFix {
            instance_id: &target.instance_id,
            instance_account,
            project_id: &project.id,
            project_account: project.account(),
        }
        .render()
    };
    let status = match &facts.policies {
        Fact::Unknown(reason) => {
            report.push(unavailable(
                FieldPath::ProjectId,
                "service authorization",
                reason,
            ));
            return;
        }
        // A 404 for a list is no answer either.
        Fact::Missing => AuthorizationStatus::Unconfirmed,
        Fact::Known(policies) => {
            authorization_status(policies, &target.instance_id, instance_account, project)
        }
    };
    let name = &project.name;
    match status {
        AuthorizationStatus::Granted { .. } => {}
        AuthorizationStatus::Missing => report.push(
            Finding::error(
                FieldPath::ProjectId,
                Code::AuthorizationMissing,
                format!(
                    "secrets manager has no authorization on code engine project {name}"
                ),
            )
            .with_hint(
                "create the service authorization secrets-manager → codeengine with viewer and writer",
            )
            .with_fix(fix()),
        ),
        AuthorizationStatus::Partial {
            missing_roles,
            policy_ids,
        } => report.push(
            Finding::error(
                FieldPath::ProjectId,
                Code::AuthorizationIncomplete,
                format!(
                    "the authorization of secrets manager on code engine project {name} lacks {}",
                    missing_roles.join(" and ").to_lowercase()
                ),
            )
            .with_hint(format!(
                "add the missing roles to policy {}, or create the authorization with viewer and writer",
                policy_ids.join(", ")
            ))
            .with_fix(fix()),
        ),
        AuthorizationStatus::Unconfirmed => report.push(
            Finding::warning(
                FieldPath::ProjectId,
                Code::AuthorizationUnconfirmed,
                format!(
                    "iam listed no authorization policies, so whether secrets manager may use code engine project {name} cannot be told"
                ),
            )
            .with_hint(
                "iam returns an empty list when the caller may not read policies: check in the console, or create the authorization",
            )
            .with_fix(fix()),
        ),
    }
}
