//! Single-quoting for POSIX shells.

/// Quotes `s` as one shell word: inside `'…'` nothing is special, and a `'` becomes `'\''`.
///
/// A NUL byte cannot travel in an argument at all, so it is dropped; such a value is invalid
/// for every field anyway.
pub fn quote(s: &str) -> String {
    let mut out = String::with_capacity(s.len() + 2);
    out.push('\'');
    for c in s.chars() {
        match c {
            '\'' => out.push_str("'\\''"),
            '\0' => {}
            c => out.push(c),
        }
    }
    out.push('\'');
    out
}
