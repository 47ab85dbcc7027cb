//! The relay's routes for a configuration's prerequisites: Code Engine projects and jobs, the
//! instance's IAM credentials secrets and secret groups, and IAM authorization policies.
//!
//! One table, [`PREREQ_ROUTES`], of (method, path pattern, upstream, why, body rule), in the
//! shape of the relay's allow-list so that the two can become one table. Nothing outside it is
//! forwarded to Code Engine or IAM, and under `/api/v2/secret…` only its rows reach the
//! instance: `GET /api/v2/secrets/{id}` (a secret's payload) never does.

use axum::http::Method;

/// Which upstream a route goes to.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum Upstream {
    /// The Secrets Manager instance (`https://{id}[.private].{region}.secrets-manager.appdomain.cloud`).
    Instance,
    /// Code Engine of the path's `{region}` (`https://api[.private].{region}.codeengine.cloud.ibm.com`),
    /// the path's `/codeengine/{region}` prefix replaced by it.
    CodeEngine,
    /// IAM (`https://[private.]iam.cloud.ibm.com`), the path's `/iam` prefix replaced by it.
    Iam,
}

/// A check of a request body: `Err` says why the relay refuses it.
pub(crate) type BodyRule = fn(&[u8]) -> Result<(), &'static str>;

/// One forwarded route.
#[derive(Debug, Clone)]
pub(crate) struct PrereqRoute {
    /// The method.
    pub(crate) method: Method,
    /// Literal segments, and `{name}` for one segment of letters, digits, `-`, `_` and `.`
    /// (`{region}`: a Code Engine region).
    pub(crate) pattern: &'static str,
    /// Where it goes.
    pub(crate) upstream: Upstream,
    /// Why sm-config needs it.
    pub(crate) why: &'static str,
    /// A check of the body, when only some bodies may pass.
    pub(crate) body: Option<BodyRule>,
}

/// The secret creation the relay lets through: `iam_credentials` only (what the console's
/// in-context creation sends). The server's credential must not create other kinds.
fn iam_credentials_only(body: &[u8]) -> Result<(), &'static str> {
    let value: serde_json::Value =
        serde_json::from_slice(body).map_err(|_| "the body is not json")?;
    match value.get("secret_type").and_then(serde_json::Value::as_str) {
        Some("iam_credentials") => Ok(()),
        _ => Err("the relay creates only secrets with secret_type iam_credentials"),
    }
}

/// A policy creation the relay lets through: `type: authorization` only. The server's
/// credential must not grant users or service IDs access.
fn authorization_only(body: &[u8]) -> Result<(), &'static str> {
    let value: serde_json::Value =
        serde_json::from_slice(body).map_err(|_| "the body is not json")?;
    match value.get("type").and_then(serde_json::Value::as_str) {
        Some("authorization") => Ok(()),
        _ => Err("the relay creates only policies with type authorization"),
    }
}

const fn row(
    method: Method,
    pattern: &'static str,
    upstream: Upstream,
    why: &'static str,
    body: Option<BodyRule>,
) -> PrereqRoute {
    PrereqRoute {
        method,
        pattern,
        upstream,
        why,
        body,
    }
}

/// Every prerequisite route the relay forwards.
pub(crate) const PREREQ_ROUTES: &[PrereqRoute] = &[
    row(
        Method::GET,
        "/api/v2/secrets",
        Upstream::Instance,
        "the form lists IAM credentials secrets for api_key_ref; check reads them",
        None,
    ),
    row(
        Method::POST,
        "/api/v2/secrets",
        Upstream::Instance,
        "the console creates an IAM credentials secret with rotation in context",
        Some(iam_credentials_only),
    ),
    row(
        Method::GET,
        "/api/v2/secrets/{id}/metadata",
        Upstream::Instance,
        "check reads the api_key_ref secret's rotation, reuse and state (metadata, no payload)",
        None,
    ),
    row(
        Method::GET,
        "/api/v2/secret_groups",
        Upstream::Instance,
        "the secret picker labels secrets with their group's name",
        None,
    ),
    row(
        Method::GET,
        "/codeengine/{region}/v2/projects",
        Upstream::CodeEngine,
        "the form offers the region's projects",
        None,
    ),
    row(
        Method::GET,
        "/codeengine/{region}/v2/projects/{id}",
        Upstream::CodeEngine,
        "check reads the project's status, region and account",
        None,
    ),
    row(
        Method::GET,
        "/codeengine/{region}/v2/projects/{id}/jobs",
        Upstream::CodeEngine,
        "the form offers the project's jobs",
        None,
    ),
    row(
        Method::GET,
        "/codeengine/{region}/v2/projects/{id}/jobs/{name}",
        Upstream::CodeEngine,
        "check reads the job's SMIN_/SMOUT_ variables and trusted profiles",
        None,
    ),
    row(
        Method::GET,
        "/iam/v1/policies",
        Upstream::Iam,
        "check looks for the Secrets Manager -> Code Engine authorization",
        None,
    ),
    row(
        Method::POST,
        "/iam/v1/policies",
        Upstream::Iam,
        "the console creates the missing authorization in context",
        Some(authorization_only),
    ),
];

/// The path prefixes whose every request is decided by [`PREREQ_ROUTES`] (the router in
/// `super::routes` sends exactly these here; a test keeps every row under one).
#[cfg(test)]
pub(crate) const PREREQ_PREFIXES: &[&str] = &["/codeengine/", "/iam/", "/api/v2/secret"];

/// What the table says about a path and method.
#[derive(Debug)]
pub(crate) enum Decision<'t> {
    /// Forward: the row, and the Code Engine region when the pattern has one.
    Allowed(&'t PrereqRoute, Option<String>),
    /// The path is listed for these methods only.
    WrongMethod(Vec<Method>),
    /// No row has this path (or a segment is not in the shape its placeholder takes).
    NotListed,
}

/// Decides `method` on the raw `path` (no query).
pub(crate) fn decide<'t>(method: &Method, path: &str) -> Decision<'t> {
    let mut methods = Vec::new();
    let mut hit = None;
    for route in PREREQ_ROUTES {
        if let Some(region) = matches(route.pattern, path) {
            if route.method == *method {
                hit = Some((route, region));
            } else {
                methods.push(route.method.clone());
            }
        }
    }
    match hit {
        Some((route, region)) => Decision::Allowed(route, region),
        None if methods.is_empty() => Decision::NotListed,
        None => Decision::WrongMethod(methods),
    }
}

/// `Some(region)` when `path` matches `pattern` (`region` when it has `{region}`).
fn matches(pattern: &str, path: &str) -> Option<Option<String>> {
    let want: Vec<&str> = pattern.split('/').collect();
    let got: Vec<&str> = path.split('/').collect();
    if want.len() != got.len() {
        return None;
    }
    let mut region = None;
    for (w, g) in want.iter().zip(&got) {
        match *w {
            "{region}" => {
                if !sm_config::regions::is_code_engine_region(g) {
                    return None;
                }
                region = Some((*g).to_owned());
            }
            // A plain segment only: no percent-encoding, no dot segments, so the upstream
            // reads exactly the segment that was matched.
            p if p.starts_with('{') => {
                let plain = !g.is_empty()
                    && g.bytes()
                        .all(|b| b.is_ascii_alphanumeric() || b"-_.".contains(&b))
                    && *g != "."
                    && *g != "..";
                if !plain {
                    return None;
                }
            }
            p if p == *g => {}
            _ => return None,
        }
    }
    Some(region)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn allowed(method: Method, path: &str) -> Option<(Upstream, Option<String>)> {
        match decide(&method, path) {
            Decision::Allowed(route, region) => Some((route.upstream, region)),
            _ => None,
        }
    }

    #[test]
    fn only_the_listed_routes_pass() {
        assert_eq!(
            allowed(Method::GET, "/codeengine/eu-de/v2/projects/abc/jobs/my-job"),
            Some((Upstream::CodeEngine, Some("eu-de".to_owned())))
        );
        assert_eq!(
            allowed(Method::GET, "/api/v2/secrets/0b7e3c9a/metadata"),
            Some((Upstream::Instance, None))
        );
        assert_eq!(
            allowed(Method::POST, "/iam/v1/policies"),
            Some((Upstream::Iam, None))
        );
        for (method, path) in [
            (Method::GET, "/api/v2/secrets/0b7e3c9a"),
            (Method::DELETE, "/api/v2/secrets/0b7e3c9a"),
            (Method::GET, "/api/v2/secrets/0b7e3c9a/versions"),
            (Method::GET, "/codeengine/mars/v2/projects"),
            (Method::GET, "/codeengine/eu-de/v2/projects/a%2Fb"),
            (Method::GET, "/codeengine/eu-de/v2/projects/.."),
            (Method::GET, "/codeengine/eu-de/v2/projects//jobs"),
            (Method::GET, "/codeengine/eu-de/v2/apps"),
            (Method::GET, "/iam/v1/policies/abc"),
            (Method::GET, "/iam/identity/token"),
            (Method::GET, "/iam/v2/policies"),
        ] {
            assert!(allowed(method.clone(), path).is_none(), "{method} {path}");
        }
        assert!(matches!(
            decide(&Method::DELETE, "/iam/v1/policies"),
            Decision::WrongMethod(m) if m == [Method::GET, Method::POST]
        ));
    }

    #[test]
    fn every_row_is_under_a_prefix_and_says_why() {
        for r in PREREQ_ROUTES {
            assert!(
                PREREQ_PREFIXES.iter().any(|p| r.pattern.starts_with(p)),
                "{}",
                r.pattern
            );
            assert!(!r.why.is_empty());
        }
    }

    #[test]
    fn body_rules() {
        assert!(iam_credentials_only(br#"{"secret_type":"iam_credentials"}"#).is_ok());
        assert!(iam_credentials_only(br#"{"secret_type":"arbitrary","payload":"x"}"#).is_err());
        assert!(iam_credentials_only(b"nope").is_err());
        assert!(authorization_only(br#"{"type":"authorization"}"#).is_ok());
        assert!(authorization_only(br#"{"type":"access"}"#).is_err());
    }
}
