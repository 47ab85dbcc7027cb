//! The hosted console: `--dist DIR` at `/`, compressed when the browser accepts it, with the
//! page's security headers and a cache policy.

use axum::Router;
use axum::extract::Request;
use axum::http::{HeaderValue, StatusCode, header};
use axum::middleware::Next;
use axum::response::{IntoResponse, Response};
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
            .layer(CompressionLayer::new().gzip(true))
            .layer(axum::middleware::from_fn(cache_policy)),
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

/// Whether a file's name carries trunk's content hash (`app-71aeda4ee4ddb4e3_bg.wasm`,
/// `style-52bfaadeabd2f21.css`): the last `-` of its stem is followed by 12 to 16 lower-case
/// hex digits (trunk writes a 64-bit hash in hex, without leading zeros).
pub(crate) fn is_hashed(path: &str) -> bool {
    let name = path.rsplit('/').next().unwrap_or_default();
    let stem = name.split('.').next().unwrap_or_default();
    let stem = stem.strip_suffix("_bg").unwrap_or(stem);
    stem.rsplit_once('-').is_some_and(|(_, hash)| {
        (12..=16).contains(&hash.len())
            && hash
                .bytes()
                .all(|b| b.is_ascii_digit() || (b'a'..=b'f').contains(&b))
    })
}

/// Hashed files never change under their name: cached for a year. Every other file
/// (`index.html`, the world module and the import worker, whose names trunk does not hash) is
/// revalidated on each use, so a browser never pairs a new page with an old module after an
/// upgrade (`no-cache`: kept, but asked again with its `Last-Modified`).
async fn cache_policy(request: Request, next: Next) -> Response {
    let hashed = is_hashed(request.uri().path());
    let mut response = next.run(request).await;
    // A 304 revalidating a hashed file keeps it immutable: its headers replace the cached ones.
    let status = response.status();
    let value = if hashed && (status.is_success() || status == StatusCode::NOT_MODIFIED) {
        "public, max-age=31536000, immutable"
    } else {
        "no-cache"
    };
    response
        .headers_mut()
        .insert(header::CACHE_CONTROL, HeaderValue::from_static(value));
    response
}

#[cfg(test)]
mod tests {
    use super::is_hashed;

    #[test]
    fn trunk_hashes_are_told_from_plain_names() {
        for hashed in [
            "/sm-config-web-71aeda4ee4ddb4e3_bg.wasm",
            "/sm-config-web-71aeda4ee4ddb4e3.js",
            "/style-52bfaadeabd2f21.css",
            "/favicon-5b90698f769784ea.svg",
            "/boot-76cc1fc5a727191d.js.br",
        ] {
            assert!(is_hashed(hashed), "{hashed}");
        }
        for plain in [
            "/",
            "/index.html",
            "/sm-config-world.js",
            "/sm-config-world_bg.wasm",
            "/import-worker_bg.wasm",
            "/import-worker-loader.js",
            "/app-0123456789ABCDEF.js",
            "/app-0123.js",
            "/x-0123456789abcdef0.js",
        ] {
            assert!(!is_hashed(plain), "{plain}");
        }
    }
}
