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

/// A whole-number parameter: `default` when absent, else a number in `range`. `Err` says what
/// it must be, in the words the three list routes use.
pub(crate) fn whole(
    params: &HashMap<String, String>,
    name: &str,
    default: usize,
    range: std::ops::RangeInclusive<usize>,
) -> Result<usize, String> {
    match params.get(name) {
        None => Ok(default),
        Some(v) => v
            .parse::<usize>()
            .ok()
            .filter(|n| range.contains(n))
            .ok_or_else(|| {
                format!(
                    "{name} must be a whole number from {} to {}",
                    range.start(),
                    range.end()
                )
            }),
    }
}

/// The `start` parameter: 0 when absent, else the position a previous page's token names.
pub(crate) fn start(params: &HashMap<String, String>) -> Result<usize, String> {
    match params.get("start") {
        None => Ok(0),
        Some(t) => read_start(t)
            .ok_or_else(|| "start must be a token from a previous page's next.start".to_owned()),
    }
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
    fn whole_numbers_and_starts_are_read_or_refused_in_words() {
        let p = params(
            Some("limit=0&offset=7&start=p12"),
            &["limit", "offset", "start"],
        )
        .unwrap();
        assert_eq!(whole(&p, "offset", 0, 0..=10), Ok(7));
        assert_eq!(whole(&p, "absent", 5, 1..=10), Ok(5));
        assert_eq!(
            whole(&p, "limit", 5, 1..=100),
            Err("limit must be a whole number from 1 to 100".to_owned())
        );
        assert_eq!(start(&p), Ok(12));
        let junk = params(Some("start=12"), &["start"]).unwrap();
        assert_eq!(
            start(&junk),
            Err("start must be a token from a previous page's next.start".to_owned())
        );
    }

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
