//! sm-config: IBM Cloud Secrets Manager *custom credentials engine configurations*.
//!
//! The request models use the service's wire names, [`validate`] applies the service's exact
//! rules (reporting every finding at once), [`render()`] turns a request into the JSON body,
//! a curl command, an `ibmcloud` command or a Terraform resource, and [`prereq`] checks the world
//! around a request (Code Engine project and job, IAM credentials secret, service
//! authorization) from facts the caller fetched, with each fix rendered. Nothing here depends on a
//! browser, a runtime or wasm: the same code serves the CLI, the server, the console page and
//! the npm package.

// The API is flat: every type and function below is used as `sm_config::Name`, whatever file
// defines it (as dtolnay/semver does). The public modules are namespaces of their own: the
// prerequisites (`prereq`), the service's limits and regions as data (`limits`, `regions`),
// the renderers' and importers' details (`render`, `import`) and the checks across
// configurations (`across`).
pub mod across;
mod error_container;
mod field;
#[cfg(feature = "import")]
pub mod import;
pub mod limits;
mod model;
pub mod prereq;
pub mod regions;
pub mod render;
mod report;
mod server_status;
mod target;
mod task_timeout;
mod validate;

pub use error_container::{ApiError, ErrorContainer, ErrorTarget, ServiceError};
pub use field::FieldPath;
#[cfg(feature = "import")]
pub use import::{ImportCode, ImportFinding, Imported, Reference, import, is_json_text};
pub use model::{
    CodeEngine, ConfigType, Configuration, ConfigurationList, ConfigurationPatch,
    ConfigurationPrototype, CustomCredentialsConfiguration,
    CustomCredentialsConfigurationPrototype, PageLink, Schema, SchemaCredential, SchemaParameter,
};
pub use prereq::{
    AuthorizationFix, AuthorizationStatus, Checklist, EnvVar, Fact, Facts, Fix, FixKind, Job,
    JobList, Needs, PageRef, Policy, PolicyAttribute, PolicyAttributes, PolicyList, PolicyRole,
    Prerequisite, PrerequisiteId, PrerequisiteStatus, Project, ProjectList, ProviderSchema,
    ReadError, Rotation, SchemaProblem, SecretFix, SecretMetadata, SecretMetadataList,
    TrustedProfilesFix, authorization_status, check_prerequisites, checklist, derive_schema,
};
pub use render::{Format, render};
pub use report::{Code, Finding, Report, Severity, Span, UnknownSeverity};
pub use server_status::ServerStatus;
pub use target::{Endpoint, Target, TargetError};
pub use task_timeout::{TaskTimeout, TaskTimeoutError};
pub use validate::{
    Fields, Parsed, is_uuid, validate, validate_fields, validate_json, validate_json_bytes,
    validate_patch, validate_patch_json, validate_target, validate_value,
};
