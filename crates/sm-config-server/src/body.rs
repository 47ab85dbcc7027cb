//! Request bodies: the content type a route wants, and reading at most 64 KiB.

use crate::failure::Failure;
use axum::body::{Body, Bytes};
use axum::http::{HeaderMap, StatusCode, header};
use http_body_util::{BodyExt, LengthLimitError, Limited};
use sm_config::limits::MAX_BODY_BYTES;

/// `application/json`, what create takes.
pub(crate) const JSON: &str = "application/json";
/// `application/merge-patch+json`, what update takes.
pub(crate) const MERGE_PATCH: &str = "application/merge-patch+json";

/// 415 unless the `Content-Type`'s media type (parameters such as `charset` ignored) is `want`.
pub(crate) fn require_content_type(headers: &HeaderMap, want: &str) -> Result<(), Failure> {
    let essence = headers
        .get(header::CONTENT_TYPE)
        .and_then(|v| v.to_str().ok())
        .and_then(|v| v.split(';').next())
        .map(str::trim);
    match essence {
        Some(got) if got.eq_ignore_ascii_case(want) => Ok(()),
        got => Failure::new(
            StatusCode::UNSUPPORTED_MEDIA_TYPE,
            "unsupported_media_type",
            match got {
                Some(got) if !got.is_empty() => format!(
                    "content type {} is not supported: send {want}",
                    crate::failure::quoted(got)
                ),
                _ => format!("the content type is missing: send {want}"),
            },
        )
        .at("header", "Content-Type")
        .into_err(),
    }
}

/// The whole body, or 413 when it is over [`MAX_BODY_BYTES`].
pub(crate) async fn read(headers: &HeaderMap, body: Body) -> Result<Bytes, Failure> {
    let declared = headers
        .get(header::CONTENT_LENGTH)
        .and_then(|v| v.to_str().ok())
        .and_then(|v| v.parse::<u64>().ok());
    if declared.is_some_and(|n| n > MAX_BODY_BYTES as u64) {
        return Err(too_large());
    }
    match Limited::new(body, MAX_BODY_BYTES).collect().await {
        Ok(collected) => Ok(collected.to_bytes()),
        Err(e) if e.downcast_ref::<LengthLimitError>().is_some() => Err(too_large()),
        Err(_) => Err(Failure::new(
            StatusCode::BAD_REQUEST,
            "body_read_failed",
            "the request body could not be read",
        )),
    }
}

fn too_large() -> Failure {
    Failure::new(
        StatusCode::PAYLOAD_TOO_LARGE,
        "request_body_too_large",
        format!("the request body is over {MAX_BODY_BYTES} bytes"),
    )
}
