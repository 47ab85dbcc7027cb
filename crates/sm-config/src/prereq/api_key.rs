//! `api_key_ref` names an `iam_credentials` secret of this instance that is active, rotates
//! by itself and reuses its API key.
//!
//! Auto-rotation is required by the docs ("Have an auto rotation policy set") **\[S\]**, and
//! "secrets can be automatically rotated only if the reuse IAM credentials option is selected"
//! **\[S\]**, so `reuse_api_key` is required too (IBM's Terraform module sets both) **\[P\]**. An
//! absent `rotation` or `reuse_api_key` reads as off; a secret whose CRN names another
//! instance is refused (the docs say "in the same instance").

use super::fix::SecretFix;
use super::model::{IAM_CREDENTIALS, SecretMetadata, crn_service_instance};
use super::{Fact, Facts, unavailable};
use crate::field::FieldPath;
use crate::model::CustomCredentialsConfigurationPrototype;
use crate::report::{Code, Finding, Report};
use crate::target::Target;

/// A name for a new secret, from the configuration's name: the characters secret names allow
/// (letters, digits, `_`, `-`, `.`), others as `-`.
fn new_secret_name(config_name: &str) -> String {
    let base: String = config_name
        .chars()
        .map(|c| {
            if c.is_ascii_alphanumeric() || matches!(c, '_' | '-' | '.') {
                c
            } else {
                '-'
            }
        })
        .collect();
    let base = base.trim_matches(|c: char| !c.is_ascii_alphanumeric());
    if base.is_empty() {
        "custom-credentials-api-key".to_owned()
    } else {
        format!("{base}-api-key")
    }
}

pub(crate) fn check(
    report: &mut Report,
    c: &CustomCredentialsConfigurationPrototype,
    target: &Target,
    id: &str,
    facts: &Facts,
) {
    let name = new_secret_name(&c.name);
    let fix = |secret: Option<&SecretMetadata>| {
        SecretFix {
            target,
            name: &name,
            secret_group_id: secret
                .and_then(|s| s.secret_group_id.as_deref())
                .unwrap_or("default"),
            service_id: secret.and_then(|s| s.service_id.as_deref()),
        }
        .render()
    };
    let secret = match &facts.secret {
        Fact::Missing => {
            report.push(
                Finding::error(
                    FieldPath::ApiKeyRef,
                    Code::SecretNotFound,
                    format!("no secret {id} in the instance"),
                )
                .with_hint(
                    "give the id of an iam credentials secret of this instance, or create one",
                )
                .with_fix(fix(None)),
            );
            return;
        }
        Fact::Unknown(reason) => {
            report.push(unavailable(FieldPath::ApiKeyRef, "secret", reason));
            return;
        }
        Fact::Known(secret) => secret,
    };
    let label = secret.name.as_deref().unwrap_or(id);
    let mut problem = |code: Code, message: String, hint: &str| {
        report.push(
            Finding::error(FieldPath::ApiKeyRef, code, message)
                .with_hint(hint)
                .with_fix(fix(Some(secret))),
        );
    };
    if let Some(instance) = secret.crn.as_deref().and_then(crn_service_instance)
        && instance != target.instance_id
    {
        problem(
            Code::SecretOtherInstance,
            format!("secret {label} belongs to instance {instance}, not this one"),
            "the secret must be in the same instance as the configuration",
        );
    }
    if secret.secret_type != IAM_CREDENTIALS {
        let kind = if secret.secret_type.is_empty() {
            "untyped"
        } else {
            &secret.secret_type
        };
        problem(
            Code::SecretWrongType,
            format!("secret {label} is {kind}, not iam_credentials"),
            "api_key_ref takes the id of an iam credentials secret",
        );
        // A secret of another type has no rotation or reuse to speak of.
        return;
    }
    if !secret.is_active() {
        problem(
            Code::SecretInactive,
            format!("secret {label} is {}, not active", secret.state_text()),
            "use an active iam credentials secret",
        );
    }
    if !secret.auto_rotates() {
        problem(
            Code::SecretNoRotation,
            format!("secret {label} has no automatic rotation"),
            "turn on automatic rotation of the secret, or use one that rotates",
        );
    }
    if !secret.reuses_api_key() {
        problem(
            Code::SecretNoReuse,
            format!("secret {label} does not reuse its api key"),
            "automatic rotation needs reuse_api_key: use a secret created with it",
        );
    }
}
