//! The few browser calls the page makes: the URL query, the launch token, the clipboard, focus.

use crate::draft::{Draft, FIELDS};
use wasm_bindgen::JsCast;
use wasm_bindgen_futures::JsFuture;
use web_sys::{HtmlElement, UrlSearchParams};

/// The draft in a query string (`?name=…&code_engine.region=…`), or `""` when it is empty.
/// Encoded here rather than by a `URLSearchParams`, whose calls across the JS boundary cost
/// more than the encoding on every keystroke; the result is the same bytes.
pub fn query_string(draft: &Draft) -> String {
    let mut query = String::new();
    for (key, value) in draft.query_pairs() {
        query.push(if query.is_empty() { '?' } else { '&' });
        form_urlencode(key, &mut query);
        query.push('=');
        form_urlencode(value, &mut query);
    }
    query
}

/// The `application/x-www-form-urlencoded` serializer of the URL standard, as
/// `URLSearchParams.toString()` applies it.
fn form_urlencode(text: &str, out: &mut String) {
    const HEX: &[u8; 16] = b"0123456789ABCDEF";
    for &byte in text.as_bytes() {
        match byte {
            b'*' | b'-' | b'.' | b'_' | b'0'..=b'9' | b'A'..=b'Z' | b'a'..=b'z' => {
                out.push(char::from(byte));
            }
            b' ' => out.push('+'),
            _ => {
                out.push('%');
                out.push(char::from(HEX[usize::from(byte >> 4)]));
                out.push(char::from(HEX[usize::from(byte & 0xF)]));
            }
        }
    }
}

/// The draft a query string (with or without its `?`) describes.
pub fn draft_from_query(query: &str) -> Draft {
    let Ok(params) = UrlSearchParams::new_with_str(query) else {
        return Draft::default();
    };
    let values: Vec<(&str, String)> = FIELDS
        .into_iter()
        .filter_map(|p| params.get(p.as_str()).map(|v| (p.as_str(), v)))
        .collect();
    Draft::from_query_pairs(values.iter().map(|(k, v)| (*k, v.as_str())))
}

/// The draft in this page's URL.
pub fn draft_from_location() -> Draft {
    let query = web_sys::window()
        .and_then(|w| w.location().search().ok())
        .unwrap_or_default();
    draft_from_query(&query)
}

/// Puts the draft in the URL without a navigation or a history entry.
pub fn replace_query(draft: &Draft) {
    let Some(window) = web_sys::window() else {
        return;
    };
    let Ok(path) = window.location().pathname() else {
        return;
    };
    let hash = window.location().hash().unwrap_or_default();
    let url = format!("{path}{}{hash}", query_string(draft));
    if let Ok(history) = window.history() {
        // A failure leaves the old URL, which only makes a shared link stale.
        let _ = history.replace_state_with_url(&wasm_bindgen::JsValue::NULL, "", Some(&url));
    }
}

/// Where a tab keeps the launch token, so a reload still works (sessionStorage: this tab only,
/// gone when it closes; never localStorage, cookies or the URL).
const LAUNCH_TOKEN_KEY: &str = "sm-config-launch-token";
/// The fragment key the server puts the launch token under (`#token=…`).
const LAUNCH_TOKEN_FRAGMENT: &str = "token";
/// The longest launch token taken (the server's is 64 hex digits).
const LAUNCH_TOKEN_MAX: usize = 256;

/// Whether a value can be the launch token: short, and only characters a header takes as they
/// are (anything else in a link is not the server's).
fn plausible_token(token: &str) -> bool {
    !token.is_empty()
        && token.len() <= LAUNCH_TOKEN_MAX
        && token
            .bytes()
            .all(|b| b.is_ascii_alphanumeric() || b == b'-' || b == b'_')
}

/// The launch token this tab was opened with: taken from the fragment (`#token=…`, which then
/// leaves the address bar and this history entry, and is kept in sessionStorage for reloads),
/// or, after a reload, from sessionStorage. `""` when there is none.
pub fn take_launch_token() -> String {
    let Some(window) = web_sys::window() else {
        return String::new();
    };
    let location = window.location();
    let hash = location.hash().unwrap_or_default();
    let fragment = hash.strip_prefix('#').unwrap_or(&hash);
    let from_fragment = UrlSearchParams::new_with_str(fragment)
        .ok()
        .and_then(|params| {
            let token = params.get(LAUNCH_TOKEN_FRAGMENT)?;
            params.delete(LAUNCH_TOKEN_FRAGMENT);
            Some((token, String::from(params.to_string())))
        });
    let storage = window.session_storage().ok().flatten();
    if let Some((token, rest)) = from_fragment {
        // Out of the address bar first, whatever the token is worth: a link must not keep it.
        let path = location.pathname().unwrap_or_default();
        let search = location.search().unwrap_or_default();
        let hash = if rest.is_empty() {
            String::new()
        } else {
            format!("#{rest}")
        };
        if let Ok(history) = window.history() {
            let _ = history.replace_state_with_url(
                &wasm_bindgen::JsValue::NULL,
                "",
                Some(&format!("{path}{search}{hash}")),
            );
        }
        if plausible_token(&token) {
            if let Some(storage) = &storage {
                // Without storage (disabled) the token still works until a reload.
                let _ = storage.set_item(LAUNCH_TOKEN_KEY, &token);
            }
            return token;
        }
    }
    storage
        .and_then(|s| s.get_item(LAUNCH_TOKEN_KEY).ok().flatten())
        .filter(|t| plausible_token(t))
        .unwrap_or_default()
}

/// Forgets the launch token this tab kept (the server refused it: it is from an earlier run).
pub fn forget_launch_token() {
    if let Some(storage) = web_sys::window().and_then(|w| w.session_storage().ok().flatten()) {
        let _ = storage.remove_item(LAUNCH_TOKEN_KEY);
    }
}

/// The page's origin (`http://127.0.0.1:8080`), to show the URL the server printed.
pub fn origin() -> String {
    web_sys::window()
        .and_then(|w| w.location().origin().ok())
        .unwrap_or_default()
}

/// Writes text to the clipboard; `false` when the browser refused.
pub async fn copy(text: &str) -> bool {
    let Some(window) = web_sys::window() else {
        return false;
    };
    let promise = window.navigator().clipboard().write_text(text);
    JsFuture::from(promise).await.is_ok()
}

/// Focuses the first element matching a selector.
pub fn focus(selector: &str) {
    let element = web_sys::window()
        .and_then(|w| w.document())
        .and_then(|d| d.query_selector(selector).ok().flatten())
        .and_then(|e| e.dyn_into::<HtmlElement>().ok());
    if let Some(element) = element {
        let _ = element.focus();
    }
}
