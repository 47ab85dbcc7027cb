//! The settings of a new IAM credentials secret, as the console's form edits them: their rules
//! ([`SecretSettings::check`]) and the secret in every form ([`SecretSettings::render`]).
//!
//! Strict readings (the reference marks the service's own checks partly unconfirmed; where the
//! CLI, the SDK and Terraform differ, the rule is the one all of them accept):
//! - `name`: 2–256 characters of `A-Z a-z 0-9 _ - .`, starting with a letter, digit or `_` and
//!   ending with a letter or digit (what the CLI's regex
//!   `^[A-Za-z0-9_][A-Za-z0-9_]*(?:_*-*\.*[A-Za-z0-9]*)*[A-Za-z0-9]+$` accepts).
//! - `secret_group_id`: `default` or a lower-case UUID.
//! - exactly one of `service_id` and `access_groups`: the API says "if you provide a service
//!   ID, do not include the access_groups parameter", and a secret for `api_key_ref` needs an
//!   identity whose permissions the user controls, so neither is refused too.
//! - `service_id`: `ServiceId-<lower-case uuid>` (the CLI's regex), and not the proposal's
//!   [`SERVICE_ID_PLACEHOLDER`].
//! - `access_groups`: 1–10 distinct IDs matching `^AccessGroupId-[a-z0-9-]+[a-z0-9]$`.
//! - `ttl`: the CLI's `^[0-9]+[smhd]?$` (its `[s,m,h,d]` also lets a comma through, which no
//!   duration has: refused), at most 10 characters, a bare number is seconds; between 1 minute
//!   and 90 days (the service's limits).
//! - `rotation`: `auto_rotate` on (a secret without it cannot be an `api_key_ref`), `interval`
//!   at least 1, `unit` `day` or `month` (the API also takes `hour`; Terraform does not, and
//!   every rendering must work).
//! - `reuse_api_key` is always `true`: "secrets can be automatically rotated only if the reuse
//!   iam credentials option is selected".

use super::fix::{Fix, FixKind, SERVICE_ID_PLACEHOLDER, curl_lines, hcl_attributes, hcl_string};
use super::model::{IAM_CREDENTIALS, Rotation};
use crate::is_uuid;
use crate::render::{resource_label, shell_quote};
use crate::report::{Code, Finding, Report};
use crate::target::Target;
use serde::{Deserialize, Serialize};
use serde_json::json;

/// The shortest lease: 1 minute, in seconds.
pub const MIN_TTL_SECONDS: u64 = 60;
/// The longest lease: 90 days, in seconds.
pub const MAX_TTL_SECONDS: u64 = 90 * 24 * 3600;
/// The most access groups a secret takes.
pub const MAX_ACCESS_GROUPS: usize = 10;
/// The rotation units every rendering accepts.
pub const ROTATION_UNITS: [&str; 2] = ["day", "month"];

/// What the user chooses for a new IAM credentials secret.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct SecretSettings {
    /// The secret's name.
    pub name: String,
    /// Its secret group: `default` or a group's ID.
    pub secret_group_id: String,
    /// The service ID its API keys belong to (or `access_groups`).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub service_id: Option<String>,
    /// The access groups of a service ID the service creates (or `service_id`).
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub access_groups: Vec<String>,
    /// The lease of its API keys: seconds, or a number with `s`, `m`, `h` or `d`.
    pub ttl: String,
    /// Its rotation policy.
    pub rotation: Rotation,
}

/// Whether `id` is a service ID: `ServiceId-` and a lower-case UUID (the CLI's regex).
pub fn is_service_id(id: &str) -> bool {
    id.strip_prefix("ServiceId-").is_some_and(is_uuid)
}

fn name_ok(s: &str) -> bool {
    let b = s.as_bytes();
    let inner = |c: &u8| c.is_ascii_alphanumeric() || matches!(c, b'_' | b'-' | b'.');
    match (b.first(), b.last()) {
        (Some(first), Some(last)) => {
            (first.is_ascii_alphanumeric() || *first == b'_')
                && last.is_ascii_alphanumeric()
                && b.iter().all(inner)
        }
        _ => false,
    }
}

/// Whether `s` is an access group ID: `AccessGroupId-` and lower-case letters, digits and `-`,
/// ending with a letter or digit (`^AccessGroupId-[a-z0-9-]+[a-z0-9]$`).
pub fn access_group_ok(s: &str) -> bool {
    let Some(rest) = s.strip_prefix("AccessGroupId-") else {
        return false;
    };
    let lower = |c: &u8| c.is_ascii_lowercase() || c.is_ascii_digit();
    rest.len() >= 2
        && rest.as_bytes().iter().all(|c| lower(c) || *c == b'-')
        && rest.as_bytes().last().is_some_and(lower)
}

/// Whether `name` is a valid secret name: 2–256 characters of the rule above (the pattern is
/// ASCII-only, so bytes and characters agree). [`SecretSettings::check`] tells which part
/// fails; the emulator, which answers with one message, calls this.
pub fn secret_name_ok(name: &str) -> bool {
    (2..=256).contains(&name.len()) && name_ok(name)
}

/// Whether `ttl` is of the accepted shape ([`ttl_seconds`]) and between [`MIN_TTL_SECONDS`]
/// and [`MAX_TTL_SECONDS`] inclusive.
pub fn ttl_ok(ttl: &str) -> bool {
    ttl_seconds(ttl).is_some_and(|s| (MIN_TTL_SECONDS..=MAX_TTL_SECONDS).contains(&s))
}

/// The TTL in seconds, or `None` when it is not of the accepted shape.
pub fn ttl_seconds(ttl: &str) -> Option<u64> {
    if ttl.len() > 10 {
        return None;
    }
    let (digits, factor) = match ttl.as_bytes().last()? {
        b's' => (&ttl[..ttl.len() - 1], 1),
        b'm' => (&ttl[..ttl.len() - 1], 60),
        b'h' => (&ttl[..ttl.len() - 1], 3600),
        b'd' => (&ttl[..ttl.len() - 1], 86_400),
        _ => (ttl, 1),
    };
    if digits.is_empty() || !digits.bytes().all(|b| b.is_ascii_digit()) {
        return None;
    }
    digits.parse::<u64>().ok()?.checked_mul(factor)
}

impl SecretSettings {
    /// Every rule above, as findings on the settings' wire paths (`name`, `ttl`,
    /// `rotation.interval`, `access_groups[2]` …). Valid when it holds no error.
    pub fn check(&self) -> Report {
        let mut report = Report::new();
        let mut push = |path: &str, code, message: String| {
            report.push(Finding::error(path, code, message));
        };
        let name = self.name.as_str();
        if name.trim().is_empty() {
            push("name", Code::Required, "a name is required".into());
        } else if name.chars().count() < 2 {
            push(
                "name",
                Code::TooShort,
                "the name needs at least 2 characters".into(),
            );
        } else if name.chars().count() > 256 {
            push(
                "name",
                Code::TooLong,
                "the name has more than 256 characters".into(),
            );
        } else if !name_ok(name) {
            push(
                "name",
                Code::Pattern,
                "the name may hold only letters, digits, _, - and ., start with a letter, digit or _ and end with a letter or digit".into(),
            );
        }

        let group = self.secret_group_id.as_str();
        if group.trim().is_empty() {
            push(
                "secret_group_id",
                Code::Required,
                "a secret group is required".into(),
            );
        } else if group != "default" && !is_uuid(group) {
            push(
                "secret_group_id",
                Code::Pattern,
                "the secret group is default or a group's id (a lower-case uuid)".into(),
            );
        }

        let service_id = self.service_id();
        match (service_id, self.access_groups.is_empty()) {
            (None, true) => push(
                "service_id",
                Code::Required,
                "give a service id or access groups".into(),
            ),
            (Some(_), false) => push(
                "access_groups",
                Code::InvalidType,
                "give a service id or access groups, not both".into(),
            ),
            _ => {}
        }
        if let Some(id) = service_id {
            let ok = is_service_id(id);
            if id == SERVICE_ID_PLACEHOLDER {
                // The proposal's stand-in when the check knew no service ID: well-formed, and
                // no service ID at all.
                push(
                    "service_id",
                    Code::Required,
                    "replace the placeholder with the service id whose api key the job gets".into(),
                );
            } else if !ok {
                push(
                    "service_id",
                    Code::Pattern,
                    "the service id is ServiceId- followed by a lower-case uuid".into(),
                );
            }
        }
        if self.access_groups.len() > MAX_ACCESS_GROUPS {
            push(
                "access_groups",
                Code::TooLong,
                format!("at most {MAX_ACCESS_GROUPS} access groups"),
            );
        }
        for (i, group) in self.access_groups.iter().enumerate() {
            let path = format!("access_groups[{i}]");
            if !access_group_ok(group) {
                push(
                    &path,
                    Code::Pattern,
                    "an access group id is AccessGroupId- followed by lower-case letters, digits and -".into(),
                );
            } else if self.access_groups[..i].contains(group) {
                push(
                    &path,
                    Code::Pattern,
                    format!("access group {group} is listed twice"),
                );
            }
        }

        if self.ttl.is_empty() {
            push("ttl", Code::Required, "a ttl is required".into());
        } else {
            match ttl_seconds(&self.ttl) {
                None => push(
                    "ttl",
                    Code::Pattern,
                    "the ttl is a number of seconds, or a number followed by s, m, h or d (at most 10 characters)".into(),
                ),
                Some(s) if !(MIN_TTL_SECONDS..=MAX_TTL_SECONDS).contains(&s) => push(
                    "ttl",
                    Code::OutOfRange,
                    "the ttl is between 1 minute and 90 days".into(),
                ),
                Some(_) => {}
            }
        }

        if !self.rotation.auto_rotate {
            push(
                "rotation.auto_rotate",
                Code::Required,
                "auto-rotation must be on for the secret to be an api_key_ref".into(),
            );
        }
        match self.rotation.interval {
            None => push(
                "rotation.interval",
                Code::Required,
                "a rotation interval is required".into(),
            ),
            Some(0) => push(
                "rotation.interval",
                Code::OutOfRange,
                "the rotation interval is at least 1".into(),
            ),
            Some(_) => {}
        }
        match self.rotation.unit.as_deref() {
            None | Some("") => push(
                "rotation.unit",
                Code::Required,
                "a rotation unit is required".into(),
            ),
            Some(u) if !ROTATION_UNITS.contains(&u) => push(
                "rotation.unit",
                Code::Pattern,
                "the rotation unit is day or month".into(),
            ),
            Some(_) => {}
        }
        report
    }

    fn rotation_json(&self) -> serde_json::Value {
        json!({
            "auto_rotate": self.rotation.auto_rotate,
            "interval": self.rotation.interval.unwrap_or(0),
            "unit": self.rotation.unit.as_deref().unwrap_or(""),
        })
    }

    /// The service ID as given: an empty one is rendered as it is (and refused by the check),
    /// so every form shows what was typed.
    fn service_id(&self) -> Option<&str> {
        self.service_id.as_deref()
    }

    /// The body of `POST /api/v2/secrets` (an `IAMCredentialsSecretPrototype`) **\[S: SM-SDK\]**:
    /// `service_id` or `access_groups`, never both.
    pub fn body(&self) -> serde_json::Value {
        let mut body = json!({
            "secret_type": IAM_CREDENTIALS,
            "name": self.name,
            "secret_group_id": self.secret_group_id,
            "ttl": self.ttl,
        });
        if let Some(id) = self.service_id() {
            body["service_id"] = json!(id);
        } else if !self.access_groups.is_empty() {
            body["access_groups"] = json!(self.access_groups);
        }
        body["reuse_api_key"] = json!(true);
        body["rotation"] = self.rotation_json();
        body
    }

    /// The secret in every form, in `target`. Rendered whatever [`SecretSettings::check`]
    /// says (every value is quoted), so a preview can show what is being typed.
    pub fn render(&self, target: &Target) -> Fix {
        let rotation = serde_json::to_string(&self.rotation_json()).unwrap_or_default();
        let flag = |name: &str, value: &str| format!("  --{name}={}", shell_quote(value));
        let mut cli = vec![
            "ibmcloud secrets-manager secret-create".to_owned(),
            flag("service-url", &target.base_url()),
            flag("secret-type", IAM_CREDENTIALS),
            flag("secret-name", &self.name),
            flag("secret-group-id", &self.secret_group_id),
            flag("secret-ttl", &self.ttl),
        ];
        if let Some(id) = self.service_id() {
            cli.push(flag("iam-credentials-service-id", id));
        } else if !self.access_groups.is_empty() {
            // The flag's name and comma-separated form are the CLI help's, unconfirmed
            // against a live CLI; the curl and Terraform forms are the SDK's and provider's.
            cli.push(flag(
                "iam-credentials-access-groups",
                &self.access_groups.join(","),
            ));
        }
        cli.push(flag("iam-credentials-reuse-apikey", "true"));
        cli.push(flag("secret-rotation", &rotation));
        cli.push("  --output=json".to_owned());

        let mut top = vec![
            ("instance_id", hcl_string(&target.instance_id)),
            ("region", hcl_string(&target.region)),
            ("endpoint_type", hcl_string(target.endpoint.as_str())),
            ("name", hcl_string(&self.name)),
            ("secret_group_id", hcl_string(&self.secret_group_id)),
        ];
        if let Some(id) = self.service_id() {
            top.push(("service_id", hcl_string(id)));
        } else if !self.access_groups.is_empty() {
            let list: Vec<String> = self.access_groups.iter().map(|g| hcl_string(g)).collect();
            top.push(("access_groups", format!("[{}]", list.join(", "))));
        }
        top.push(("ttl", hcl_string(&self.ttl)));
        top.push(("reuse_api_key", "true".to_owned()));
        let mut terraform = format!(
            "resource \"ibm_sm_iam_credentials_secret\" \"{}\" {{\n",
            resource_label(&self.name)
        );
        hcl_attributes(&mut terraform, "  ", &top);
        terraform.push_str("\n  rotation {\n");
        hcl_attributes(
            &mut terraform,
            "    ",
            &[
                ("auto_rotate", self.rotation.auto_rotate.to_string()),
                ("interval", self.rotation.interval.unwrap_or(0).to_string()),
                (
                    "unit",
                    hcl_string(self.rotation.unit.as_deref().unwrap_or("")),
                ),
            ],
        );
        terraform.push_str("  }\n}\n");

        let body = self.body();
        let compact = serde_json::to_string(&body).unwrap_or_default();
        Fix {
            kind: FixKind::IamCredentialsSecret,
            summary: format!(
                "create the iam credentials secret {} with auto-rotation and a reused api key, then use its id as api_key_ref",
                self.name
            ),
            cli: cli.join(" \\\n"),
            terraform,
            curl: curl_lines(
                "POST",
                &format!("{}/api/v2/secrets", target.base_url()),
                &["Content-Type: application/json"],
                &compact,
            ),
            json: Some(serde_json::to_string_pretty(&body).unwrap_or_default()),
        }
    }
}
