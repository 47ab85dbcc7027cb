//! Relay mode: `/api/v2/*` forwarded to a real instance, authenticated with the page's own
//! bearer token or with an IAM token the server gets for its API key.

mod allow;
mod iam;

pub(crate) use allow::ROUTES;

use crate::failure::Failure;
use crate::secret::Secret;
use crate::{bearer, body};
use axum::Router;
use axum::body::Body;
use axum::extract::{Request, State};
use axum::http::{HeaderName, HeaderValue, Method, StatusCode, header};
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

    /// The upstream URL for an allowed path (already normalised and re-encoded by the
    /// allow-list) and the request's query, under the upstream's own base path.
    fn url_for(&self, path: &str, query: Option<&str>) -> reqwest::Url {
        let mut url = self.upstream.clone();
        let base_path = self.upstream.path().trim_end_matches('/');
        url.set_path(&format!("{base_path}{path}"));
        url.set_query(query);
        url.set_fragment(None);
        url
    }
}

/// Every path under the allow-list's prefixes, any method, to [`forward`], which forwards
/// what the table allows and refuses the rest.
pub(crate) fn routes(relay: Arc<Relay>) -> Router {
    let mut router = Router::new();
    for prefix in allow::PREFIXES {
        router = router.route(&format!("{prefix}{{*rest}}"), any(forward));
    }
    router.with_state(relay)
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

async fn relay_once(relay: &Relay, request: Request) -> Result<Response, Refused> {
    let (parts, body) = request.into_parts();
    let (route, path) = match allow::decide(allow::ROUTES, &parts.method, parts.uri.path()) {
        allow::Decision::Allowed(route, path) => (route, path),
        refused => return Err(refuse(&parts.method, parts.uri.path(), refused)),
    };
    let url = relay.url_for(&path, parts.uri.query());
    let bytes = body::read(&parts.headers, body).await?;
    if let Some(check) = route.body
        && let Err(reason) = check(&bytes)
    {
        log_refusal(&parts.method, parts.uri.path(), reason);
        return Err(Failure::new(
            StatusCode::FORBIDDEN,
            "request_not_relayed",
            format!("sm-config serve does not relay this request: {reason}"),
        )
        .into());
    }
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
            None => return Err(missing.into()),
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
    Ok(response
        .body(Body::from(body))
        .map_err(|_| bad_upstream())?)
}

/// A refusal of the allow-list, logged (method, path, reason; never a header) and answered in
/// IBM's error format.
fn refuse(method: &Method, path: &str, decision: allow::Decision<'_>) -> Refused {
    match decision {
        allow::Decision::Malformed(malformed) => {
            log_refusal(method, path, malformed.reason());
            Refused::Failure(Failure::new(
                StatusCode::NOT_FOUND,
                "invalid_path",
                format!(
                    "sm-config serve relays only paths in normal form: {}",
                    malformed.reason()
                ),
            ))
        }
        allow::Decision::WrongMethod(methods) => {
            log_refusal(method, path, "method not on the allow-list");
            let allow = methods
                .iter()
                .map(Method::as_str)
                .collect::<Vec<_>>()
                .join(", ");
            Refused::WrongMethod(
                Failure::new(
                    StatusCode::METHOD_NOT_ALLOWED,
                    "method_not_relayed",
                    format!("sm-config serve relays only {allow} on this path"),
                ),
                allow,
            )
        }
        allow::Decision::NotListed | allow::Decision::Allowed(..) => {
            log_refusal(method, path, "route not on the allow-list");
            Refused::Failure(Failure::new(
                StatusCode::NOT_FOUND,
                "route_not_relayed",
                "sm-config serve relays only the routes the console uses (the configurations api); this is not one of them",
            ))
        }
    }
}

fn log_refusal(method: &Method, path: &str, reason: &str) {
    tracing::info!(
        %method,
        path = %crate::failure::quoted(path),
        reason,
        "request refused"
    );
}

/// A refusal, with the `Allow` header a 405 carries.
enum Refused {
    Failure(Failure),
    WrongMethod(Failure, String),
}

impl From<Failure> for Refused {
    fn from(failure: Failure) -> Refused {
        Refused::Failure(failure)
    }
}

impl IntoResponse for Refused {
    fn into_response(self) -> Response {
        match self {
            Refused::Failure(failure) => failure.into_response(),
            Refused::WrongMethod(failure, allow) => {
                let mut response = failure.into_response();
                if let Ok(value) = HeaderValue::from_str(&allow) {
                    response.headers_mut().insert(header::ALLOW, value);
                }
                response
            }
        }
    }
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
    fn urls_keep_the_upstream_s_host_and_base_path() {
        let r = relay("https://id.us-south.secrets-manager.appdomain.cloud");
        assert_eq!(
            r.url_for("/api/v2/configurations", Some("limit=5&search=a b"))
                .as_str(),
            "https://id.us-south.secrets-manager.appdomain.cloud/api/v2/configurations?limit=5&search=a%20b"
        );
        assert_eq!(
            r.url_for("/api/v2/configurations/a%20b", None).as_str(),
            "https://id.us-south.secrets-manager.appdomain.cloud/api/v2/configurations/a%20b"
        );
        let proxied = relay("http://127.0.0.1:9000/prefix/");
        assert_eq!(
            proxied.url_for("/api/v2/configurations", None).as_str(),
            "http://127.0.0.1:9000/prefix/api/v2/configurations"
        );
    }
}
