//! The draft the user is writing: every non-secret field as typed, and what it turns into.
//!
//! The draft holds strings exactly as typed; the core's models take any value and the core's
//! validator says what is wrong, so the page keeps no rule of its own. The bearer token is not
//! part of the draft: the draft is what goes into the URL.

use sm_config::{
    CodeEngine, ConfigurationPrototype, CustomCredentialsConfiguration,
    CustomCredentialsConfigurationPrototype, Endpoint, Target,
};

/// A field of the form or the target: the core's wire path.
pub use sm_config::FieldPath as Path;

/// The fields the page edits, in the order of the page (and of the URL query).
pub const FIELDS: [Path; 9] = [
    Path::InstanceId,
    Path::TargetRegion,
    Path::Endpoint,
    Path::Name,
    Path::ProjectId,
    Path::JobName,
    Path::Region,
    Path::ApiKeyRef,
    Path::TaskTimeout,
];

/// The field of the page with this wire path (`None` for one the page does not edit, such as
/// `config_type`).
pub fn field(wire: &str) -> Option<Path> {
    Path::from_wire(wire).filter(|p| FIELDS.contains(p))
}

/// The ids the page gives a field's elements.
pub trait ElementIds {
    /// The id of the element holding the field's findings (`findings-code_engine-job_name`).
    fn findings_id(self) -> String;
    /// The id of the input itself.
    fn input_id(self) -> String;
}

impl ElementIds for Path {
    fn findings_id(self) -> String {
        findings_id(self.as_str())
    }

    fn input_id(self) -> String {
        format!("field-{}", self.as_str().replace('.', "-"))
    }
}

/// The findings container id for a wire path: dots become dashes.
pub fn findings_id(wire: &str) -> String {
    format!("findings-{}", wire.replace('.', "-"))
}

/// Every non-secret field, as typed.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Draft {
    /// `name`.
    pub name: String,
    /// `code_engine.project_id`.
    pub project_id: String,
    /// `code_engine.job_name`.
    pub job_name: String,
    /// `code_engine.region`.
    pub region: String,
    /// `api_key_ref`; empty means none (trusted profile).
    pub api_key_ref: String,
    /// `task_timeout`; empty means the service's default.
    pub task_timeout: String,
    /// `target.instance_id`.
    pub instance_id: String,
    /// `target.region`.
    pub target_region: String,
    /// `target.endpoint`: `public` or `private`; empty reads as public.
    pub endpoint: String,
}

impl Draft {
    /// The value of one field (empty for a path the page does not edit).
    pub fn get(&self, path: Path) -> &str {
        match path {
            Path::Name => &self.name,
            Path::ProjectId => &self.project_id,
            Path::JobName => &self.job_name,
            Path::Region => &self.region,
            Path::ApiKeyRef => &self.api_key_ref,
            Path::TaskTimeout => &self.task_timeout,
            Path::InstanceId => &self.instance_id,
            Path::TargetRegion => &self.target_region,
            Path::Endpoint => &self.endpoint,
            Path::Body | Path::ConfigType | Path::CodeEngine | Path::Target => "",
        }
    }

    /// Sets one field (a path the page does not edit is ignored).
    pub fn set(&mut self, path: Path, value: String) {
        let slot = match path {
            Path::Name => &mut self.name,
            Path::ProjectId => &mut self.project_id,
            Path::JobName => &mut self.job_name,
            Path::Region => &mut self.region,
            Path::ApiKeyRef => &mut self.api_key_ref,
            Path::TaskTimeout => &mut self.task_timeout,
            Path::InstanceId => &mut self.instance_id,
            Path::TargetRegion => &mut self.target_region,
            Path::Endpoint => &mut self.endpoint,
            Path::Body | Path::ConfigType | Path::CodeEngine | Path::Target => return,
        };
        *slot = value;
    }

    /// The create body. An empty optional field is left out, as the service wants: no
    /// `api_key_ref` means a trusted profile, no `task_timeout` means the default.
    pub fn request(&self) -> ConfigurationPrototype {
        let optional = |s: &str| (!s.is_empty()).then(|| s.to_owned());
        CustomCredentialsConfigurationPrototype {
            name: self.name.clone(),
            api_key_ref: optional(&self.api_key_ref),
            code_engine: CodeEngine {
                job_name: self.job_name.clone(),
                project_id: self.project_id.clone(),
                region: self.region.clone(),
            },
            task_timeout: optional(&self.task_timeout),
        }
        .into()
    }

    /// The target as typed.
    pub fn target(&self) -> Target {
        let endpoint = self.endpoint.parse().unwrap_or(Endpoint::Public);
        Target::new(
            self.instance_id.clone(),
            self.target_region.clone(),
            endpoint,
        )
    }

    /// The target the previews use: the one typed, with the core's placeholder standing in for
    /// what is still empty, so a preview is always a command that parses.
    pub fn preview_target(&self) -> Target {
        self.target().or_placeholder()
    }

    /// Loads a configuration as the start of a new one; the target stays.
    pub fn load(&mut self, c: &CustomCredentialsConfiguration) {
        self.load_request(
            &CustomCredentialsConfigurationPrototype {
                name: c.name.clone(),
                api_key_ref: c.api_key_ref.clone(),
                code_engine: c.code_engine.clone(),
                task_timeout: c.task_timeout.clone(),
            }
            .into(),
        );
    }

    /// Loads a request (from an import); the target stays.
    pub fn load_request(&mut self, request: &ConfigurationPrototype) {
        let ConfigurationPrototype::CustomCredentialsConfiguration(c) = request;
        self.name = c.name.clone();
        self.project_id = c.code_engine.project_id.clone();
        self.job_name = c.code_engine.job_name.clone();
        self.region = c.code_engine.region.clone();
        self.api_key_ref = c.api_key_ref.clone().unwrap_or_default();
        self.task_timeout = c.task_timeout.clone().unwrap_or_default();
    }

    /// Loads a target (from an import).
    pub fn load_target(&mut self, target: &Target) {
        self.instance_id = target.instance_id.clone();
        self.target_region = target.region.clone();
        self.endpoint = target.endpoint.as_str().to_owned();
    }

    /// The draft as `(wire path, value)` pairs for the URL query; empty fields are left out.
    pub fn query_pairs(&self) -> Vec<(&'static str, &str)> {
        FIELDS
            .into_iter()
            .map(|p| (p.as_str(), self.get(p)))
            .filter(|(_, v)| !v.is_empty())
            .collect()
    }

    /// A draft from `(key, value)` pairs of a URL query; unknown keys are ignored, so a link
    /// can never smuggle anything else (a token) into the page's state.
    pub fn from_query_pairs<'a>(pairs: impl IntoIterator<Item = (&'a str, &'a str)>) -> Draft {
        let mut draft = Draft::default();
        for (key, value) in pairs {
            if let Some(path) = field(key) {
                draft.set(path, value.to_owned());
            }
        }
        draft
    }

    /// Whether any target field is set.
    pub fn has_target(&self) -> bool {
        !(self.instance_id.is_empty() && self.target_region.is_empty() && self.endpoint.is_empty())
    }
}
