//! HTTP to the `sm-config serve` that served the page: its status and the configurations API.
//!
//! The server emulates the service or relays to a real instance at the same origin, so every
//! URL here is relative. The bearer token, when the page has one, goes only into the
//! `Authorization` header of these requests.

use gloo_net::http::{Request, RequestBuilder};
use leptos::prelude::set_timeout_with_handle;
use serde::Deserialize;
use serde_json::Value;
use sm_config::{
    ConfigType, ConfigurationPatch, ConfigurationPrototype, CustomCredentialsConfiguration,
    Endpoint, ServiceError, Target, render,
};
use std::cell::Cell;
use std::rc::Rc;
use std::time::Duration;
use web_sys::AbortController;

/// The configurations collection, relative to the page.
const CONFIGURATIONS: &str = "/api/v2/configurations";
/// The server's own status.
const STATUS: &str = "/sm-config/status";
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

/// What `GET /sm-config/status` says about the server.
#[derive(Debug, Clone, Default, PartialEq, Eq, Deserialize)]
pub struct Status {
    /// `emulator` or `relay`.
    #[serde(default)]
    pub mode: String,
    /// The instance requests go to.
    #[serde(default)]
    pub instance_id: Option<String>,
    /// Its Secrets Manager region.
    #[serde(default)]
    pub region: Option<String>,
    /// `public` or `private` (or the instance URL, read with the core).
    #[serde(default)]
    pub endpoint: Option<String>,
    /// Whether the server holds credentials (then the page sends no token).
    #[serde(default)]
    pub credentials: bool,
}

impl Status {
    /// Whether the server is the local emulator.
    pub fn is_emulator(&self) -> bool {
        self.mode == "emulator"
    }

    /// Whether requests need a bearer token from the page.
    pub fn needs_token(&self) -> bool {
        !self.is_emulator() && !self.credentials
    }

    /// The endpoint kind, whether the server gave a word or a URL.
    pub fn endpoint_kind(&self) -> Option<Endpoint> {
        let endpoint = self.endpoint.as_deref()?;
        endpoint
            .parse()
            .ok()
            .or_else(|| Target::from_url(endpoint).ok().map(|t| t.endpoint))
    }
}

/// One request, with the timeout and the failures told apart.
async fn send(builder: RequestBuilder, body: Option<String>) -> Result<(u16, String), Failure> {
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
    let builder = builder
        .header("Accept", "application/json")
        .abort_signal(Some(&controller.signal()));
    let request = match body {
        Some(body) => builder.body(body),
        None => builder.build(),
    };
    let result = async {
        let response = request
            .map_err(|e| Failure::Network(e.to_string()))?
            .send()
            .await
            .map_err(|e| Failure::Network(e.to_string()))?;
        let text = response
            .text()
            .await
            .map_err(|e| Failure::Network(e.to_string()))?;
        Ok((response.status(), text))
    }
    .await;
    if let Some(timer) = timer {
        timer.clear();
    }
    match result {
        Err(_) if timed_out.get() => Err(Failure::Timeout),
        Ok((status, text)) if !(200..300).contains(&status) => {
            Err(Failure::Service(ServiceError::parse(status, &text)))
        }
        other => other,
    }
}

fn js_text(value: &wasm_bindgen::JsValue) -> String {
    value.as_string().unwrap_or_else(|| format!("{value:?}"))
}

fn with_token(builder: RequestBuilder, token: &str) -> RequestBuilder {
    if token.is_empty() {
        builder
    } else {
        builder.header("Authorization", &format!("Bearer {token}"))
    }
}

// Answers are read through `serde_json::Value`, which the page needs anyway for error bodies:
// one deserializer for every model keeps the page small (a tagged enum read from text would
// instantiate serde's buffering deserializer for every nested type).
fn read<T: serde::de::DeserializeOwned>(value: Value) -> Result<T, Failure> {
    serde_json::from_value(value).map_err(|e| Failure::Unreadable(e.to_string()))
}

fn parse(text: &str) -> Result<Value, Failure> {
    serde_json::from_str(text).map_err(|e| Failure::Unreadable(e.to_string()))
}

fn is_custom(value: &Value) -> bool {
    value.get("config_type").and_then(Value::as_str)
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
    let (_, text) = send(Request::get(STATUS), None).await?;
    read(parse(&text)?)
}

/// `POST /api/v2/configurations` with the body exactly as the JSON preview shows it.
pub async fn create(
    request: &ConfigurationPrototype,
    token: &str,
) -> Result<CustomCredentialsConfiguration, Failure> {
    let body = render::json_compact(request);
    let builder =
        with_token(Request::post(CONFIGURATIONS), token).header("Content-Type", "application/json");
    let (_, text) = send(builder, Some(body)).await?;
    custom(parse(&text)?)
}

/// `GET /api/v2/configurations?offset&limit[&search]`.
pub async fn list(
    offset: u64,
    limit: u64,
    search: Option<&str>,
    token: &str,
) -> Result<Page, Failure> {
    let mut query = vec![("offset", offset.to_string()), ("limit", limit.to_string())];
    if let Some(search) = search {
        query.push(("search", search.to_owned()));
    }
    let builder = with_token(Request::get(CONFIGURATIONS), token)
        .query(query.iter().map(|(k, v)| (*k, v.as_str())));
    let (_, text) = send(builder, None).await?;
    page(parse(&text)?)
}

/// `GET /api/v2/configurations/{name}`.
pub async fn get(name: &str, token: &str) -> Result<CustomCredentialsConfiguration, Failure> {
    let (_, text) = send(with_token(Request::get(&item_url(name)), token), None).await?;
    custom(parse(&text)?)
}

/// `PATCH /api/v2/configurations/{name}` as a merge patch (only `task_timeout` may change).
pub async fn update(
    name: &str,
    patch: &ConfigurationPatch,
    token: &str,
) -> Result<CustomCredentialsConfiguration, Failure> {
    let body = serde_json::to_string(patch).map_err(|e| Failure::Unreadable(e.to_string()))?;
    let builder = with_token(Request::patch(&item_url(name)), token)
        .header("Content-Type", "application/merge-patch+json");
    let (_, text) = send(builder, Some(body)).await?;
    custom(parse(&text)?)
}

/// `DELETE /api/v2/configurations/{name}`.
pub async fn delete(name: &str, token: &str) -> Result<(), Failure> {
    send(with_token(Request::delete(&item_url(name)), token), None).await?;
    Ok(())
}
