//! Request guards: the `Host` must name this server (DNS rebinding), a state-changing request
//! must not come from a foreign `Origin` (CSRF), and no request may run forever.

use crate::failure::Failure;
use axum::extract::{Request, State};
use axum::http::{Method, StatusCode, header};
use axum::middleware::Next;
use axum::response::{IntoResponse, Response};
use std::net::{IpAddr, SocketAddr};
use std::time::Duration;

/// Which `Host` and `Origin` values name this server.
#[derive(Debug, Clone, Copy)]
pub(crate) struct HostPolicy {
    listen: SocketAddr,
}

impl HostPolicy {
    /// The policy for a server bound to `listen` (the real port, never 0).
    pub(crate) fn new(listen: SocketAddr) -> HostPolicy {
        HostPolicy { listen }
    }

    /// `localhost[:port]` or the listen IP `[:port]`; when listening on every address
    /// (`0.0.0.0`, `::`), any IP literal. A rebinding attack needs a DNS name, so IP literals
    /// are safe; the only name allowed is `localhost`.
    pub(crate) fn allows_host(&self, host: &str) -> bool {
        let Some((name, port)) = split_host(host) else {
            return false;
        };
        if port.is_some_and(|p| p != self.listen.port()) {
            return false;
        }
        if name.eq_ignore_ascii_case("localhost") {
            return true;
        }
        match name.parse::<IpAddr>() {
            Ok(ip) => self.listen.ip().is_unspecified() || ip == self.listen.ip(),
            Err(_) => false,
        }
    }

    /// An `Origin` header (`http://host[:port]`) that names this server.
    pub(crate) fn allows_origin(&self, origin: &str) -> bool {
        origin
            .strip_prefix("http://")
            .is_some_and(|host| self.allows_host(host))
    }
}

/// `name` and optional port of a `Host` value; `[v6]` brackets are removed.
fn split_host(host: &str) -> Option<(&str, Option<u16>)> {
    let (name, port) = if let Some(rest) = host.strip_prefix('[') {
        let (name, after) = rest.split_once(']')?;
        match after {
            "" => (name, None),
            _ => (name, Some(after.strip_prefix(':')?)),
        }
    } else {
        match host.split_once(':') {
            Some((name, port)) => (name, Some(port)),
            None => (host, None),
        }
    };
    if name.is_empty() {
        return None;
    }
    let port = match port {
        Some(p) => Some(p.parse::<u16>().ok()?),
        None => None,
    };
    Some((name, port))
}

/// Middleware: 403 for a foreign `Host`, or a foreign `Origin` on anything but GET/HEAD/OPTIONS.
pub(crate) async fn check(
    State(policy): State<HostPolicy>,
    request: Request,
    next: Next,
) -> Response {
    let headers = request.headers();
    let host = headers.get(header::HOST).and_then(|v| v.to_str().ok());
    if !host.is_some_and(|h| policy.allows_host(h)) {
        tracing::warn!(host = ?host.map(crate::failure::quoted), "request refused: foreign host");
        return Failure::new(
            StatusCode::FORBIDDEN,
            "host_not_allowed",
            "the host header does not name this server: use localhost or the address it listens on",
        )
        .at("header", "Host")
        .into_response();
    }
    let safe = matches!(
        *request.method(),
        Method::GET | Method::HEAD | Method::OPTIONS
    );
    if !safe && let Some(origin) = headers.get(header::ORIGIN) {
        let allowed = origin.to_str().is_ok_and(|o| policy.allows_origin(o));
        if !allowed {
            tracing::warn!(method = %request.method(), "request refused: foreign origin");
            return Failure::new(
                StatusCode::FORBIDDEN,
                "origin_not_allowed",
                "state-changing requests are accepted only from this server's own pages",
            )
            .at("header", "Origin")
            .into_response();
        }
    }
    next.run(request).await
}

/// Middleware: 408 when a request (reading its body included) takes longer than the limit.
pub(crate) async fn timeout(
    State(limit): State<Duration>,
    request: Request,
    next: Next,
) -> Response {
    match tokio::time::timeout(limit, next.run(request)).await {
        Ok(response) => response,
        Err(_) => Failure::new(
            StatusCode::REQUEST_TIMEOUT,
            "request_timeout",
            format!("the request took longer than {} s", limit.as_secs()),
        )
        .into_response(),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn policy(addr: &str) -> HostPolicy {
        HostPolicy::new(addr.parse().expect("addr"))
    }

    #[test]
    fn hosts_on_loopback() {
        let p = policy("127.0.0.1:8080");
        for ok in [
            "127.0.0.1:8080",
            "127.0.0.1",
            "localhost:8080",
            "LOCALHOST",
            "localhost",
        ] {
            assert!(p.allows_host(ok), "{ok}");
        }
        for bad in [
            "evil.example:8080",
            "127.0.0.1:8081",
            "localhost:80",
            "127.0.0.2:8080",
            "localhost.evil.example:8080",
            "[::1]:8080",
            "",
            ":8080",
            "localhost:",
            "localhost:99999",
            "127.0.0.1:8080:1",
        ] {
            assert!(!p.allows_host(bad), "{bad}");
        }
    }

    #[test]
    fn hosts_on_v6_and_any() {
        let p = policy("[::1]:9000");
        assert!(p.allows_host("[::1]:9000"));
        assert!(p.allows_host("localhost:9000"));
        assert!(!p.allows_host("127.0.0.1:9000"));
        let any = policy("0.0.0.0:9000");
        assert!(any.allows_host("192.168.1.5:9000"));
        assert!(any.allows_host("[fe80::1]:9000"));
        assert!(!any.allows_host("attacker.example:9000"));
    }

    #[test]
    fn origins() {
        let p = policy("127.0.0.1:8080");
        assert!(p.allows_origin("http://localhost:8080"));
        assert!(p.allows_origin("http://127.0.0.1:8080"));
        for bad in [
            "null",
            "https://localhost:8080",
            "http://evil.example",
            "http://localhost:8081",
            "http://localhost:8080/",
        ] {
            assert!(!p.allows_origin(bad), "{bad}");
        }
    }
}
