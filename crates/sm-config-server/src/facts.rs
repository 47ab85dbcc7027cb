//! Fetching the facts a prerequisite check needs (`sm-config check`): from a running
//! `sm-config serve` (emulator or relay) or straight from IBM with an API key, with the same
//! reqwest client and IAM token exchange the relay uses. The rules are the core's
//! ([`sm_config::prereq::check_prerequisites`]); this module only reads.

use crate::relay::IamTokens;
use crate::secret::Secret;
use crate::status::Status;
use sm_config::prereq::{
    Fact, Facts, Job, Needs, PolicyList, Project, SecretMetadata, crn_account, read,
};
use sm_config::{Configuration, ConfigurationList, Target};
use std::time::Duration;

/// How long one request may take.
const REQUEST_TIMEOUT: Duration = Duration::from_secs(30);
/// At most this many pages are read of a list (a runaway `next` must not loop forever).
const MAX_PAGES: usize = 100;
/// The token sent to an emulator, which takes any token (it holds nothing worth protecting).
pub(crate) const EMULATOR_TOKEN: &str = "sm-config-check";

/// Where the facts come from.
#[derive(Debug, Clone)]
pub enum FactSource {
    /// A running `sm-config serve` at this base URL (`http://127.0.0.1:8080`); its own routes
    /// (`/codeengine/…`, `/iam/…`, `/api/v2/…`) reach the upstreams.
    Server {
        /// The server's base URL.
        url: String,
        /// The bearer token to send; `None` lets a relay use its own credential.
        token: Option<Secret>,
        /// The server's launch token (a relay that holds a credential answers only requests
        /// that carry it), sent in [`crate::LAUNCH_TOKEN_HEADER`].
        launch_token: Option<Secret>,
    },
    /// IBM itself, with an IAM token for this API key.
    Ibm {
        /// The API key (from `IBMCLOUD_API_KEY`).
        api_key: Secret,
        /// IAM (`https://iam.cloud.ibm.com`), for tokens and policies.
        iam_url: String,
        /// Code Engine, `{region}` standing for the region.
        code_engine_url: String,
        /// The instance's base URL; `None`: the target's own
        /// (`https://{id}[.private].{region}.secrets-manager.appdomain.cloud`).
        instance_url: Option<String>,
    },
}

/// Why the facts could not be fetched at all (before any single fact was asked for).
#[derive(Debug, thiserror::Error)]
pub enum FetchError {
    /// The HTTP client could not be built.
    #[error("the http client could not be set up")]
    Client,
    /// The server's status could not be read.
    #[error("cannot read {url}/sm-config/status: {reason}")]
    Status {
        /// The server.
        url: String,
        /// Why.
        reason: String,
    },
    /// IAM refused or could not be reached.
    #[error("cannot get an iam token for IBMCLOUD_API_KEY: {0}")]
    Token(String),
}

/// A client for facts.
#[derive(Debug)]
pub struct Fetcher {
    client: reqwest::Client,
    source: FactSource,
    token: Option<Secret>,
}

/// The HTTP client facts are read with: no redirects, bounded waits.
pub(crate) fn client() -> Result<reqwest::Client, FetchError> {
    reqwest::Client::builder()
        .connect_timeout(Duration::from_secs(10))
        .timeout(REQUEST_TIMEOUT)
        .redirect(reqwest::redirect::Policy::none())
        .build()
        .map_err(|_| FetchError::Client)
}

/// What a running server says about itself (`GET /sm-config/status`), asked with its launch
/// token when there is one (without it, a relay that needs one says `authorized: false` and
/// names no instance).
pub async fn server_status(url: &str, launch_token: Option<&Secret>) -> Result<Status, FetchError> {
    let client = client()?;
    let url = url.trim_end_matches('/');
    let failed = |reason: String| FetchError::Status {
        url: url.to_owned(),
        reason,
    };
    let mut request = client.get(format!("{url}/sm-config/status"));
    if let Some(launch) = launch_token {
        request = request.header(crate::LAUNCH_TOKEN_HEADER, launch.expose());
    }
    let response = request
        .send()
        .await
        .map_err(|e| failed(e.without_url().to_string()))?;
    if !response.status().is_success() {
        return Err(failed(format!("status {}", response.status().as_u16())));
    }
    let bytes = response
        .bytes()
        .await
        .map_err(|e| failed(e.without_url().to_string()))?;
    serde_json::from_slice(&bytes).map_err(|e| failed(format!("not a status answer: {e}")))
}

impl Fetcher {
    /// A fetcher for `source`; for IBM, exchanges the API key for a token first.
    pub async fn new(source: FactSource) -> Result<Fetcher, FetchError> {
        let client = client()?;
        let token = match &source {
            FactSource::Server { token, .. } => token.clone(),
            FactSource::Ibm {
                api_key, iam_url, ..
            } => Some(
                IamTokens::new(client.clone(), iam_url, api_key.clone())
                    .token()
                    .await
                    .map_err(|e| FetchError::Token(e.to_string()))?,
            ),
        };
        Ok(Fetcher {
            client,
            source,
            token,
        })
    }

    /// A fetcher that reads through the server at `url` with `client` (the server's own check
    /// route, which keeps one client for all checks).
    pub(crate) fn through_server(
        client: reqwest::Client,
        url: &str,
        token: Option<Secret>,
        launch_token: Option<Secret>,
    ) -> Fetcher {
        Fetcher {
            client,
            source: FactSource::Server {
                url: url.trim_end_matches('/').to_owned(),
                token: token.clone(),
                launch_token,
            },
            token,
        }
    }

    /// A fetcher for a server whose status is `status`: an emulator gets a made-up token, a
    /// relay the IAM token for `api_key` when there is one, else none (it uses its own).
    /// `launch_token` goes with every request.
    pub async fn for_server(
        url: &str,
        status: &Status,
        api_key: Option<Secret>,
        iam_url: &str,
        launch_token: Option<Secret>,
    ) -> Result<Fetcher, FetchError> {
        let token = if status.is_emulator() {
            Some(Secret::new(EMULATOR_TOKEN))
        } else {
            match api_key {
                Some(key) => Some(
                    IamTokens::new(client()?, iam_url, key)
                        .token()
                        .await
                        .map_err(|e| FetchError::Token(e.to_string()))?,
                ),
                None => None,
            }
        };
        Fetcher::new(FactSource::Server {
            url: url.trim_end_matches('/').to_owned(),
            token,
            launch_token,
        })
        .await
    }

    /// The account of the IAM token (its `account.bss` claim), when the token is a JWT.
    pub fn token_account(&self) -> Option<String> {
        let token = self.token.as_ref()?.expose();
        let payload = token.split('.').nth(1)?;
        let bytes = base64url(payload)?;
        let claims: serde_json::Value = serde_json::from_slice(&bytes).ok()?;
        claims["account"]["bss"].as_str().map(str::to_owned)
    }

    fn code_engine(&self, region: &str) -> String {
        match &self.source {
            FactSource::Server { url, .. } => format!("{url}/codeengine/{region}/v2"),
            FactSource::Ibm {
                code_engine_url, ..
            } => format!(
                "{}/v2",
                code_engine_url
                    .replace("{region}", region)
                    .trim_end_matches('/')
            ),
        }
    }

    fn iam(&self) -> String {
        match &self.source {
            FactSource::Server { url, .. } => format!("{url}/iam"),
            FactSource::Ibm { iam_url, .. } => iam_url.trim_end_matches('/').to_owned(),
        }
    }

    fn instance(&self, target: &Target) -> String {
        match &self.source {
            FactSource::Server { url, .. } => url.clone(),
            FactSource::Ibm { instance_url, .. } => instance_url
                .as_deref()
                .map_or_else(|| target.base_url(), |u| u.trim_end_matches('/').to_owned()),
        }
    }

    /// `GET url`: the body of a 200, `Ok(None)` for a 404, `Err` for anything else.
    async fn get(&self, url: &str) -> Result<Option<Vec<u8>>, String> {
        let mut request = self
            .client
            .get(url)
            .header(reqwest::header::ACCEPT, "application/json");
        if let Some(token) = &self.token {
            request = request.bearer_auth(token.expose());
        }
        if let FactSource::Server {
            launch_token: Some(launch),
            ..
        } = &self.source
        {
            request = request.header(crate::LAUNCH_TOKEN_HEADER, launch.expose());
        }
        let shown = url.split('?').next().unwrap_or(url).to_owned();
        let response = request.send().await.map_err(|e| {
            if e.is_timeout() {
                format!("{shown} did not answer in {} s", REQUEST_TIMEOUT.as_secs())
            } else {
                format!("{shown} could not be reached")
            }
        })?;
        let status = response.status();
        let bytes = response
            .bytes()
            .await
            .map_err(|_| format!("the answer of {shown} could not be read"))?;
        if status == reqwest::StatusCode::NOT_FOUND {
            return Ok(None);
        }
        if !status.is_success() {
            let detail = serde_json::from_slice::<serde_json::Value>(&bytes)
                .ok()
                .and_then(|v| v["errors"][0]["message"].as_str().map(str::to_owned))
                .map(|m| format!(": {}", m.chars().take(200).collect::<String>()))
                .unwrap_or_default();
            return Err(format!("{shown} answered {}{detail}", status.as_u16()));
        }
        Ok(Some(bytes.to_vec()))
    }

    async fn one<T: serde::de::DeserializeOwned>(&self, what: &'static str, url: &str) -> Fact<T> {
        match self.get(url).await {
            Ok(Some(bytes)) => Fact::from_result(read::<T>(what, &bytes)),
            Ok(None) => Fact::Missing,
            Err(reason) => Fact::Unknown(reason),
        }
    }

    /// Every fact `needs` lists, each on its own: one that cannot be read is
    /// [`Fact::Unknown`] with the reason, and the others are still fetched.
    pub async fn facts(&self, needs: &Needs, target: &Target) -> Facts {
        let mut facts = Facts {
            instance_account: self.token_account(),
            ..Facts::default()
        };
        if let (Some(region), Some(project)) = (&needs.region, &needs.project_id) {
            let base = self.code_engine(region);
            facts.project = self
                .one::<Project>("code engine project", &format!("{base}/projects/{project}"))
                .await;
            if let Some(job) = &needs.job_name {
                facts.job = self
                    .one::<Job>(
                        "code engine job",
                        &format!("{base}/projects/{project}/jobs/{job}"),
                    )
                    .await;
            }
        }
        if let Some(secret) = &needs.secret_id {
            facts.secret = self
                .one::<SecretMetadata>(
                    "iam credentials secret",
                    &format!("{}/api/v2/secrets/{secret}/metadata", self.instance(target)),
                )
                .await;
            if facts.instance_account.is_none()
                && let Some(s) = facts.secret.known()
            {
                facts.instance_account = s.crn.as_deref().and_then(crn_account).map(str::to_owned);
            }
        }
        if needs.configurations {
            facts.configurations = self.configurations(target).await;
        }
        if needs.policies
            && let Some(account) = facts.project.known().and_then(Project::account)
        {
            facts.policies = self.policies(account).await;
        }
        facts
    }

    async fn configurations(&self, target: &Target) -> Fact<Vec<Configuration>> {
        let base = format!("{}/api/v2/configurations", self.instance(target));
        let mut all = Vec::new();
        let mut offset = 0u64;
        for _ in 0..MAX_PAGES {
            let page: ConfigurationList = match self
                .get(&format!("{base}?limit=1000&offset={offset}"))
                .await
            {
                Ok(Some(bytes)) => match read("configurations list", &bytes) {
                    Ok(p) => p,
                    Err(e) => return Fact::Unknown(e.to_string()),
                },
                Ok(None) => return Fact::Missing,
                Err(reason) => return Fact::Unknown(reason),
            };
            let n = page.configurations.len() as u64;
            all.extend(page.configurations);
            offset += n;
            if n == 0 || offset >= page.total_count {
                return Fact::Known(all);
            }
        }
        Fact::Unknown(format!(
            "the configurations list has more than {MAX_PAGES} pages"
        ))
    }

    async fn policies(&self, account: &str) -> Fact<Vec<sm_config::prereq::Policy>> {
        let base = format!("{}/v1/policies", self.iam());
        let mut all = Vec::new();
        let mut start: Option<String> = None;
        for _ in 0..MAX_PAGES {
            // Built in a block: the serializer is not `Send`, and the server's check route
            // needs this future to be.
            let query = {
                let mut q = form_urlencoded::Serializer::new(String::new());
                q.append_pair("account_id", account)
                    .append_pair("type", "authorization")
                    .append_pair("state", "active")
                    .append_pair("limit", "100");
                if let Some(s) = &start {
                    q.append_pair("start", s);
                }
                q.finish()
            };
            let page: PolicyList = match self.get(&format!("{base}?{query}")).await {
                Ok(Some(bytes)) => match read("iam policy list", &bytes) {
                    Ok(p) => p,
                    Err(e) => return Fact::Unknown(e.to_string()),
                },
                Ok(None) => return Fact::Unknown(format!("{base} answered 404")),
                Err(reason) => return Fact::Unknown(reason),
            };
            all.extend(page.policies);
            match page.next.and_then(|n| n.start) {
                Some(next) if Some(&next) != start.as_ref() => start = Some(next),
                _ => return Fact::Known(all),
            }
        }
        Fact::Unknown(format!("the policy list has more than {MAX_PAGES} pages"))
    }
}

/// Decodes unpadded base64url (a JWT segment); `None` for anything else.
fn base64url(s: &str) -> Option<Vec<u8>> {
    let value = |c: u8| -> Option<u32> {
        Some(match c {
            b'A'..=b'Z' => c - b'A',
            b'a'..=b'z' => c - b'a' + 26,
            b'0'..=b'9' => c - b'0' + 52,
            b'-' => 62,
            b'_' => 63,
            _ => return None,
        } as u32)
    };
    let bytes = s.trim_end_matches('=').as_bytes();
    let mut out = Vec::with_capacity(bytes.len() * 3 / 4);
    for chunk in bytes.chunks(4) {
        let mut n = 0u32;
        for (i, c) in chunk.iter().enumerate() {
            n |= value(*c)? << (18 - 6 * i);
        }
        let full = [(n >> 16) as u8, (n >> 8) as u8, n as u8];
        match chunk.len() {
            4 => out.extend_from_slice(&full),
            3 => out.extend_from_slice(&full[..2]),
            2 => out.push(full[0]),
            _ => return None,
        }
    }
    Some(out)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn reads_the_account_of_a_jwt() {
        assert_eq!(base64url("aGVsbG8").as_deref(), Some(&b"hello"[..]));
        assert_eq!(base64url("aGk").as_deref(), Some(&b"hi"[..]));
        assert_eq!(base64url("a"), None);
        assert_eq!(base64url("a*"), None);
        // {"account":{"bss":"abc123"}}
        let fetcher = Fetcher {
            client: reqwest::Client::new(),
            source: FactSource::Server {
                url: "http://x".to_owned(),
                token: None,
                launch_token: None,
            },
            token: Some(Secret::new("h.eyJhY2NvdW50Ijp7ImJzcyI6ImFiYzEyMyJ9fQ.s")),
        };
        assert_eq!(fetcher.token_account().as_deref(), Some("abc123"));
    }
}
