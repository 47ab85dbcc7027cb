//! Relay mode: `/api/v2/*` forwarded to a real instance, authenticated with the page's own
//! bearer token or with an IAM token the server gets for its API key.

mod iam;
pub(crate) mod prereq;

/// The relay's IAM token source, also used by `sm-config check` (see `crate::facts`).
pub(crate) use iam::Iam as IamTokens;

use crate::failure::Failure;
use crate::secret::Secret;
use crate::{bearer, body};
use axum::Router;
use axum::body::Body;
use axum::extract::{Request, State};
use axum::http::{HeaderName, StatusCode};
use axum::response::{IntoResponse, Response};
use axum::routing::any;
use iam::Iam;
use std::sync::Arc;
use std::time::Duration;

/// Request headers passed on besides `Authorization` (which the relay sets itself).
const FORWARD_REQUEST: [&str; 5] = [
    "content-type",
    "accept",
    "x-sm-accept-configuration-type",
    "x-correlation-id",
    "x-request-id",
];
/// Response headers passed back; the rest (cookies, server details) stay behind.
const FORWARD_RESPONSE: [&str; 5] = [
    "content-type",
    "x-correlation-id",
    "x-request-id",
    "retry-after",
    "location",
];
/// The largest upstream answer passed back (a full list of 1000 is far below this).
const MAX_UPSTREAM_BYTES: usize = 8 * 1024 * 1024;

/// Where and how to relay.
#[derive(Debug)]
pub(crate) struct Relay {
    client: reqwest::Client,
    upstream: reqwest::Url,
    iam: Option<Iam>,
    /// Code Engine's base URL, `{region}` standing for the region.
    code_engine: String,
    /// IAM's base URL for the policy API.
    iam_api: String,
}

impl Relay {
    /// A relay to `upstream` (`https://{id}.{region}.secrets-manager.appdomain.cloud`); with an
    /// API key, requests without a bearer token get one from IAM at `iam_url`.
    pub(crate) fn new(
        upstream: reqwest::Url,
        api_key: Option<Secret>,
        iam_url: &str,
        timeout: Duration,
    ) -> Result<Relay, reqwest::Error> {
        let client = reqwest::Client::builder()
            .connect_timeout(Duration::from_secs(10))
            .timeout(timeout)
            .redirect(reqwest::redirect::Policy::none())
            .build()?;
        let iam = api_key.map(|key| Iam::new(client.clone(), iam_url, key));
        Ok(Relay {
            client,
            upstream,
            iam,
            code_engine: crate::config::DEFAULT_CODE_ENGINE_URL.to_owned(),
            iam_api: iam_url.trim_end_matches('/').to_owned(),
        })
    }

    /// The same relay with these Code Engine (`{region}` in it) and IAM policy base URLs.
    pub(crate) fn with_prereq_upstreams(mut self, code_engine: &str, iam_api: &str) -> Relay {
        self.code_engine = code_engine.trim_end_matches('/').to_owned();
        self.iam_api = iam_api.trim_end_matches('/').to_owned();
        self
    }

    /// The upstream URL for a request's path and query, which must stay under `/api/v2/`
    /// once dot segments are resolved (the server's token must not reach other paths).
    fn url_for(&self, path_and_query: &str) -> Result<reqwest::Url, Failure> {
        let refused = || {
            Failure::new(
                StatusCode::BAD_REQUEST,
                "invalid_path",
                "the path must stay under /api/v2/",
            )
        };
        let url = self.upstream.join(path_and_query).map_err(|_| refused())?;
        let base_path = self.upstream.path().trim_end_matches('/');
        let inside = url
            .path()
            .strip_prefix(base_path)
            .is_some_and(|p| p.starts_with("/api/v2/"));
        let dotted = path_and_query
            .split(['?', '#'])
            .next()
            .unwrap_or_default()
            .split('/')
            .any(|seg| {
                matches!(
                    seg.to_ascii_lowercase().as_str(),
                    "." | ".." | "%2e" | "%2e%2e" | ".%2e" | "%2e."
                )
            });
        if url.host() != self.upstream.host() || !inside || dotted {
            return Err(refused());
        }
        Ok(url)
    }
}

/// `/api/v2/{*rest}`, any method, forwarded; the prerequisite prefixes through their table.
pub(crate) fn routes(relay: Arc<Relay>) -> Router {
    Router::new()
        .route("/api/v2/{*rest}", any(forward))
        .route("/api/v2/secrets", any(forward_prereq))
        .route("/api/v2/secrets/{*rest}", any(forward_prereq))
        .route("/api/v2/secret_groups", any(forward_prereq))
        .route("/api/v2/secret_groups/{*rest}", any(forward_prereq))
        .route("/codeengine", any(forward_prereq))
        .route("/codeengine/{*rest}", any(forward_prereq))
        .route("/iam", any(forward_prereq))
        .route("/iam/{*rest}", any(forward_prereq))
        .with_state(relay)
}

/// A request under a prerequisite prefix: forwarded when [`prereq::PREREQ_ROUTES`] lists it,
/// refused otherwise (404 unlisted, 405 another method, 400 a refused body).
async fn forward_prereq(State(relay): State<Arc<Relay>>, request: Request) -> Response {
    match prereq_once(&relay, request).await {
        Ok(response) => response,
        Err(failure) => failure.into_response(),
    }
}

async fn prereq_once(relay: &Relay, request: Request) -> Result<Response, Failure> {
    use prereq::{Decision, Upstream};
    let (parts, body) = request.into_parts();
    let path = parts.uri.path().to_owned();
    let (route, region) = match prereq::decide(&parts.method, &path) {
        Decision::Allowed(route, region) => (route, region),
        Decision::WrongMethod(methods) => {
            let allow = methods
                .iter()
                .map(axum::http::Method::as_str)
                .collect::<Vec<_>>()
                .join(", ");
            let mut response = Failure::new(
                StatusCode::METHOD_NOT_ALLOWED,
                "method_not_allowed",
                format!("the relay forwards only {allow} on this route"),
            )
            .into_response();
            if let Ok(v) = axum::http::HeaderValue::from_str(&allow) {
                response.headers_mut().insert(axum::http::header::ALLOW, v);
            }
            return Ok(response);
        }
        Decision::NotListed => {
            // Each service's own 404 code.
            let code = if path.starts_with("/codeengine") {
                "resource_not_found"
            } else {
                "not_found"
            };
            return Err(Failure::new(
                StatusCode::NOT_FOUND,
                code,
                "the relay does not forward this route",
            ));
        }
    };
    tracing::debug!(route = route.pattern, why = route.why, "prerequisite route");
    let bytes = body::read(&parts.headers, body).await?;
    if let Some(rule) = route.body {
        rule(&bytes).map_err(|why| Failure::new(StatusCode::BAD_REQUEST, "invalid_body", why))?;
    }
    let query = parts
        .uri
        .query()
        .map(|q| format!("?{q}"))
        .unwrap_or_default();
    let (base, rest, what) = match route.upstream {
        // The instance's base may have a path (an `--upstream` proxy); the route's path goes
        // under it.
        Upstream::Instance => (
            self_base(&relay.upstream),
            path.as_str(),
            "the secrets manager instance",
        ),
        Upstream::CodeEngine => {
            let region = region.unwrap_or_default();
            let prefix_len = "/codeengine/".len() + region.len();
            (
                relay.code_engine.replace("{region}", &region),
                &path[prefix_len..],
                "code engine",
            )
        }
        Upstream::Iam => (relay.iam_api.clone(), &path["/iam".len()..], "iam"),
    };
    let url = reqwest::Url::parse(&format!("{base}{rest}{query}")).map_err(|_| {
        Failure::new(
            StatusCode::BAD_REQUEST,
            "invalid_path",
            "the upstream url could not be built",
        )
    })?;
    send(relay, &parts, bytes, url, what).await
}

/// The instance's base URL without a trailing `/`.
fn self_base(url: &reqwest::Url) -> String {
    url.as_str().trim_end_matches('/').to_owned()
}

/// Which credential a forwarded request carries.
enum Credential {
    /// The page's own token, passed through.
    Page(Secret),
    /// The server's IAM token.
    Server(Secret),
}

async fn forward(State(relay): State<Arc<Relay>>, request: Request) -> Response {
    match relay_once(&relay, request).await {
        Ok(response) => response,
        Err(failure) => failure.into_response(),
    }
}

async fn relay_once(relay: &Relay, request: Request) -> Result<Response, Failure> {
    let (parts, body) = request.into_parts();
    let path_and_query = parts.uri.path_and_query().map_or("/", |pq| pq.as_str());
    let url = relay.url_for(path_and_query)?;
    let bytes = body::read(&parts.headers, body).await?;
    send(relay, &parts, bytes, url, "the secrets manager instance").await
}

/// Sends one request upstream with the page's token or the server's, and passes the answer back.
async fn send(
    relay: &Relay,
    parts: &axum::http::request::Parts,
    bytes: axum::body::Bytes,
    url: reqwest::Url,
    what: &str,
) -> Result<Response, Failure> {
    let credential = match bearer::token(&parts.headers) {
        Ok(token) => Credential::Page(Secret::new(token)),
        Err(missing) => match &relay.iam {
            Some(iam) => Credential::Server(iam.token().await.map_err(|e| {
                Failure::new(
                    StatusCode::BAD_GATEWAY,
                    "iam_token_unavailable",
                    e.to_string(),
                )
            })?),
            None => return Err(missing),
        },
    };
    let token = match &credential {
        Credential::Page(t) | Credential::Server(t) => t,
    };
    let mut outgoing = relay
        .client
        .request(parts.method.clone(), url)
        .bearer_auth(token.expose());
    for name in FORWARD_REQUEST {
        for value in parts.headers.get_all(name) {
            outgoing = outgoing.header(name, value);
        }
    }
    if !bytes.is_empty() {
        outgoing = outgoing.body(bytes);
    }
    let upstream = outgoing.send().await.map_err(|e| {
        let timed_out = e.is_timeout();
        tracing::warn!(error = %e.without_url(), "upstream request failed");
        if timed_out {
            Failure::new(
                StatusCode::GATEWAY_TIMEOUT,
                "upstream_timeout",
                format!("{what} did not answer in time"),
            )
        } else {
            Failure::new(
                StatusCode::BAD_GATEWAY,
                "upstream_unreachable",
                format!("{what} could not be reached"),
            )
        }
    })?;
    let status = upstream.status();
    tracing::debug!(method = %parts.method, status = status.as_u16(), "relayed");
    if status == StatusCode::UNAUTHORIZED
        && let (Credential::Server(token), Some(iam)) = (&credential, &relay.iam)
    {
        iam.invalidate(token).await;
    }
    let mut response = Response::builder().status(status);
    for name in FORWARD_RESPONSE {
        for value in upstream.headers().get_all(name) {
            response = response.header(HeaderName::from_static(name), value);
        }
    }
    let body = read_capped(upstream).await?;
    response.body(Body::from(body)).map_err(|_| bad_upstream())
}

fn bad_upstream() -> Failure {
    Failure::new(
        StatusCode::BAD_GATEWAY,
        "upstream_answer_unreadable",
        "the secrets manager instance's answer could not be read",
    )
}

async fn read_capped(mut upstream: reqwest::Response) -> Result<Vec<u8>, Failure> {
    let mut body = Vec::new();
    while let Some(chunk) = upstream.chunk().await.map_err(|_| bad_upstream())? {
        if body.len() + chunk.len() > MAX_UPSTREAM_BYTES {
            return Err(bad_upstream());
        }
        body.extend_from_slice(&chunk);
    }
    Ok(body)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn relay(base: &str) -> Relay {
        Relay::new(
            reqwest::Url::parse(base).expect("url"),
            None,
            "http://127.0.0.1:1",
            Duration::from_secs(1),
        )
        .expect("relay")
    }

    #[test]
    fn urls_stay_under_api_v2() {
        let r = relay("https://id.us-south.secrets-manager.appdomain.cloud");
        assert_eq!(
            r.url_for("/api/v2/configurations?limit=5")
                .expect("ok")
                .as_str(),
            "https://id.us-south.secrets-manager.appdomain.cloud/api/v2/configurations?limit=5"
        );
        assert_eq!(
            r.url_for("/api/v2/configurations/a%2Fb")
                .expect("ok")
                .path(),
            "/api/v2/configurations/a%2Fb"
        );
        for bad in [
            "/api/v2/../../identity",
            "/api/v2/%2e%2e/x",
            "/api/v2/./configurations",
            "//evil.example/api/v2/x",
            "/api/v1/x",
        ] {
            assert!(r.url_for(bad).is_err(), "{bad}");
        }
    }
}
