//! Relay mode: `/api/v2/*` forwarded to a real instance, authenticated with the page's own
//! bearer token or with an IAM token the server gets for its API key.

mod iam;

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
        })
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

/// `/api/v2/{*rest}`, any method, forwarded.
pub(crate) fn routes(relay: Arc<Relay>) -> Router {
    Router::new()
        .route("/api/v2/{*rest}", any(forward))
        .with_state(relay)
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
                "the secrets manager instance did not answer in time",
            )
        } else {
            Failure::new(
                StatusCode::BAD_GATEWAY,
                "upstream_unreachable",
                "the secrets manager instance could not be reached",
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
