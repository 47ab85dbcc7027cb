//! The hosted console: `--dist DIR` at `/`, compressed when the browser accepts it, with the
//! page's security headers.

use axum::Router;
use axum::http::{HeaderValue, StatusCode, header};
use axum::response::IntoResponse;
use std::path::Path;
use tower_http::compression::CompressionLayer;
use tower_http::services::ServeDir;
use tower_http::set_header::SetResponseHeaderLayer;

/// What `/` answers when no console is hosted.
const NO_CONSOLE: &str = "sm-config serve: no console is hosted here; start with --dist DIR (the built console) to serve one. The API is at /api/v2/configurations.\n";

/// The static routes: files of `dist` (with `index.html` for directories), each answer
/// carrying `csp` as its Content-Security-Policy.
pub(crate) fn routes(dist: Option<&Path>, csp: &str) -> Router {
    let router = match dist {
        // The page is mostly wasm, which gzip shrinks to about 40 %. `cargo xtask` writes each
        // file's `.br` and `.gz` (zopfli) beside it at build time, smaller than any on-the-fly
        // encoder at a usable speed; they go out as they are. A file without them (a page built
        // by plain `trunk build`) is gzipped per request. The compression layer leaves an answer
        // that already has a Content-Encoding alone.
        Some(dir) => Router::new()
            .fallback_service(
                ServeDir::new(dir)
                    .append_index_html_on_directories(true)
                    .precompressed_br()
                    .precompressed_gzip(),
            )
            // Inside the compression layer, which then adds no second one: every answer here
            // depends on Accept-Encoding, the precompressed ones included.
            .layer(SetResponseHeaderLayer::if_not_present(
                header::VARY,
                HeaderValue::from_static("accept-encoding"),
            ))
            .layer(CompressionLayer::new().gzip(true)),
        None => {
            Router::new().fallback(|| async { (StatusCode::NOT_FOUND, NO_CONSOLE).into_response() })
        }
    };
    let csp = HeaderValue::from_str(csp).unwrap_or_else(|_| {
        tracing::warn!(
            "the content security policy is not a valid header value; using the default"
        );
        HeaderValue::from_static(crate::config::DEFAULT_CSP)
    });
    router
        .layer(SetResponseHeaderLayer::overriding(
            header::CONTENT_SECURITY_POLICY,
            csp,
        ))
        .layer(SetResponseHeaderLayer::overriding(
            header::REFERRER_POLICY,
            HeaderValue::from_static("no-referrer"),
        ))
}
