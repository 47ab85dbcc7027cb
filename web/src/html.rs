//! HTML text for the parts of the page written as markup strings (the pickers' options, the
//! prerequisites panel) rather than as Leptos views.
//!
//! Why: every distinct Leptos view type instantiates its own build, rebuild and mount code in
//! the wasm; the panel and the pickers as views cost the first load ~20 KB brotli, twice the
//! budget issue 14 gives them. As markup they are a few string writes, set with `inner_html`,
//! and their buttons are handled by one delegated listener. Every text that comes from input or
//! from a server answer goes through [`esc`].

/// Appends `text` escaped for HTML text and double-quoted attribute values.
pub fn esc(text: &str, out: &mut String) {
    for c in text.chars() {
        match c {
            '&' => out.push_str("&amp;"),
            '<' => out.push_str("&lt;"),
            '>' => out.push_str("&gt;"),
            '"' => out.push_str("&quot;"),
            '\'' => out.push_str("&#39;"),
            c => out.push(c),
        }
    }
}

/// Appends `<tag attrs>text</tag>`, the text escaped; `attrs` are written as given (constants).
pub fn element(tag: &str, attrs: &str, text: &str, out: &mut String) {
    out.push('<');
    out.push_str(tag);
    if !attrs.is_empty() {
        out.push(' ');
        out.push_str(attrs);
    }
    out.push('>');
    esc(text, out);
    out.push_str("</");
    out.push_str(tag);
    out.push('>');
}

/// Appends ` name="value"`, the value escaped.
pub fn attr(name: &str, value: &str, out: &mut String) {
    out.push(' ');
    out.push_str(name);
    out.push_str("=\"");
    esc(value, out);
    out.push('"');
}
