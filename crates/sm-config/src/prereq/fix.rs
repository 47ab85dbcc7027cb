//! The fixes for missing prerequisites, each rendered in the forms people use: an `ibmcloud`
//! command, Terraform, curl and, where the fix is one API object, its JSON body.
//!
//! Same guarantees as the request's renderings ([`crate::render`]): shell arguments are
//! single-quoted with [`shell_quote`], HCL strings escaped with [`hcl_escape`], the token is
//! `${IAM_TOKEN}`. Values a check cannot know (a service ID for a new secret) are written as
//! the placeholders below, named in the fix's summary.

use super::model::Rotation;
use super::secret_settings::SecretSettings;
use crate::render::{TOKEN_PLACEHOLDER, hcl_escape, resource_label, shell_quote};
use crate::target::Target;
use serde::{Deserialize, Serialize};
use serde_json::json;

/// IAM's policy API **\[S: PS-SDK `DefaultServiceURL`\]**.
pub const IAM_POLICIES_URL: &str = "https://iam.cloud.ibm.com/v1/policies";
/// The source service of the authorization **\[S\]**.
pub const SOURCE_SERVICE: &str = "secrets-manager";
/// The target service of the authorization **\[S\]**.
pub const TARGET_SERVICE: &str = "codeengine";
/// The roles Secrets Manager needs on the project **[S: IBM's Terraform module and the
/// providers' README]**; whether fewer would do is unconfirmed, so both are required.
pub const AUTHORIZATION_ROLES: [&str; 2] = ["Viewer", "Writer"];
/// Viewer's CRN: a platform role **\[S: IAM docs\]**.
pub const VIEWER_ROLE_CRN: &str = "crn:v1:bluemix:public:iam::::role:Viewer";
/// Writer's CRN: a generic service role **\[S: Secrets Manager docs\]**.
pub const WRITER_ROLE_CRN: &str = "crn:v1:bluemix:public:iam::::serviceRole:Writer";
/// Written where an account ID is needed and not known.
pub const ACCOUNT_PLACEHOLDER: &str = "ACCOUNT_ID";
/// Written where a new IAM credentials secret needs a service ID and none is known.
pub const SERVICE_ID_PLACEHOLDER: &str = "ServiceId-00000000-0000-0000-0000-000000000000";
/// The lease of a new IAM credentials secret's API keys (IBM's own example uses 90 days, the
/// maximum).
pub const DEFAULT_TTL: &str = "90d";
/// The rotation of a new IAM credentials secret: every 60 days, as IBM's provider example does.
pub const DEFAULT_ROTATION_INTERVAL: u64 = 60;

/// Which prerequisite a fix creates or changes.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum FixKind {
    /// The IAM authorization Secrets Manager → Code Engine project.
    Authorization,
    /// An IAM credentials secret with auto-rotation and a reused API key.
    IamCredentialsSecret,
    /// Trusted profiles enabled on the job.
    TrustedProfiles,
}

/// A fix in every form. Each string is complete: it pastes and runs (bash) or parses (HCL).
#[derive(Debug, Clone, PartialEq, Eq, Hash, Serialize, Deserialize)]
pub struct Fix {
    /// What it creates or changes.
    pub kind: FixKind,
    /// One lower-case line saying what it does (and which placeholder to replace, if any).
    pub summary: String,
    /// The `ibmcloud` command(s).
    pub cli: String,
    /// The Terraform resource.
    pub terraform: String,
    /// The curl command.
    pub curl: String,
    /// The JSON body the curl command sends, pretty-printed.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub json: Option<String>,
}

/// What the authorization fix needs.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct AuthorizationFix<'a> {
    /// The Secrets Manager instance's GUID (the source).
    pub instance_id: &'a str,
    /// The instance's account, when known.
    pub instance_account: Option<&'a str>,
    /// The Code Engine project's ID (the target).
    pub project_id: &'a str,
    /// The project's account, when known.
    pub project_account: Option<&'a str>,
}

pub(super) fn curl_lines(method: &str, url: &str, headers: &[&str], body: &str) -> String {
    let mut lines = vec![
        format!("curl -X {method} {}", shell_quote(url)),
        format!("  -H \"Authorization: Bearer {TOKEN_PLACEHOLDER}\""),
        format!("  -H {}", shell_quote("Accept: application/json")),
    ];
    lines.extend(headers.iter().map(|h| format!("  -H {}", shell_quote(h))));
    lines.push(format!("  -d {}", shell_quote(body)));
    lines.join(" \\\n")
}

pub(super) fn hcl_attributes(out: &mut String, indent: &str, attrs: &[(&str, String)]) {
    let width = attrs.iter().map(|(k, _)| k.len()).max().unwrap_or(0);
    for (key, value) in attrs {
        out.push_str(&format!("{indent}{key:width$} = {value}\n"));
    }
}

pub(super) fn hcl_string(s: &str) -> String {
    format!("\"{}\"", hcl_escape(s))
}

impl AuthorizationFix<'_> {
    /// The accounts for the API body: each side's own when known, else the other's (the
    /// common case is one account), else [`ACCOUNT_PLACEHOLDER`].
    fn accounts(&self) -> (&str, &str) {
        let source = self
            .instance_account
            .or(self.project_account)
            .unwrap_or(ACCOUNT_PLACEHOLDER);
        let target = self
            .project_account
            .or(self.instance_account)
            .unwrap_or(ACCOUNT_PLACEHOLDER);
        (source, target)
    }

    /// A source account to name explicitly: only when both are known and differ.
    fn cross_account(&self) -> Option<&str> {
        match (self.instance_account, self.project_account) {
            (Some(s), Some(t)) if s != t => Some(s),
            _ => None,
        }
    }

    /// The body of `POST /v1/policies` **\[S: IAM docs' template, filled as in the reference\]**.
    pub fn body(&self) -> serde_json::Value {
        let (source, target) = self.accounts();
        json!({
            "type": "authorization",
            "subjects": [{"attributes": [
                {"name": "accountId", "value": source},
                {"name": "serviceName", "value": SOURCE_SERVICE},
                {"name": "serviceInstance", "value": self.instance_id},
            ]}],
            "roles": [{"role_id": VIEWER_ROLE_CRN}, {"role_id": WRITER_ROLE_CRN}],
            "resources": [{"attributes": [
                {"name": "accountId", "value": target, "operator": "stringEquals"},
                {"name": "serviceName", "value": TARGET_SERVICE, "operator": "stringEquals"},
                {"name": "serviceInstance", "value": self.project_id, "operator": "stringEquals"},
            ]}],
        })
    }

    /// The fix in every form.
    pub fn render(&self) -> Fix {
        let mut cli = vec![format!(
            "ibmcloud iam authorization-policy-create {} {} {}",
            shell_quote(SOURCE_SERVICE),
            shell_quote(TARGET_SERVICE),
            shell_quote(&AUTHORIZATION_ROLES.join(","))
        )];
        if let Some(account) = self.cross_account() {
            cli.push(format!(
                "  --source-service-account={}",
                shell_quote(account)
            ));
        }
        cli.push(format!(
            "  --source-service-instance-id={}",
            shell_quote(self.instance_id)
        ));
        cli.push(format!(
            "  --target-service-instance-id={}",
            shell_quote(self.project_id)
        ));

        let mut attrs = vec![("source_service_name", hcl_string(SOURCE_SERVICE))];
        if let Some(account) = self.cross_account() {
            attrs.push(("source_service_account", hcl_string(account)));
        }
        attrs.extend([
            ("source_resource_instance_id", hcl_string(self.instance_id)),
            ("target_service_name", hcl_string(TARGET_SERVICE)),
            ("target_resource_instance_id", hcl_string(self.project_id)),
            ("roles", "[\"Viewer\", \"Writer\"]".to_owned()),
        ]);
        let mut terraform = format!(
            "resource \"ibm_iam_authorization_policy\" \"{}\" {{\n",
            resource_label(&format!("secrets_manager_to_{}", self.project_id))
        );
        hcl_attributes(&mut terraform, "  ", &attrs);
        terraform.push_str("}\n");

        let body = self.body();
        let compact = serde_json::to_string(&body).unwrap_or_default();
        let placeholder = self.instance_account.is_none() && self.project_account.is_none();
        Fix {
            kind: FixKind::Authorization,
            summary: if placeholder {
                format!(
                    "authorize secrets manager to use code engine project {} as viewer and writer (in the api body, replace {ACCOUNT_PLACEHOLDER} with your account id)",
                    self.project_id
                )
            } else {
                format!(
                    "authorize secrets manager to use code engine project {} as viewer and writer",
                    self.project_id
                )
            },
            cli: cli.join(" \\\n"),
            terraform,
            curl: curl_lines(
                "POST",
                IAM_POLICIES_URL,
                &["Content-Type: application/json"],
                &compact,
            ),
            json: Some(serde_json::to_string_pretty(&body).unwrap_or_default()),
        }
    }
}

/// What the IAM credentials secret fix needs.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct SecretFix<'a> {
    /// The instance to create it in.
    pub target: &'a Target,
    /// The new secret's name.
    pub name: &'a str,
    /// Its secret group (`default` when none is known).
    pub secret_group_id: &'a str,
    /// The service ID the API key belongs to; [`SERVICE_ID_PLACEHOLDER`] when not known.
    pub service_id: Option<&'a str>,
}

impl SecretFix<'_> {
    /// The settings this fix proposes: the defaults ([`DEFAULT_TTL`], rotation every
    /// [`DEFAULT_ROTATION_INTERVAL`] days) and the given service ID, or
    /// [`SERVICE_ID_PLACEHOLDER`]. The console's form starts from these.
    pub fn settings(&self) -> SecretSettings {
        SecretSettings {
            name: self.name.to_owned(),
            secret_group_id: self.secret_group_id.to_owned(),
            service_id: Some(self.service_id.unwrap_or(SERVICE_ID_PLACEHOLDER).to_owned()),
            access_groups: Vec::new(),
            ttl: DEFAULT_TTL.to_owned(),
            rotation: Rotation {
                auto_rotate: true,
                interval: Some(DEFAULT_ROTATION_INTERVAL),
                unit: Some("day".to_owned()),
            },
        }
    }

    /// The body of `POST /api/v2/secrets` (an `IAMCredentialsSecretPrototype`) **\[S: SM-SDK\]**.
    pub fn body(&self) -> serde_json::Value {
        self.settings().body()
    }

    /// The fix in every form.
    pub fn render(&self) -> Fix {
        let settings = self.settings();
        let mut fix = settings.render(self.target);
        if self.service_id.is_none() {
            fix.summary = format!(
                "create the iam credentials secret {} with auto-rotation and a reused api key (replace {SERVICE_ID_PLACEHOLDER} with the job's service id), then use its id as api_key_ref",
                self.name
            );
        }
        fix
    }
}

/// What the trusted-profiles fix needs.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct TrustedProfilesFix<'a> {
    /// The Code Engine region.
    pub region: &'a str,
    /// The project's ID.
    pub project_id: &'a str,
    /// The job's name.
    pub job_name: &'a str,
    /// The job's `entity_tag`, sent as `If-Match` when known and well-formed.
    pub entity_tag: Option<&'a str>,
}

/// Percent-encodes a URL path segment: everything but RFC 3986's unreserved characters, so a
/// hostile name cannot leave its segment.
pub(crate) fn path_segment(s: &str) -> String {
    let mut out = String::with_capacity(s.len());
    for b in s.bytes() {
        if b.is_ascii_alphanumeric() || matches!(b, b'-' | b'.' | b'_' | b'~') {
            out.push(b as char);
        } else {
            out.push_str(&format!("%{b:02X}"));
        }
    }
    out
}

impl TrustedProfilesFix<'_> {
    /// The merge-patch body of `PATCH /v2/projects/{id}/jobs/{name}` **\[S: CE-SDK `UpdateJob`\]**.
    pub fn body() -> serde_json::Value {
        json!({"run_compute_resource_token_enabled": true})
    }

    /// The job's API URL.
    pub fn url(&self) -> String {
        format!(
            "https://api.{}.codeengine.cloud.ibm.com/v2/projects/{}/jobs/{}",
            path_segment(self.region),
            path_segment(self.project_id),
            path_segment(self.job_name)
        )
    }

    /// The fix in every form.
    pub fn render(&self) -> Fix {
        // `ibmcloud ce` works on the selected project of the targeted region **[S: CE docs]**.
        let cli = [
            format!("ibmcloud target -r {}", shell_quote(self.region)),
            format!(
                "ibmcloud ce project select --id={}",
                shell_quote(self.project_id)
            ),
            format!(
                "ibmcloud ce job update --name={} --trusted-profiles-enabled=true",
                shell_quote(self.job_name)
            ),
        ]
        .join(" && \\\n");

        // Terraform cannot change one argument of a job it does not manage: the fix is the
        // argument, shown in the job's resource.
        let mut terraform = String::from(
            "# in the ibm_code_engine_job resource that manages this job, keep its other arguments and set:\n",
        );
        terraform.push_str(&format!(
            "resource \"ibm_code_engine_job\" \"{}\" {{\n",
            resource_label(self.job_name)
        ));
        hcl_attributes(
            &mut terraform,
            "  ",
            &[
                ("project_id", hcl_string(self.project_id)),
                ("name", hcl_string(self.job_name)),
                ("run_compute_resource_token_enabled", "true".to_owned()),
            ],
        );
        terraform.push_str("}\n");

        // Only a tag of Code Engine's own shape (`^[*\-a-z0-9]+$`) goes into a header: anything
        // else could break the header line, and the update is valid without it.
        let if_match = self
            .entity_tag
            .filter(|t| {
                !t.is_empty()
                    && t.bytes().all(|b| {
                        b.is_ascii_lowercase() || b.is_ascii_digit() || b == b'*' || b == b'-'
                    })
            })
            .map(|t| format!("If-Match: {t}"));
        let mut headers = vec!["Content-Type: application/merge-patch+json"];
        if let Some(h) = &if_match {
            headers.push(h);
        }
        let body = TrustedProfilesFix::body();
        Fix {
            kind: FixKind::TrustedProfiles,
            summary: format!(
                "enable trusted profiles on code engine job {}, and give its trusted profile access to the instance",
                self.job_name
            ),
            cli,
            terraform,
            curl: curl_lines(
                "PATCH",
                &self.url(),
                &headers,
                &serde_json::to_string(&body).unwrap_or_default(),
            ),
            json: Some(serde_json::to_string_pretty(&body).unwrap_or_default()),
        }
    }
}
