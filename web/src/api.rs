//! HTTP to the `sm-config serve` that served the page: its status and the configurations API.
//!
//! The server emulates the service or relays to a real instance at the same origin, so every
//! URL here is relative. The bearer token, when the page has one, goes only into the
//! `Authorization` header of these requests; the launch token, when the server made one, only
//! into the `X-SM-Config-Token` header of every request.

use crate::json;
use leptos::prelude::set_timeout_with_handle;
use serde_json::Value;
use sm_config::{
    ConfigType, ConfigurationPatch, ConfigurationPrototype, CustomCredentialsConfiguration,
    FieldPath, ServiceError, render,
};
use std::cell::{Cell, RefCell};
use std::rc::Rc;
use std::time::Duration;
use wasm_bindgen::{JsCast, JsValue};
use wasm_bindgen_futures::JsFuture;
use web_sys::{AbortController, Headers, RequestInit, Response};

/// The configurations collection, relative to the page.
const CONFIGURATIONS: &str = "/api/v2/configurations";
/// The server's own status.
const STATUS: &str = "/sm-config/status";
/// The header the launch token goes in.
const LAUNCH_TOKEN_HEADER: &str = "X-SM-Config-Token";

thread_local! {
    /// The launch token, for every request; set once at start from the page's URL. Held here
    /// rather than passed along: every request carries it, whatever it is for.
    static LAUNCH_TOKEN: RefCell<String> = const { RefCell::new(String::new()) };
}

/// Sets the launch token every request carries (`""`: none).
pub fn set_launch_token(token: String) {
    LAUNCH_TOKEN.with(|t| *t.borrow_mut() = token);
}

/// The launch token (`""`: none), for the world module's own requests.
pub fn launch_token() -> String {
    LAUNCH_TOKEN.with(|t| t.borrow().clone())
}

/// Whether the page has a launch token.
pub fn has_launch_token() -> bool {
    LAUNCH_TOKEN.with(|t| !t.borrow().is_empty())
}

/// How long one request may take before the page gives up on it.
pub const TIMEOUT: Duration = Duration::from_secs(30);

/// Why a request did not give the expected answer.
#[derive(Debug, Clone, PartialEq, thiserror::Error)]
pub enum Failure {
    /// The request never got an answer (server down, connection refused, offline).
    #[error("network failure: the server could not be reached ({0})")]
    Network(String),
    /// No answer within [`TIMEOUT`].
    #[error("timeout: no answer within {} seconds", TIMEOUT.as_secs())]
    Timeout,
    /// The server answered with an error status; the body read by the core.
    #[error("{}", .0.message())]
    Service(ServiceError),
    /// The server answered with success but a body the page cannot read.
    #[error("unexpected answer from the server: {0}")]
    Unreadable(String),
}

/// What `GET /sm-config/status` says about the server: the core's type, which the server
/// writes; read by hand ([`Status::from_value`]) rather than through serde's derive.
pub use sm_config::ServerStatus as Status;

/// One request: method, URL (relative to the page), bearer token (none when empty) and an
/// optional body with its content type.
struct Call<'a> {
    method: &'a str,
    url: &'a str,
    token: &'a str,
    body: Option<(&'a str, String)>,
}

impl<'a> Call<'a> {
    fn new(method: &'a str, url: &'a str, token: &'a str) -> Call<'a> {
        Call {
            method,
            url,
            token,
            body: None,
        }
    }

    fn body(mut self, content_type: &'a str, body: String) -> Call<'a> {
        self.body = Some((content_type, body));
        self
    }
}

/// Sends a call with the timeout, and tells the failures apart. Plain `fetch` rather than an
/// HTTP crate: the page needs four verbs and two headers, and every KB counts here.
async fn send(call: Call<'_>) -> Result<(u16, String), Failure> {
    let controller = AbortController::new().map_err(|e| Failure::Network(js_text(&e)))?;
    let timed_out = Rc::new(Cell::new(false));
    let timer = {
        let (timed_out, controller) = (timed_out.clone(), controller.clone());
        set_timeout_with_handle(
            move || {
                timed_out.set(true);
                controller.abort();
            },
            TIMEOUT,
        )
        .ok()
    };
    let result = fetch(&call, &controller).await;
    if let Some(timer) = timer {
        timer.clear();
    }
    match result {
        Err(_) if timed_out.get() => Err(Failure::Timeout),
        Ok((status, text)) if !(200..300).contains(&status) => Err(Failure::Service(
            ServiceError::parse_value(status, json::parse(&text).ok().as_ref(), &text),
        )),
        other => other,
    }
}

async fn fetch(call: &Call<'_>, controller: &AbortController) -> Result<(u16, String), Failure> {
    let network = |e: JsValue| Failure::Network(js_text(&e));
    let headers = Headers::new().map_err(network)?;
    headers.set("Accept", "application/json").map_err(network)?;
    if !call.token.is_empty() {
        headers
            .set("Authorization", &format!("Bearer {}", call.token))
            .map_err(network)?;
    }
    LAUNCH_TOKEN.with(|token| {
        let token = token.borrow();
        if token.is_empty() {
            Ok(())
        } else {
            headers.set(LAUNCH_TOKEN_HEADER, &token).map_err(network)
        }
    })?;
    let init = RequestInit::new();
    init.set_method(call.method);
    init.set_signal(Some(&controller.signal()));
    if let Some((content_type, body)) = &call.body {
        headers.set("Content-Type", content_type).map_err(network)?;
        init.set_body(&JsValue::from_str(body));
    }
    init.set_headers(&headers);
    let window = web_sys::window().ok_or_else(|| Failure::Network("no window".into()))?;
    let response: Response = JsFuture::from(window.fetch_with_str_and_init(call.url, &init))
        .await
        .map_err(network)?
        .unchecked_into();
    let text = JsFuture::from(response.text().map_err(network)?)
        .await
        .map_err(network)?
        .as_string()
        .unwrap_or_default();
    Ok((response.status(), text))
}

fn js_text(value: &JsValue) -> String {
    match value.dyn_ref::<js_sys::Error>() {
        Some(error) => String::from(error.message()),
        None => value.as_string().unwrap_or_default(),
    }
}

// Answers are read through `serde_json::Value`, which the page needs anyway for error bodies:
// one deserializer for every model keeps the page small (a tagged enum read from text would
// instantiate serde's buffering deserializer for every nested type).
fn read<T: serde::de::DeserializeOwned>(value: Value) -> Result<T, Failure> {
    serde_json::from_value(value).map_err(|e| Failure::Unreadable(e.to_string()))
}

fn parse(text: &str) -> Result<Value, Failure> {
    json::parse(text).map_err(|e| Failure::Unreadable(e.to_string()))
}

fn is_custom(value: &Value) -> bool {
    value
        .get(FieldPath::ConfigType.key())
        .and_then(Value::as_str)
        == Some(ConfigType::CustomCredentialsConfiguration.as_str())
}

fn custom(value: Value) -> Result<CustomCredentialsConfiguration, Failure> {
    if is_custom(&value) {
        read(value)
    } else {
        Err(Failure::Unreadable(
            "not a custom credentials configuration".into(),
        ))
    }
}

/// One page of the list: the custom credentials configurations, and how many of other types
/// the page held (a real instance may have them; sm-config does not show them).
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Page {
    /// How many configurations match, over all pages.
    pub total_count: u64,
    /// This page's offset.
    pub offset: u64,
    /// This page's custom credentials configurations.
    pub configurations: Vec<CustomCredentialsConfiguration>,
    /// How many of this page's configurations are of another type.
    pub other: usize,
}

fn page(value: Value) -> Result<Page, Failure> {
    let number = |key: &str| value.get(key).and_then(Value::as_u64).unwrap_or_default();
    let mut page = Page {
        total_count: number("total_count"),
        offset: number("offset"),
        ..Page::default()
    };
    let items = match value.get("configurations") {
        Some(Value::Array(items)) => items.clone(),
        _ => return Err(Failure::Unreadable("no configurations in the list".into())),
    };
    for item in items {
        if is_custom(&item) {
            page.configurations.push(read(item)?);
        } else {
            page.other += 1;
        }
    }
    Ok(page)
}

fn item_url(name: &str) -> String {
    format!(
        "{CONFIGURATIONS}/{}",
        String::from(js_sys::encode_uri_component(name))
    )
}

/// `GET /sm-config/status`.
pub async fn status() -> Result<Status, Failure> {
    let (_, text) = send(Call::new("GET", STATUS, "")).await?;
    let value = parse(&text)?;
    if !value.is_object() {
        return Err(Failure::Unreadable("the status is not an object".into()));
    }
    Ok(Status::from_value(&value))
}

/// `POST /api/v2/configurations` with the body exactly as the JSON preview shows it.
pub async fn create(
    request: &ConfigurationPrototype,
    token: &str,
) -> Result<CustomCredentialsConfiguration, Failure> {
    let body = render::json_compact(request);
    let call = Call::new("POST", CONFIGURATIONS, token).body("application/json", body);
    let (_, text) = send(call).await?;
    custom(parse(&text)?)
}

/// `GET /api/v2/configurations?offset&limit[&search]`.
pub async fn list(
    offset: u64,
    limit: u64,
    search: Option<&str>,
    token: &str,
) -> Result<Page, Failure> {
    let mut url = format!("{CONFIGURATIONS}?offset={offset}&limit={limit}");
    if let Some(search) = search {
        url.push_str("&search=");
        url.push_str(&String::from(js_sys::encode_uri_component(search)));
    }
    let (_, text) = send(Call::new("GET", &url, token)).await?;
    page(parse(&text)?)
}

/// `GET /api/v2/configurations/{name}`.
pub async fn get(name: &str, token: &str) -> Result<CustomCredentialsConfiguration, Failure> {
    let (_, text) = send(Call::new("GET", &item_url(name), token)).await?;
    custom(parse(&text)?)
}

/// `PATCH /api/v2/configurations/{name}` as a merge patch (only `task_timeout` may change).
pub async fn update(
    name: &str,
    patch: &ConfigurationPatch,
    token: &str,
) -> Result<CustomCredentialsConfiguration, Failure> {
    let body = serde_json::to_string(patch).map_err(|e| Failure::Unreadable(e.to_string()))?;
    let url = item_url(name);
    let call = Call::new("PATCH", &url, token).body("application/merge-patch+json", body);
    let (_, text) = send(call).await?;
    custom(parse(&text)?)
}

/// `DELETE /api/v2/configurations/{name}`.
pub async fn delete(name: &str, token: &str) -> Result<(), Failure> {
    send(Call::new("DELETE", &item_url(name), token)).await?;
    Ok(())
}

/// Any other JSON request of the page (the pickers' lists, the prerequisite check, the
/// in-context creates): `method` on `url` with an optional JSON body; the answer parsed.
pub async fn json(
    method: &str,
    url: &str,
    token: &str,
    body: Option<String>,
) -> Result<Value, Failure> {
    let mut call = Call::new(method, url, token);
    if let Some(body) = body {
        call = call.body("application/json", body);
    }
    let (_, text) = send(call).await?;
    parse(&text)
}

/// A path segment, percent-encoded (`encodeURIComponent`).
pub fn segment(text: &str) -> String {
    String::from(js_sys::encode_uri_component(text))
}
