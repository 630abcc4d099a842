//! Static files, embedded in the binary: the pages' stylesheet and script
//! and the vendored chart library (uPlot, MIT, `assets/vendor/uplot/`).
//! A name is looked up in a fixed table, so no request reaches the file
//! system.

use crate::App;
use axum::Router;
use axum::extract::Path;
use axum::http::{HeaderValue, StatusCode, header};
use axum::response::{IntoResponse, Response};
use axum::routing::get;

/// Name, content type and bytes of every asset.
const ASSETS: &[(&str, &str, &[u8])] = &[
    (
        "app.css",
        "text/css; charset=utf-8",
        include_bytes!("../assets/app.css"),
    ),
    (
        "app.js",
        "text/javascript; charset=utf-8",
        include_bytes!("../assets/app.js"),
    ),
    (
        "uplot.js",
        "text/javascript; charset=utf-8",
        include_bytes!("../assets/vendor/uplot/uPlot.iife.min.js"),
    ),
    (
        "uplot.css",
        "text/css; charset=utf-8",
        include_bytes!("../assets/vendor/uplot/uPlot.min.css"),
    ),
    (
        "uplot-LICENSE.txt",
        "text/plain; charset=utf-8",
        include_bytes!("../assets/vendor/uplot/LICENSE"),
    ),
];

/// The asset of this name, if there is one.
pub fn asset(name: &str) -> Option<(&'static str, &'static [u8])> {
    ASSETS
        .iter()
        .find(|(n, _, _)| *n == name)
        .map(|(_, t, b)| (*t, *b))
}

pub(crate) fn routes() -> Router<App> {
    Router::new().route("/assets/{name}", get(serve))
}

async fn serve(Path(name): Path<String>) -> Response {
    match asset(&name) {
        Some((content_type, bytes)) => {
            let mut r = bytes.into_response();
            let h = r.headers_mut();
            h.insert(header::CONTENT_TYPE, HeaderValue::from_static(content_type));
            h.insert(
                header::CACHE_CONTROL,
                HeaderValue::from_static("public, max-age=3600"),
            );
            r
        }
        None => (StatusCode::NOT_FOUND, "no such asset").into_response(),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn only_listed_names_are_assets() {
        assert!(asset("app.js").is_some());
        assert!(
            asset("uplot.js")
                .is_some_and(|(t, b)| t.starts_with("text/javascript") && b.len() > 10_000)
        );
        for bad in [
            "../Cargo.toml",
            "..%2fCargo.toml",
            "/etc/passwd",
            "app.js/",
            "",
            "APP.JS",
        ] {
            assert!(asset(bad).is_none(), "{bad}");
        }
    }
}
