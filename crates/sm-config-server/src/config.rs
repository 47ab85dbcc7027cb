//! What a server is started with: the `serve` command line ([`ServeArgs`]) and the resolved
//! [`Config`] (which tests and tools build directly).

use crate::ServeError;
use crate::secret::Secret;
use crate::target_args::TargetArgs;
use sm_config::{Endpoint, Target};
use std::net::SocketAddr;
use std::path::PathBuf;
use std::time::Duration;

/// The Content-Security-Policy sent with the hosted console: everything from this server
/// only, wasm allowed to compile, no framing, no foreign forms or bases.
pub const DEFAULT_CSP: &str = "default-src 'self'; script-src 'self' 'wasm-unsafe-eval'; style-src 'self'; connect-src 'self'; img-src 'self' data:; frame-ancestors 'none'; base-uri 'none'; form-action 'none'";

/// The default IAM.
pub const DEFAULT_IAM_URL: &str = "https://iam.cloud.ibm.com";

/// Code Engine's API, `{region}` standing for the region **\[C: CE-DOCS getting-started-api.md\]**.
pub const DEFAULT_CODE_ENGINE_URL: &str = "https://api.{region}.codeengine.cloud.ibm.com";
/// Code Engine's private API **\[C: CE-DOCS regions.md\]**.
pub const PRIVATE_CODE_ENGINE_URL: &str = "https://api.private.{region}.codeengine.cloud.ibm.com";
/// IAM's private endpoint, for a relay to a private instance.
pub const PRIVATE_IAM_URL: &str = "https://private.iam.cloud.ibm.com";

/// The environment variable the relay's API key is read from (never a flag: a flag shows in
/// `ps` and in shell history).
pub const API_KEY_ENV: &str = "IBMCLOUD_API_KEY";

/// The end of `sm-config serve --help`: credentials, the launch token, and the allow-list as
/// the relay's own table has it.
fn serve_help() -> String {
    let mut help = String::from(
        "\
Credentials: in relay mode the page's own bearer token is passed on; requests without one use an IAM token \
for the API key in the IBMCLOUD_API_KEY environment variable (never a flag).

Launch token: when the server holds that key, only whoever started it may use it. It makes a random token \
at start and prints the console URL with it: `sm-config serve: listening on http://127.0.0.1:8080/#token=...`. \
Open that URL: the page keeps the token in the tab and removes it from the address bar. Every request to \
/api/..., /codeengine/... and /iam/... must carry it in the X-SM-Config-Token header, or it is refused with 401 \
and nothing is forwarded. `sm-config check --server URL --token-file FILE` sends it too. \
--token-file FILE writes it to FILE (mode 0600) for scripts: \
curl -H \"X-SM-Config-Token: $(cat FILE)\" http://127.0.0.1:8080/api/v2/configurations. \
The emulator, and a relay without IBMCLOUD_API_KEY (the page sends its own IBM token), need no launch token \
and print the plain URL.

Allow-list: in every mode the relay forwards only what sm-config uses, each to its upstream (the instance; \
Code Engine of the path's region, --code-engine-url; IAM, --iam-url); anything else (a secret's payload and \
versions, deletes of secrets or policies, other methods, other IAM or Code Engine APIs, paths with `..`, `//` \
or encoded separators) is refused with 404 or 405, a create of another secret or policy type with 400, and \
never reaches an upstream:
",
    );
    for route in crate::relay::ROUTES {
        let to = match route.to {
            crate::relay::Destination::Instance => "instance",
            crate::relay::Destination::CodeEngine => "code engine",
            crate::relay::Destination::Iam => "iam",
        };
        help.push_str(&format!(
            "  {:<7} {:<50} {:<12} {}\n",
            route.method.as_str(),
            route.pattern,
            to,
            route.why
        ));
    }
    help.push_str(
        "\nThe first stdout line is `sm-config serve: listening on URL`; the emulator follows it with a summary of its world. Logs go to stderr (RUST_LOG to tune).",
    );
    help
}

/// `sm-config serve`: emulate the Secrets Manager configurations API, or relay to a real
/// instance, and host the console.
#[derive(Debug, Clone, clap::Args)]
#[command(after_help = serve_help())]
pub struct ServeArgs {
    /// Address and port to listen on; port 0 picks a free port (the URL is printed).
    #[arg(long, value_name = "ADDR:PORT", default_value = "127.0.0.1:8080")]
    pub listen: SocketAddr,

    /// Emulator: keep configurations in this file (written atomically) instead of memory only.
    #[arg(long, value_name = "FILE", conflicts_with_all = ["instance_id", "upstream"])]
    pub data: Option<PathBuf>,

    /// Emulator: start from this world (Code Engine projects and jobs, secrets, IAM policies;
    /// JSON, see docs/world.md) instead of the built-in one that `sm-config world` prints.
    #[arg(long, value_name = "FILE", conflicts_with_all = ["instance_id", "upstream"])]
    pub world: Option<PathBuf>,

    /// Relay to this Secrets Manager instance instead of emulating: its ID and region (both
    /// needed), endpoint, over SECRETS_MANAGER_URL, as in every command.
    #[command(flatten)]
    pub target: TargetArgs,

    /// Relay to this base URL instead of an instance's (for a proxy or a test double).
    #[arg(long, value_name = "URL", conflicts_with = "instance_id")]
    pub upstream: Option<String>,

    /// IAM, where the relay exchanges IBMCLOUD_API_KEY for tokens and reads and creates
    /// authorization policies (default: iam.cloud.ibm.com; private.iam.cloud.ibm.com for the
    /// policies of a relay to a private endpoint).
    #[arg(long, value_name = "URL", default_value = DEFAULT_IAM_URL)]
    pub iam_url: String,

    /// Code Engine's API for the relay's /codeengine/{region}/… routes, `{region}` standing
    /// for the region (default: https://api[.private].{region}.codeengine.cloud.ibm.com).
    #[arg(long, value_name = "URL", conflicts_with_all = ["data", "world"])]
    pub code_engine_url: Option<String>,

    /// Serve the built console from this directory at /.
    #[arg(long, value_name = "DIR")]
    pub dist: Option<PathBuf>,

    /// Seconds a request may take, end to end.
    #[arg(long, value_name = "SECONDS", default_value_t = 30)]
    pub request_timeout: u64,

    /// Content-Security-Policy of the hosted console.
    #[arg(long, value_name = "POLICY", default_value = DEFAULT_CSP)]
    pub csp: String,

    /// Write the launch token to this file (mode 0600, removed at exit), for scripts; only
    /// with a relay that holds IBMCLOUD_API_KEY.
    #[arg(long, value_name = "FILE")]
    pub token_file: Option<PathBuf>,
}

/// How the API is answered.
#[derive(Debug, Clone, Default)]
pub enum Mode {
    /// A made-up instance in this process.
    #[default]
    Emulator,
    /// A real instance, through this server.
    Relay(RelayConfig),
}

/// Where and with what the relay forwards.
#[derive(Debug, Clone)]
pub struct RelayConfig {
    /// The instance's base URL (`https://{id}.{region}.secrets-manager.appdomain.cloud`).
    pub upstream: String,
    /// The instance, when known (reported by `/sm-config/status`; when `None`, read from
    /// `upstream` if that is an instance URL).
    pub target: Option<Target>,
    /// The API key exchanged at IAM for requests that bring no token of their own.
    pub api_key: Option<Secret>,
    /// IAM's base URL.
    pub iam_url: String,
    /// Code Engine's base URL with `{region}` (`None`: public or private by the endpoint).
    pub code_engine_url: Option<String>,
}

impl RelayConfig {
    /// Code Engine's base URL, `{region}` in it.
    pub fn code_engine_base(&self) -> String {
        match (&self.code_engine_url, self.private()) {
            (Some(url), _) => url.clone(),
            (None, true) => PRIVATE_CODE_ENGINE_URL.to_owned(),
            (None, false) => DEFAULT_CODE_ENGINE_URL.to_owned(),
        }
    }

    /// IAM's base URL for the policy API: `iam_url`, or IAM's private endpoint when the
    /// instance is reached privately and IAM was not named.
    pub fn iam_policy_base(&self) -> String {
        if self.iam_url == DEFAULT_IAM_URL && self.private() {
            PRIVATE_IAM_URL.to_owned()
        } else {
            self.iam_url.clone()
        }
    }

    fn private(&self) -> bool {
        self.target
            .clone()
            .or_else(|| Target::from_url(&self.upstream).ok())
            .is_some_and(|t| t.endpoint == Endpoint::Private)
    }
}

/// A server's settings, resolved.
#[derive(Debug, Clone)]
pub struct Config {
    /// Where to listen (port 0: any free port).
    pub listen: SocketAddr,
    /// Emulator or relay.
    pub mode: Mode,
    /// The emulator's data file.
    pub data: Option<PathBuf>,
    /// The emulator's starting world (`None`: the built-in default).
    pub world: Option<PathBuf>,
    /// The console to host.
    pub dist: Option<PathBuf>,
    /// The console's Content-Security-Policy.
    pub csp: String,
    /// End-to-end limit for one request.
    pub request_timeout: Duration,
    /// Where to write the launch token (a relay that holds an API key only).
    pub token_file: Option<PathBuf>,
}

impl Default for Config {
    fn default() -> Config {
        Config {
            listen: SocketAddr::from(([127, 0, 0, 1], 8080)),
            mode: Mode::Emulator,
            data: None,
            world: None,
            dist: None,
            csp: DEFAULT_CSP.to_owned(),
            request_timeout: Duration::from_secs(30),
            token_file: None,
        }
    }
}

impl ServeArgs {
    /// The settings these arguments ask for; `api_key` is the value of [`API_KEY_ENV`].
    pub fn into_config(self, api_key: Option<Secret>) -> Result<Config, ServeError> {
        let named = self.target.resolve()?;
        let target = if named.is_named() {
            let Some(target) = named.complete() else {
                let missing = named.checked().unwrap_or_default().unnamed_parts();
                return Err(ServeError::IncompleteTarget(
                    missing.first().copied().unwrap_or("instance id"),
                ));
            };
            if self.data.is_some() || self.world.is_some() {
                // Flags conflict in clap already; this is the variable naming the instance.
                return Err(ServeError::EmulatorOptionWithTarget);
            }
            let report = sm_config::validate_target(&target);
            if !report.is_valid() {
                return Err(ServeError::Target(report.to_string().trim_end().to_owned()));
            }
            Some(target)
        } else {
            None
        };
        let upstream = match (&self.upstream, &target) {
            (Some(url), _) => Some(url.clone()),
            (None, Some(target)) => Some(target.base_url()),
            (None, None) => None,
        };
        let mode = match upstream {
            Some(upstream) => Mode::Relay(RelayConfig {
                target,
                upstream,
                api_key,
                iam_url: self.iam_url,
                code_engine_url: self.code_engine_url,
            }),
            None => Mode::Emulator,
        };
        let config = Config {
            listen: self.listen,
            mode,
            data: self.data,
            world: self.world,
            dist: self.dist,
            csp: self.csp,
            request_timeout: Duration::from_secs(self.request_timeout.max(1)),
            token_file: self.token_file,
        };
        if config.token_file.is_some() && !config.holds_credential() {
            return Err(ServeError::TokenFileUnused);
        }
        Ok(config)
    }
}

impl Config {
    /// Whether the server holds a credential (a relay with an API key): then the API needs the
    /// launch token.
    pub fn holds_credential(&self) -> bool {
        matches!(&self.mode, Mode::Relay(relay) if relay.api_key.is_some())
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use clap::Parser;

    #[derive(Parser)]
    struct Cli {
        #[command(flatten)]
        serve: ServeArgs,
    }

    fn parse(args: &[&str]) -> Result<ServeArgs, clap::Error> {
        Cli::try_parse_from(std::iter::once("serve").chain(args.iter().copied())).map(|c| c.serve)
    }

    #[test]
    fn defaults_to_the_emulator_on_loopback() {
        let config = parse(&[]).expect("args").into_config(None).expect("config");
        assert_eq!(config.listen.to_string(), "127.0.0.1:8080");
        assert!(matches!(config.mode, Mode::Emulator));
        assert_eq!(config.csp, DEFAULT_CSP);
    }

    #[test]
    fn relays_to_an_instance() {
        let args = parse(&[
            "--instance-id",
            "b49ad24d-81d4-5ebc-b9b9-b0937d1c84d5",
            "--region",
            "eu-de",
            "--endpoint",
            "private",
        ])
        .expect("args");
        let Mode::Relay(relay) = args
            .into_config(Some(Secret::new("k")))
            .expect("config")
            .mode
        else {
            panic!("not a relay");
        };
        assert_eq!(
            relay.upstream,
            "https://b49ad24d-81d4-5ebc-b9b9-b0937d1c84d5.private.eu-de.secrets-manager.appdomain.cloud"
        );
        assert!(relay.api_key.is_some());
        // A private instance's prerequisites go to the private endpoints too.
        assert_eq!(
            relay.code_engine_base(),
            "https://api.private.{region}.codeengine.cloud.ibm.com"
        );
        assert_eq!(relay.iam_policy_base(), "https://private.iam.cloud.ibm.com");
        let public = parse(&[
            "--instance-id",
            "b49ad24d-81d4-5ebc-b9b9-b0937d1c84d5",
            "--region",
            "eu-de",
        ])
        .expect("args");
        let Mode::Relay(relay) = public.into_config(None).expect("config").mode else {
            panic!("not a relay");
        };
        assert_eq!(relay.code_engine_base(), DEFAULT_CODE_ENGINE_URL);
        assert_eq!(relay.iam_policy_base(), DEFAULT_IAM_URL);
    }

    #[test]
    fn debug_output_hides_the_key() {
        let args = parse(&["--upstream", "http://127.0.0.1:1"]).expect("args");
        let config = args
            .into_config(Some(Secret::new("very-secret-key-42")))
            .expect("config");
        let shown = format!("{config:?}");
        assert!(shown.contains("Secret(***)"), "{shown}");
        assert!(!shown.contains("very-secret-key-42"), "{shown}");
    }

    #[test]
    fn help_lists_the_allow_list_from_its_table() {
        let help = serve_help();
        for route in crate::relay::ROUTES {
            let line = help
                .lines()
                .find(|l| l.contains(route.pattern) && l.contains(route.why))
                .unwrap_or_else(|| panic!("{} not in the help", route.pattern));
            assert!(
                line.trim_start().starts_with(route.method.as_str()),
                "{line}"
            );
        }
        assert!(help.contains("X-SM-Config-Token"));
        assert!(help.contains("--token-file"));
    }

    #[test]
    fn a_token_file_needs_a_server_credential() {
        let relay = ["--upstream", "http://127.0.0.1:1", "--token-file", "t"];
        let config = parse(&relay)
            .expect("args")
            .into_config(Some(Secret::new("k")))
            .expect("config");
        assert!(config.holds_credential());
        assert_eq!(config.token_file, Some(PathBuf::from("t")));
        for (args, key) in [
            (&relay[..], None),
            (&["--token-file", "t"][..], Some(Secret::new("k"))),
        ] {
            let err = parse(args)
                .expect("args")
                .into_config(key)
                .expect_err("no launch token");
            assert_eq!(
                err.to_string(),
                "--token-file needs a launch token, which only a relay holding IBMCLOUD_API_KEY makes"
            );
        }
    }

    /// Whether `serve` with these arguments refuses to start (at parsing, or on reading them).
    fn refused(args: &[&str]) -> bool {
        parse(args).map_or(true, |a| a.into_config(None).is_err())
    }

    #[test]
    fn refuses_bad_combinations_and_targets() {
        assert!(refused(&["--instance-id", "x"]));
        assert!(parse(&["--data", "f", "--upstream", "http://x"]).is_err());
        assert!(refused(&["--endpoint", "private"]));
        // The same options as every command: a region alone reads, and a relay refuses it.
        assert_eq!(
            parse(&["--region", "eu-de"])
                .expect("args")
                .into_config(None)
                .expect_err("no instance id")
                .to_string(),
            "a relay needs the instance's id and region (--instance-id and --region, or SECRETS_MANAGER_URL); the instance id is not named"
        );
        assert!(parse(&["--apikey", "k"]).is_err());
        let bad = parse(&["--instance-id", "not-a-uuid", "--region", "mars"]).expect("args");
        let err = bad.into_config(None).expect_err("invalid target");
        assert!(err.to_string().contains("target.instance_id"), "{err}");
        assert!(err.to_string().contains("target.region"), "{err}");
    }
}
