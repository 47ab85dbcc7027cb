//! The launch token: when the server holds a credential (a relay with `IBMCLOUD_API_KEY`),
//! only whoever started it may use the API.
//!
//! The Host and Origin guards stop other web pages, not other local clients: any process that
//! can open a loopback socket (another user on a shared host, a script, a browser extension's
//! native helper) could otherwise use the server's IAM token. So, like Jupyter, the server
//! makes a random token at start, prints the console URL with it in the fragment
//! (`http://127.0.0.1:8080/#token=…`: a fragment reaches no server log and no `Referer`), and
//! every API request must carry it in [`HEADER`]. A server that holds no credential (the
//! emulator; a relay where the page sends its own IBM token) has nothing to protect this way and
//! makes no token.

use crate::failure::Failure;
use crate::secret::Secret;
use axum::extract::{Request, State};
use axum::http::{HeaderMap, HeaderValue, StatusCode, header};
use axum::middleware::Next;
use axum::response::{IntoResponse, Response};
use std::io::Write;
use std::path::Path;
use subtle::ConstantTimeEq;

/// The request header that carries the launch token.
pub const HEADER: &str = "x-sm-config-token";

/// The fragment key of the console URL (`#token=…`).
pub const FRAGMENT_KEY: &str = "token";

/// The `WWW-Authenticate` challenge of a 401 for a missing or wrong launch token.
const CHALLENGE: &str = "SM-Config-Token header=\"X-SM-Config-Token\"";

/// Random bytes in a token: 256 bits, well above the 128 a guess must not reach.
const TOKEN_BYTES: usize = 32;

/// Why a request does not carry the launch token (said in the 401 and the log).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum Refusal {
    /// No header at all.
    Missing,
    /// A header whose value is not the token.
    Wrong,
}

impl Refusal {
    /// The reason, for the log line.
    pub(crate) fn reason(self) -> &'static str {
        match self {
            Refusal::Missing => "no launch token",
            Refusal::Wrong => "wrong launch token",
        }
    }
}

/// The token of a running server.
#[derive(Debug, Clone)]
pub(crate) struct LaunchToken(Secret);

impl LaunchToken {
    /// A fresh token from the operating system's CSPRNG, as lower-case hex (URL- and
    /// header-safe as it is).
    pub(crate) fn generate() -> Result<LaunchToken, getrandom::Error> {
        let mut bytes = [0u8; TOKEN_BYTES];
        getrandom::fill(&mut bytes)?;
        let hex = bytes.iter().map(|b| format!("{b:02x}")).collect::<String>();
        Ok(LaunchToken(Secret::new(hex)))
    }

    /// The token itself, for the printed URL and the token file.
    pub(crate) fn expose(&self) -> &str {
        self.0.expose()
    }

    /// Whether `headers` carry this token. The comparison takes the same time wherever the
    /// first differing byte is, so timing tells an attacker nothing about a guess.
    pub(crate) fn check(&self, headers: &HeaderMap) -> Result<(), Refusal> {
        let mut values = headers.get_all(HEADER).iter();
        let value = values.next().ok_or(Refusal::Missing)?;
        // Two headers are ambiguous (a proxy and a client may disagree on which counts).
        if values.next().is_some() {
            return Err(Refusal::Wrong);
        }
        let expected = self.0.expose().as_bytes();
        if bool::from(value.as_bytes().ct_eq(expected)) {
            Ok(())
        } else {
            Err(Refusal::Wrong)
        }
    }

    /// Writes the token and a newline to `path`, readable and writable by its owner only.
    ///
    /// The file is created new with mode 0600 beside `path` and renamed over it, so it is never
    /// readable by others, not even for a moment, and an old file with wider permissions is
    /// replaced rather than reused.
    pub(crate) fn write_file(&self, path: &Path) -> std::io::Result<()> {
        let name = path
            .file_name()
            .ok_or_else(|| std::io::Error::other("the path names no file"))?;
        let mut temporary_name = std::ffi::OsString::from(".");
        temporary_name.push(name);
        temporary_name.push(format!(".{}.tmp", std::process::id()));
        let temporary = path.with_file_name(temporary_name);
        let mut options = std::fs::OpenOptions::new();
        options.write(true).create_new(true);
        #[cfg(unix)]
        std::os::unix::fs::OpenOptionsExt::mode(&mut options, 0o600);
        let written = options.open(&temporary).and_then(|mut file| {
            file.write_all(self.expose().as_bytes())?;
            file.write_all(b"\n")?;
            file.sync_all()
        });
        let renamed = written.and_then(|()| std::fs::rename(&temporary, path));
        if renamed.is_err() {
            let _ = std::fs::remove_file(&temporary);
        }
        renamed
    }
}

/// The 401 for a request without the right token; it names the header, never a value.
pub(crate) fn unauthorized(refusal: Refusal) -> Failure {
    let message = match refusal {
        Refusal::Missing => {
            "this server holds an ibm cloud credential and answers only requests with its launch token: open the url sm-config serve printed at start (http://…/#token=…), or send the token from --token-file in the X-SM-Config-Token header"
        }
        Refusal::Wrong => {
            "the launch token is not this server's (was it restarted?): open the url sm-config serve printed at start, or read the token from --token-file again"
        }
    };
    let code = match refusal {
        Refusal::Missing => "missing_launch_token",
        Refusal::Wrong => "invalid_launch_token",
    };
    Failure::new(StatusCode::UNAUTHORIZED, code, message).at("header", "X-SM-Config-Token")
}

/// Middleware for the API routes: 401 unless the request carries the launch token. Nothing
/// behind it runs, so nothing is forwarded.
pub(crate) async fn require(
    State(token): State<LaunchToken>,
    request: Request,
    next: Next,
) -> Response {
    match token.check(request.headers()) {
        Ok(()) => next.run(request).await,
        Err(refusal) => {
            tracing::info!(
                method = %request.method(),
                path = %crate::failure::quoted(request.uri().path()),
                reason = refusal.reason(),
                "request refused"
            );
            let mut response = unauthorized(refusal).into_response();
            // The challenge names what is missing: not a bearer token, this header.
            response.headers_mut().insert(
                header::WWW_AUTHENTICATE,
                HeaderValue::from_static(CHALLENGE),
            );
            response
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn with(values: &[&str]) -> HeaderMap {
        let mut headers = HeaderMap::new();
        for v in values {
            headers.append(HEADER, HeaderValue::from_str(v).expect("value"));
        }
        headers
    }

    #[test]
    fn tokens_are_long_random_hex() {
        let a = LaunchToken::generate().expect("random");
        let b = LaunchToken::generate().expect("random");
        assert_eq!(a.expose().len(), 64);
        assert!(a.expose().bytes().all(|c| c.is_ascii_hexdigit()));
        assert_ne!(a.expose(), b.expose());
        assert_eq!(format!("{a:?}"), "LaunchToken(Secret(***))");
    }

    #[test]
    fn checks_the_header() {
        let token = LaunchToken::generate().expect("random");
        let right = token.expose().to_owned();
        assert_eq!(token.check(&with(&[&right])), Ok(()));
        assert_eq!(token.check(&HeaderMap::new()), Err(Refusal::Missing));
        let mut wrong = right.clone().into_bytes();
        wrong[63] = if wrong[63] == b'0' { b'1' } else { b'0' };
        let wrong = String::from_utf8(wrong).expect("hex");
        for bad in [
            wrong.as_str(),
            "",
            &right[..63],
            &format!("{right}0"),
            &right.to_uppercase(),
        ] {
            assert_eq!(token.check(&with(&[bad])), Err(Refusal::Wrong), "{bad}");
        }
        assert_eq!(
            token.check(&with(&[&right, &right])),
            Err(Refusal::Wrong),
            "two headers"
        );
    }

    #[cfg(unix)]
    #[test]
    fn the_file_is_private_and_replaces_an_old_one() {
        use std::os::unix::fs::PermissionsExt;
        let dir = tempfile::tempdir().expect("dir");
        let path = dir.path().join("token");
        std::fs::write(&path, "old\n").expect("old file");
        std::fs::set_permissions(&path, std::fs::Permissions::from_mode(0o644)).expect("chmod");
        let token = LaunchToken::generate().expect("random");
        token.write_file(&path).expect("written");
        let mode = std::fs::metadata(&path).expect("meta").permissions().mode();
        assert_eq!(mode & 0o777, 0o600);
        assert_eq!(
            std::fs::read_to_string(&path).expect("read"),
            format!("{}\n", token.expose())
        );
        assert_eq!(
            std::fs::read_dir(dir.path()).expect("list").count(),
            1,
            "no temporary file left"
        );
        let missing = dir.path().join("no-such-dir").join("token");
        assert!(token.write_file(&missing).is_err());
    }
}
