//! The `Authorization: Bearer …` header, and the 401 when it is missing.

use crate::failure::Failure;
use axum::extract::Request;
use axum::http::{HeaderMap, StatusCode, header};
use axum::middleware::Next;
use axum::response::{IntoResponse, Response};

/// The bearer token of a request, if it has a non-empty one.
pub(crate) fn token(headers: &HeaderMap) -> Result<&str, Failure> {
    let value = headers.get(header::AUTHORIZATION).ok_or_else(|| {
        Failure::new(
            StatusCode::UNAUTHORIZED,
            "missing_bearer_token",
            "an authorization header with a bearer token is required",
        )
        .at("header", "Authorization")
    })?;
    value
        .to_str()
        .ok()
        .and_then(|v| v.split_once(' '))
        .filter(|(scheme, _)| scheme.eq_ignore_ascii_case("bearer"))
        .map(|(_, token)| token.trim())
        .filter(|token| !token.is_empty())
        .ok_or_else(|| {
            Failure::new(
                StatusCode::UNAUTHORIZED,
                "invalid_bearer_token",
                "the authorization header must be `Bearer <token>`",
            )
            .at("header", "Authorization")
        })
}

/// Middleware: 401 unless the request has a bearer token. The emulator takes any token.
pub(crate) async fn require(request: Request, next: Next) -> Response {
    match token(request.headers()) {
        Ok(_) => next.run(request).await,
        Err(failure) => failure.into_response(),
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use axum::http::HeaderValue;

    fn with(value: &str) -> HeaderMap {
        let mut h = HeaderMap::new();
        h.insert(
            header::AUTHORIZATION,
            HeaderValue::from_str(value).expect("header"),
        );
        h
    }

    #[test]
    fn reads_bearer_tokens() {
        assert_eq!(token(&with("Bearer abc")).ok(), Some("abc"));
        assert_eq!(token(&with("bearer  abc ")).ok(), Some("abc"));
        for bad in ["Bearer", "Bearer ", "Basic abc", "abc", ""] {
            assert!(token(&with(bad)).is_err(), "{bad:?}");
        }
        assert!(token(&HeaderMap::new()).is_err());
    }
}
