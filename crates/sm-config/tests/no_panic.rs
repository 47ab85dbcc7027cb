//! Validation of raw input never panics, and every span it reports lies inside what it is about.
//!
//! Inputs: arbitrary bytes, arbitrary text, and mutations of valid requests (byte flips,
//! truncation, insertion, deep nesting), since random bytes rarely get past the JSON parser.

use proptest::prelude::*;
use proptest::strategy::ValueTree;
use sm_config::{
    ConfigurationPatch, ConfigurationPrototype, Endpoint, Finding, Parsed, Target, validate_json,
    validate_json_bytes, validate_patch_json,
};

const DOCS_EXAMPLE: &str = include_str!("../../../examples/docs-example.json");
const PATCH: &str = r#"{"task_timeout":"30m"}"#;

/// The value a field finding's span points into.
fn field_value<'a>(request: &'a ConfigurationPrototype, path: &str) -> Option<&'a str> {
    let ConfigurationPrototype::CustomCredentialsConfiguration(c) = request;
    match path {
        "name" => Some(&c.name),
        "api_key_ref" => c.api_key_ref.as_deref(),
        "code_engine.job_name" => Some(&c.code_engine.job_name),
        "code_engine.project_id" => Some(&c.code_engine.project_id),
        "code_engine.region" => Some(&c.code_engine.region),
        "task_timeout" => c.task_timeout.as_deref(),
        _ => None,
    }
}

/// A span of the body lies in the input bytes; a span of a field lies on character
/// boundaries of the field's value.
fn check_span(
    finding: &Finding,
    input: &[u8],
    value: impl Fn(&str) -> Option<String>,
) -> Result<(), TestCaseError> {
    let Some(span) = finding.span else {
        return Ok(());
    };
    prop_assert!(span.start <= span.end, "{}", finding);
    if finding.path.is_empty() {
        prop_assert!(
            span.end <= input.len(),
            "{} for {} bytes",
            finding,
            input.len()
        );
        if let Ok(text) = std::str::from_utf8(input) {
            prop_assert!(text.is_char_boundary(span.start) && text.is_char_boundary(span.end));
        }
    } else {
        let value = value(&finding.path);
        prop_assert!(value.is_some(), "span on {} without a value", finding);
        let value = value.unwrap_or_default();
        prop_assert!(span.end <= value.len(), "{} in {:?}", finding, value);
        prop_assert!(value.is_char_boundary(span.start) && value.is_char_boundary(span.end));
    }
    prop_assert!(!finding.message.is_empty());
    Ok(())
}

fn check_create(input: &[u8], parsed: &Parsed) -> Result<(), TestCaseError> {
    for finding in parsed.report.findings() {
        check_span(finding, input, |path| {
            parsed
                .request
                .as_ref()
                .and_then(|r| field_value(r, path))
                .map(str::to_owned)
        })?;
    }
    // A request comes back exactly when the input was a JSON object.
    let is_object = std::str::from_utf8(input)
        .ok()
        .and_then(|t| serde_json::from_str::<serde_json::Value>(t).ok())
        .is_some_and(|v| v.is_object());
    prop_assert_eq!(parsed.request.is_some(), is_object);
    // Nothing is valid that the service's own model would not read.
    if parsed.report.is_valid() {
        let read: Result<ConfigurationPrototype, _> = serde_json::from_slice(input);
        prop_assert!(read.is_ok(), "valid, but serde refuses it: {:?}", read);
    }
    Ok(())
}

fn check_patch(input: &[u8], parsed: &Parsed<ConfigurationPatch>) -> Result<(), TestCaseError> {
    for finding in parsed.report.findings() {
        check_span(finding, input, |path| {
            (path == "task_timeout")
                .then(|| parsed.request.as_ref()?.task_timeout.clone())
                .flatten()
        })?;
    }
    Ok(())
}

/// Runs every entry point on `input`.
fn check_all(input: &[u8]) -> Result<(), TestCaseError> {
    let target = Target::new(
        "b49ad24d-81d4-5ebc-b9b9-b0937d1c84d5",
        "eu-de",
        Endpoint::Public,
    );
    check_create(input, &validate_json_bytes(input, None))?;
    check_create(input, &validate_json_bytes(input, Some(&target)))?;
    if let Ok(text) = std::str::from_utf8(input) {
        let parsed = validate_json(text, None);
        prop_assert_eq!(&parsed, &validate_json_bytes(input, None));
        check_create(input, &parsed)?;
    }
    check_patch(input, &validate_patch_json(input))?;
    Ok(())
}

#[derive(Debug, Clone)]
enum Mutation {
    Flip(usize, u8),
    Truncate(usize),
    Insert(usize, Vec<u8>),
    Remove(usize, usize),
}

fn mutation() -> impl Strategy<Value = Mutation> {
    let fragment = prop_oneof![
        prop::collection::vec(any::<u8>(), 1..8),
        prop::sample::select(vec![
            "\"",
            "\\",
            "{",
            "}",
            "[",
            "]",
            ",",
            ":",
            "null",
            "1e999",
            "-0",
            "\"\\ud800\"",
            "\"é\"",
            "\u{0}",
            "\u{feff}",
            "\"x\":1,",
            "\"name\":",
            "\"code_engine\":{",
        ])
        .prop_map(|s| s.as_bytes().to_vec()),
    ];
    prop_oneof![
        (any::<usize>(), any::<u8>()).prop_map(|(at, b)| Mutation::Flip(at, b)),
        any::<usize>().prop_map(Mutation::Truncate),
        (any::<usize>(), fragment).prop_map(|(at, f)| Mutation::Insert(at, f)),
        (any::<usize>(), 1..8usize).prop_map(|(at, n)| Mutation::Remove(at, n)),
    ]
}

/// A few mutations: more would leave almost nothing that still parses.
fn mutations() -> impl Strategy<Value = Vec<Mutation>> {
    prop::collection::vec(mutation(), 1..4)
}

fn mutate(mut bytes: Vec<u8>, mutations: &[Mutation]) -> Vec<u8> {
    for m in mutations {
        let len = bytes.len();
        match m {
            Mutation::Flip(at, b) if len > 0 => bytes[at % len] ^= b | 1,
            Mutation::Flip(..) => {}
            Mutation::Truncate(at) => bytes.truncate(at % (len + 1)),
            Mutation::Insert(at, f) => {
                let at = at % (len + 1);
                bytes.splice(at..at, f.iter().copied());
            }
            Mutation::Remove(at, n) => {
                let at = at % (len + 1);
                bytes.drain(at..(at + n).min(len));
            }
        }
    }
    bytes
}

/// JSON nested `depth` levels deep at a field's place (serde_json stops at 128 levels).
fn nested(field: &str, depth: usize, open: &str, close: &str) -> String {
    let inner = format!("{}1{}", open.repeat(depth), close.repeat(depth));
    DOCS_EXAMPLE.replacen(field, &inner, 1)
}

proptest! {
    #![proptest_config(ProptestConfig {
        failure_persistence: None,
        ..ProptestConfig::with_cases(1000)
    })]

    #[test]
    fn arbitrary_bytes(input in prop::collection::vec(any::<u8>(), 0..300)) {
        check_all(&input)?;
    }

    #[test]
    fn arbitrary_text(input in "\\PC{0,200}") {
        check_all(input.as_bytes())?;
    }

    #[test]
    fn mutated_create_bodies(mutations in mutations()) {
        check_all(&mutate(DOCS_EXAMPLE.as_bytes().to_vec(), &mutations))?;
    }

    #[test]
    fn mutated_patch_bodies(mutations in mutations()) {
        check_all(&mutate(PATCH.as_bytes().to_vec(), &mutations))?;
    }

    #[test]
    fn any_json_values_in_the_fields(
        name in any::<Option<String>>(),
        timeout in prop_oneof![
            Just(serde_json::Value::Null),
            any::<i64>().prop_map(serde_json::Value::from),
            any::<f64>().prop_map(serde_json::Value::from),
            "[0-9]{0,7}[smhdSMHD.,]{0,2}[0-9]{0,2}".prop_map(serde_json::Value::from),
            "\\PC{0,8}".prop_map(serde_json::Value::from),
        ],
        region in "\\PC{0,12}",
    ) {
        let mut v: serde_json::Value = serde_json::from_str(DOCS_EXAMPLE).unwrap();
        v["name"] = serde_json::json!(name);
        v["task_timeout"] = timeout.clone();
        v["code_engine"]["region"] = serde_json::json!(region);
        check_all(v.to_string().as_bytes())?;
        check_all(serde_json::json!({"task_timeout": timeout}).to_string().as_bytes())?;
    }
}

#[test]
fn deep_nesting() {
    for depth in [1, 100, 127, 128, 129, 10_000, 100_000] {
        for (open, close) in [("[", "]"), ("{\"a\":", "}")] {
            let whole = format!("{}1{}", open.repeat(depth), close.repeat(depth));
            check_all(whole.as_bytes()).unwrap();
            check_all(nested("\"my_config\"", depth, open, close).as_bytes()).unwrap();
            check_all(nested("\"us-south\"", depth, open, close).as_bytes()).unwrap();
            // Unclosed: the parser must give up, not recurse forever.
            check_all(open.repeat(depth).as_bytes()).unwrap();
        }
    }
}

#[test]
fn mutations_reach_the_rules() {
    // The mutation strategy is worth its cases only if many mutants still parse as objects and
    // so exercise the field rules; check that on a fixed sample.
    let mut runner = proptest::test_runner::TestRunner::deterministic();
    let strategy = mutations();
    let mut objects = 0;
    for _ in 0..500 {
        let mutations = strategy.new_tree(&mut runner).unwrap().current();
        let bytes = mutate(DOCS_EXAMPLE.as_bytes().to_vec(), &mutations);
        if validate_json_bytes(&bytes, None).request.is_some() {
            objects += 1;
        }
    }
    assert!(objects >= 50, "only {objects} of 500 mutants were objects");
}
