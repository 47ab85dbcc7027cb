//! Relay mode: the rows of one allow-list ([`ROUTES`]: the configurations API on the instance,
//! and the prerequisite routes on the instance, Code Engine of the region and IAM) forwarded
//! to their upstream, authenticated with the page's own bearer token or with an IAM token the
//! server gets for its API key. Every request under the table's prefixes goes through the same
//! normalisation, allow-list, body checks and refusal log; the launch token is checked before
//! (see `crate::launch`).

mod allow;
mod iam;

pub(crate) use allow::{Destination, ROUTES};

/// The relay's IAM token source, also used by `sm-config check` (see `crate::facts`).
pub(crate) use iam::Iam as IamTokens;

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
    /// Code Engine's base URL, `{region}` standing for the region.
    code_engine: String,
    /// IAM's base URL for the policy API.
    iam_api: reqwest::Url,
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
        // Until `with_prereq_upstreams` (which `start` always calls, and which refuses a URL
        // that is not http(s)) names the policy API's base: the token exchange's IAM.
        let iam_api = http_url(iam_url).unwrap_or_else(|| upstream.clone());
        Ok(Relay {
            client,
            iam,
            code_engine: crate::config::DEFAULT_CODE_ENGINE_URL.to_owned(),
            iam_api,
            upstream,
        })
    }

    /// The same relay with these Code Engine (`{region}` standing for the region) and IAM
    /// policy base URLs; `Err` names one that is not an http(s) URL.
    pub(crate) fn with_prereq_upstreams(
        mut self,
        code_engine: &str,
        iam_api: &str,
    ) -> Result<Relay, String> {
        // Any region gives the same answer: a region is letters, digits and `-`.
        if http_url(&code_engine.replace("{region}", "us-south")).is_none() {
            return Err(code_engine.to_owned());
        }
        self.code_engine = code_engine.to_owned();
        self.iam_api = http_url(iam_api).ok_or_else(|| iam_api.to_owned())?;
        Ok(self)
    }

    /// The upstream URL for an allowed request: its destination's base URL (for Code Engine,
    /// of the matched region), the path the allow-list matched and re-encoded under the base's
    /// own path, and the request's query.
    fn url_for(
        &self,
        to: Destination,
        forward: &allow::Forward,
        query: Option<&str>,
    ) -> Result<reqwest::Url, Failure> {
        let base = match to {
            Destination::Instance => self.upstream.clone(),
            Destination::Iam => self.iam_api.clone(),
            Destination::CodeEngine => {
                let region = forward.region.as_deref().unwrap_or_default();
                http_url(&self.code_engine.replace("{region}", region)).ok_or_else(|| {
                    Failure::new(
                        StatusCode::BAD_GATEWAY,
                        "upstream_unreachable",
                        "code engine's url for this region could not be built",
                    )
                })?
            }
        };
        let mut url = base.clone();
        let base_path = base.path().trim_end_matches('/');
        url.set_path(&format!("{base_path}{}", forward.path));
        url.set_query(query);
        url.set_fragment(None);
        Ok(url)
    }
}

/// `url` when it is an http(s) URL with a host.
fn http_url(url: &str) -> Option<reqwest::Url> {
    reqwest::Url::parse(url)
        .ok()
        .filter(|u| matches!(u.scheme(), "http" | "https") && u.host().is_some())
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
    let (route, forward) = match allow::decide(allow::ROUTES, &parts.method, parts.uri.path()) {
        allow::Decision::Allowed(route, forward) => (route, forward),
        refused => return Err(refuse(&parts.method, parts.uri.path(), refused)),
    };
    let url = relay.url_for(route.to, &forward, parts.uri.query())?;
    let bytes = body::read(&parts.headers, body).await?;
    if let Some(check) = route.body
        && let Err(reason) = check(&bytes)
    {
        log_refusal(&parts.method, parts.uri.path(), reason);
        // 400 and the services' own code for a body they would not take.
        return Err(Failure::new(
            StatusCode::BAD_REQUEST,
            "invalid_body",
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
                format!("{} did not answer in time", route.to.name()),
            )
        } else {
            Failure::new(
                StatusCode::BAD_GATEWAY,
                "upstream_unreachable",
                format!("{} could not be reached", route.to.name()),
            )
        }
    })?;
    let status = upstream.status();
    tracing::debug!(
        method = %parts.method,
        route = route.pattern,
        to = route.to.name(),
        status = status.as_u16(),
        "relayed"
    );
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
    let body = read_capped(upstream, route.to).await?;
    Ok(response
        .body(Body::from(body))
        .map_err(|_| bad_upstream(route.to))?)
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
                "sm-config serve relays only the routes sm-config uses (the configurations api, and the reads and creates of its prerequisite check); this is not one of them",
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

fn bad_upstream(to: Destination) -> Failure {
    Failure::new(
        StatusCode::BAD_GATEWAY,
        "upstream_answer_unreadable",
        format!("the answer of {} could not be read", to.name()),
    )
}

async fn read_capped(mut upstream: reqwest::Response, to: Destination) -> Result<Vec<u8>, Failure> {
    let mut body = Vec::new();
    while let Some(chunk) = upstream.chunk().await.map_err(|_| bad_upstream(to))? {
        if body.len() + chunk.len() > MAX_UPSTREAM_BYTES {
            return Err(bad_upstream(to));
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

    fn instance(r: &Relay, path: &str, query: Option<&str>) -> String {
        let forward = allow::Forward {
            path: path.to_owned(),
            region: None,
        };
        r.url_for(Destination::Instance, &forward, query)
            .expect("url")
            .to_string()
    }

    #[test]
    fn urls_keep_the_upstream_s_host_and_base_path() {
        let r = relay("https://id.us-south.secrets-manager.appdomain.cloud");
        assert_eq!(
            instance(&r, "/api/v2/configurations", Some("limit=5&search=a b")),
            "https://id.us-south.secrets-manager.appdomain.cloud/api/v2/configurations?limit=5&search=a%20b"
        );
        assert_eq!(
            instance(&r, "/api/v2/configurations/a%20b", None),
            "https://id.us-south.secrets-manager.appdomain.cloud/api/v2/configurations/a%20b"
        );
        let proxied = relay("http://127.0.0.1:9000/prefix/");
        assert_eq!(
            instance(&proxied, "/api/v2/configurations", None),
            "http://127.0.0.1:9000/prefix/api/v2/configurations"
        );
    }

    #[test]
    fn prerequisite_urls_go_to_code_engine_of_the_region_and_iam() {
        let r = relay("https://id.eu-de.secrets-manager.appdomain.cloud")
            .with_prereq_upstreams(
                crate::config::PRIVATE_CODE_ENGINE_URL,
                "https://private.iam.cloud.ibm.com/",
            )
            .expect("urls");
        let forward = |path: &str, region: Option<&str>| allow::Forward {
            path: path.to_owned(),
            region: region.map(str::to_owned),
        };
        assert_eq!(
            r.url_for(
                Destination::CodeEngine,
                &forward("/v2/projects/p%20q/jobs", Some("eu-de")),
                Some("limit=5")
            )
            .expect("url")
            .as_str(),
            "https://api.private.eu-de.codeengine.cloud.ibm.com/v2/projects/p%20q/jobs?limit=5"
        );
        assert_eq!(
            r.url_for(Destination::Iam, &forward("/v1/policies", None), None)
                .expect("url")
                .as_str(),
            "https://private.iam.cloud.ibm.com/v1/policies"
        );
        for (code_engine, iam) in [
            ("ftp://{region}.example", "https://iam.cloud.ibm.com"),
            ("not a url", "https://iam.cloud.ibm.com"),
            (crate::config::DEFAULT_CODE_ENGINE_URL, "file:///etc"),
        ] {
            assert!(
                relay("https://id.eu-de.secrets-manager.appdomain.cloud")
                    .with_prereq_upstreams(code_engine, iam)
                    .is_err(),
                "{code_engine} {iam}"
            );
        }
    }
}
