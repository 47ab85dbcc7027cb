//! What the relay forwards: one table of the methods and paths sm-config itself uses, matched
//! on the normalised path. Everything else is refused here and never reaches the instance.
//!
//! The server may hold an IAM token for the whole instance; forwarding every `/api/v2/*` path
//! would make every secret's payload readable and deletable by whoever can reach the relay.
//! So the relay grants no more than the console needs: a route that is not a row of
//! [`ROUTES`] is refused with 404, a listed path with another method with 405.

use axum::http::Method;

/// One route the relay forwards.
#[derive(Debug, Clone)]
pub(crate) struct Route {
    /// The method.
    pub(crate) method: Method,
    /// The path: literal segments, and `{name}` for exactly one non-empty segment.
    pub(crate) pattern: &'static str,
    /// Why sm-config needs it (what would break without it).
    pub(crate) why: &'static str,
    /// A check of the body, for a route that is allowed only for some requests (e.g. a create
    /// of one secret type only); `Err` says why the body is refused.
    pub(crate) body: Option<BodyRule>,
}

/// A check of a request body: `Err` says why the relay refuses it.
pub(crate) type BodyRule = fn(&[u8]) -> Result<(), &'static str>;

/// The path prefixes the relay's router sends to [`super::forward`]; every row's pattern is
/// under one of them (a test checks), so a new row under a new prefix needs one here too.
pub(crate) const PREFIXES: &[&str] = &["/api/v2/"];

/// Everything the relay forwards. A new API the console calls is one more row here, with its
/// reason; nothing else forwards anything.
pub(crate) const ROUTES: &[Route] = &[
    Route {
        method: Method::GET,
        pattern: "/api/v2/configurations",
        why: "the manage section lists and searches configurations",
        body: None,
    },
    Route {
        method: Method::POST,
        pattern: "/api/v2/configurations",
        why: "the form creates a configuration",
        body: None,
    },
    Route {
        method: Method::GET,
        pattern: "/api/v2/configurations/{name}",
        why: "the manage section shows one configuration",
        body: None,
    },
    Route {
        method: Method::PATCH,
        pattern: "/api/v2/configurations/{name}",
        why: "the manage section changes a configuration's task timeout",
        body: None,
    },
    Route {
        method: Method::DELETE,
        pattern: "/api/v2/configurations/{name}",
        why: "the manage section deletes a configuration",
        body: None,
    },
];

/// Why a path is not in normal form. The relay refuses these rather than guess what an
/// upstream would make of them (`..` resolved, `%2f` decoded to a separator, `//` collapsed):
/// a path must mean one thing, the thing that was matched.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum Malformed {
    /// Not starting with `/`, or an empty segment (`//`, a trailing `/`).
    EmptySegment,
    /// A `.` or `..` segment, plain or percent-encoded.
    DotSegment,
    /// A `%` not followed by two hex digits, or bytes that are not UTF-8 once decoded.
    BadEncoding,
    /// A segment that decodes to a `/`, `\`, `%`, `?`, `#` or a control character.
    EncodedSeparator,
}

impl Malformed {
    /// The reason, for the answer and the log line.
    pub(crate) fn reason(self) -> &'static str {
        match self {
            Malformed::EmptySegment => "the path has an empty segment",
            Malformed::DotSegment => "the path has a dot segment",
            Malformed::BadEncoding => "the path is not valid percent-encoded utf-8",
            Malformed::EncodedSeparator => {
                "a path segment decodes to a separator or control character"
            }
        }
    }
}

/// What the table says about a request.
#[derive(Debug)]
pub(crate) enum Decision<'t> {
    /// Forward it, to this path (each segment re-encoded, so the upstream reads exactly the
    /// segments that were matched).
    Allowed(&'t Route, String),
    /// The path is listed, for these methods only.
    WrongMethod(Vec<Method>),
    /// No row has this path.
    NotListed,
    /// The path is not in normal form.
    Malformed(Malformed),
}

/// The decoded segments of a raw request path, or why it is not in normal form.
pub(crate) fn normalise(raw: &str) -> Result<Vec<String>, Malformed> {
    let rest = raw.strip_prefix('/').ok_or(Malformed::EmptySegment)?;
    rest.split('/').map(segment).collect()
}

fn segment(raw: &str) -> Result<String, Malformed> {
    if raw.is_empty() {
        return Err(Malformed::EmptySegment);
    }
    let mut bytes = Vec::with_capacity(raw.len());
    let mut input = raw.bytes();
    while let Some(byte) = input.next() {
        if byte == b'%' {
            let hex = [input.next(), input.next()];
            let [Some(high), Some(low)] = hex else {
                return Err(Malformed::BadEncoding);
            };
            let digit = |c: u8| char::from(c).to_digit(16);
            let (Some(high), Some(low)) = (digit(high), digit(low)) else {
                return Err(Malformed::BadEncoding);
            };
            // Two hex digits make at most 255.
            bytes.push(u8::try_from(high * 16 + low).unwrap_or(u8::MAX));
        } else {
            bytes.push(byte);
        }
    }
    let decoded = String::from_utf8(bytes).map_err(|_| Malformed::BadEncoding)?;
    if decoded == "." || decoded == ".." {
        return Err(Malformed::DotSegment);
    }
    if decoded
        .chars()
        .any(|c| matches!(c, '/' | '\\' | '%' | '?' | '#') || c.is_control())
    {
        return Err(Malformed::EncodedSeparator);
    }
    Ok(decoded)
}

/// Percent-encodes every byte but the unreserved ones (RFC 3986 §2.3).
fn encode(segment: &str, out: &mut String) {
    const HEX: &[u8; 16] = b"0123456789ABCDEF";
    for &byte in segment.as_bytes() {
        if byte.is_ascii_alphanumeric() || matches!(byte, b'-' | b'.' | b'_' | b'~') {
            out.push(char::from(byte));
        } else {
            out.push('%');
            out.push(char::from(HEX[usize::from(byte >> 4)]));
            out.push(char::from(HEX[usize::from(byte & 0xF)]));
        }
    }
}

fn matches(pattern: &str, segments: &[String]) -> bool {
    let mut parts = pattern.trim_start_matches('/').split('/');
    let mut given = segments.iter();
    loop {
        match (parts.next(), given.next()) {
            (None, None) => return true,
            (Some(part), Some(seg)) => {
                let variable = part.starts_with('{') && part.ends_with('}');
                if !variable && part != seg {
                    return false;
                }
            }
            _ => return false,
        }
    }
}

/// What `table` says about `method` on the raw path `raw_path`.
pub(crate) fn decide<'t>(table: &'t [Route], method: &Method, raw_path: &str) -> Decision<'t> {
    let segments = match normalise(raw_path) {
        Ok(segments) => segments,
        Err(malformed) => return Decision::Malformed(malformed),
    };
    let mut allowed = Vec::new();
    for route in table.iter().filter(|r| matches(r.pattern, &segments)) {
        if route.method == *method {
            let mut path = String::with_capacity(raw_path.len());
            for seg in &segments {
                path.push('/');
                encode(seg, &mut path);
            }
            return Decision::Allowed(route, path);
        }
        allowed.push(route.method.clone());
    }
    if allowed.is_empty() {
        Decision::NotListed
    } else {
        Decision::WrongMethod(allowed)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[track_caller]
    fn allowed(method: Method, path: &str) -> String {
        match decide(ROUTES, &method, path) {
            Decision::Allowed(_, forwarded) => forwarded,
            other => panic!("{method} {path}: {other:?}"),
        }
    }

    #[track_caller]
    fn malformed(path: &str) -> Malformed {
        match decide(ROUTES, &Method::GET, path) {
            Decision::Malformed(m) => m,
            other => panic!("{path}: {other:?}"),
        }
    }

    #[test]
    fn the_console_s_routes_are_allowed() {
        assert_eq!(
            allowed(Method::GET, "/api/v2/configurations"),
            "/api/v2/configurations"
        );
        assert_eq!(
            allowed(Method::POST, "/api/v2/configurations"),
            "/api/v2/configurations"
        );
        for method in [Method::GET, Method::PATCH, Method::DELETE] {
            assert_eq!(
                allowed(method, "/api/v2/configurations/my-config_1.v2"),
                "/api/v2/configurations/my-config_1.v2"
            );
        }
        // An encoded name is forwarded encoded, as the one segment it was matched as.
        assert_eq!(
            allowed(Method::GET, "/api/v2/configurations/a%20b"),
            "/api/v2/configurations/a%20b"
        );
        assert_eq!(
            allowed(Method::GET, "/api/v2/configurations/%61bc"),
            "/api/v2/configurations/abc"
        );
    }

    #[test]
    fn everything_else_is_refused() {
        for path in [
            "/api/v2/secrets",
            "/api/v2/secrets/0b5571f7-21e6-42b7-91c5-3f5ac9793a46",
            "/api/v2/secrets/0b5571f7-21e6-42b7-91c5-3f5ac9793a46/versions/current",
            "/api/v2/configurations/a/b",
            "/api/v2/Configurations",
            "/api/v2/secret_groups",
            "/api/v2/notifications/registration",
            "/api/v1/configurations",
        ] {
            assert!(
                matches!(decide(ROUTES, &Method::GET, path), Decision::NotListed),
                "{path}"
            );
        }
        match decide(ROUTES, &Method::DELETE, "/api/v2/configurations") {
            Decision::WrongMethod(methods) => assert_eq!(methods, [Method::GET, Method::POST]),
            other => panic!("{other:?}"),
        }
        for method in [Method::PUT, Method::POST, Method::OPTIONS, Method::HEAD] {
            assert!(matches!(
                decide(ROUTES, &method, "/api/v2/configurations/x"),
                Decision::WrongMethod(_)
            ));
        }
    }

    #[test]
    fn paths_not_in_normal_form_are_refused() {
        assert_eq!(
            malformed("/api/v2/configurations/../secrets/x"),
            Malformed::DotSegment
        );
        assert_eq!(
            malformed("/api/v2/configurations/%2e%2e/secrets/x"),
            Malformed::DotSegment
        );
        assert_eq!(
            malformed("/api/v2/configurations/%2E."),
            Malformed::DotSegment
        );
        assert_eq!(malformed("/api/v2/./configurations"), Malformed::DotSegment);
        assert_eq!(
            malformed("/api/v2//configurations"),
            Malformed::EmptySegment
        );
        assert_eq!(
            malformed("/api/v2/configurations/"),
            Malformed::EmptySegment
        );
        assert_eq!(malformed("api/v2/configurations"), Malformed::EmptySegment);
        for encoded in [
            "/api/v2/configurations%2f..%2fsecrets",
            "/api/v2/configurations/a%2Fb",
            "/api/v2/configurations/a%5cb",
            "/api/v2/configurations/a\\b",
            "/api/v2/configurations/%252e%252e",
            "/api/v2/configurations/a%00",
            "/api/v2/configurations/a%3fb",
        ] {
            assert_eq!(malformed(encoded), Malformed::EncodedSeparator, "{encoded}");
        }
        for bad in [
            "/api/v2/configurations/%",
            "/api/v2/configurations/%2",
            "/api/v2/configurations/%zz",
            "/api/v2/configurations/%ff",
        ] {
            assert_eq!(malformed(bad), Malformed::BadEncoding, "{bad}");
        }
    }

    #[test]
    fn body_rules_run_for_their_row_only() {
        fn only_small(body: &[u8]) -> Result<(), &'static str> {
            if body.len() < 4 {
                Ok(())
            } else {
                Err("too big")
            }
        }
        let table = [Route {
            method: Method::POST,
            pattern: "/api/v2/things",
            why: "test",
            body: Some(only_small),
        }];
        let Decision::Allowed(route, _) = decide(&table, &Method::POST, "/api/v2/things") else {
            panic!("allowed");
        };
        let check = route.body.expect("a body rule");
        assert_eq!(check(b"ok"), Ok(()));
        assert_eq!(check(b"too long"), Err("too big"));
    }

    #[test]
    fn every_row_is_routed_explained_and_unique() {
        for (i, route) in ROUTES.iter().enumerate() {
            assert!(
                PREFIXES.iter().any(|p| route.pattern.starts_with(p)),
                "{} is under no prefix the router sends to the relay",
                route.pattern
            );
            assert!(!route.why.is_empty(), "{}", route.pattern);
            assert!(
                normalise(route.pattern).is_ok(),
                "{} is not normal",
                route.pattern
            );
            for other in &ROUTES[i + 1..] {
                assert!(
                    !(other.method == route.method && other.pattern == route.pattern),
                    "{} {} twice",
                    route.method,
                    route.pattern
                );
            }
        }
    }
}
