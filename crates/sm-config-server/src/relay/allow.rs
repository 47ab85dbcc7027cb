//! What the relay forwards: one table of the methods and paths sm-config itself uses, matched
//! on the normalised path, each with the upstream it goes to. Everything else is refused here
//! and never reaches the instance, Code Engine or IAM.
//!
//! The server may hold an IAM token for the whole account; forwarding every `/api/v2/*` path
//! would make every secret's payload readable and deletable by whoever can reach the relay,
//! and forwarding every `/iam/*` or `/codeengine/*` path would do the same for the account's
//! access policies and Code Engine. So the relay grants no more than sm-config needs (the
//! configurations API, and the reads and two creates its prerequisite check and the console's
//! in-context fixes use): a route that is not a row of [`ROUTES`] is refused with 404, a listed
//! path with another method with 405, a listed route whose body its row refuses with 400.

use axum::http::Method;

/// Where a route's requests go.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum Destination {
    /// The Secrets Manager instance (`https://{id}[.private].{region}.secrets-manager.appdomain.cloud`,
    /// or `--upstream`): the path is forwarded whole, under the instance's base URL.
    Instance,
    /// Code Engine of the path's `{region}` (`https://api[.private].{region}.codeengine.cloud.ibm.com`,
    /// or `--code-engine-url`): the path's `/codeengine/{region}` is replaced by that base URL.
    CodeEngine,
    /// IAM (`https://[private.]iam.cloud.ibm.com`, or `--iam-url`): the path's `/iam` is
    /// replaced by IAM's base URL.
    Iam,
}

impl Destination {
    /// The local prefix every pattern of this destination starts with (the table test checks).
    #[cfg(test)]
    pub(crate) fn prefix(self) -> &'static str {
        match self {
            Destination::Instance => "/api/v2/",
            Destination::CodeEngine => "/codeengine/{region}/",
            Destination::Iam => "/iam/",
        }
    }

    /// How many leading segments are local (replaced by the destination's base URL).
    fn local_segments(self) -> usize {
        match self {
            Destination::Instance => 0,
            Destination::CodeEngine => 2,
            Destination::Iam => 1,
        }
    }

    /// The upstream, as answers and logs name it.
    pub(crate) fn name(self) -> &'static str {
        match self {
            Destination::Instance => "the secrets manager instance",
            Destination::CodeEngine => "code engine",
            Destination::Iam => "iam",
        }
    }
}

/// One route the relay forwards.
#[derive(Debug, Clone)]
pub(crate) struct Route {
    /// The method.
    pub(crate) method: Method,
    /// The path: literal segments, `{region}` for a Code Engine region (it becomes part of a
    /// host name, so only the core's list of regions matches), and `{name}` for exactly one
    /// other non-empty segment.
    pub(crate) pattern: &'static str,
    /// Where it goes.
    pub(crate) to: Destination,
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
pub(crate) const PREFIXES: &[&str] = &["/api/v2/", "/codeengine/", "/iam/"];

const fn row(
    method: Method,
    pattern: &'static str,
    to: Destination,
    why: &'static str,
    body: Option<BodyRule>,
) -> Route {
    Route {
        method,
        pattern,
        to,
        why,
        body,
    }
}

/// Everything the relay forwards. A new API that sm-config calls is one more row here, with
/// its destination and reason; nothing else forwards anything.
///
/// Deliberately absent: a secret itself (`GET /api/v2/secrets/{id}` returns its payload), its
/// versions, any change or delete of a secret, policy or Code Engine resource, IAM's other
/// APIs (`/iam/identity/…`, service IDs, access groups), Code Engine's other resources (apps,
/// builds, secrets).
pub(crate) const ROUTES: &[Route] = &[
    row(
        Method::GET,
        "/api/v2/configurations",
        Destination::Instance,
        "the manage section lists and searches configurations",
        None,
    ),
    row(
        Method::POST,
        "/api/v2/configurations",
        Destination::Instance,
        "the form creates a configuration",
        None,
    ),
    row(
        Method::GET,
        "/api/v2/configurations/{name}",
        Destination::Instance,
        "the manage section shows one configuration",
        None,
    ),
    row(
        Method::PATCH,
        "/api/v2/configurations/{name}",
        Destination::Instance,
        "the manage section changes a configuration's task timeout",
        None,
    ),
    row(
        Method::DELETE,
        "/api/v2/configurations/{name}",
        Destination::Instance,
        "the manage section deletes a configuration",
        None,
    ),
    row(
        Method::GET,
        "/api/v2/secrets",
        Destination::Instance,
        "the form lists IAM credentials secrets for api_key_ref (metadata only); check reads them",
        None,
    ),
    row(
        Method::POST,
        "/api/v2/secrets",
        Destination::Instance,
        "the console creates an IAM credentials secret with rotation in context (that type only)",
        Some(iam_credentials_only),
    ),
    row(
        Method::GET,
        "/api/v2/secrets/{id}/metadata",
        Destination::Instance,
        "check reads the api_key_ref secret's rotation, reuse and state (metadata, no payload)",
        None,
    ),
    row(
        Method::GET,
        "/api/v2/secret_groups",
        Destination::Instance,
        "the secret picker labels secrets with their group's name",
        None,
    ),
    row(
        Method::GET,
        "/codeengine/{region}/v2/projects",
        Destination::CodeEngine,
        "the form offers the region's projects",
        None,
    ),
    row(
        Method::GET,
        "/codeengine/{region}/v2/projects/{id}",
        Destination::CodeEngine,
        "check reads the project's status, region and account",
        None,
    ),
    row(
        Method::GET,
        "/codeengine/{region}/v2/projects/{id}/jobs",
        Destination::CodeEngine,
        "the form offers the project's jobs",
        None,
    ),
    row(
        Method::GET,
        "/codeengine/{region}/v2/projects/{id}/jobs/{name}",
        Destination::CodeEngine,
        "check reads the job's SMIN_/SMOUT_ variables and trusted profiles",
        None,
    ),
    row(
        Method::GET,
        "/iam/v1/policies",
        Destination::Iam,
        "check looks for the Secrets Manager -> Code Engine authorization",
        None,
    ),
    row(
        Method::POST,
        "/iam/v1/policies",
        Destination::Iam,
        "the console creates the missing authorization in context (type authorization only)",
        Some(authorization_only),
    ),
];

/// The secret creation the relay lets through: `secret_type: iam_credentials` only (what the
/// console's in-context creation sends). The server's credential must not create other kinds.
fn iam_credentials_only(body: &[u8]) -> Result<(), &'static str> {
    match top_level_string(body, "secret_type")?.as_deref() {
        Some("iam_credentials") => Ok(()),
        _ => Err("the relay creates only secrets with secret_type iam_credentials"),
    }
}

/// A policy creation the relay lets through: `type: authorization` only. The server's
/// credential must not grant users, service IDs or access groups access.
fn authorization_only(body: &[u8]) -> Result<(), &'static str> {
    match top_level_string(body, "type")?.as_deref() {
        Some("authorization") => Ok(()),
        _ => Err("the relay creates only policies with type authorization"),
    }
}

/// The string value of `field` in a JSON object body (`None` when absent or not a string).
///
/// The upstream must read the field the way it was checked. JSON parsers disagree on a
/// repeated key (first or last wins), and Go's `encoding/json`, which IBM's services are
/// assumed to use (unconfirmed, so the strict reading), matches keys case-insensitively with
/// Unicode folding (`Secret_Type`, `ſecret_type`). So a body is refused when a key repeats,
/// when a key other than `field` itself folds to it in ASCII, or when a key is not ASCII.
fn top_level_string(body: &[u8], field: &str) -> Result<Option<String>, &'static str> {
    use serde::de::{Deserializer as _, MapAccess, Visitor};
    use std::collections::HashSet;

    struct Fields<'f>(&'f str);
    impl<'de> Visitor<'de> for Fields<'_> {
        type Value = Result<Option<String>, &'static str>;
        fn expecting(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
            f.write_str("a json object")
        }
        fn visit_map<A: MapAccess<'de>>(self, mut map: A) -> Result<Self::Value, A::Error> {
            let mut seen = HashSet::new();
            let mut found = None;
            while let Some(key) = map.next_key::<String>()? {
                if !key.is_ascii() {
                    map.next_value::<serde::de::IgnoredAny>()?;
                    return Ok(Err("a key of the body is not ascii"));
                }
                if !seen.insert(key.to_ascii_lowercase()) {
                    map.next_value::<serde::de::IgnoredAny>()?;
                    return Ok(Err("a key of the body repeats"));
                }
                if key == self.0 {
                    let value = map.next_value::<serde_json::Value>()?;
                    found = value.as_str().map(str::to_owned);
                } else if key.eq_ignore_ascii_case(self.0) {
                    map.next_value::<serde::de::IgnoredAny>()?;
                    return Ok(Err(
                        "a key of the body differs from a checked field by case only",
                    ));
                } else {
                    map.next_value::<serde::de::IgnoredAny>()?;
                }
            }
            Ok(Ok(found))
        }
    }

    let mut deserializer = serde_json::Deserializer::from_slice(body);
    let result = deserializer
        .deserialize_map(Fields(field))
        .map_err(|_| "the body is not a json object")?;
    deserializer
        .end()
        .map_err(|_| "the body is not a json object")?;
    result
}

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

/// Where an allowed request goes, besides its row's destination.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) struct Forward {
    /// The path under the destination's base URL: the matched segments after the local prefix
    /// (`/codeengine/{region}`, `/iam`), each re-encoded, so the upstream reads exactly the
    /// segments that were matched.
    pub(crate) path: String,
    /// The Code Engine region of a `{region}` pattern (one of the core's regions).
    pub(crate) region: Option<String>,
}

/// What the table says about a request.
#[derive(Debug)]
pub(crate) enum Decision<'t> {
    /// Forward it.
    Allowed(&'t Route, Forward),
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

/// Whether `segments` match `pattern`, and the region its `{region}` matched.
fn matches(pattern: &str, segments: &[String]) -> Option<Option<String>> {
    let mut parts = pattern.trim_start_matches('/').split('/');
    let mut given = segments.iter();
    let mut region = None;
    loop {
        match (parts.next(), given.next()) {
            (None, None) => return Some(region),
            (Some("{region}"), Some(seg)) => {
                // It becomes part of a host name: only a region the core knows.
                if !sm_config::regions::is_code_engine_region(seg) {
                    return None;
                }
                region = Some(seg.clone());
            }
            (Some(part), Some(seg)) => {
                let variable = part.starts_with('{') && part.ends_with('}');
                if !variable && part != seg {
                    return None;
                }
            }
            _ => return None,
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
    for (route, region) in table
        .iter()
        .filter_map(|r| matches(r.pattern, &segments).map(|region| (r, region)))
    {
        if route.method == *method {
            let mut path = String::with_capacity(raw_path.len());
            for seg in segments.iter().skip(route.to.local_segments()) {
                path.push('/');
                encode(seg, &mut path);
            }
            return Decision::Allowed(route, Forward { path, region });
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
            Decision::Allowed(_, forward) => forward.path,
            other => panic!("{method} {path}: {other:?}"),
        }
    }

    /// Where an allowed request goes, or `None` when it is refused.
    fn destination(method: Method, path: &str) -> Option<(Destination, Forward)> {
        match decide(ROUTES, &method, path) {
            Decision::Allowed(route, forward) => Some((route.to, forward)),
            _ => None,
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
        // `/api/v2/secrets` (list) and `/api/v2/secret_groups` were here before the
        // prerequisite rows; they are listed now (metadata only) and tested below.
        for path in [
            "/api/v2/secrets/0b5571f7-21e6-42b7-91c5-3f5ac9793a46",
            "/api/v2/secrets/0b5571f7-21e6-42b7-91c5-3f5ac9793a46/versions/current",
            "/api/v2/configurations/a/b",
            "/api/v2/Configurations",
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
            to: Destination::Instance,
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
            assert!(
                route.pattern.starts_with(route.to.prefix()),
                "{} does not start with {}",
                route.pattern,
                route.to.prefix()
            );
            assert!(!route.why.is_empty(), "{}", route.pattern);
            assert!(
                normalise(route.pattern).is_ok(),
                "{} is not normal",
                route.pattern
            );
            // The destination's local prefix is replaced by its base URL: what is left must
            // still be a path.
            assert!(
                route.pattern.split('/').count() > route.to.local_segments() + 2,
                "{} has nothing after its local prefix",
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

    #[test]
    fn the_prerequisite_routes_go_to_their_upstream() {
        let forward = |path: &str, region: Option<&str>| Forward {
            path: path.to_owned(),
            region: region.map(str::to_owned),
        };
        assert_eq!(
            destination(Method::GET, "/codeengine/eu-de/v2/projects/abc/jobs/my-job"),
            Some((
                Destination::CodeEngine,
                forward("/v2/projects/abc/jobs/my-job", Some("eu-de"))
            ))
        );
        assert_eq!(
            destination(Method::GET, "/codeengine/us-south/v2/projects"),
            Some((
                Destination::CodeEngine,
                forward("/v2/projects", Some("us-south"))
            ))
        );
        assert_eq!(
            destination(Method::GET, "/api/v2/secrets/0b7e3c9a/metadata"),
            Some((
                Destination::Instance,
                forward("/api/v2/secrets/0b7e3c9a/metadata", None)
            ))
        );
        for method in [Method::GET, Method::POST] {
            assert_eq!(
                destination(method, "/iam/v1/policies"),
                Some((Destination::Iam, forward("/v1/policies", None)))
            );
        }
        assert_eq!(
            destination(Method::GET, "/api/v2/secret_groups"),
            Some((
                Destination::Instance,
                forward("/api/v2/secret_groups", None)
            ))
        );
        for (method, path) in [
            (Method::GET, "/api/v2/secrets/0b7e3c9a"),
            (Method::DELETE, "/api/v2/secrets/0b7e3c9a"),
            (Method::GET, "/api/v2/secrets/0b7e3c9a/versions"),
            (Method::PATCH, "/api/v2/secrets/0b7e3c9a/metadata"),
            (Method::POST, "/api/v2/secret_groups"),
            (Method::GET, "/codeengine/mars/v2/projects"),
            (Method::GET, "/codeengine/US-SOUTH/v2/projects"),
            (Method::GET, "/codeengine/evil.example%2f/v2/projects"),
            (Method::GET, "/codeengine/eu-de/v2/projects/a%2Fb"),
            (Method::GET, "/codeengine/eu-de/v2/projects/.."),
            (Method::GET, "/codeengine/eu-de/v2/projects//jobs"),
            (Method::GET, "/codeengine/eu-de/v2/apps"),
            (Method::GET, "/codeengine/us-south/v2/projects/x/apps"),
            (Method::DELETE, "/codeengine/eu-de/v2/projects/abc"),
            (Method::POST, "/codeengine/eu-de/v2/projects/abc/jobs"),
            (Method::GET, "/iam/v1/policies/abc"),
            (Method::DELETE, "/iam/v1/policies/abc"),
            (Method::GET, "/iam/identity/token"),
            (Method::POST, "/iam/identity/token"),
            (Method::GET, "/iam/v2/policies"),
        ] {
            assert!(
                destination(method.clone(), path).is_none(),
                "{method} {path}"
            );
        }
        assert!(matches!(
            decide(ROUTES, &Method::DELETE, "/iam/v1/policies"),
            Decision::WrongMethod(m) if m == [Method::GET, Method::POST]
        ));
    }

    #[test]
    fn the_creates_pass_only_their_kind() {
        let rule = |method: Method, pattern: &str| {
            ROUTES
                .iter()
                .find(|r| r.method == method && r.pattern == pattern)
                .and_then(|r| r.body)
                .expect("a body rule")
        };
        let secret = rule(Method::POST, "/api/v2/secrets");
        let policy = rule(Method::POST, "/iam/v1/policies");
        assert_eq!(
            secret(
                br#"{"secret_type":"iam_credentials","name":"k","rotation":{"auto_rotate":true}}"#
            ),
            Ok(())
        );
        assert_eq!(policy(br#"{"type":"authorization","roles":[]}"#), Ok(()));
        let wrong_type = Err("the relay creates only secrets with secret_type iam_credentials");
        for body in [
            &br#"{"secret_type":"arbitrary","payload":"x"}"#[..],
            br#"{"name":"no type"}"#,
            br#"{"secret_type":["iam_credentials"]}"#,
            br#"{"secret_type":null}"#,
        ] {
            assert_eq!(
                secret(body),
                wrong_type,
                "{}",
                String::from_utf8_lossy(body)
            );
        }
        // Bodies an upstream could read differently from this check.
        for (body, reason) in [
            (
                &br#"{"secret_type":"arbitrary","secret_type":"iam_credentials"}"#[..],
                "a key of the body repeats",
            ),
            (
                br#"{"secret_type":"iam_credentials","Secret_Type":"arbitrary"}"#,
                "a key of the body repeats",
            ),
            (
                br#"{"SECRET_TYPE":"arbitrary"}"#,
                "a key of the body differs from a checked field by case only",
            ),
            (
                "{\"secret_type\":\"iam_credentials\",\"\u{17f}ecret_type\":\"arbitrary\"}"
                    .as_bytes(),
                "a key of the body is not ascii",
            ),
            (b"nope", "the body is not a json object"),
            (b"", "the body is not a json object"),
            (br#"["secret_type"]"#, "the body is not a json object"),
            (
                br#"{"secret_type":"iam_credentials"} {}"#,
                "the body is not a json object",
            ),
        ] {
            assert_eq!(
                secret(body),
                Err(reason),
                "{}",
                String::from_utf8_lossy(body)
            );
        }
        assert_eq!(
            policy(br#"{"type":"access"}"#),
            Err("the relay creates only policies with type authorization")
        );
        assert_eq!(
            policy(br#"{"type":"authorization","Type":"access"}"#),
            Err("a key of the body repeats")
        );
    }
}
