//! Single-quoting for bash.

use std::fmt::Write;

/// Quotes `s` as one shell word: inside `'…'` nothing is special, and a `'` becomes `'\''`.
///
/// Control characters, newline included, are written in bash's ANSI-C quoting (`$'\n'`,
/// `$'\x1b'`, byte by byte) between single-quoted runs, so a quoted word never spans lines.
/// Pasted into a terminal, a raw carriage return arrives as a newline and other control
/// characters may be acted on by the line editor; and on a line that starts inside a quote,
/// bash's history expansion can lose track of the quote and expand a `!` (seen in the
/// execution tests). A NUL byte cannot travel in an argument at all, so it is dropped; such a
/// value is invalid for every field anyway.
pub fn quote(s: &str) -> String {
    let mut out = String::with_capacity(s.len() + 2);
    out.push('\'');
    for c in s.chars() {
        match c {
            '\'' => out.push_str("'\\''"),
            '\0' => {}
            '\n' => out.push_str("'$'\\n''"),
            '\t' => out.push_str("'$'\\t''"),
            '\r' => out.push_str("'$'\\r''"),
            c if c.is_control() => {
                out.push_str("'$'");
                let mut bytes = [0; 4];
                for b in c.encode_utf8(&mut bytes).bytes() {
                    // Writing to a String cannot fail.
                    let _ = write!(out, "\\x{b:02x}");
                }
                out.push_str("''");
            }
            c => out.push(c),
        }
    }
    out.push('\'');
    out
}
