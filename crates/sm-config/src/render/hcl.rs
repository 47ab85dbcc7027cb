//! Escaping for HCL quoted strings.

/// Escapes `s` for use between `"…"` in HCL: `\`, `"` and control characters as escapes,
/// and the template openers `${` and `%{` doubled to `$${` and `%%{` so they stay literal.
pub fn escape(s: &str) -> String {
    let mut out = String::with_capacity(s.len());
    let mut chars = s.chars().peekable();
    while let Some(c) = chars.next() {
        match c {
            '\\' => out.push_str("\\\\"),
            '"' => out.push_str("\\\""),
            '\n' => out.push_str("\\n"),
            '\r' => out.push_str("\\r"),
            '\t' => out.push_str("\\t"),
            '$' | '%' if chars.peek() == Some(&'{') => {
                out.push(c);
                out.push(c);
            }
            c if c.is_control() => {
                // HCL knows \uNNNN and \UNNNNNNNN; control characters are all below U+10000.
                out.push_str(&format!("\\u{:04x}", c as u32));
            }
            c => out.push(c),
        }
    }
    out
}
