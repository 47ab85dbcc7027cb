//! The pickers' and the prerequisites panel's logic in the browser: what the lists of the
//! server's routes become (with the core's provider and secret rules), the options and status
//! lines, the check route's body and answer, and the panel's markup (escaped).
//!
//! Run: `cargo test --target wasm32-unknown-unknown -p sm-config-web --test prereq`.

#![cfg(target_arch = "wasm32")]

use serde_json::{Value, json};
use sm_config::{ServiceError, Target};
use sm_config_web::api::Failure;
use sm_config_web::draft::Draft;
use sm_config_web::html::esc;
use sm_config_web::pickers::{
    Item, Listing, failure_words, jobs, options_html, projects, secrets, status_text,
};
use sm_config_web::prereq::{
    Action, Check, What, check_body, fixes, panel_html, policy_lines, read_check, secret_lines,
    status_words,
};
use wasm_bindgen_test::*;

wasm_bindgen_test_configure!(run_in_browser);

fn items(value: Value, key: &str) -> Vec<Value> {
    value[key].as_array().cloned().unwrap_or_default()
}

#[wasm_bindgen_test]
fn projects_list_every_project_and_refuse_the_inactive() {
    let list = items(
        json!({"projects": [
            {"id": "p1", "name": "payroll", "status": "active", "resource_group_id": "rg1"},
            {"id": "p2", "name": "legacy", "status": "inactive", "resource_group_id": "rg1"}
        ]}),
        "projects",
    );
    let got = projects(&list);
    assert_eq!(got.len(), 2);
    assert_eq!(got[0].value, "p1");
    assert_eq!(got[0].label, "payroll");
    assert_eq!(got[0].detail, "p1 · resource group rg1");
    assert_eq!(got[0].problem, None);
    assert!(!got[0].refused);
    assert_eq!(got[1].problem.as_deref(), Some("inactive, not active"));
    assert!(got[1].refused);
}

#[wasm_bindgen_test]
fn jobs_are_read_by_the_core_providers_show_inputs_and_outputs() {
    let list = items(
        json!({"jobs": [
            {"name": "rotate", "run_compute_resource_token_enabled": true, "run_env_variables": [
                {"type": "literal", "name": "SMIN_USERNAME", "value": "type:string, required:true"},
                {"type": "literal", "name": "SMOUT_PASSWORD", "value": "type:string, required:true"}
            ]},
            {"name": "report", "run_env_variables": [{"type": "literal", "name": "LOG_LEVEL", "value": "info"}]},
            {"name": "optional", "run_env_variables": [
                {"type": "literal", "name": "SMOUT_NOTE", "value": "type:string, required:false"}
            ]},
            {"name": "used", "run_env_variables": [
                {"type": "literal", "name": "SMOUT_KEY", "value": "type:string, required:true"}
            ]}
        ]}),
        "jobs",
    );
    let uses = vec![
        ("p1".to_owned(), "used".to_owned(), "cfg-a".to_owned()),
        // the same job name in another project does not count
        ("p2".to_owned(), "rotate".to_owned(), "cfg-b".to_owned()),
    ];
    let got = jobs(&list, "p1", &uses);
    assert_eq!(
        got[0].detail,
        "credentials provider · inputs username · outputs password · trusted profiles on"
    );
    assert_eq!(got[0].problem, None);
    assert!(!got[0].refused);
    // the core's reasons, word for word
    assert_eq!(
        got[1].problem.as_deref(),
        Some("no SMIN_ or SMOUT_ variables, so not a credentials provider")
    );
    assert!(got[1].refused);
    assert_eq!(got[1].detail, "trusted profiles off");
    assert_eq!(
        got[2].problem.as_deref(),
        Some("no required output (an SMOUT_ variable with required:true)")
    );
    assert!(got[2].refused);
    assert_eq!(
        got[3].problem.as_deref(),
        Some("used by configuration cfg-a")
    );
    assert!(got[3].refused);
}

#[wasm_bindgen_test]
fn secrets_are_marked_with_every_reason_but_stay_pickable() {
    let list = json!({"secrets": [
        {"id": "s1", "name": "good", "secret_type": "iam_credentials", "secret_group_id": "g1",
         "state_description": "active", "reuse_api_key": true,
         "rotation": {"auto_rotate": true, "interval": 60, "unit": "day"}, "service_id": "ServiceId-1"},
        {"id": "s2", "name": "bad", "secret_type": "iam_credentials", "secret_group_id": "unknown-group",
         "state_description": "destroyed", "reuse_api_key": false, "rotation": {"auto_rotate": false}}
    ]});
    let groups = json!({"secret_groups": [{"id": "g1", "name": "custom-credentials"}]});
    let got = secrets(&list, &groups);
    assert_eq!(
        got[0].detail,
        "group custom-credentials · rotation on · reuse on · ServiceId-1"
    );
    assert_eq!(got[0].problem, None);
    // an unknown group shows its ID
    assert_eq!(
        got[1].detail,
        "group unknown-group · rotation off · reuse off"
    );
    assert_eq!(
        got[1].problem.as_deref(),
        Some("destroyed, not active; no automatic rotation; does not reuse its API key")
    );
    assert!(
        !got[1].refused,
        "a secret with a problem must stay pickable"
    );
}

fn item(value: &str, label: &str, problem: Option<&str>, refused: bool) -> Item {
    Item {
        value: value.to_owned(),
        label: label.to_owned(),
        detail: format!("detail of {label}"),
        problem: problem.map(str::to_owned),
        refused,
    }
}

#[wasm_bindgen_test]
fn options_are_escaped_filtered_and_keep_the_picked_one() {
    let listing = Listing::Items(
        vec![
            item("a", "alpha <b>", None, false),
            item("b", "beta", Some("not a \"provider\""), true),
            item("c", "gamma", None, false),
        ],
        false,
    );
    let html = options_html(&listing, "c", "ALPHA", "job", None);
    assert_eq!(
        html,
        "<option value=\"\">Choose a job</option>\
         <option value=\"a\">alpha &lt;b&gt; · detail of alpha &lt;b&gt;</option>\
         <option value=\"c\" selected>gamma · detail of gamma</option>"
    );
    let html = options_html(&listing, "", "", "secret", Some("No secret"));
    assert!(html.starts_with("<option value=\"\" selected>No secret</option>"));
    assert!(html.contains(
        "<option value=\"b\" disabled title=\"not a &quot;provider&quot;\">beta — not a &quot;provider&quot;</option>"
    ));
    assert_eq!(
        options_html(&Listing::Loading, "", "", "project", None),
        "<option value=\"\">Loading the projects…</option>"
    );
    assert_eq!(
        options_html(&Listing::Failed("x".into()), "", "", "project", None),
        "<option value=\"\">Nothing listed: type it below</option>"
    );
}

#[wasm_bindgen_test]
fn status_lines_say_what_is_picked_or_typed() {
    let listing = Listing::Items(
        vec![
            item("a", "alpha", None, false),
            item("b", "beta", Some("no automatic rotation"), false),
        ],
        true,
    );
    assert_eq!(
        status_text(&listing, "a", "secret"),
        "2 secrets listed. More exist than the page lists: type the one you want below. alpha: detail of alpha."
    );
    assert!(
        status_text(&listing, "b", "secret")
            .ends_with("beta: detail of beta. Cannot back a configuration: no automatic rotation.")
    );
    assert!(
        status_text(&listing, "zzz", "secret")
            .ends_with("zzz is not in the list: typed by hand, it is checked all the same.")
    );
    assert_eq!(
        status_text(&Listing::Items(Vec::new(), false), "", "job"),
        "No jobs to list."
    );
    assert_eq!(status_text(&Listing::Idle("why"), "", "job"), "why");
}

#[wasm_bindgen_test]
fn the_filter_matches_name_value_and_detail_in_any_case() {
    let i = item("8c1e5f0a", "Payroll", None, false);
    assert!(i.matches("payr"));
    assert!(i.matches(" 8C1E "));
    assert!(i.matches("detail of"));
    assert!(i.matches(""));
    assert!(!i.matches("partners"));
}

#[wasm_bindgen_test]
fn listing_failures_are_told_in_words() {
    let body = json!({"errors": [{"code": "forbidden", "message": "the caller is not authorized to list code engine projects"}], "status_code": 403});
    let failure = Failure::Service(ServiceError::parse_value(
        403,
        Some(&body),
        &body.to_string(),
    ));
    let words = failure_words("the region's projects", &failure);
    assert!(
        words.starts_with("Could not list the region's projects: not allowed (HTTP 403: "),
        "{words}"
    );
    assert!(
        words.contains("not authorized to list code engine projects"),
        "{words}"
    );
    assert!(words.ends_with("Type it in the field below instead."));
    let words = failure_words("secrets", &Failure::Network("connection refused".into()));
    assert!(words.contains("network failure"), "{words}");
}

fn answer() -> Value {
    json!({
        "prerequisites": [
            {"id": "project", "title": "the code engine project exists", "status": "ok", "codes": []},
            {"id": "provider", "title": "the job is a provider", "status": "failed", "codes": ["not_a_provider"]},
            {"id": "authorization", "title": "secrets manager is authorized", "status": "failed", "codes": ["authorization_missing"]},
            {"id": "credentials", "title": "the secret <rotates>", "status": "unknown", "codes": ["fact_unavailable"]}
        ],
        "findings": [
            {"path": "code_engine.job_name", "code": "not_a_provider", "severity": "error", "message": "job <x> is no provider"},
            {"path": "", "code": "authorization_missing", "severity": "error", "message": "no authorization", "hint": "create it",
             "fix": {"kind": "authorization", "summary": "authorize it", "cli": "ibmcloud iam authorization-policy-create …",
                     "terraform": "resource \"ibm_iam_authorization_policy\" \"sm\" {}", "curl": "curl -X POST …",
                     "json": "{\"type\":\"authorization\",\"subjects\":[{\"attributes\":[{\"name\":\"serviceName\",\"value\":\"secrets-manager\"}]}],\"roles\":[{\"role_id\":\"crn:v1:bluemix:public:iam::::role:Viewer\"},{\"role_id\":\"crn:v1:bluemix:public:iam::::serviceRole:Writer\"}],\"resources\":[{\"attributes\":[{\"name\":\"serviceInstance\",\"value\":\"p1\"}]}]}"}},
            {"path": "api_key_ref", "code": "fact_unavailable", "severity": "warning", "message": "could not check the secret: 403"}
        ]
    })
}

#[wasm_bindgen_test]
fn the_check_answer_is_read_with_its_fixes() {
    let checked = read_check(&answer()).expect("an answer");
    assert_eq!(checked.prerequisites.len(), 4);
    assert_eq!(checked.failed(), 2);
    let authorization = &checked.prerequisites[2];
    let notes: Vec<_> = checked.notes_of(authorization).collect();
    assert_eq!(notes.len(), 1);
    let fix = notes[0].fix.as_ref().expect("a fix");
    assert_eq!(fix.kind, "authorization");
    let forms: Vec<_> = fix.forms.iter().map(|(name, _)| *name).collect();
    assert_eq!(forms, ["CLI", "Terraform", "curl", "JSON"]);
    assert_eq!(fixes(&checked).len(), 1);
    assert_eq!(
        read_check(&json!({"findings": []})),
        Err("the answer has no prerequisites".to_owned())
    );
    assert_eq!(status_words("ok"), ("✓", "met"));
    assert_eq!(status_words("failed"), ("✗", "not met"));
    assert_eq!(status_words("unknown"), ("?", "cannot tell"));
    assert_eq!(status_words("anything else"), ("?", "cannot tell"));
}

#[wasm_bindgen_test]
fn the_panel_markup_escapes_and_shows_the_confirmation() {
    let checked = read_check(&answer()).expect("an answer");
    let html = panel_html(&Check::Done(checked.clone()), &Action::Idle);
    assert!(html.contains("data-id=\"provider\" data-status=\"failed\""));
    assert!(
        html.contains("job &lt;x&gt; is no provider"),
        "messages are escaped"
    );
    assert!(
        html.contains("The secret &lt;rotates&gt;"),
        "titles are escaped and capitalised"
    );
    assert!(html.contains("<span class=\"prereq-words\">: cannot tell</span>"));
    assert!(html.contains("resource &quot;ibm_iam_authorization_policy&quot;"));
    assert!(html.contains(
        "data-testid=\"create-authorization\" data-act=\"create\" data-arg=\"0\">Create the authorization"
    ));
    assert!(!html.contains("data-testid=\"confirm\""));
    assert_eq!(html.matches("data-act=\"copy\"").count(), 4);

    let body = fixes(&checked)[0].json.clone().expect("json");
    let html = panel_html(
        &Check::Done(checked.clone()),
        &Action::Confirm(What::Authorization, body),
    );
    assert!(html.contains("data-testid=\"confirm\""));
    assert!(html.contains("<li>Roles: Viewer, Writer</li>"), "{html}");
    assert!(html.contains("<li>Target: serviceInstance p1</li>"));
    let html = panel_html(&Check::Done(checked), &Action::Working(What::Authorization));
    assert!(html.contains("Create the authorization</button>") && html.contains(" disabled>"));
    assert!(html.contains("Creating the authorization…"));
    let html = panel_html(&Check::Waiting("No <server>".into()), &Action::Idle);
    assert_eq!(html, "<p class=\"prereq-waiting\">No &lt;server&gt;</p>");
}

#[wasm_bindgen_test]
fn the_check_body_carries_the_request_and_the_target_as_json() {
    let draft = Draft {
        name: "cfg \"quoted\"".into(),
        project_id: "p1".into(),
        job_name: "job".into(),
        region: "eu-de".into(),
        ..Draft::default()
    };
    let target = Target::new("i-1", "us-south", sm_config::Endpoint::Private);
    let body = check_body(&draft.request(), &target);
    let value = sm_config_web::json::parse(&body).expect("json");
    assert_eq!(value["request"]["name"], "cfg \"quoted\"");
    assert_eq!(value["request"]["code_engine"]["project_id"], "p1");
    assert_eq!(
        value["target"],
        json!({"instance_id": "i-1", "region": "us-south", "endpoint": "private"})
    );
}

#[wasm_bindgen_test]
fn policy_lines_name_source_target_and_roles() {
    let body = json!({"type": "authorization",
        "subjects": [{"attributes": [{"name": "serviceName", "value": "secrets-manager"}, {"name": "serviceInstance", "value": "i-1"}]}],
        "roles": [{"role_id": "crn:v1:bluemix:public:iam::::role:Viewer"}],
        "resources": [{"attributes": [{"name": "serviceName", "value": "codeengine"}]}]});
    assert_eq!(
        policy_lines(&body),
        [
            "Type: authorization",
            "Source: serviceName secrets-manager, serviceInstance i-1",
            "Target: serviceName codeengine",
            "Roles: Viewer"
        ]
    );
}

#[wasm_bindgen_test]
fn esc_escapes_markup_and_quotes() {
    let mut out = String::new();
    esc("<a href=\"x\">'&'</a>", &mut out);
    assert_eq!(out, "&lt;a href=&quot;x&quot;&gt;&#39;&amp;&#39;&lt;/a&gt;");
}

#[wasm_bindgen_test]
fn secret_lines_say_what_the_secret_will_be() {
    let body = json!({"name": "cfg-api-key", "reuse_api_key": true,
        "rotation": {"auto_rotate": true, "interval": 60, "unit": "day"},
        "secret_group_id": "g1", "secret_type": "iam_credentials",
        "service_id": "ServiceId-1", "ttl": "90d"});
    assert_eq!(
        secret_lines(&body),
        [
            "Type: iam_credentials",
            "Name: cfg-api-key",
            "Secret group: g1",
            "Lease (TTL): 90d",
            "Rotation: automatic, every 60 day",
            "API key reused: yes",
            "Service ID: ServiceId-1"
        ]
    );
    let body = json!({"name": "n", "secret_type": "iam_credentials", "ttl": 3600,
        "access_groups": ["AccessGroupId-1", "AccessGroupId-2"]});
    let lines = secret_lines(&body);
    assert_eq!(lines[3], "Lease (TTL): 3600");
    assert_eq!(lines[4], "Rotation: none");
    assert_eq!(lines[5], "API key reused: no");
    assert_eq!(lines[6], "Access groups: AccessGroupId-1, AccessGroupId-2");
    assert_eq!(What::of("iam_credentials_secret"), Some(What::Secret));
    assert_eq!(What::of("trusted_profiles"), None);
}

// ---------------------------------------------------------------- the secret form

use sm_config::Endpoint;
use sm_config_web::secret_form::{Fields, Previewed, preview_html, read_preview};

fn proposal() -> Value {
    json!({
        "secret_type": "iam_credentials", "name": "db-password-api-key", "secret_group_id": "default",
        "ttl": "90d", "service_id": "ServiceId-11111111-2222-3333-4444-555555555555",
        "reuse_api_key": true, "rotation": {"auto_rotate": true, "interval": 60, "unit": "day"}
    })
}

#[wasm_bindgen_test]
fn the_form_opens_with_the_cores_proposal() {
    let fields = Fields::from_body(&proposal());
    assert_eq!(
        fields,
        Fields {
            name: "db-password-api-key".into(),
            group: "default".into(),
            service_id: "ServiceId-11111111-2222-3333-4444-555555555555".into(),
            access_groups: String::new(),
            ttl: "90d".into(),
            auto_rotate: true,
            interval: "60".into(),
            unit: "day".into(),
        }
    );
    let mut body = proposal();
    body["access_groups"] = json!(["AccessGroupId-a1", "AccessGroupId-b2"]);
    assert_eq!(
        Fields::from_body(&body).access_groups,
        "AccessGroupId-a1, AccessGroupId-b2"
    );
}

#[wasm_bindgen_test]
fn the_route_gets_the_fields_as_typed_in_the_cores_shape() {
    let target = Target::new("i\"1", "us-south", Endpoint::Private);
    let mut fields = Fields::from_body(&proposal());
    fields.name = " a\"b ".into();
    let sent: Value = serde_json::from_str(&fields.request_body(&target)).unwrap();
    assert_eq!(
        sent,
        json!({
            "settings": {
                "name": "a\"b", "secret_group_id": "default",
                "service_id": "ServiceId-11111111-2222-3333-4444-555555555555",
                "ttl": "90d", "rotation": {"auto_rotate": true, "interval": 60, "unit": "day"}
            },
            "target": {"instance_id": "i\"1", "region": "us-south", "endpoint": "private"}
        })
    );
    // Access groups instead of a service ID; an interval that is no whole number is left
    // for the core to call missing; auto-rotation off is sent as off.
    fields.service_id = " ".into();
    fields.access_groups = "AccessGroupId-a1, ,AccessGroupId-b2,".into();
    fields.interval = "1.5".into();
    fields.auto_rotate = false;
    let sent: Value = serde_json::from_str(&fields.request_body(&target)).unwrap();
    assert_eq!(
        sent["settings"],
        json!({
            "name": "a\"b", "secret_group_id": "default",
            "access_groups": ["AccessGroupId-a1", "AccessGroupId-b2"],
            "ttl": "90d", "rotation": {"auto_rotate": false, "unit": "day"}
        })
    );
}

#[wasm_bindgen_test]
fn problems_disable_create_and_name_their_field() {
    let answer = json!({
        "findings": [
            {"path": "ttl", "code": "out_of_range", "severity": "error", "message": "the ttl is between 1 minute and 90 days"},
            {"path": "access_groups[1]", "code": "pattern", "severity": "error", "message": "an <id>"}
        ],
        "fix": {"kind": "iam_credentials_secret", "summary": "create it", "cli": "ibmcloud x", "terraform": "resource", "curl": "curl x", "json": "{}"}
    });
    let preview = read_preview(&answer).unwrap();
    assert_eq!(preview.problems.len(), 2);
    assert_eq!(
        preview.problems[1].field(),
        ("secret-form-access-groups", "Access group IDs")
    );
    let done = Previewed::Done(preview.clone());
    assert_eq!(
        done.blocked().as_deref(),
        Some("Fix the 2 problems above first.")
    );
    let html = preview_html(&done, "");
    assert!(
        html.contains("data-act=\"secret-create\" disabled"),
        "{html}"
    );
    assert!(
        html.contains(
            "<a href=\"#secret-form-ttl\">Lease (TTL)</a>: the ttl is between 1 minute and 90 days"
        ),
        "{html}"
    );
    assert!(html.contains("an &lt;id&gt;"), "{html}");
    for form in ["CLI", "Terraform", "curl", "JSON"] {
        assert!(html.contains(&format!("data-form=\"{form}\"")), "{form}");
    }
    // No problem: Create is enabled; while checking again, or confirming, it is not.
    let mut ok = preview;
    ok.problems.clear();
    let html = preview_html(&Previewed::Done(ok.clone()), "");
    assert!(!html.contains("disabled"), "{html}");
    assert!(preview_html(&Previewed::Waiting(Some(ok.clone())), "").contains("disabled"));
    assert!(preview_html(&Previewed::Done(ok), "<div>confirm</div>").contains("disabled"));
    assert_eq!(
        read_preview(&json!({"findings": []})),
        Err("the answer has no fix".to_owned())
    );
}

/// The page's state crosses to the world module as strings: every part comes back as it was
/// sent, a target with a private endpoint included.
#[wasm_bindgen_test]
fn the_world_input_crosses_to_the_module_whole() {
    use sm_config_web::world::Input;
    let input = Input {
        waiting: "Waiting for the server…".into(),
        bearer: "emulator".into(),
        region: "us-south".into(),
        project: "p1".into(),
        project_id: "p1".into(),
        job_name: "job, with \"quotes\"".into(),
        api_key_ref: String::new(),
        check_body: "{\"request\":{}}".into(),
        target: Target::new("i-1", "eu-de", sm_config::Endpoint::Private),
        list_version: 7,
    };
    assert_eq!(Input::from_parts(input.to_parts()), input);
    // Fewer parts than sent (an older page): the rest read as empty, nothing panics.
    let short = Input::from_parts(vec!["".into(), "token".into()]);
    assert_eq!(short.bearer, "token");
    assert_eq!(short.target.endpoint, sm_config::Endpoint::Public);
    assert_eq!(short.list_version, 0);
}

/// What the module reads follows the page, and a pick is the module's at once (before the
/// page's next update arrives).
#[wasm_bindgen_test]
fn the_world_follows_the_page_and_its_own_picks() {
    use sm_config_web::draft::Path;
    use sm_config_web::world::{Input, World};
    let world = World::new(Input {
        waiting: "Waiting for the server…".into(),
        ..Input::default()
    });
    assert!(!world.ready());
    assert_eq!(
        world.waiting_untracked().as_deref(),
        Some("Waiting for the server…")
    );
    world.set(Input {
        bearer: "t".into(),
        project_id: "p1".into(),
        ..Input::default()
    });
    assert!(world.ready());
    assert_eq!(world.waiting_untracked(), None);
    assert_eq!(world.bearer_untracked(), "t");
    world.edit(Path::JobName, "job".into());
    assert_eq!(world.value_untracked(Path::JobName), "job");
    assert_eq!(world.value_untracked(Path::ProjectId), "p1");
}

/// The group field's suggestions: the default group first, then the instance's groups by ID
/// with their names (escaped); a failed listing leaves the default group alone.
#[wasm_bindgen_test]
fn secret_groups_are_offered_by_id_with_their_names() {
    use sm_config_web::secret_form::{Fields, GROUPS_LIST, form_html, groups_html};
    let list = json!({"secret_groups": [
        {"id": "d2b5e8f1-4c7a-4b0d-9e3f-6a9c2b5e8f10", "name": "ops <team>"},
        {"id": "", "name": "no id"},
        {"id": "default", "name": "listed default"}
    ]});
    assert_eq!(
        groups_html(&list),
        "<option value=\"default\">the default group</option>\
         <option value=\"d2b5e8f1-4c7a-4b0d-9e3f-6a9c2b5e8f10\">ops &lt;team&gt;</option>"
    );
    assert_eq!(
        groups_html(&Value::Null),
        "<option value=\"default\">the default group</option>"
    );
    // the group field names the list
    let html = form_html(&Fields::default());
    assert!(html.contains(&format!(
        "id=\"secret-form-group\" name=\"secret-form-group\" value=\"\" aria-describedby=\"secret-form-group-hint\" list=\"{GROUPS_LIST}\""
    )), "{html}");
}

/// An input printed (a failed assertion, a log line) says a token is there, never which.
#[wasm_bindgen_test]
fn the_world_input_never_prints_its_token() {
    use sm_config_web::world::Input;
    let input = Input {
        bearer: "secret-token-123".into(),
        job_name: "job".into(),
        ..Input::default()
    };
    let shown = format!("{input:?}");
    assert!(!shown.contains("secret-token-123"), "{shown}");
    assert!(shown.contains("bearer: \"<hidden>\""), "{shown}");
    assert!(shown.contains("job_name: \"job\""), "{shown}");
}
