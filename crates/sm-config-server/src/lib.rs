//! `sm-config serve`: a local server that emulates the Secrets Manager configurations API,
//! relays it to a real instance, and hosts the console page.
//!
//! A browser page cannot call IBM directly (IAM sends no CORS headers, and an API key must not
//! live in a page), and someone without an IBM account must still be able to try everything:
//! this server does both. It is a library so tests and tools start it in-process
//! ([`start`]); the `sm-config` binary's `serve` subcommand calls [`serve_blocking`].
//!
//! # Routes
//!
//! - `/api/v2/configurations` (POST create, GET list) and `/api/v2/configurations/{name}`
//!   (GET, PATCH with `application/merge-patch+json`, DELETE). In emulator mode (the default)
//!   a made-up instance answers them with the service's rules, checked by the core's
//!   validator, and IBM's error container (`{"errors":[{code,message,target?}],"trace",
//!   "status_code"}`) for every error. In relay mode (`--instance-id ID --region R
//!   [--endpoint private]` or `--upstream URL`) they are forwarded to the instance, with the
//!   page's own bearer token or an IAM token for the `IBMCLOUD_API_KEY` the server holds.
//! - The prerequisites' routes, as the services have them: `/api/v2/secrets` (GET list; POST
//!   create, `secret_type: iam_credentials` only), `/api/v2/secrets/{id}/metadata` (GET),
//!   `/api/v2/secret_groups` (GET), `/codeengine/{region}/v2/projects[/{id}[/jobs[/{name}]]]`
//!   (GET) and `/iam/v1/policies` (GET; POST, `type: authorization` only). The emulator answers
//!   them from its world (see [`world`]); the relay forwards them to the instance, Code Engine
//!   of the region (`--code-engine-url`) and IAM (`--iam-url`). A secret's payload
//!   (`GET /api/v2/secrets/{id}`) and its versions are never forwarded.
//! - The relay forwards only the rows of one allow-list (`relay/allow.rs`: method, pattern,
//!   destination, why, optional body check), matched on the normalised path; the rest gets
//!   404, 405 or 400 and never leaves.
//! - When the server holds a credential, every `/api/…`, `/codeengine/…` and `/iam/…` request
//!   must carry the launch token (printed in the console URL's fragment, `--token-file`) in
//!   [`LAUNCH_TOKEN_HEADER`], or it gets 401 (see `launch.rs`).
//! - `POST /sm-config/check` (JSON `{"request": <configuration prototype>, "target":
//!   {instance_id, region, endpoint}}`, `target` optional): the core's prerequisite check of the
//!   request, with the facts read through this server's own routes above (so a relay uses the
//!   page's bearer, or its own credential, and nothing outside its allow-list). Answers
//!   `{"prerequisites": [{id, title, status, codes}], "findings": [...]}` (validation's findings,
//!   then the prerequisites', each with its fix); behind the launch token like `/api/…`.
//! - `GET /sm-config/status`, what the page talks to:
//!
//!   ```json
//!   {"mode": "emulator", "instance_id": "00000000-0000-0000-0000-000000000000",
//!    "region": "us-south", "endpoint": "public", "credentials": false,
//!    "launch_token": false, "authorized": true}
//!   {"mode": "relay", "instance_id": "b49ad24d-…", "region": "eu-de", "endpoint": "private",
//!    "credentials": true, "launch_token": true, "authorized": true,
//!    "upstream": "https://b49ad24d-….private.eu-de.secrets-manager.appdomain.cloud"}
//!   ```
//!
//!   `mode` is `"emulator"` or `"relay"`; `instance_id`, `region` and `endpoint`
//!   (`"public"`/`"private"`) are strings, or `null` for a relay to an `--upstream` URL that
//!   is not an instance URL; `credentials` says whether the server holds an API key (so
//!   requests without a token work); `upstream` is present only in relay mode. `launch_token`
//!   says whether API requests need the launch token, `authorized` whether this request had
//!   it (or needed none); without it the status is still answered, so the page can say how to
//!   get in, but names no instance (`null`s, no `upstream`).
//! - `/` and below: the console from `--dist DIR`, with a Content-Security-Policy
//!   ([`DEFAULT_CSP`], `--csp` to change) and `Referrer-Policy: no-referrer`. Every answer
//!   carries `X-Content-Type-Options: nosniff`.
//!
//! # Safety
//!
//! It listens on `127.0.0.1:8080` unless told otherwise (and warns for a non-loopback
//! address), refuses a `Host` other than `localhost` or the listen address (DNS rebinding)
//! and a state-changing request from a foreign `Origin`, limits bodies to 64 KiB and requests
//! to `--request-timeout` seconds, and never logs, returns or formats a key or token.

mod app;
mod bearer;
mod body;
mod check;
mod clock;
mod config;
mod emulator;
pub mod facts;
mod failure;
mod guard;
mod hosting;
mod launch;
mod relay;
mod secret;
mod secret_fix;
mod status;
pub mod target_args;
pub mod world;

pub use app::{Running, start};
pub use check::CHECK_PATH;
pub use config::{
    API_KEY_ENV, Config, DEFAULT_CODE_ENGINE_URL, DEFAULT_CSP, DEFAULT_IAM_URL, Mode,
    PRIVATE_CODE_ENGINE_URL, PRIVATE_IAM_URL, RelayConfig, ServeArgs,
};
pub use launch::HEADER as LAUNCH_TOKEN_HEADER;
pub use secret::Secret;
pub use secret_fix::SECRET_FIX_PATH;
pub use status::Status;
pub use target_args::{EnvTargetError, TargetArgs};

use std::io::Write;
use std::net::SocketAddr;
use std::path::PathBuf;

/// The first line `serve` prints on stdout, followed by the console's URL (with
/// `#token=…` when the server makes a launch token); tools wait for it.
pub const LISTENING_PREFIX: &str = "sm-config serve: listening on ";

/// Why a server could not start or run.
#[derive(Debug, thiserror::Error)]
pub enum ServeError {
    /// The address could not be bound.
    #[error("cannot listen on {addr}: {source}")]
    Bind {
        /// The address asked for.
        addr: SocketAddr,
        /// Why.
        source: std::io::Error,
    },
    /// The data file could not be opened or read.
    #[error("data file {}: {source}", path.display())]
    Data {
        /// The file.
        path: PathBuf,
        /// Why.
        source: std::io::Error,
    },
    /// Another server holds the data file.
    #[error("data file {} is in use by another sm-config serve", .0.display())]
    DataInUse(PathBuf),
    /// The world file could not be read.
    #[error("world file {}: {source}", path.display())]
    WorldRead {
        /// The file.
        path: PathBuf,
        /// Why.
        source: std::io::Error,
    },
    /// The world file (or the world with what a data file added) breaks the world's rules.
    #[error("world file {}:\n{error}", path.display())]
    World {
        /// The file (the data file when what it added does not fit the world).
        path: PathBuf,
        /// Every problem, with its path into the file.
        error: world::WorldError,
    },
    /// The data file is not one this server wrote; it is left untouched.
    #[error("data file {} is not an sm-config serve data file; it was left untouched", .0.display())]
    DataCorrupt(PathBuf),
    /// `--dist` is not a directory.
    #[error("console directory {} does not exist (build the console first, or leave out --dist)", .0.display())]
    Dist(PathBuf),
    /// The relay's instance is not valid.
    #[error("invalid relay target:\n{0}")]
    Target(String),
    /// `SECRETS_MANAGER_URL` cannot be used.
    #[error(transparent)]
    Env(#[from] EnvTargetError),
    /// Part of an instance is named, but a relay needs its ID and region.
    #[error(
        "a relay needs the instance's id and region (--instance-id and --region, or SECRETS_MANAGER_URL); the {0} is not named"
    )]
    IncompleteTarget(&'static str),
    /// An emulator's option with an instance named (by SECRETS_MANAGER_URL) to relay to.
    #[error(
        "--data and --world are for the emulator, but SECRETS_MANAGER_URL names an instance to relay to (unset it to emulate)"
    )]
    EmulatorOptionWithTarget,
    /// The upstream URL is not an http(s) URL.
    #[error("upstream `{0}` is not an http or https url")]
    Upstream(String),
    /// `--token-file` without a launch token to write.
    #[error("--token-file needs a launch token, which only a relay holding IBMCLOUD_API_KEY makes")]
    TokenFileUnused,
    /// No random token could be made.
    #[error("cannot make a launch token: the operating system's random source failed")]
    Random,
    /// The token file could not be written.
    #[error("token file {}: {source}", path.display())]
    TokenFile {
        /// The file.
        path: PathBuf,
        /// Why.
        source: std::io::Error,
    },
    /// The HTTP client could not be built.
    #[error("the http client could not be set up")]
    HttpClient,
    /// The runtime could not start.
    #[error("cannot start the async runtime: {0}")]
    Runtime(std::io::Error),
    /// Serving failed.
    #[error("server error: {0}")]
    Serve(std::io::Error),
}

/// Runs `sm-config serve` until Ctrl-C or SIGTERM: logs to stderr (`RUST_LOG` to tune), reads
/// the API key from `IBMCLOUD_API_KEY`, prints [`LISTENING_PREFIX`] and the console URL (with
/// the launch token in its fragment when there is one) as the first line on stdout.
pub fn serve_blocking(args: ServeArgs) -> Result<(), ServeError> {
    init_tracing();
    let api_key = std::env::var(API_KEY_ENV)
        .ok()
        .filter(|k| !k.trim().is_empty())
        .map(Secret::new);
    let config = args.into_config(api_key)?;
    if matches!(config.mode, Mode::Emulator) && std::env::var_os(API_KEY_ENV).is_some() {
        tracing::info!("{API_KEY_ENV} is set but unused: the emulator needs no credentials");
    }
    let runtime = tokio::runtime::Builder::new_multi_thread()
        .enable_all()
        .build()
        .map_err(ServeError::Runtime)?;
    runtime.block_on(async {
        let running = start(config).await?;
        let mut out = std::io::stdout().lock();
        // A closed stdout must not stop the server; the URL is in the log too.
        let _ = writeln!(out, "{LISTENING_PREFIX}{}", running.console_url());
        for line in running.summary() {
            let _ = writeln!(out, "{line}");
        }
        let _ = out.flush();
        drop(out);
        shutdown_signal().await;
        tracing::info!("shutting down");
        running.shutdown().await
    })
}

/// Logs to stderr; `RUST_LOG` overrides the default `info`. A no-op if a subscriber is set.
fn init_tracing() {
    let filter = tracing_subscriber::EnvFilter::try_from_default_env()
        .unwrap_or_else(|_| tracing_subscriber::EnvFilter::new("info"));
    // Colour codes only for a terminal: in a file or a pipe they are noise.
    let ansi = std::io::IsTerminal::is_terminal(&std::io::stderr());
    let _ = tracing_subscriber::fmt()
        .with_env_filter(filter)
        .with_writer(std::io::stderr)
        .with_ansi(ansi)
        .try_init();
}

/// Ctrl-C, or SIGTERM on Unix.
async fn shutdown_signal() {
    let ctrl_c = async {
        if tokio::signal::ctrl_c().await.is_err() {
            std::future::pending::<()>().await;
        }
    };
    #[cfg(unix)]
    let term = async {
        match tokio::signal::unix::signal(tokio::signal::unix::SignalKind::terminate()) {
            Ok(mut s) => {
                s.recv().await;
            }
            Err(_) => std::future::pending::<()>().await,
        }
    };
    #[cfg(not(unix))]
    let term = std::future::pending::<()>();
    tokio::select! {
        () = ctrl_c => {}
        () = term => {}
    }
}
