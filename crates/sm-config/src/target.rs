//! The Secrets Manager instance a request goes to: instance ID, region, endpoint.

use serde::{Deserialize, Serialize};
use std::fmt;
use std::str::FromStr;

/// The instance API host's domain.
const DOMAIN: &str = "secrets-manager.appdomain.cloud";

/// The public or the private endpoint of an instance.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Endpoint {
    /// `https://{id}.{region}.secrets-manager.appdomain.cloud`.
    #[default]
    Public,
    /// `https://{id}.private.{region}.secrets-manager.appdomain.cloud`.
    Private,
}

impl Endpoint {
    /// `public` or `private`, as Terraform's `endpoint_type` spells it.
    pub fn as_str(self) -> &'static str {
        match self {
            Endpoint::Public => "public",
            Endpoint::Private => "private",
        }
    }
}

impl fmt::Display for Endpoint {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.as_str())
    }
}

impl FromStr for Endpoint {
    type Err = TargetError;
    fn from_str(s: &str) -> Result<Endpoint, TargetError> {
        match s {
            "public" => Ok(Endpoint::Public),
            "private" => Ok(Endpoint::Private),
            _ => Err(TargetError::Endpoint(s.to_owned())),
        }
    }
}

/// A Secrets Manager instance. Fields hold what was given; [`crate::validate_target`] checks them.
#[derive(Debug, Clone, Default, PartialEq, Eq, Hash, Serialize, Deserialize)]
pub struct Target {
    /// The instance ID (a lower-case UUID).
    pub instance_id: String,
    /// The Secrets Manager region.
    pub region: String,
    /// Public or private endpoint.
    #[serde(default)]
    pub endpoint: Endpoint,
}

/// Why a URL or word does not name an instance.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum TargetError {
    /// The URL is not `https://{id}[.private].{region}.secrets-manager.appdomain.cloud[/...]`.
    #[error(
        "`{0}` is not a secrets manager instance url (https://<instance_id>[.private].<region>.secrets-manager.appdomain.cloud)"
    )]
    Url(String),
    /// Neither `public` nor `private`.
    #[error("endpoint `{0}` must be public or private")]
    Endpoint(String),
}

impl Target {
    /// The target `instance_id` in `region` on `endpoint`.
    pub fn new(
        instance_id: impl Into<String>,
        region: impl Into<String>,
        endpoint: Endpoint,
    ) -> Target {
        Target {
            instance_id: instance_id.into(),
            region: region.into(),
            endpoint,
        }
    }

    /// A target that is plainly not a real instance, for renderings made without one.
    pub fn placeholder() -> Target {
        Target::new(
            "00000000-0000-0000-0000-000000000000",
            "us-south",
            Endpoint::Public,
        )
    }

    /// This target with [`Target::placeholder`]'s instance ID and region where they are empty,
    /// so that a rendering made for a target not yet named in full is still a command that
    /// parses (the endpoint is kept).
    pub fn or_placeholder(&self) -> Target {
        let placeholder = Target::placeholder();
        let or = |value: &str, fallback: String| {
            if value.is_empty() {
                fallback
            } else {
                value.to_owned()
            }
        };
        Target::new(
            or(&self.instance_id, placeholder.instance_id),
            or(&self.region, placeholder.region),
            self.endpoint,
        )
    }

    /// The parts [`Target::or_placeholder`] fills, in words for a note (`instance id`,
    /// `region`); empty when the target is named in full.
    pub fn unnamed_parts(&self) -> Vec<&'static str> {
        let mut parts = Vec::new();
        if self.instance_id.is_empty() {
            parts.push("instance id");
        }
        if self.region.is_empty() {
            parts.push("region");
        }
        parts
    }

    /// `https://{instance_id}[.private].{region}.secrets-manager.appdomain.cloud`.
    pub fn base_url(&self) -> String {
        match self.endpoint {
            Endpoint::Public => format!("https://{}.{}.{DOMAIN}", self.instance_id, self.region),
            Endpoint::Private => {
                format!(
                    "https://{}.private.{}.{DOMAIN}",
                    self.instance_id, self.region
                )
            }
        }
    }

    /// The create and list URL, `{base}/api/v2/configurations`.
    pub fn configurations_url(&self) -> String {
        format!("{}/api/v2/configurations", self.base_url())
    }

    /// The Terraform import ID, `{region}/{instance_id}/{name}`.
    pub fn import_id(&self, name: &str) -> String {
        format!("{}/{}/{}", self.region, self.instance_id, name)
    }

    /// Reads an instance URL (as in `SECRETS_MANAGER_URL`); a path after the host is ignored.
    pub fn from_url(url: &str) -> Result<Target, TargetError> {
        let err = || TargetError::Url(url.to_owned());
        let rest = url.trim().strip_prefix("https://").ok_or_else(err)?;
        let host = rest.split(['/', '?', '#']).next().unwrap_or_default();
        let host = host.strip_suffix(":443").unwrap_or(host);
        let prefix = host
            .strip_suffix(DOMAIN)
            .and_then(|p| p.strip_suffix('.'))
            .ok_or_else(err)?;
        let labels: Vec<&str> = prefix.split('.').collect();
        let (instance_id, endpoint, region) = match labels.as_slice() {
            [id, region] => (*id, Endpoint::Public, *region),
            [id, "private", region] => (*id, Endpoint::Private, *region),
            _ => return Err(err()),
        };
        if instance_id.is_empty() || region.is_empty() {
            return Err(err());
        }
        Ok(Target::new(instance_id, region, endpoint))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn urls_round_trip() {
        for endpoint in [Endpoint::Public, Endpoint::Private] {
            let t = Target::new("b49ad24d-81d4-5ebc-b9b9-b0937d1c84d5", "eu-de", endpoint);
            assert_eq!(Target::from_url(&t.base_url()), Ok(t.clone()));
            assert_eq!(Target::from_url(&t.configurations_url()), Ok(t));
        }
    }

    #[test]
    fn placeholders_fill_only_what_is_empty() {
        let partial = Target::new("", "eu-de", Endpoint::Private);
        let filled = partial.or_placeholder();
        assert_eq!(filled.instance_id, Target::placeholder().instance_id);
        assert_eq!(
            (filled.region.as_str(), filled.endpoint),
            ("eu-de", Endpoint::Private)
        );
        assert_eq!(partial.unnamed_parts(), ["instance id"]);
        assert_eq!(Target::default().unnamed_parts(), ["instance id", "region"]);
        assert!(filled.unnamed_parts().is_empty());
        assert_eq!(filled.or_placeholder(), filled);
    }

    #[test]
    fn rejects_foreign_urls() {
        for url in [
            "http://a.us-south.secrets-manager.appdomain.cloud",
            "https://a.b.c.us-south.secrets-manager.appdomain.cloud",
            "https://example.com",
            "https://.us-south.secrets-manager.appdomain.cloud",
        ] {
            assert!(Target::from_url(url).is_err(), "{url}");
        }
    }
}
