//! The schema Secrets Manager derives from a credentials provider job's variables.
//!
//! A provider declares inputs `SMIN_<NAME>` and outputs `SMOUT_<NAME>`, each a `literal` whose
//! value is a spec such as `type:string, required:true`; types `string`, `integer`, `boolean`,
//! `enum`, `secret_id`; "every credentials provider must define at least one required output
//! variable" **\[S: IBM/secrets-manager-custom-credentials-providers README\]**. The service reads
//! them when the configuration is created and returns them as `schema`
//! (`parameters: [{name, format, env_variable_name}]`, `credentials: [{name, format}]`) **\[S\]**.
//!
//! Choices where the sources are silent **\[P\]**, strict readings:
//! - a schema entry's `name` is the variable's name after the prefix, lower-cased
//!   (`SMIN_USER_NAME` → `user_name`), as custom credentials secrets' `parameters` keys are
//!   written in IBM's examples; `format` is the value as declared, trimmed of outer blanks;
//! - only `literal` variables are read: an `SMIN_`/`SMOUT_` name on a reference is a problem,
//!   since the service reads the spec from the value;
//! - a spec is a comma-separated list of `key:value` items; `type` must be present and one of
//!   the five types; `required`, when present, must be `true` or `false` (absent = optional);
//!   other keys (an enum's values, whose syntax is unpublished) are kept without a check;
//! - two variables that give the same entry name are a problem;
//! - `SMIN_<NAME>_VALUE` is what the service sets at run time, but a job that declares such a
//!   name is read like any other input.

use super::model::{ENV_LITERAL, EnvVar};
use crate::model::{Schema, SchemaCredential, SchemaParameter};

/// The prefix of an input variable.
pub const INPUT_PREFIX: &str = "SMIN_";
/// The prefix of an output variable.
pub const OUTPUT_PREFIX: &str = "SMOUT_";
/// The variable types a spec may name.
pub const VARIABLE_TYPES: [&str; 5] = ["string", "integer", "boolean", "enum", "secret_id"];

/// Why a job's variables do not make a valid provider schema. Messages are lower case and
/// stable, and read after `job <name>: `.
#[derive(Debug, Clone, PartialEq, Eq, Hash, thiserror::Error)]
pub enum SchemaProblem {
    /// No `SMIN_`/`SMOUT_` variable at all: not a credentials provider.
    #[error("no SMIN_ or SMOUT_ variables, so not a credentials provider")]
    NotAProvider,
    /// No output marked `required:true`.
    #[error("no required output (an SMOUT_ variable with required:true)")]
    NoRequiredOutput,
    /// A provider variable that is not a `literal`.
    #[error(
        "{variable} is a {kind} variable; the service reads provider variables from literal values"
    )]
    NotLiteral {
        /// The variable's name.
        variable: String,
        /// Its `type`.
        kind: String,
    },
    /// Nothing after the prefix.
    #[error("{variable} has no name after its prefix")]
    EmptyName {
        /// The variable's name.
        variable: String,
    },
    /// An item of the spec without `:`.
    #[error("{variable}: `{item}` is not key:value")]
    Malformed {
        /// The variable's name.
        variable: String,
        /// The item.
        item: String,
    },
    /// No `type` item.
    #[error("{variable} declares no type")]
    NoType {
        /// The variable's name.
        variable: String,
    },
    /// A `type` the service does not know.
    #[error(
        "{variable} has type `{value}`; the types are string, integer, boolean, enum, secret_id"
    )]
    UnknownType {
        /// The variable's name.
        variable: String,
        /// The type given.
        value: String,
    },
    /// `required` neither `true` nor `false`.
    #[error("{variable} has required:`{value}`; it must be true or false")]
    InvalidRequired {
        /// The variable's name.
        variable: String,
        /// The value given.
        value: String,
    },
    /// The same key twice in one spec.
    #[error("{variable} gives `{key}` twice")]
    DuplicateKey {
        /// The variable's name.
        variable: String,
        /// The key.
        key: String,
    },
    /// Two variables that make the same entry.
    #[error("{variable} and {other} both make the {side} `{name}`")]
    DuplicateName {
        /// The later variable.
        variable: String,
        /// The earlier one.
        other: String,
        /// `parameter` or `credential`.
        side: &'static str,
        /// The entry name they share.
        name: String,
    },
}

/// A job's schema as the service would derive it, with every problem found on the way.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct ProviderSchema {
    /// The inputs and outputs that could be read (problem variables left out).
    pub schema: Schema,
    /// How many declared outputs are `required:true`.
    pub required_outputs: usize,
    /// Every problem, in variable order; empty for a proper provider.
    pub problems: Vec<SchemaProblem>,
}

impl ProviderSchema {
    /// Whether the job is a proper credentials provider (no problem at all).
    pub fn is_provider(&self) -> bool {
        self.problems.is_empty()
    }

    /// The schema, or the first problem (what a create would be refused for).
    pub fn into_result(self) -> Result<Schema, SchemaProblem> {
        match self.problems.into_iter().next() {
            None => Ok(self.schema),
            Some(p) => Err(p),
        }
    }
}

/// One spec read: its type and whether it is required.
struct Spec {
    required: bool,
}

fn parse_spec(variable: &str, value: &str, problems: &mut Vec<SchemaProblem>) -> Option<Spec> {
    let mut ty: Option<&str> = None;
    let mut required: Option<&str> = None;
    let mut ok = true;
    for item in value.split(',').map(str::trim).filter(|i| !i.is_empty()) {
        let Some((key, val)) = item.split_once(':') else {
            problems.push(SchemaProblem::Malformed {
                variable: variable.to_owned(),
                item: item.to_owned(),
            });
            ok = false;
            continue;
        };
        let (key, val) = (key.trim(), val.trim());
        let slot = match key {
            "type" => &mut ty,
            "required" => &mut required,
            _ => continue,
        };
        if slot.is_some() {
            problems.push(SchemaProblem::DuplicateKey {
                variable: variable.to_owned(),
                key: key.to_owned(),
            });
            ok = false;
        }
        *slot = Some(val);
    }
    match ty {
        None => {
            problems.push(SchemaProblem::NoType {
                variable: variable.to_owned(),
            });
            ok = false;
        }
        Some(t) if !VARIABLE_TYPES.contains(&t) => {
            problems.push(SchemaProblem::UnknownType {
                variable: variable.to_owned(),
                value: t.to_owned(),
            });
            ok = false;
        }
        Some(_) => {}
    }
    let required = match required {
        None | Some("false") => false,
        Some("true") => true,
        Some(other) => {
            problems.push(SchemaProblem::InvalidRequired {
                variable: variable.to_owned(),
                value: other.to_owned(),
            });
            ok = false;
            false
        }
    };
    ok.then_some(Spec { required })
}

/// Derives the schema from a job's `run_env_variables`, as the service does at create.
///
/// The emulator fills a created configuration's `schema` with this; the prerequisite check
/// reports it and its problems.
pub fn derive_schema(variables: &[EnvVar]) -> ProviderSchema {
    let mut out = ProviderSchema::default();
    let mut seen_inputs: Vec<(String, String)> = Vec::new();
    let mut seen_outputs: Vec<(String, String)> = Vec::new();
    let mut declared = 0usize;
    let mut outputs = 0usize;
    let mut broken_outputs = 0usize;
    for var in variables {
        let Some(variable) = var.name.as_deref() else {
            continue;
        };
        let (input, rest) = if let Some(rest) = variable.strip_prefix(INPUT_PREFIX) {
            (true, rest)
        } else if let Some(rest) = variable.strip_prefix(OUTPUT_PREFIX) {
            (false, rest)
        } else {
            continue;
        };
        declared += 1;
        if !input {
            outputs += 1;
        }
        let before = out.problems.len();
        read_variable(
            var,
            variable,
            input,
            rest,
            &mut out,
            &mut seen_inputs,
            &mut seen_outputs,
        );
        if !input && out.problems.len() > before {
            broken_outputs += 1;
        }
    }
    if declared == 0 {
        out.problems.push(SchemaProblem::NotAProvider);
    } else if out.required_outputs == 0 && (outputs == 0 || broken_outputs == 0) {
        // With broken outputs the required one is probably among them: their own problems say
        // more than a second finding would.
        out.problems.push(SchemaProblem::NoRequiredOutput);
    }
    out
}

fn read_variable(
    var: &EnvVar,
    variable: &str,
    input: bool,
    rest: &str,
    out: &mut ProviderSchema,
    seen_inputs: &mut Vec<(String, String)>,
    seen_outputs: &mut Vec<(String, String)>,
) {
    if rest.is_empty() {
        out.problems.push(SchemaProblem::EmptyName {
            variable: variable.to_owned(),
        });
        return;
    }
    if var.kind != ENV_LITERAL {
        out.problems.push(SchemaProblem::NotLiteral {
            variable: variable.to_owned(),
            kind: var.kind.clone(),
        });
        return;
    }
    let value = var.value.as_deref().unwrap_or_default().trim();
    let Some(spec) = parse_spec(variable, value, &mut out.problems) else {
        return;
    };
    // ASCII case only: Code Engine's variable names are ASCII (`^[\-._a-zA-Z0-9]+$`, the
    // provider's validator in prerequisites-apis.md), so this is the service's lower case for
    // every name a job can have; Unicode's case tables would cost the page 6 KB of brotli.
    let name = rest.to_ascii_lowercase();
    let (seen, side) = if input {
        (seen_inputs, "parameter")
    } else {
        (seen_outputs, "credential")
    };
    if let Some((_, other)) = seen.iter().find(|(n, _)| *n == name) {
        out.problems.push(SchemaProblem::DuplicateName {
            variable: variable.to_owned(),
            other: other.clone(),
            side,
            name,
        });
        return;
    }
    seen.push((name.clone(), variable.to_owned()));
    if input {
        out.schema.parameters.push(SchemaParameter {
            name,
            format: value.to_owned(),
            env_variable_name: Some(variable.to_owned()),
        });
    } else {
        if spec.required {
            out.required_outputs += 1;
        }
        out.schema.credentials.push(SchemaCredential {
            name,
            format: value.to_owned(),
        });
    }
}
