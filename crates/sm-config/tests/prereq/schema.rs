//! The schema derivation the emulator shares with the check.

use sm_config::prereq::{EnvVar, SchemaProblem, derive_schema};
use sm_config::{Schema, SchemaCredential, SchemaParameter};

#[test]
fn names_are_lower_cased_and_formats_kept_as_declared() {
    let derived = derive_schema(&[
        EnvVar::literal("SMIN_USER_NAME", " type:string, required:true "),
        EnvVar::literal("SMIN_SCOPE", "type:enum, values:read|write"),
        EnvVar::literal("PATH", "/bin"),
        EnvVar::literal("SMOUT_TOKEN", "type:string, required:true"),
        EnvVar::literal("SMOUT_TTL", "type:integer"),
    ]);
    assert_eq!(derived.problems, []);
    assert!(derived.is_provider());
    assert_eq!(derived.required_outputs, 1);
    assert_eq!(
        derived.schema,
        Schema {
            parameters: vec![
                SchemaParameter {
                    name: "user_name".into(),
                    format: "type:string, required:true".into(),
                    env_variable_name: Some("SMIN_USER_NAME".into()),
                },
                SchemaParameter {
                    name: "scope".into(),
                    format: "type:enum, values:read|write".into(),
                    env_variable_name: Some("SMIN_SCOPE".into()),
                },
            ],
            credentials: vec![
                SchemaCredential {
                    name: "token".into(),
                    format: "type:string, required:true".into(),
                },
                SchemaCredential {
                    name: "ttl".into(),
                    format: "type:integer".into(),
                },
            ],
        }
    );
}

#[test]
fn every_type_is_accepted() {
    for ty in ["string", "integer", "boolean", "enum", "secret_id"] {
        let derived = derive_schema(&[EnvVar::literal(
            "SMOUT_X",
            format!("type:{ty}, required:true"),
        )]);
        assert!(derived.is_provider(), "{ty}: {:?}", derived.problems);
    }
}

#[test]
fn into_result_gives_the_schema_or_the_first_problem() {
    let good = derive_schema(&[EnvVar::literal("SMOUT_T", "type:string,required:true")]);
    assert_eq!(good.into_result().unwrap().credentials.len(), 1);
    let bad = derive_schema(&[EnvVar::literal("SMIN_T", "type:float")]);
    let err = bad.into_result().unwrap_err();
    assert_eq!(
        err,
        SchemaProblem::UnknownType {
            variable: "SMIN_T".into(),
            value: "float".into()
        }
    );
    assert_eq!(
        err.to_string(),
        "SMIN_T has type `float`; the types are string, integer, boolean, enum, secret_id"
    );
    assert_eq!(
        derive_schema(&[]).into_result().unwrap_err().to_string(),
        "no SMIN_ or SMOUT_ variables, so not a credentials provider"
    );
}

#[test]
fn prefixes_are_case_sensitive() {
    // `smin_x` is not an input: Code Engine variable names are case-sensitive.
    let derived = derive_schema(&[EnvVar::literal("smout_token", "type:string, required:true")]);
    assert_eq!(derived.problems, [SchemaProblem::NotAProvider]);
}
