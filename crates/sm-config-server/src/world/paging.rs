//! Query strings of the world's list routes: known parameters read once each (a repeated one is
//! refused, since which one counts would be a guess), unknown ones ignored as IBM's APIs do.

use std::collections::HashMap;

/// The known parameters of a query, each at most once. `Err` names the repeated parameter.
pub(crate) fn params(raw: Option<&str>, known: &[&str]) -> Result<HashMap<String, String>, String> {
    let mut out = HashMap::new();
    for (key, value) in form_urlencoded::parse(raw.unwrap_or_default().as_bytes()) {
        if !known.contains(&key.as_ref()) {
            continue;
        }
        if out.insert(key.to_string(), value.into_owned()).is_some() {
            return Err(key.into_owned());
        }
    }
    Ok(out)
}

/// Code Engine and IAM page with an opaque `start` token. The emulator's token is the
/// position of the page's first item, prefixed so that a client cannot mistake it for a
/// number it may do arithmetic on.
pub(crate) fn start_token(position: usize) -> String {
    format!("p{position}")
}

/// The position a `start` token stands for.
pub(crate) fn read_start(token: &str) -> Option<usize> {
    token
        .strip_prefix('p')
        .filter(|n| !n.is_empty() && n.bytes().all(|b| b.is_ascii_digit()))
        .and_then(|n| n.parse().ok())
}

/// A query string built from pairs.
pub(crate) fn query(pairs: &[(&str, String)]) -> String {
    let mut q = form_urlencoded::Serializer::new(String::new());
    for (k, v) in pairs {
        q.append_pair(k, v);
    }
    q.finish()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn tokens_round_trip_and_refuse_junk() {
        assert_eq!(read_start(&start_token(42)), Some(42));
        for bad in ["", "p", "42", "p-1", "px", "p1x"] {
            assert_eq!(read_start(bad), None, "{bad}");
        }
    }

    #[test]
    fn repeated_parameters_are_refused() {
        assert_eq!(
            params(Some("limit=1&limit=2"), &["limit"]),
            Err("limit".to_owned())
        );
        let p = params(Some("limit=1&other=2&other=3"), &["limit"]).expect("ok");
        assert_eq!(p.len(), 1);
    }
}
