//! The few browser calls the page makes: the URL query, the clipboard, focus.

use crate::draft::{Draft, Path};
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
    let values: Vec<(&str, String)> = Path::ALL
        .into_iter()
        .filter_map(|p| params.get(p.wire()).map(|v| (p.wire(), v)))
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
