//! IBM's API Handbook error container, and a lenient reading of any error body.

use serde::{Deserialize, Serialize};
use serde_json::Value;

/// `{"errors":[…],"trace":"…","status_code":N}`.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct ErrorContainer {
    /// One entry per problem.
    #[serde(default)]
    pub errors: Vec<ApiError>,
    /// The request's trace ID, for support.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub trace: Option<String>,
    /// The HTTP status again.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub status_code: Option<u16>,
}

/// One problem in an error container.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct ApiError {
    /// A snake_case code (`configuration_already_exists`).
    #[serde(default)]
    pub code: String,
    /// What went wrong, for people.
    #[serde(default)]
    pub message: String,
    /// A link to more.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub more_info: Option<String>,
    /// The field, parameter or header at fault.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub target: Option<ErrorTarget>,
}

/// What an [`ApiError`] is about.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct ErrorTarget {
    /// `field`, `parameter` or `header`.
    #[serde(default)]
    pub r#type: String,
    /// Its name (`code_engine.job_name`).
    #[serde(default)]
    pub name: String,
}

/// An error answer read as well as it can be: the container when there is one, else the
/// message of whatever shape the body has, and always the raw body.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct ServiceError {
    /// The HTTP status.
    pub status: u16,
    /// The problems; never empty.
    pub errors: Vec<ApiError>,
    /// The trace ID, when the body had one.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub trace: Option<String>,
    /// The body as received.
    pub raw: String,
}

impl ServiceError {
    /// Reads an error body of any shape; never fails.
    ///
    /// Besides the container it understands `error`, `message`, `errorMessage` (IAM's
    /// `{"errorCode":"BXNIM0415E","errorMessage":"…"}`) and, last, the text itself.
    pub fn parse(status: u16, body: &str) -> ServiceError {
        let value: Option<Value> = serde_json::from_str(body).ok();
        ServiceError::parse_value(status, value.as_ref(), body)
    }

    /// [`ServiceError::parse`] for a body already parsed (`None`: not JSON), so a caller with
    /// its own JSON parser (the console uses the browser's) need not bring serde_json's.
    pub fn parse_value(status: u16, value: Option<&Value>, body: &str) -> ServiceError {
        let trace = value
            .and_then(|v| v.get("trace").or_else(|| v.get("transactionId")))
            .and_then(Value::as_str)
            .map(str::to_owned);
        let mut errors: Vec<ApiError> = value
            .and_then(|v| v.get("errors"))
            .and_then(Value::as_array)
            .map(|list| list.iter().filter_map(api_error).collect())
            .unwrap_or_default();
        if errors.is_empty() {
            errors.push(fallback(status, value, body));
        }
        ServiceError {
            status,
            errors,
            trace,
            raw: body.to_owned(),
        }
    }

    /// The first message, for a one-line summary.
    pub fn message(&self) -> &str {
        self.errors
            .first()
            .map(|e| e.message.as_str())
            .unwrap_or_default()
    }
}

fn api_error(v: &Value) -> Option<ApiError> {
    if let Some(message) = v.as_str() {
        return Some(ApiError {
            message: message.to_owned(),
            ..ApiError::default()
        });
    }
    let text = |key: &str| v.get(key).and_then(Value::as_str).map(str::to_owned);
    let target = v.get("target").map(|t| ErrorTarget {
        r#type: t
            .get("type")
            .and_then(Value::as_str)
            .unwrap_or_default()
            .to_owned(),
        name: t
            .get("name")
            .and_then(Value::as_str)
            .unwrap_or_default()
            .to_owned(),
    });
    let code = text("code").or_else(|| text("errorCode"));
    // An entry with a code but no message still says what went wrong: the code stands in.
    let message = text("message")
        .or_else(|| text("errorMessage"))
        .or_else(|| code.clone())?;
    Some(ApiError {
        code: code.unwrap_or_default(),
        message,
        more_info: text("more_info"),
        target,
    })
}

fn fallback(status: u16, value: Option<&Value>, body: &str) -> ApiError {
    let text = |key: &str| value.and_then(|v| v.get(key)).and_then(Value::as_str);
    let message = text("errorMessage")
        .or_else(|| text("message"))
        .or_else(|| text("error"))
        .map(str::to_owned)
        .unwrap_or_else(|| {
            let body = body.trim();
            if body.is_empty() {
                format!("http status {status}")
            } else {
                body.chars().take(500).collect()
            }
        });
    ApiError {
        code: text("errorCode")
            .or_else(|| text("code"))
            .unwrap_or_default()
            .to_owned(),
        message,
        more_info: None,
        target: None,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn reads_the_container() {
        let e = ServiceError::parse(
            409,
            r#"{"errors":[{"code":"configuration_already_exists","message":"exists","target":{"type":"field","name":"name"}}],"trace":"t-1","status_code":409}"#,
        );
        assert_eq!(e.errors[0].code, "configuration_already_exists");
        assert_eq!(
            e.errors[0].target.as_ref().map(|t| t.name.as_str()),
            Some("name")
        );
        assert_eq!(e.trace.as_deref(), Some("t-1"));
    }

    #[test]
    fn falls_back_to_iam_and_text() {
        let e = ServiceError::parse(
            400,
            r#"{"errorCode":"BXNIM0415E","errorMessage":"bad key"}"#,
        );
        assert_eq!(
            (e.errors[0].code.as_str(), e.message()),
            ("BXNIM0415E", "bad key")
        );
        assert_eq!(
            ServiceError::parse(502, "<html>bad gateway</html>").message(),
            "<html>bad gateway</html>"
        );
        assert_eq!(ServiceError::parse(503, "").message(), "http status 503");
        assert_eq!(
            ServiceError::parse(400, r#"{"error":"nope"}"#).message(),
            "nope"
        );
    }
}
