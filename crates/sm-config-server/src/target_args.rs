//! The target instance: `--instance-id`, `--region`, `--endpoint`, over `SECRETS_MANAGER_URL`.
//! One set of options with one meaning for every command that names an instance (`validate`,
//! `render`, `import`, `check` and `serve`): each option overrides its part of the variable;
//! what a command then needs of the instance is its own (`serve` relays only to an instance
//! named in full, `validate` checks whatever part is named).

use clap::builder::{PossibleValuesParser, TypedValueParser};
use sm_config::{Code, Endpoint, FieldPath, Report, Target};

/// The variable naming the instance, e.g. `https://<id>.us-south.secrets-manager.appdomain.cloud`.
pub const URL_VAR: &str = "SECRETS_MANAGER_URL";

/// `SECRETS_MANAGER_URL` cannot be used.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum EnvTargetError {
    /// `SECRETS_MANAGER_URL` is set but does not name an instance.
    #[error("SECRETS_MANAGER_URL: {0}")]
    Url(sm_config::TargetError),
    /// `SECRETS_MANAGER_URL` is set but is not UTF-8.
    #[error("SECRETS_MANAGER_URL is not valid utf-8")]
    NotUnicode,
}

/// Options naming the Secrets Manager instance; each overrides its part of `SECRETS_MANAGER_URL`.
#[derive(Debug, Clone, Default, clap::Args)]
pub struct TargetArgs {
    /// The instance ID (a lower-case UUID) [default: from SECRETS_MANAGER_URL]
    #[arg(long, value_name = "ID")]
    pub instance_id: Option<String>,
    /// The instance's Secrets Manager region, e.g. us-south [default: from SECRETS_MANAGER_URL]
    #[arg(long, value_name = "REGION")]
    pub region: Option<String>,
    /// Public or private endpoint [default: from SECRETS_MANAGER_URL, else public]
    #[arg(long, value_name = "ENDPOINT", value_parser = endpoint_parser())]
    pub endpoint: Option<Endpoint>,
}

fn endpoint_parser() -> impl TypedValueParser<Value = Endpoint> {
    PossibleValuesParser::new([Endpoint::Public.as_str(), Endpoint::Private.as_str()])
        .try_map(|s| s.parse::<Endpoint>())
}

/// What the user named of the instance: the options over the variable.
#[derive(Debug, Clone, Default)]
pub struct Named {
    instance_id: Option<String>,
    region: Option<String>,
    endpoint: Option<Endpoint>,
}

impl TargetArgs {
    /// Reads `SECRETS_MANAGER_URL` and lays the options over it.
    pub fn resolve(&self) -> Result<Named, EnvTargetError> {
        let env = from_env()?;
        let (id, region, endpoint) = match env {
            Some(t) => (Some(t.instance_id), Some(t.region), Some(t.endpoint)),
            None => (None, None, None),
        };
        Ok(Named {
            instance_id: self.instance_id.clone().or(id),
            region: self.region.clone().or(region),
            endpoint: self.endpoint.or(endpoint),
        })
    }
}

impl Named {
    /// Whether any part of the instance is named.
    pub fn is_named(&self) -> bool {
        self.instance_id.is_some() || self.region.is_some() || self.endpoint.is_some()
    }

    /// The instance named in full (ID and region), or `None` when a part is missing.
    pub fn complete(&self) -> Option<Target> {
        Some(Target::new(
            self.instance_id.clone()?,
            self.region.clone()?,
            self.endpoint.unwrap_or_default(),
        ))
    }

    /// The named parts laid over `base` (an instance known otherwise, such as the one a server
    /// reports): what is named wins, the rest comes from `base`.
    pub fn over(&self, base: &Target) -> Target {
        Target::new(
            self.instance_id.clone().unwrap_or(base.instance_id.clone()),
            self.region.clone().unwrap_or(base.region.clone()),
            self.endpoint.unwrap_or(base.endpoint),
        )
    }

    /// The target to validate against, `None` when nothing was named (then only the body is
    /// checked). Unnamed parts are left empty; [`Named::drop_unnamed`] removes what that causes.
    pub fn checked(&self) -> Option<Target> {
        if !self.is_named() {
            return None;
        }
        Some(Target::new(
            self.instance_id.clone().unwrap_or_default(),
            self.region.clone().unwrap_or_default(),
            self.endpoint.unwrap_or_default(),
        ))
    }

    /// The report without `required` findings about parts of the target nobody named: naming
    /// only `--region` asks for the region checks, not for an instance ID.
    pub fn drop_unnamed(&self, report: Report) -> Report {
        let unnamed = |path: &str| match FieldPath::from_wire(path) {
            Some(FieldPath::InstanceId) => self.instance_id.is_none(),
            Some(FieldPath::TargetRegion) => self.region.is_none(),
            _ => false,
        };
        report
            .into_iter()
            .filter(|f| !(f.code == Code::Required && unnamed(&f.path)))
            .collect::<Vec<_>>()
            .into()
    }

    /// The target to render for: unnamed parts come from [`Target::placeholder`].
    pub fn for_rendering(&self) -> Target {
        self.checked().unwrap_or_default().or_placeholder()
    }

    /// The parts [`Named::for_rendering`] takes from the placeholder, for the note on stderr.
    pub fn placeholder_parts(&self) -> Vec<&'static str> {
        self.checked().unwrap_or_default().unnamed_parts()
    }
}

/// The instance named by `SECRETS_MANAGER_URL`; unset or empty means none.
fn from_env() -> Result<Option<Target>, EnvTargetError> {
    match std::env::var(URL_VAR) {
        Ok(url) if url.trim().is_empty() => Ok(None),
        Ok(url) => Target::from_url(&url)
            .map(Some)
            .map_err(EnvTargetError::Url),
        Err(std::env::VarError::NotPresent) => Ok(None),
        Err(std::env::VarError::NotUnicode(_)) => Err(EnvTargetError::NotUnicode),
    }
}
