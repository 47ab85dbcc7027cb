//! Starting a server in this process: bind, assemble the routes and guards, serve until told
//! to stop.

use crate::config::{Config, Mode};
use crate::emulator::{DataFile, Emulator};
use crate::failure::Failure;
use crate::guard::{self, HostPolicy};
use crate::launch::{self, LaunchToken};
use crate::relay::Relay;
use crate::status::{self, Status};
use crate::{ServeError, hosting};
use axum::Router;
use axum::http::{HeaderMap, HeaderValue, StatusCode, header};
use axum::middleware::from_fn_with_state;
use axum::response::IntoResponse;
use axum::routing::{any, get, post};
use axum::serve::ListenerExt;
use std::net::SocketAddr;
use std::path::PathBuf;
use std::sync::Arc;
use std::time::Duration;
use tokio::net::TcpListener;
use tokio::sync::oneshot;
use tokio::task::JoinHandle;
use tower_http::set_header::SetResponseHeaderLayer;
use tower_http::trace::{DefaultMakeSpan, DefaultOnResponse, TraceLayer};
use tracing::Level;

/// How long a shutdown waits for requests in flight before it drops them.
const SHUTDOWN_GRACE: Duration = Duration::from_secs(10);

/// A server running in this process.
#[derive(Debug)]
pub struct Running {
    addr: SocketAddr,
    summary: Vec<String>,
    stop: oneshot::Sender<()>,
    task: JoinHandle<std::io::Result<()>>,
    launch: Option<LaunchToken>,
    token_file: Option<PathBuf>,
}

impl Running {
    /// The address it listens on (the real port when 0 was asked for).
    pub fn addr(&self) -> SocketAddr {
        self.addr
    }

    /// `http://ADDR:PORT`.
    pub fn url(&self) -> String {
        format!("http://{}", self.addr)
    }

    /// The URL to open the console at: [`Running::url`], and when the server holds a
    /// credential, `/#token=` and the launch token. It grants the server's access: show it
    /// only to whoever started the server.
    pub fn console_url(&self) -> String {
        match &self.launch {
            Some(token) => format!(
                "{}/#{}={}",
                self.url(),
                launch::FRAGMENT_KEY,
                token.expose()
            ),
            None => self.url(),
        }
    }

    /// Whether API requests must carry the launch token.
    pub fn needs_launch_token(&self) -> bool {
        self.launch.is_some()
    }

    /// A few lines describing the emulated world (empty for a relay), which `serve` prints
    /// after the line with the URL.
    pub fn summary(&self) -> &[String] {
        &self.summary
    }

    /// Stops accepting, lets requests in flight finish (up to 10 s), removes the token file,
    /// and returns.
    pub async fn shutdown(self) -> Result<(), ServeError> {
        // The token dies with the server; its file should not outlive it.
        if let Some(path) = &self.token_file
            && let Err(e) = std::fs::remove_file(path)
            && e.kind() != std::io::ErrorKind::NotFound
        {
            tracing::warn!(path = %path.display(), error = %e, "the token file could not be removed");
        }
        // The receiver is gone only if the server already stopped, which the join reports.
        let _ = self.stop.send(());
        let mut task = self.task;
        match tokio::time::timeout(SHUTDOWN_GRACE, &mut task).await {
            Ok(Ok(result)) => result.map_err(ServeError::Serve),
            Ok(Err(join)) => Err(ServeError::Serve(std::io::Error::other(join))),
            Err(_) => {
                task.abort();
                tracing::warn!("requests still running after the grace period were dropped");
                Ok(())
            }
        }
    }
}

/// Binds `config.listen` and serves in the background until [`Running::shutdown`].
pub async fn start(config: Config) -> Result<Running, ServeError> {
    if let Some(dist) = &config.dist
        && !dist.is_dir()
    {
        return Err(ServeError::Dist(dist.clone()));
    }
    let launch = if config.holds_credential() {
        Some(LaunchToken::generate().map_err(|_| ServeError::Random)?)
    } else {
        None
    };
    let summary;
    // The emulated instance's account, for the check route (a relay learns it from tokens).
    let mut world_account = None;
    let api = match &config.mode {
        Mode::Emulator => {
            let (start_world, source) = match &config.world {
                Some(path) => {
                    let path = path.clone();
                    let shown = path.display().to_string();
                    let world = tokio::task::spawn_blocking(move || read_world(&path))
                        .await
                        .map_err(|e| ServeError::Serve(std::io::Error::other(e)))??;
                    (world, format!("from {shown}"))
                }
                None => (
                    crate::world::default_world(),
                    "built-in default (`sm-config world` prints it)".to_owned(),
                ),
            };
            let ((items, added), file) = match &config.data {
                Some(path) => {
                    let path = path.clone();
                    let (file, stored) = tokio::task::spawn_blocking(move || DataFile::open(&path))
                        .await
                        .map_err(|e| ServeError::Serve(std::io::Error::other(e)))??;
                    (stored, Some(file))
                }
                None => ((Vec::new(), crate::world::Added::default()), None),
            };
            let world =
                crate::world::apply(start_world, &added).map_err(|error| ServeError::World {
                    path: config.data.clone().unwrap_or_default(),
                    error,
                })?;
            summary = crate::world::summary(&world, &source);
            world_account = Some(world.account_id.clone());
            let state = crate::emulator::EmulatorState {
                configurations: items,
                world,
                added,
            };
            crate::emulator::routes(Arc::new(Emulator::new(state, file)))
        }
        Mode::Relay(relay) => {
            // Said at start, so nobody takes a relay (perhaps chosen by SECRETS_MANAGER_URL in
            // the environment) for the emulator.
            summary = vec![format!(
                "sm-config serve: relay to {}: requests reach this instance, {}",
                relay.upstream,
                if relay.api_key.is_some() {
                    "with the server's api key"
                } else {
                    "with the token the page sends"
                }
            )];
            let upstream = reqwest::Url::parse(&relay.upstream)
                .ok()
                .filter(|u| matches!(u.scheme(), "http" | "https") && u.host().is_some())
                .ok_or_else(|| ServeError::Upstream(relay.upstream.clone()))?;
            // The relay's own timeout is shorter, so a slow instance gets a 504, not a 408.
            let upstream_timeout = config.request_timeout.mul_f64(0.9);
            let relay = Relay::new(
                upstream,
                relay.api_key.clone(),
                &relay.iam_url,
                upstream_timeout,
            )
            .map_err(|_| ServeError::HttpClient)?
            .with_prereq_upstreams(&relay.code_engine_base(), &relay.iam_policy_base())
            .map_err(ServeError::Upstream)?;
            crate::relay::routes(Arc::new(relay))
        }
    };
    let listener = TcpListener::bind(config.listen)
        .await
        .map_err(|source| ServeError::Bind {
            addr: config.listen,
            source,
        })?;
    let addr = listener.local_addr().map_err(ServeError::Serve)?;
    if !addr.ip().is_loopback() {
        tracing::warn!(%addr, "listening on a non-loopback address: other machines can reach this server");
    }
    let token_file = match (&config.token_file, &launch) {
        (Some(path), Some(token)) => {
            token
                .write_file(path)
                .map_err(|source| ServeError::TokenFile {
                    path: path.clone(),
                    source,
                })?;
            Some(path.clone())
        }
        (Some(_), None) => return Err(ServeError::TokenFileUnused),
        (None, _) => None,
    };
    let status = status::of(&config);
    let check = Arc::new(check_route(addr, &status, launch.as_ref(), world_account)?);
    tracing::info!(
        %addr,
        mode = %status.mode,
        upstream = status.upstream.as_deref().unwrap_or(""),
        credentials = status.credentials,
        launch_token = launch.is_some(),
        data = ?config.data,
        dist = ?config.dist,
        "sm-config serve started"
    );
    // Everything that uses the API, and every route later added to it, sits behind the launch
    // token when there is one; only the page's files and its status stay open, for the page to
    // boot and say how to get in.
    let mut api = Router::new()
        .route("/api", any(api_not_found))
        .route("/api/{*rest}", any(api_not_found))
        .merge(api)
        .route(
            crate::check::CHECK_PATH,
            post(crate::check::check).with_state(check.clone()),
        )
        .route(
            crate::secret_fix::SECRET_FIX_PATH,
            post(crate::secret_fix::secret_fix).with_state(check),
        );
    if let Some(token) = &launch {
        api = api.layer(from_fn_with_state(token.clone(), launch::require));
    }
    let status_token = launch.clone();
    let app = Router::new()
        .route(
            "/sm-config/status",
            get(move |headers: HeaderMap| {
                let status = match &status_token {
                    Some(token) if token.check(&headers).is_err() => status.unauthorized(),
                    _ => status.clone(),
                };
                async move { axum::Json(status) }
            }),
        )
        .merge(api)
        .method_not_allowed_fallback(method_not_allowed)
        .fallback_service(hosting::routes(config.dist.as_deref(), &config.csp))
        .layer(from_fn_with_state(config.request_timeout, guard::timeout))
        .layer(from_fn_with_state(HostPolicy::new(addr), guard::check))
        .layer(SetResponseHeaderLayer::overriding(
            header::X_CONTENT_TYPE_OPTIONS,
            HeaderValue::from_static("nosniff"),
        ))
        .layer(
            TraceLayer::new_for_http()
                .make_span_with(DefaultMakeSpan::new().level(Level::DEBUG))
                .on_response(DefaultOnResponse::new().level(Level::DEBUG)),
        );
    let (stop, stopped) = oneshot::channel::<()>();
    let listener = listener.tap_io(|tcp| {
        // Small answers must not wait for Nagle's algorithm.
        let _ = tcp.set_nodelay(true);
    });
    let server = axum::serve(listener, app).with_graceful_shutdown(async move {
        let _ = stopped.await;
    });
    let task = tokio::spawn(async move { server.await });
    Ok(Running {
        addr,
        summary,
        stop,
        task,
        launch,
        token_file,
    })
}

/// The check route's state: it reads through this server at `addr` (over loopback when
/// listening on every address), with the launch token when there is one.
fn check_route(
    addr: SocketAddr,
    status: &Status,
    launch: Option<&LaunchToken>,
    world_account: Option<String>,
) -> Result<crate::check::CheckRoute, ServeError> {
    let ip = match addr.ip() {
        std::net::IpAddr::V4(ip) if ip.is_unspecified() => std::net::Ipv4Addr::LOCALHOST.into(),
        std::net::IpAddr::V6(ip) if ip.is_unspecified() => std::net::Ipv6Addr::LOCALHOST.into(),
        ip => ip,
    };
    let instance = match (&status.instance_id, &status.region) {
        (Some(id), Some(region)) => Some(sm_config::Target::new(
            id.clone(),
            region.clone(),
            status
                .endpoint
                .as_deref()
                .and_then(|e| e.parse().ok())
                .unwrap_or_default(),
        )),
        _ => None,
    };
    Ok(crate::check::CheckRoute {
        client: crate::facts::client().map_err(|_| ServeError::HttpClient)?,
        base: format!("http://{}", SocketAddr::new(ip, addr.port())),
        launch: launch.map(|t| crate::Secret::new(t.expose())),
        emulator: status.mode == "emulator",
        instance,
        instance_account: world_account,
    })
}

/// Reads and checks a `--world` file.
fn read_world(path: &std::path::Path) -> Result<crate::world::World, ServeError> {
    use std::io::Read;
    let file = std::fs::File::open(path).map_err(|source| ServeError::WorldRead {
        path: path.to_owned(),
        source,
    })?;
    let mut bytes = Vec::new();
    // One byte over the limit tells "too large" apart without reading a huge file whole.
    file.take(crate::world::MAX_WORLD_BYTES as u64 + 1)
        .read_to_end(&mut bytes)
        .map_err(|source| ServeError::WorldRead {
            path: path.to_owned(),
            source,
        })?;
    crate::world::parse_world(&bytes).map_err(|error| ServeError::World {
        path: path.to_owned(),
        error,
    })
}

async fn api_not_found() -> impl IntoResponse {
    Failure::new(
        StatusCode::NOT_FOUND,
        "not_found",
        "no such api route: the api is /api/v2/configurations[/{name}], /api/v2/secrets[/{id}/metadata] and /api/v2/secret_groups",
    )
}

async fn method_not_allowed() -> impl IntoResponse {
    Failure::new(
        StatusCode::METHOD_NOT_ALLOWED,
        "method_not_allowed",
        "this route does not take that method",
    )
}
