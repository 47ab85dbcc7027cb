//! `import::terraform::read_module`: every resource of a module, values resolved from
//! variables, locals and variable files, and each finding's place in its file.

use sm_config::Code;
use sm_config::import::terraform::{Resource, Source, auto_var_files, read_module};
use sm_config::import::{ImportCode, LineIndex, is_request_body};

fn src<'a>(name: &'a str, text: &'a str) -> Source<'a> {
    Source { name, text }
}

fn one_file(text: &str, vars: &[Source]) -> Vec<Resource> {
    let read = read_module(&[src("main.tf", text)], vars);
    assert!(
        read.files[0].findings.is_empty(),
        "{:?}",
        read.files[0].findings
    );
    read.files.into_iter().next().unwrap().resources
}

/// The text a finding about `path` is placed on.
#[track_caller]
fn placed<'a>(text: &'a str, r: &Resource, path: &str) -> &'a str {
    let f = r
        .imported
        .report
        .findings()
        .iter()
        .find(|f| f.path == path)
        .unwrap_or_else(|| panic!("no finding at {path}: {:?}", r.imported.report));
    let span = r.locate(&f.path, f.span);
    &text[span.start..span.end]
}

const TWO: &str = r#"resource "ibm_sm_custom_credentials_configuration" "a" {
  name = "ok-name"
  code_engine {
    project_id = "12345678-5120-4a18-832a-4ba122496633"
    job_name   = "job-a"
    region     = "us-south"
  }
}

resource "ibm_sm_custom_credentials_configuration" "b" {
  name         = "b"
  task_timeout = "2d"
  code_engine {
    project_id = "12345678-5120-4a18-832a-4ba122496633"
    job_name   = "Job_B"
    region     = "us-south"
  }
}
"#;

#[test]
fn every_resource_is_read_and_findings_point_at_the_characters() {
    let resources = one_file(TWO, &[]);
    let addresses: Vec<&str> = resources.iter().map(|r| r.address.as_str()).collect();
    assert_eq!(
        addresses,
        [
            "ibm_sm_custom_credentials_configuration.a",
            "ibm_sm_custom_credentials_configuration.b"
        ]
    );
    let b = &resources[1];
    assert!(!b.imported.is_valid());
    // `J` is the first character Code Engine refuses; a finding about the whole value (the
    // name `b` is one character short) is placed on the expression.
    assert_eq!(placed(TWO, b, "code_engine.job_name"), "J");
    assert_eq!(placed(TWO, b, "task_timeout"), "2d");
    assert_eq!(placed(TWO, b, "name"), "\"b\"");
    let lines = LineIndex::new(TWO);
    assert_eq!(lines.line_column(b.span.start), (10, 1));
    assert_eq!(&TWO[b.span.start..b.span.end], "resource");
    // A missing field is placed on the block that should hold it, else on the resource.
    let missing = read_module(
        &[src(
            "m.tf",
            "resource \"ibm_sm_custom_credentials_configuration\" \"x\" {\n  code_engine {\n  }\n}\n",
        )],
        &[],
    );
    let r = &missing.files[0].resources[0];
    let text =
        "resource \"ibm_sm_custom_credentials_configuration\" \"x\" {\n  code_engine {\n  }\n}\n";
    let f = r
        .imported
        .report
        .for_path("code_engine.job_name")
        .next()
        .unwrap();
    let span = r.locate(&f.path, f.span);
    assert_eq!(&text[span.start..span.end], "code_engine");
    let f = r.imported.report.for_path("name").next().unwrap();
    let span = r.locate(&f.path, f.span);
    assert_eq!(&text[span.start..span.end], "resource");
}

#[test]
fn an_escaped_string_is_placed_on_its_expression() {
    let text =
        "resource \"ibm_sm_custom_credentials_configuration\" \"x\" {\n  name = \"a\\\"b\"\n}\n";
    let r = &one_file(text, &[])[0];
    assert_eq!(placed(text, r, "name"), "\"a\\\"b\"");
}

const MODULE: &str = r#"variable "job" {
  type    = string
  default = "from-default"
}
variable "undeclared_in_tfvars" {
  type = string
}
locals {
  a = local.b
  b = local.a
  prefix = "team"
  name   = "${local.prefix}-${var.job}"
}
resource "ibm_sm_custom_credentials_configuration" "c" {
  name = local.name
  code_engine {
    project_id = "12345678-5120-4a18-832a-4ba122496633"
    job_name   = var.job
    region     = local.a
  }
}
"#;

fn resolved(r: &Resource, path: &str) -> Option<(String, Vec<String>)> {
    r.resolved.iter().find(|x| x.path == path).map(|x| {
        (
            x.value.clone(),
            x.from
                .iter()
                .map(|o| format!("{} {}:{}:{}", o.what, o.file, o.line, o.column))
                .collect(),
        )
    })
}

#[test]
fn variables_take_the_last_variable_file_over_the_default() {
    let r = &one_file(MODULE, &[])[0];
    assert_eq!(
        resolved(r, "code_engine.job_name"),
        Some((
            "from-default".to_owned(),
            vec!["the default of variable `job` main.tf:3:13".to_owned()]
        ))
    );
    let auto = src("terraform.tfvars", "job = \"from-tfvars\"\nother = \"x\"\n");
    let given = src("dir/prod.tfvars", "\n  job = \"from-var-file\"\n");
    let r = &one_file(MODULE, &[auto])[0];
    assert_eq!(
        resolved(r, "code_engine.job_name").unwrap().0,
        "from-tfvars"
    );
    let r = &one_file(MODULE, &[auto, given])[0];
    assert_eq!(
        resolved(r, "code_engine.job_name"),
        Some((
            "from-var-file".to_owned(),
            vec!["`job` in prod.tfvars dir/prod.tfvars:2:9".to_owned()]
        ))
    );
    // A template of a local and a variable, each part with its origin.
    assert_eq!(
        resolved(r, "name"),
        Some((
            "team-from-var-file".to_owned(),
            vec![
                "local `prefix` main.tf:11:12".to_owned(),
                "`job` in prod.tfvars dir/prod.tfvars:2:9".to_owned(),
                "local `name` main.tf:12:12".to_owned(),
            ]
        ))
    );
}

#[test]
fn a_cycle_of_locals_stays_unresolved_and_unchecked() {
    let r = &one_file(MODULE, &[])[0];
    assert_eq!(resolved(r, "code_engine.region"), None);
    let refs: Vec<(&str, &str)> = r
        .imported
        .references
        .iter()
        .map(|x| (x.path.as_str(), x.expression.as_str()))
        .collect();
    assert_eq!(refs, [("code_engine.region", "local.a")]);
    assert!(
        r.imported
            .report
            .for_path("code_engine.region")
            .next()
            .is_none()
    );
    assert!(
        r.imported
            .findings
            .iter()
            .any(|f| f.code == ImportCode::NotLiteral && f.code.is_note())
    );
}

#[test]
fn a_variable_without_value_stays_a_reference() {
    let text = MODULE.replace(
        "job_name   = var.job",
        "job_name   = var.undeclared_in_tfvars",
    );
    let r = &one_file(&text, &[src("terraform.tfvars", "nothing = 1\n")])[0];
    assert_eq!(resolved(r, "code_engine.job_name"), None);
    assert!(
        r.imported
            .report
            .for_path("code_engine.job_name")
            .next()
            .is_none()
    );
}

#[test]
fn repeated_resources_are_noted_and_left_out_of_the_checks_across() {
    let text = TWO.replace("name = \"ok-name\"", "count = 2\n  name = \"ok-name\"");
    let resources = one_file(&text, &[]);
    assert_eq!(resources[0].repeated.as_deref(), Some("count"));
    assert!(resources[0].member("m", |s| s).is_none());
    assert!(
        resources[0]
            .imported
            .findings
            .iter()
            .any(|f| f.code == ImportCode::Repeated)
    );
    assert!(resources[1].member("m", |s| s).is_some());
}

#[test]
fn a_file_that_does_not_parse_keeps_the_others() {
    let read = read_module(
        &[
            src("bad.tf", "resource \"x\" {\n  a = \n"),
            src("good.tf", TWO),
        ],
        &[],
    );
    assert_eq!(read.files[0].findings.len(), 1);
    assert_eq!(read.files[0].findings[0].code, ImportCode::Syntax);
    assert_eq!(read.files[1].resources.len(), 2);
    let r = &read.files[1].resources[1];
    assert!(
        r.imported
            .report
            .findings()
            .iter()
            .any(|f| f.code == Code::OutOfRange)
    );
}

#[test]
fn variable_files_load_in_terraforms_order() {
    assert_eq!(
        auto_var_files([
            "b.auto.tfvars",
            "prod.tfvars",
            "a.auto.tfvars.json",
            "terraform.tfvars.json",
            "terraform.tfvars",
            "x.tf",
            "package.json"
        ]),
        [
            "terraform.tfvars",
            "terraform.tfvars.json",
            "a.auto.tfvars.json",
            "b.auto.tfvars"
        ]
    );
}

#[test]
fn json_variable_files_give_values_with_their_place() {
    let json = src(
        "terraform.tfvars.json",
        "{\n  \"other\": [1],\n  \"job\": \"from-json\"\n}\n",
    );
    let r = &one_file(
        MODULE,
        &[src("terraform.tfvars", "job = \"from-hcl\"\n"), json],
    )[0];
    assert_eq!(
        resolved(r, "code_engine.job_name"),
        Some((
            "from-json".to_owned(),
            vec!["`job` in terraform.tfvars.json terraform.tfvars.json:3:10".to_owned()]
        ))
    );
    // A JSON variable file that does not parse is said so, and its values are not used.
    let broken = src("x.auto.tfvars.json", "{\"job\": ");
    let read = read_module(&[src("main.tf", MODULE)], &[broken]);
    assert_eq!(read.var_files[0].findings[0].code, ImportCode::Syntax);
    let r = &read.files[0].resources[0];
    assert_eq!(
        resolved(r, "code_engine.job_name").unwrap().0,
        "from-default"
    );
}

#[test]
fn only_json_that_looks_like_a_request_is_a_request_body() {
    assert!(is_request_body(
        "{\"config_type\": \"custom_credentials_configuration\"}"
    ));
    assert!(is_request_body("\u{feff}{\"code_engine\": {}}"));
    assert!(!is_request_body(
        "{\"name\": \"my-package\", \"private\": true}"
    ));
    assert!(!is_request_body("[1, 2]"));
    assert!(!is_request_body("not json"));
}

/// The same two resources as [`TWO`], in Terraform's JSON syntax, with what only JSON has:
/// comment properties, an array of bodies, escaped `$${`, `null` for an unset argument.
const TWO_JSON: &str = r#"{
  "//": "generated",
  "variable": {"suffix": {"default": "b"}, "raw": {"default": "${not.a.template}"}},
  "locals": [{"prefix": "ok"}],
  "resource": {
    "ibm_sm_custom_credentials_configuration": {
      "a": {
        "//": "the first",
        "instance_id": "${var.instance}",
        "region": "us-south",
        "name": "${local.prefix}-name",
        "api_key_ref": null,
        "code_engine": [{
          "project_id": "12345678-5120-4a18-832a-4ba122496633",
          "job_name": "job-a",
          "region": "us-south"
        }]
      },
      "b": [{
        "count": 2,
        "name": "$${b}",
        "task_timeout": "2d",
        "tags": ["x"],
        "code_engine": {
          "project_id": "12345678-5120-4a18-832a-4ba122496633",
          "job_name": "Job_${upper(var.suffix)}",
          "region": "us-south",
          "extra": 1
        }
      }]
    }
  }
}"#;

#[test]
fn terraform_json_files_give_the_same_resources_with_their_places() {
    let native = "variable \"instance\" {}\n";
    let read = read_module(
        &[src("vars.tf", native), src("main.tf.json", TWO_JSON)],
        &[],
    );
    assert!(read.files.iter().all(|f| f.findings.is_empty()), "{read:?}");
    let resources = &read.files[1].resources;
    let addresses: Vec<&str> = resources.iter().map(|r| r.address.as_str()).collect();
    assert_eq!(
        addresses,
        [
            "ibm_sm_custom_credentials_configuration.a",
            "ibm_sm_custom_credentials_configuration.b"
        ]
    );
    let (a, b) = (&resources[0], &resources[1]);
    // Each resource is placed on its name.
    assert_eq!(&TWO_JSON[a.span.start..a.span.end], "\"a\"");
    // `${local.prefix}-name` resolves through a `locals` array; `null` leaves api_key_ref unset.
    let a_request = serde_json::to_value(a.imported.request.as_ref().unwrap()).unwrap();
    assert_eq!(a_request["name"], "ok-name");
    assert!(a_request.get("api_key_ref").is_none(), "{a_request}");
    // `${var.instance}` (declared in the `.tf` file, no value) stays a reference, shown and
    // compared as the `.tf` syntax writes it.
    assert_eq!(
        a.imported
            .references
            .iter()
            .map(|r| (r.path.as_str(), r.expression.as_str()))
            .collect::<Vec<_>>(),
        [("target.instance_id", "var.instance")]
    );
    let comparable = a.member("m", |s| s).unwrap();
    assert_eq!(
        comparable.instance.map(|i| i.0),
        Some(sm_config::across::Key::expression("m", "var.instance"))
    );
    // `$${b}` is the literal `${b}`: checked (and refused), placed on the whole string since
    // the escape keeps it from standing verbatim.
    assert_eq!(placed(TWO_JSON, b, "name"), "\"$${b}\"");
    assert_eq!(placed(TWO_JSON, b, "task_timeout"), "2d");
    // A function call is not evaluated: a reference, not checked.
    assert!(
        b.imported
            .references
            .iter()
            .any(|r| r.path == "code_engine.job_name"),
        "{:?}",
        b.imported.references
    );
    assert_eq!(b.repeated.as_deref(), Some("count"));
    let notes: Vec<(ImportCode, &str)> = b
        .imported
        .findings
        .iter()
        .map(|f| (f.code, &TWO_JSON[f.span.start..f.span.end]))
        .collect();
    assert_eq!(
        notes,
        [
            (ImportCode::Repeated, "\"count\": 2"),
            (ImportCode::Ignored, "\"tags\": [\"x\"]"),
            (ImportCode::NotLiteral, "\"Job_${upper(var.suffix)}\""),
            (ImportCode::Ignored, "\"extra\": 1"),
        ]
    );
    let codes: Vec<Code> = b
        .imported
        .report
        .findings()
        .iter()
        .map(|f| f.code)
        .collect();
    assert!(codes.contains(&Code::OutOfRange), "{codes:?}");
}

#[test]
fn a_variable_default_in_json_is_a_literal_not_a_template() {
    let text = r#"{
  "variable": {"job": {"default": "${var.other}"}, "other": {"default": "x"}},
  "resource": {"ibm_sm_custom_credentials_configuration": {"a": {
    "code_engine": {"job_name": "${var.job}"}
  }}}
}"#;
    let read = read_module(&[src("main.tf.json", text)], &[]);
    let r = &read.files[0].resources[0];
    let job = r.resolved.iter().find(|v| v.path == "code_engine.job_name");
    assert_eq!(job.map(|v| v.value.as_str()), Some("${var.other}"));
    assert_eq!(placed(text, r, "code_engine.job_name"), "\"${var.job}\"");
}

#[test]
fn a_called_module_takes_its_callers_literal_arguments() {
    use sm_config::import::terraform::read_module_call;
    let module = "variable \"job\" {}\nvariable \"name\" { default = \"dflt\" }\nresource \"ibm_sm_custom_credentials_configuration\" \"c\" {\n  name = var.name\n  code_engine {\n    job_name = var.job\n  }\n}\n";
    let caller = "module \"a\" {\n  source = \"./m\"\n  job    = \"Job_A\"\n  name   = var.outer\n}\nmodule \"b\" {\n  source   = \"../m\"\n  for_each = toset([\"x\"])\n  job      = 7\n}\nmodule \"remote\" {\n  source = \"registry/m/ibm\"\n}\n";
    let json_caller =
        r#"{"module": {"j": [{"source": "./m", "job": "j-job", "name": "${var.x}"}]}}"#;
    let root = read_module(
        &[src("main.tf", caller), src("more.tf.json", json_caller)],
        &[],
    );
    let calls: Vec<(&str, &str, usize, Option<&str>)> = root
        .calls
        .iter()
        .map(|c| {
            (
                c.name.as_str(),
                c.source.as_str(),
                c.file,
                c.repeated.as_deref(),
            )
        })
        .collect();
    assert_eq!(
        calls,
        [
            ("a", "./m", 0, None),
            ("b", "../m", 0, Some("for_each")),
            ("j", "./m", 1, None)
        ],
        "the registry module is not local"
    );
    // Found alike without reading the rest.
    assert_eq!(
        sm_config::import::terraform::module_calls(&[
            src("main.tf", caller),
            src("more.tf.json", json_caller)
        ]),
        root.calls
    );
    let args: Vec<(&str, Option<&str>, &str)> = root.calls[0]
        .arguments
        .iter()
        .map(|a| {
            (
                a.name.as_str(),
                a.value.as_deref(),
                &caller[a.span.start..a.span.end],
            )
        })
        .collect();
    assert_eq!(
        args,
        [
            ("job", Some("Job_A"), "\"Job_A\""),
            ("name", None, "var.outer")
        ]
    );

    let files = [src("m/main.tf", module)];
    let read = read_module_call(&files, src("main.tf", caller), &root.calls[0]);
    let r = &read.files[0].resources[0];
    assert_eq!(
        r.address,
        "module.a.ibm_sm_custom_credentials_configuration.c"
    );
    let (value, from) = resolved(r, "code_engine.job_name").unwrap();
    assert_eq!(value, "Job_A");
    assert_eq!(from, ["argument `job` of module `a` main.tf:3:12"]);
    assert_eq!(placed(module, r, "code_engine.job_name"), "var.job");
    // `name = var.outer`: set by the call to something unknown, so not the default `dflt`.
    assert!(resolved(r, "name").is_none());
    assert!(r.imported.references.iter().any(|x| x.path == "name"));
    assert!(r.repeated.is_none());

    // A call with `for_each`: several configurations, left out of the checks across.
    let read = read_module_call(&files, src("main.tf", caller), &root.calls[1]);
    let r = &read.files[0].resources[0];
    assert_eq!(r.repeated.as_deref(), Some("for_each of module b"));
    assert!(r.member("m", |s| s).is_none());
    assert_eq!(resolved(r, "code_engine.job_name").unwrap().0, "7");
    // From a `.tf.json` caller: the literal taken, the template not.
    let read = read_module_call(&files, src("more.tf.json", json_caller), &root.calls[2]);
    let r = &read.files[0].resources[0];
    assert_eq!(resolved(r, "code_engine.job_name").unwrap().0, "j-job");
    assert!(resolved(r, "name").is_none());
}

proptest::proptest! {
    #![proptest_config(proptest::test_runner::Config::with_cases(300))]

    /// Whatever a `.tf.json` file holds (here: the fixture cut, spliced and with characters
    /// inserted, multi-byte ones included), reading it never panics, and every place it gives
    /// lies within the file on character boundaries.
    #[test]
    fn any_terraform_json_text_reads_without_panic(
        cut in 0usize..TWO_JSON.len(),
        len in 0usize..40,
        insert in "[\\{\\}\\[\\]\",:$%é😀a-z0-9 \\\\]{0,12}",
    ) {
        let mut text = TWO_JSON.to_owned();
        let start = (0..=cut).rev().find(|&i| text.is_char_boundary(i)).unwrap_or(0);
        let end = (start + len).min(text.len());
        let end = (end..=text.len()).find(|&i| text.is_char_boundary(i)).unwrap_or(text.len());
        text.replace_range(start..end, &insert);
        let read = read_module(&[src("main.tf.json", &text)], &[]);
        let file = &read.files[0];
        let spans = file
            .findings
            .iter()
            .map(|f| f.span)
            .chain(file.resources.iter().flat_map(|r| {
                std::iter::once(r.span)
                    .chain(r.values.iter().map(|v| v.span))
                    .chain(r.imported.findings.iter().map(|f| f.span))
            }));
        for span in spans {
            proptest::prop_assert!(span.start <= span.end && span.end <= text.len(), "{span:?}");
            proptest::prop_assert!(text.is_char_boundary(span.start) && text.is_char_boundary(span.end));
        }
        // A JSON object (by serde_json, as strict) is read without a syntax finding; the
        // converse is not asked: serde_json also refuses numbers past f64's range.
        if is_json_object(&text) {
            proptest::prop_assert!(file.findings.is_empty(), "{:?} in {}", file.findings, text);
        } else if !file.findings.is_empty() {
            proptest::prop_assert_eq!(file.findings[0].code, ImportCode::Syntax);
        }
    }
}

/// Whether `text` is a JSON object, as Terraform reads a `.tf.json` file.
fn is_json_object(text: &str) -> bool {
    serde_json::from_str::<serde_json::Map<String, serde_json::Value>>(text).is_ok()
}
