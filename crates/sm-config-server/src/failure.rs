//! Error answers in IBM's error container, each with a fresh trace ID.

use axum::http::{HeaderValue, StatusCode, header};
use axum::response::{IntoResponse, Response};
use sm_config::{ApiError, ErrorContainer, ErrorTarget, Report};

/// An error answer: a status and one or more problems.
#[derive(Debug, Clone)]
pub(crate) struct Failure {
    status: StatusCode,
    errors: Vec<ApiError>,
    /// IAM's `details` of the first problem (`{"conflicts_with": …}`), when there are some.
    details: Option<serde_json::Value>,
}

impl Failure {
    /// One problem with no target.
    pub(crate) fn new(status: StatusCode, code: &str, message: impl Into<String>) -> Failure {
        Failure {
            status,
            errors: vec![ApiError {
                code: code.to_owned(),
                message: message.into(),
                more_info: None,
                target: None,
            }],
            details: None,
        }
    }

    /// 409 with IAM's `details` object on its problem.
    pub(crate) fn conflict(
        code: &str,
        message: impl Into<String>,
        details: serde_json::Value,
    ) -> Failure {
        Failure {
            details: Some(details),
            ..Failure::new(StatusCode::CONFLICT, code, message)
        }
    }

    /// The same failure, its (first) problem aimed at a `field`, `parameter` or `header`.
    /// The same failure aimed at a field of the configuration request.
    pub(crate) fn at_field(self, path: sm_config::FieldPath) -> Failure {
        self.at("field", path.as_str())
    }

    pub(crate) fn at(mut self, kind: &str, name: &str) -> Failure {
        if let Some(first) = self.errors.first_mut() {
            first.target = Some(ErrorTarget {
                r#type: kind.to_owned(),
                name: name.to_owned(),
            });
        }
        self
    }

    /// 400 with one problem per error finding of the core's report (warnings are left out:
    /// the service takes a request that only has warnings).
    pub(crate) fn from_report(report: &Report) -> Failure {
        let errors = report
            .errors()
            .map(|f| ApiError {
                code: f.code.as_str().to_owned(),
                message: f.message.clone(),
                more_info: None,
                target: (!f.path.is_empty()).then(|| ErrorTarget {
                    r#type: "field".to_owned(),
                    name: f.path.clone(),
                }),
            })
            .collect::<Vec<_>>();
        if errors.is_empty() {
            return Failure::new(
                StatusCode::BAD_REQUEST,
                "invalid_body",
                "the body is not a valid request",
            );
        }
        Failure {
            status: StatusCode::BAD_REQUEST,
            errors,
            details: None,
        }
    }

    /// `Err(self)`, to end a chain.
    pub(crate) fn into_err<T>(self) -> Result<T, Failure> {
        Err(self)
    }

    /// The HTTP status.
    #[cfg(test)]
    pub(crate) fn status(&self) -> StatusCode {
        self.status
    }
}

impl IntoResponse for Failure {
    fn into_response(self) -> Response {
        let trace = uuid::Uuid::new_v4().to_string();
        tracing::debug!(
            status = self.status.as_u16(),
            code = self.errors.first().map_or("", |e| e.code.as_str()),
            %trace,
            "error answer"
        );
        let container = ErrorContainer {
            errors: self.errors,
            trace: Some(trace),
            status_code: Some(self.status.as_u16()),
        };
        let body = match self.details {
            None => serde_json::to_vec(&container).unwrap_or_default(),
            Some(details) => {
                let mut v = serde_json::to_value(&container).unwrap_or_default();
                if let Some(first) = v.pointer_mut("/errors/0").and_then(|e| e.as_object_mut()) {
                    first.insert("details".to_owned(), details);
                }
                serde_json::to_vec(&v).unwrap_or_default()
            }
        };
        let mut response = (self.status, body).into_response();
        response.headers_mut().insert(
            header::CONTENT_TYPE,
            HeaderValue::from_static("application/json"),
        );
        if self.status == StatusCode::UNAUTHORIZED {
            response
                .headers_mut()
                .insert(header::WWW_AUTHENTICATE, HeaderValue::from_static("Bearer"));
        }
        response
    }
}

/// A name from a request, shortened for a message (a 10 KB name must not come back whole).
pub(crate) fn quoted(name: &str) -> String {
    const MAX: usize = 64;
    match name.char_indices().nth(MAX) {
        Some((cut, _)) => format!("`{}…`", name[..cut].escape_debug()),
        None => format!("`{}`", name.escape_debug()),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn quoted_shortens_long_names() {
        assert_eq!(quoted("abc"), "`abc`");
        let long = "x".repeat(10_000);
        assert_eq!(quoted(&long).chars().count(), 64 + 3);
        assert_eq!(quoted("é".repeat(70).as_str()).chars().count(), 67);
    }
}
