//! Component tests of the console page in headless Chromium: live findings, previews, the URL.
//!
//! Run: `cargo test --target wasm32-unknown-unknown -p sm-config-web` (runner and chromedriver
//! as in the toolchain notes). The test runner's server has no `/sm-config/status`, so the page
//! sees no sm-config server: it asks for a token and its requests fail, which the tests use.

#![cfg(target_arch = "wasm32")]

use leptos::prelude::*;
use sm_config_web::App;
use sm_config_web::browser::{draft_from_query, query_string};
use sm_config_web::draft::{Draft, ElementIds, Path};
use wasm_bindgen::JsCast;
use wasm_bindgen_futures::JsFuture;
use wasm_bindgen_test::*;
use web_sys::{Element, Event, EventInit, HtmlElement, HtmlInputElement, HtmlSelectElement};

wasm_bindgen_test_configure!(run_in_browser);

/// Waits `ms` milliseconds of the browser's clock.
async fn sleep(ms: i32) {
    let promise = js_sys::Promise::new(&mut |resolve, _| {
        let _ = web_sys::window()
            .unwrap()
            .set_timeout_with_callback_and_timeout_and_arguments_0(&resolve, ms);
    });
    JsFuture::from(promise).await.unwrap();
}

/// Lets the page's effects and pending fetches run.
async fn settle() {
    for _ in 0..3 {
        sleep(20).await;
    }
}

/// The page mounted in a fresh container; unmounted when dropped.
struct Page {
    root: HtmlElement,
    _handle: leptos::mount::UnmountHandle<leptos::tachys::view::any_view::AnyViewState>,
}

impl Page {
    async fn open(draft: Draft) -> Page {
        let document = web_sys::window().unwrap().document().unwrap();
        let root: HtmlElement = document.create_element("div").unwrap().unchecked_into();
        root.set_id("sm-config-app");
        document.body().unwrap().append_child(&root).unwrap();
        let handle = leptos::mount::mount_to(root.clone(), move || {
            view! { <App draft=draft /> }.into_any()
        });
        // The status request decides parts of the page (the token field): on a busy machine
        // its answer can take longer than a settle, so wait for it (at most 5 s).
        for _ in 0..250 {
            let mode = root
                .query_selector("[data-testid=\"mode\"]")
                .unwrap()
                .and_then(|e| e.text_content())
                .unwrap_or_default();
            if !mode.is_empty() && mode != "Connecting…" {
                break;
            }
            sleep(20).await;
        }
        settle().await;
        Page {
            root,
            _handle: handle,
        }
    }

    fn find(&self, selector: &str) -> Option<Element> {
        self.root.query_selector(selector).unwrap()
    }

    fn get(&self, selector: &str) -> Element {
        self.find(selector)
            .unwrap_or_else(|| panic!("no element matches {selector}"))
    }

    fn all(&self, selector: &str) -> Vec<Element> {
        let list = self.root.query_selector_all(selector).unwrap();
        (0..list.length())
            .filter_map(|i| list.item(i))
            .map(|n| n.unchecked_into())
            .collect()
    }

    fn text(&self, selector: &str) -> String {
        self.get(selector).text_content().unwrap_or_default()
    }

    async fn type_into(&self, name: &str, value: &str) {
        let input: HtmlInputElement = self
            .get(&format!("input[name=\"{name}\"]"))
            .unchecked_into();
        input.set_value(value);
        dispatch(&input, "input");
        reacted_and_written().await;
    }

    async fn select(&self, name: &str, value: &str) {
        let select: HtmlSelectElement = self
            .get(&format!("select[name=\"{name}\"]"))
            .unchecked_into();
        select.set_value(value);
        dispatch(&select, "change");
        reacted_and_written().await;
    }

    /// The `data-code`s of the findings shown for a field.
    fn codes(&self, path: Path) -> Vec<String> {
        self.all(&format!("#{} li.finding", path.findings_id()))
            .iter()
            .filter_map(|li| li.get_attribute("data-code"))
            .collect()
    }

    fn preview(&self, format: &str) -> String {
        self.text(&format!(
            "[role=\"tabpanel\"][data-format=\"{format}\"] pre code"
        ))
    }
}

impl Drop for Page {
    fn drop(&mut self) {
        self.root.remove();
    }
}

fn dispatch(target: &web_sys::EventTarget, kind: &str) {
    let init = EventInit::new();
    init.set_bubbles(true);
    let event = Event::new_with_event_init_dict(kind, &init).unwrap();
    target.dispatch_event(&event).unwrap();
}

fn location_search() -> String {
    web_sys::window().unwrap().location().search().unwrap()
}

#[wasm_bindgen_test]
async fn untouched_fields_show_nothing_until_submit() {
    let page = Page::open(Draft::default()).await;
    assert!(
        page.all("li.finding").is_empty(),
        "findings before any touch"
    );
    let name = page.get("input[name=\"name\"]");
    assert_eq!(name.get_attribute("aria-invalid"), None);
    assert_eq!(
        name.get_attribute("aria-describedby").as_deref(),
        Some("findings-name")
    );
    page.get("button[data-testid=\"submit\"]")
        .unchecked_into::<HtmlElement>()
        .click();
    settle().await;
    assert_eq!(page.codes(Path::Name), ["required"]);
    assert_eq!(page.codes(Path::JobName), ["required"]);
    assert_eq!(page.codes(Path::Region), ["required"]);
    assert_eq!(name.get_attribute("aria-invalid").as_deref(), Some("true"));
    // Invalid drafts are not sent: no alert about a failed request.
    assert!(page.find("[data-testid=\"error\"]").is_none());
}

#[wasm_bindgen_test]
async fn a_finding_appears_and_disappears_as_the_user_types() {
    let page = Page::open(Draft::default()).await;
    page.type_into("code_engine.job_name", "Job").await;
    assert_eq!(page.codes(Path::JobName), ["pattern"]);
    let finding = page.get("#findings-code_engine-job_name li.finding");
    assert_eq!(
        finding.get_attribute("data-severity").as_deref(),
        Some("error")
    );
    assert_eq!(
        finding.get_attribute("data-path").as_deref(),
        Some("code_engine.job_name")
    );
    assert!(
        page.find("#findings-code_engine-job_name li.finding .hint")
            .is_some()
    );
    let input = page.get("input[name=\"code_engine.job_name\"]");
    assert_eq!(input.get_attribute("aria-invalid").as_deref(), Some("true"));
    // Other fields stay quiet: they were not touched.
    assert!(page.codes(Path::Name).is_empty());

    page.type_into("code_engine.job_name", "job").await;
    assert!(page.codes(Path::JobName).is_empty());
    assert_eq!(input.get_attribute("aria-invalid"), None);
}

#[wasm_bindgen_test]
async fn warnings_are_told_apart_from_errors() {
    let page = Page::open(Draft::default()).await;
    // An empty secret ID means a trusted profile: the service takes it, with a warning.
    page.type_into("api_key_ref", "x").await;
    page.type_into("api_key_ref", "").await;
    let finding = page.get("#findings-api_key_ref li.finding");
    assert_eq!(
        finding.get_attribute("data-severity").as_deref(),
        Some("warning")
    );
    assert_eq!(
        finding.get_attribute("data-code").as_deref(),
        Some("trusted_profile_required")
    );
    let input = page.get("input[name=\"api_key_ref\"]");
    assert_eq!(
        input.get_attribute("aria-invalid"),
        None,
        "a warning is not invalid"
    );
    assert!(finding.class_list().contains("finding-warning"));
}

#[wasm_bindgen_test]
async fn every_preview_follows_every_keystroke() {
    let page = Page::open(Draft::default()).await;
    page.type_into("name", "payments-db").await;
    page.type_into("code_engine.job_name", "rotate-db").await;
    page.select("code_engine.region", "eu-de").await;
    for format in ["json", "curl", "cli", "terraform"] {
        let text = page.preview(format);
        assert!(text.contains("payments-db"), "{format}: {text}");
        assert!(text.contains("rotate-db"), "{format}: {text}");
        assert!(text.contains("eu-de"), "{format}: {text}");
    }
    assert!(page.preview("curl").contains("${IAM_TOKEN}"));
    page.type_into("name", "payments-db-2").await;
    for format in ["json", "curl", "cli", "terraform"] {
        assert!(page.preview(format).contains("payments-db-2"), "{format}");
    }
    page.type_into("target.instance_id", "b49ad24d-81d4-5ebc-b9b9-b0937d1c84d5")
        .await;
    page.select("target.region", "eu-gb").await;
    assert_eq!(
        page.text("[data-testid=\"import-id\"]"),
        "eu-gb/b49ad24d-81d4-5ebc-b9b9-b0937d1c84d5/payments-db-2"
    );
    assert!(
        page.preview("curl")
            .contains("https://b49ad24d-81d4-5ebc-b9b9-b0937d1c84d5.eu-gb.secrets-manager.appdomain.cloud/api/v2/configurations")
    );
    // The Code Engine region now differs from the instance's: a warning, not an error.
    let codes = page.codes(Path::Region);
    assert_eq!(codes, ["region_mismatch"]);
}

#[wasm_bindgen_test]
async fn tabs_switch_panes_and_every_pane_stays_current() {
    let page = Page::open(Draft::default()).await;
    let tab = page.get("button[role=\"tab\"][data-tab=\"terraform\"]");
    tab.unchecked_ref::<HtmlElement>().click();
    settle().await;
    assert_eq!(tab.get_attribute("aria-selected").as_deref(), Some("true"));
    let json_tab = page.get("button[role=\"tab\"][data-tab=\"json\"]");
    assert_eq!(
        json_tab.get_attribute("aria-selected").as_deref(),
        Some("false")
    );
    assert!(
        page.get("[role=\"tabpanel\"][data-format=\"json\"]")
            .has_attribute("hidden")
    );
    assert!(
        !page
            .get("[role=\"tabpanel\"][data-format=\"terraform\"]")
            .has_attribute("hidden")
    );
    page.type_into("name", "hidden-pane").await;
    assert!(page.preview("json").contains("hidden-pane"));
}

#[wasm_bindgen_test]
async fn the_draft_lives_in_the_url_and_comes_back_from_it() {
    let page = Page::open(Draft::default()).await;
    page.type_into("name", "shared draft/ü").await;
    page.type_into("task_timeout", "30m").await;
    let search = location_search();
    let restored = draft_from_query(&search);
    assert_eq!(restored.name, "shared draft/ü");
    assert_eq!(restored.task_timeout, "30m");
    drop(page);

    // A page opened on that URL starts from the same draft.
    let page = Page::open(draft_from_query(&search)).await;
    let name: HtmlInputElement = page.get("input[name=\"name\"]").unchecked_into();
    assert_eq!(name.value(), "shared draft/ü");
    assert!(page.preview("json").contains("\"task_timeout\": \"30m\""));
}

#[wasm_bindgen_test]
async fn the_token_stays_out_of_the_url_and_storage() {
    let page = Page::open(Draft::default()).await;
    // No sm-config server behind the test runner: the page asks for a token.
    let token = page.get("input[name=\"token\"]");
    assert_eq!(token.get_attribute("type").as_deref(), Some("password"));
    assert_eq!(token.get_attribute("autocomplete").as_deref(), Some("off"));
    page.type_into("token", "secret-token-value").await;
    page.type_into("name", "with-token").await;
    let window = web_sys::window().unwrap();
    let href = window.location().href().unwrap();
    assert!(!href.contains("secret-token-value"), "{href}");
    assert!(href.contains("with-token"), "{href}");
    for storage in [window.local_storage(), window.session_storage()] {
        let storage = storage.unwrap().unwrap();
        for i in 0..storage.length().unwrap() {
            let key = storage.key(i).unwrap().unwrap_or_default();
            let value = storage.get_item(&key).unwrap().unwrap_or_default();
            assert!(!value.contains("secret-token-value"), "{key}");
        }
    }
    for format in ["json", "curl", "cli", "terraform"] {
        assert!(!page.preview(format).contains("secret-token-value"));
    }
}

#[wasm_bindgen_test]
async fn a_failed_send_is_told_in_one_alert() {
    let page = Page::open(Draft {
        name: "valid-name".into(),
        project_id: "12345678-5120-4a18-832a-4ba122496633".into(),
        job_name: "job".into(),
        region: "us-south".into(),
        instance_id: "b49ad24d-81d4-5ebc-b9b9-b0937d1c84d5".into(),
        target_region: "us-south".into(),
        ..Draft::default()
    })
    .await;
    page.get("button[data-testid=\"submit\"]")
        .unchecked_into::<HtmlElement>()
        .click();
    // The runner's server has no API: it answers with an error status.
    for _ in 0..20 {
        if page
            .find("[role=\"alert\"][data-testid=\"error\"]")
            .is_some()
        {
            break;
        }
        settle().await;
    }
    let alert = page.get("[role=\"alert\"][data-testid=\"error\"]");
    assert!(
        alert.text_content().unwrap_or_default().contains("HTTP 4"),
        "{:?}",
        alert.text_content()
    );
    let button = page.get("button[data-testid=\"submit\"]");
    assert!(!button.has_attribute("disabled"));
    assert_eq!(button.get_attribute("aria-busy").as_deref(), Some("false"));
}

#[wasm_bindgen_test]
fn query_strings_are_encoded_as_the_browser_encodes_them() {
    let draft = Draft {
        name: "a b+c&d=e/ü%*-._~!'()".into(),
        task_timeout: "10m".into(),
        instance_id: "😀\n".into(),
        ..Draft::default()
    };
    let params = web_sys::UrlSearchParams::new().unwrap();
    for (key, value) in draft.query_pairs() {
        params.append(key, value);
    }
    let expected: String = params.to_string().into();
    assert_eq!(query_string(&draft), format!("?{expected}"));
}

#[wasm_bindgen_test]
fn query_strings_round_trip_and_ignore_other_keys() {
    let draft = Draft {
        name: "a&b=c d".into(),
        project_id: "p".into(),
        job_name: "j".into(),
        region: "eu-de".into(),
        api_key_ref: "k".into(),
        task_timeout: "1h".into(),
        instance_id: "i".into(),
        target_region: "eu-gb".into(),
        endpoint: "private".into(),
    };
    let query = query_string(&draft);
    assert!(query.starts_with('?'));
    assert_eq!(draft_from_query(&query), draft);
    assert_eq!(query_string(&Draft::default()), "");
    let smuggled = draft_from_query("?token=abc&name=n&Authorization=x");
    assert_eq!(
        smuggled,
        Draft {
            name: "n".into(),
            ..Draft::default()
        }
    );
}

#[wasm_bindgen_test]
async fn the_import_panel_opens_and_closes() {
    let page = Page::open(Draft::default()).await;
    let panel = page.get("[data-testid=\"import\"]");
    let button = page.get("button[data-testid=\"import-open\"]");
    assert!(panel.has_attribute("hidden"));
    assert_eq!(
        button.get_attribute("aria-expanded").as_deref(),
        Some("false")
    );
    button.unchecked_ref::<HtmlElement>().click();
    settle().await;
    assert!(!panel.has_attribute("hidden"));
    assert_eq!(
        button.get_attribute("aria-expanded").as_deref(),
        Some("true")
    );
    assert!(page.find("textarea[name=\"import\"]").is_some());
    assert!(page.find("button[data-action=\"import\"]").is_some());
}

#[wasm_bindgen_test]
fn an_import_fills_form_and_target_and_lists_what_was_not_understood() {
    // What the worker answers: the core's `import` of a curl command, as JSON.
    let request = Draft {
        name: "imported-config".into(),
        job_name: "import-job".into(),
        region: "eu-de".into(),
        project_id: "12345678-5120-4a18-832a-4ba122496633".into(),
        ..Draft::default()
    }
    .request();
    let target = sm_config::Target::new(
        "b49ad24d-81d4-5ebc-b9b9-b0937d1c84d5",
        "eu-de",
        sm_config::Endpoint::Private,
    );
    let curl = format!(
        "{} \\\n  --frobnicate",
        sm_config::render::curl(&request, &target)
    );
    let imported = sm_config_web::import::answer(&sm_config::import(&curl));

    let owner = Owner::new();
    owner.with(|| {
        let app = sm_config_web::state::AppState::new(Draft::default());
        let outcome = sm_config_web::import::apply(app, &imported, &curl);
        let draft = app.draft.get_untracked();
        assert_eq!(draft.name, "imported-config");
        assert_eq!(draft.job_name, "import-job");
        assert_eq!(draft.region, "eu-de");
        assert_eq!(draft.instance_id, "b49ad24d-81d4-5ebc-b9b9-b0937d1c84d5");
        assert_eq!(draft.endpoint, "private");
        assert_eq!(outcome.form, "curl");
        assert_eq!(outcome.unread.len(), 1, "{:?}", outcome.unread);
        assert_eq!(outcome.unread[0].code, "ignored");
        assert!(!outcome.unread[0].is_error());
        assert_eq!(outcome.unread[0].excerpt, "--frobnicate");
        // Imported fields count as touched: their rule findings show at once.
        assert!(app.touched.get_untracked().contains(&Path::Name));
    });
}

/// Answers are read with the browser's `JSON.parse`: the same `Value` serde_json would make.
#[wasm_bindgen_test]
fn json_answers_read_as_serde_json_would() {
    use sm_config_web::json::{JsonError, parse};
    let text = r#"{"name":"a\u00e9\"b","n":[0,-7,42,9007199254740992,1.5,-0.25,1e300],"ok":true,"none":null,"o":{"k":"v"},"dup":1,"dup":2}"#;
    let ours = parse(text).unwrap();
    let theirs: serde_json::Value = serde_json::from_str(text).unwrap();
    assert_eq!(ours, theirs);
    assert!(ours["n"][1].is_i64());
    assert!(ours["n"][3].is_u64());
    assert!(ours["n"][4].is_f64());

    assert!(matches!(parse("{\"a\":"), Err(JsonError::Syntax(m)) if !m.is_empty()));
    assert!(matches!(parse(""), Err(JsonError::Syntax(_))));
    // Nesting past the limit is an error, not a stack overflow that would kill the page.
    let deep = format!("{}{}", "[".repeat(100_000), "]".repeat(100_000));
    assert_eq!(parse(&deep), Err(JsonError::TooDeep));
    let fine = format!("{}{}", "[".repeat(128), "]".repeat(128));
    assert!(parse(&fine).is_ok());
    assert_eq!(
        parse(r#"{"a":{"b":[1]}}"#).unwrap(),
        serde_json::json!({"a": {"b": [1]}})
    );
}

/// The server's status: every field read, a field of the wrong type counted as absent.
#[wasm_bindgen_test]
fn the_status_reads_every_field_and_tolerates_odd_ones() {
    use sm_config_web::api::Status;
    let status = Status::from_value(&serde_json::json!({
        "mode": "relay",
        "instance_id": "b49ad24d-81d4-5ebc-b9b9-b0937d1c84d5",
        "region": "eu-de",
        "endpoint": "https://b49ad24d-81d4-5ebc-b9b9-b0937d1c84d5.private.eu-de.secrets-manager.appdomain.cloud",
        "credentials": true,
        "upstream": "ignored"
    }));
    assert!(!status.is_emulator());
    assert!(!status.needs_token());
    assert_eq!(status.region.as_deref(), Some("eu-de"));
    assert_eq!(status.endpoint_kind(), Some(sm_config::Endpoint::Private));

    let odd =
        Status::from_value(&serde_json::json!({"mode": 1, "credentials": "yes", "region": null}));
    assert_eq!(odd, Status::default());
    assert!(odd.needs_token());
    assert!(!odd.locked(), "an older server has no launch token");

    let locked = Status::from_value(&serde_json::json!({
        "mode": "relay", "instance_id": null, "credentials": true,
        "launch_token": true, "authorized": false
    }));
    assert!(locked.locked());
    assert!(
        !locked.needs_token(),
        "the server signs: no iam token asked for"
    );
    let open = Status::from_value(&serde_json::json!({
        "mode": "relay", "credentials": true, "launch_token": true, "authorized": true
    }));
    assert!(!open.locked());
}

/// The launch token leaves the address bar at once, is kept in this tab's sessionStorage for
/// reloads, and only a plausible one is taken.
#[wasm_bindgen_test]
fn the_launch_token_is_taken_from_the_fragment_and_removed() {
    use sm_config_web::browser::{forget_launch_token, take_launch_token};
    let window = web_sys::window().unwrap();
    let history = window.history().unwrap();
    let location = window.location();
    let storage = window.session_storage().unwrap().unwrap();
    let before = location.href().unwrap();
    let path = location.pathname().unwrap();
    let set = |url: &str| {
        history
            .replace_state_with_url(&wasm_bindgen::JsValue::NULL, "", Some(url))
            .unwrap();
    };

    set(&format!("{path}?name=x#token=abc123DEF_-&other=1"));
    assert_eq!(take_launch_token(), "abc123DEF_-");
    assert_eq!(location.hash().unwrap(), "#other=1");
    assert_eq!(location.search().unwrap(), "?name=x");
    assert!(!location.href().unwrap().contains("abc123DEF"));
    assert_eq!(
        storage
            .get_item("sm-config-launch-token")
            .unwrap()
            .as_deref(),
        Some("abc123DEF_-")
    );
    // A reload: no fragment, the tab's copy.
    set(&path);
    assert_eq!(take_launch_token(), "abc123DEF_-");
    // A newer link wins over the kept one.
    set(&format!("{path}#token=fffe"));
    assert_eq!(take_launch_token(), "fffe");
    assert_eq!(location.hash().unwrap(), "");
    // Something that is no token of the server's is removed from the address bar, not sent.
    forget_launch_token();
    set(&format!("{path}#token=a%20b%0d%0aX-Evil:%201"));
    assert_eq!(take_launch_token(), "");
    assert_eq!(location.hash().unwrap(), "");
    assert_eq!(storage.get_item("sm-config-launch-token").unwrap(), None);
    let local = window.local_storage().unwrap().unwrap();
    assert_eq!(local.length().unwrap(), 0, "nothing in localStorage");
    set(&before);
}

/// Lets the page react to what a test did (signals, memos, effects): a few turns of Leptos's
/// executor, no clock.
async fn reacted() {
    for _ in 0..4 {
        leptos::task::tick().await;
    }
}

/// [`reacted`], then what the page deferred to the browser's next turn (the URL is written from a
/// zero-delay timer): timers run in order, so one more zero-delay timer comes after it.
async fn reacted_and_written() {
    reacted().await;
    sleep(0).await;
    reacted().await;
}

/// Waits (at most 5 s) until `selector` matches inside `root`: for what waits on a (stubbed)
/// fetch, which resolves outside the reactive system.
async fn appears(root: &HtmlElement, selector: &str) -> Element {
    for _ in 0..250 {
        if let Some(found) = root.query_selector(selector).unwrap() {
            return found;
        }
        reacted().await;
        sleep(20).await;
    }
    panic!("{selector} did not appear");
}

/// `window.fetch` replaced by a stand-in that records every call in `window.__calls` and answers
/// as the configurations API would for one configuration `c1`; put back when dropped.
struct FetchStub {
    /// The browser's own `fetch`, an own property of the window, put back on drop.
    original: wasm_bindgen::JsValue,
}

impl FetchStub {
    fn install() -> FetchStub {
        let stub = js_sys::Function::new_with_args(
            "url, init",
            r#"
            const method = (init && init.method) || 'GET';
            window.__calls.push({ method, url: String(url), body: (init && init.body) || null });
            const config = {
              name: 'c1', config_type: 'custom_credentials_configuration',
              secret_type: 'custom_credentials', created_at: '2026-01-01T00:00:00Z',
              code_engine: { job_name: 'job-1', project_id: '12345678-5120-4a18-832a-4ba122496633', region: 'eu-de' },
              task_timeout: '2h',
            };
            const list = { configurations: [config], total_count: 1, offset: 0, limit: 10 };
            const body = method === 'GET' && String(url).includes('?') ? list : config;
            return Promise.resolve(new Response(JSON.stringify(body), { status: 200, headers: { 'Content-Type': 'application/json' } }));
            "#,
        );
        let window = web_sys::window().unwrap();
        let original = js_sys::Reflect::get(&window, &"fetch".into()).unwrap();
        js_sys::Reflect::set(&window, &"__calls".into(), &js_sys::Array::new()).unwrap();
        js_sys::Reflect::set(&window, &"fetch".into(), &stub).unwrap();
        FetchStub { original }
    }

    /// `(method, url, body)` of every call so far.
    fn calls(&self) -> Vec<(String, String, Option<String>)> {
        let window = web_sys::window().unwrap();
        let calls: js_sys::Array = js_sys::Reflect::get(&window, &"__calls".into())
            .unwrap()
            .unchecked_into();
        calls
            .iter()
            .map(|c| {
                let field = |k: &str| js_sys::Reflect::get(&c, &k.into()).unwrap().as_string();
                (
                    field("method").unwrap_or_default(),
                    field("url").unwrap_or_default(),
                    field("body"),
                )
            })
            .collect()
    }
}

impl Drop for FetchStub {
    fn drop(&mut self) {
        let window = web_sys::window().unwrap();
        let _ = js_sys::Reflect::set(&window, &"fetch".into(), &self.original);
    }
}

/// The task-timeout editor says what the core does: an update cannot empty the timeout. An
/// empty field shows the core's finding and sends no PATCH; a valid one sends exactly it.
#[wasm_bindgen_test]
async fn the_task_timeout_editor_says_and_does_what_the_core_does() {
    use sm_config_web::manage::Configurations;
    use sm_config_web::state::AppState;
    let fetch = FetchStub::install();
    let document = web_sys::window().unwrap().document().unwrap();
    let root: HtmlElement = document.create_element("div").unwrap().unchecked_into();
    document.body().unwrap().append_child(&root).unwrap();
    let _handle = leptos::mount::mount_to(root.clone(), move || {
        let app = AppState::new(Draft::default());
        // What the page does once the server's status is known.
        app.list_version.set(1);
        view! { <Configurations app=app /> }.into_any()
    });

    let open: HtmlElement = appears(&root, "[data-name=\"c1\"] button[data-action=\"open\"]")
        .await
        .unchecked_into();
    open.click();
    let detail = appears(&root, "[data-testid=\"config-detail\"]").await;
    assert_eq!(
        detail
            .query_selector("[data-testid=\"update-help\"]")
            .unwrap()
            .unwrap()
            .text_content()
            .unwrap(),
        "The only field the service lets change: 5m to 24h. It cannot be emptied: write the default, 10m, to go back to it."
    );
    let input: HtmlInputElement = detail
        .query_selector("input[name=\"update.task_timeout\"]")
        .unwrap()
        .unwrap()
        .unchecked_into();
    assert_eq!(input.value(), "2h");
    let save: HtmlElement = detail
        .query_selector("button[data-action=\"save-timeout\"]")
        .unwrap()
        .unwrap()
        .unchecked_into();
    let patches = || {
        fetch
            .calls()
            .into_iter()
            .filter(|(method, _, _)| method == "PATCH")
            .collect::<Vec<_>>()
    };

    // Empty: refused by the core's rule, under the input; nothing is sent.
    input.set_value("");
    dispatch(&input, "input");
    reacted().await;
    save.click();
    reacted().await;
    let finding = root
        .query_selector("#findings-update-task_timeout li.finding")
        .unwrap()
        .expect("a finding under the input");
    assert_eq!(
        finding.get_attribute("data-code").as_deref(),
        Some("required")
    );
    let text = finding.text_content().unwrap_or_default();
    assert!(text.contains("task timeout is empty"), "{text}");
    assert!(
        text.contains("an update cannot empty it: write the default, 10m, to go back to it"),
        "{text}"
    );
    assert_eq!(input.get_attribute("aria-invalid").as_deref(), Some("true"));
    sleep(50).await; // a PATCH, had one been sent, would have been recorded by now
    assert!(patches().is_empty(), "{:?}", patches());

    // A valid value: exactly one merge patch with it.
    input.set_value("45m");
    dispatch(&input, "input");
    reacted().await;
    save.click();
    appears(&root, "[data-testid=\"saved\"]").await;
    assert_eq!(
        patches(),
        [(
            "PATCH".to_owned(),
            "/api/v2/configurations/c1".to_owned(),
            Some(r#"{"task_timeout":"45m"}"#.to_owned())
        )]
    );
    root.remove();
}
