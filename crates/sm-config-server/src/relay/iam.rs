//! IAM access tokens for the relay, exchanged for the server's API key, cached, and refreshed
//! at 80 % of their life by one request while the others wait for it (single flight).

use crate::secret::Secret;
use serde::Deserialize;
use std::time::{Duration, Instant};
use tokio::sync::Mutex;

/// The API key grant type **\[S\]**.
const GRANT_TYPE: &str = "urn:ibm:params:oauth:grant-type:apikey";

/// Why no token could be had. No variant carries the key or a token.
#[derive(Debug, thiserror::Error)]
pub(crate) enum IamError {
    /// IAM did not answer.
    #[error("iam could not be reached")]
    Unreachable,
    /// IAM refused the exchange (e.g. an unknown or disabled API key).
    #[error("iam refused the api key exchange (status {status}{})", code.as_deref().map(|c| format!(", {c}")).unwrap_or_default())]
    Refused {
        /// IAM's HTTP status.
        status: u16,
        /// IAM's `errorCode` (`BXNIM0415E`), when it gave one.
        code: Option<String>,
    },
    /// IAM answered 2xx without a usable token.
    #[error("iam's answer has no access token")]
    Malformed,
}

#[derive(Deserialize)]
struct TokenAnswer {
    access_token: String,
    #[serde(default)]
    expires_in: u64,
}

#[derive(Clone)]
struct Cached {
    token: Secret,
    refresh_at: Instant,
}

/// Exchanges the API key at IAM and caches the token.
pub(crate) struct Iam {
    client: reqwest::Client,
    token_url: String,
    api_key: Secret,
    cache: Mutex<Option<Cached>>,
}

impl std::fmt::Debug for Iam {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("Iam")
            .field("token_url", &self.token_url)
            .field("api_key", &self.api_key)
            .finish_non_exhaustive()
    }
}

impl Iam {
    /// A token source for `api_key` at IAM `iam_url` (`https://iam.cloud.ibm.com`).
    pub(crate) fn new(client: reqwest::Client, iam_url: &str, api_key: Secret) -> Iam {
        Iam {
            client,
            token_url: format!("{}/identity/token", iam_url.trim_end_matches('/')),
            api_key,
            cache: Mutex::new(None),
        }
    }

    /// A valid token: the cached one, or a fresh one when it is at 80 % of its life.
    ///
    /// The lock is held across the exchange, so concurrent callers wait for one exchange
    /// instead of each making their own.
    pub(crate) async fn token(&self) -> Result<Secret, IamError> {
        let mut cache = self.cache.lock().await;
        if let Some(cached) = cache.as_ref()
            && Instant::now() < cached.refresh_at
        {
            return Ok(cached.token.clone());
        }
        let fresh = self.exchange().await?;
        *cache = Some(fresh.clone());
        Ok(fresh.token)
    }

    /// Forgets the cached token if it is still `token` (the upstream refused it).
    pub(crate) async fn invalidate(&self, token: &Secret) {
        let mut cache = self.cache.lock().await;
        if cache.as_ref().is_some_and(|c| &c.token == token) {
            *cache = None;
        }
    }

    async fn exchange(&self) -> Result<Cached, IamError> {
        let started = Instant::now();
        let form = form_urlencoded::Serializer::new(String::new())
            .append_pair("grant_type", GRANT_TYPE)
            .append_pair("apikey", self.api_key.expose())
            .finish();
        let response = self
            .client
            .post(&self.token_url)
            .header(
                reqwest::header::CONTENT_TYPE,
                "application/x-www-form-urlencoded",
            )
            .header(reqwest::header::ACCEPT, "application/json")
            .body(form)
            .send()
            .await
            .map_err(|e| {
                // reqwest's message names the URL only; the key is in the body it does not show.
                tracing::warn!(error = %e.without_url(), "iam token exchange failed");
                IamError::Unreachable
            })?;
        let status = response.status();
        let body = response.bytes().await.map_err(|_| IamError::Unreachable)?;
        if !status.is_success() {
            let code = serde_json::from_slice::<serde_json::Value>(&body)
                .ok()
                .and_then(|v| v.get("errorCode")?.as_str().map(str::to_owned))
                .filter(|c| c.len() <= 32 && c.chars().all(|ch| ch.is_ascii_alphanumeric()));
            let error = IamError::Refused {
                status: status.as_u16(),
                code,
            };
            tracing::warn!(%error, "iam token exchange refused");
            return Err(error);
        }
        let answer: TokenAnswer = serde_json::from_slice(&body).map_err(|_| IamError::Malformed)?;
        if answer.access_token.is_empty() {
            return Err(IamError::Malformed);
        }
        let life = Duration::from_secs(answer.expires_in);
        tracing::info!(expires_in = answer.expires_in, "iam token obtained");
        Ok(Cached {
            token: Secret::new(answer.access_token),
            refresh_at: started + life.mul_f64(0.8),
        })
    }
}
