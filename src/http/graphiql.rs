//! GraphiQL for developers, compiled into the binary: its page and the pinned npm builds it runs
//! on (`assets/graphiql`, see its README). Nothing comes from a CDN, so it works offline, behind a
//! carrier's firewall and under a strict Content-Security-Policy. Not served in production.

use std::sync::Arc;

use poem::{
    Response, handler,
    http::{StatusCode, header},
    web::{Data, Path},
};

use crate::config::Settings;

/// What the page needs and nothing more: its own scripts (no inline script, no eval), GraphiQL's
/// inlined fonts and icons, and `/graphql` itself. Inline styles: a dialog's scroll lock adds one.
const CONTENT_SECURITY_POLICY: &str = "default-src 'none'; script-src 'self'; connect-src 'self'; \
     style-src 'self' 'unsafe-inline'; img-src 'self' data:; font-src 'self' data:; \
     base-uri 'none'; form-action 'none'; frame-ancestors 'none'";

const PAGE: &str = include_str!("../../assets/graphiql/index.html");

/// `/graphql/assets/{name}`: name, media type, bytes.
const ASSETS: [(&str, &str, &[u8]); 7] = [
    ("graphiql.min.js", JS, include_bytes!("../../assets/graphiql/graphiql.min.js")),
    ("graphiql.min.css", CSS, include_bytes!("../../assets/graphiql/graphiql.min.css")),
    ("react.production.min.js", JS, include_bytes!("../../assets/graphiql/react.production.min.js")),
    ("react-dom.production.min.js", JS, include_bytes!("../../assets/graphiql/react-dom.production.min.js")),
    ("graphiql-init.js", JS, include_bytes!("../../assets/graphiql/graphiql-init.js")),
    ("graphiql-page.css", CSS, include_bytes!("../../assets/graphiql/graphiql-page.css")),
    ("LICENSES.txt", "text/plain; charset=utf-8", include_bytes!("../../assets/graphiql/LICENSES.txt")),
];
const JS: &str = "text/javascript; charset=utf-8";
const CSS: &str = "text/css; charset=utf-8";

/// The page at `GET /graphql`.
pub fn page() -> Response {
    Response::builder()
        .content_type("text/html; charset=utf-8")
        .header("content-security-policy", CONTENT_SECURITY_POLICY)
        .header("x-content-type-options", "nosniff")
        .header(header::CACHE_CONTROL, "no-cache")
        .body(PAGE)
}

#[handler]
pub async fn asset(Path(name): Path<String>, Data(settings): Data<&Arc<Settings>>) -> Response {
    let found = ASSETS.iter().find(|(asset, _, _)| *asset == name);
    match found {
        Some((_, content_type, bytes)) if !settings.is_production() => Response::builder()
            .content_type(*content_type)
            .header("x-content-type-options", "nosniff")
            // Not fingerprinted: an hour, so that a new build's files are picked up soon.
            .header(header::CACHE_CONTROL, "public, max-age=3600")
            .body(*bytes),
        _ => Response::builder()
            .status(StatusCode::NOT_FOUND)
            .content_type("text/plain; charset=utf-8")
            .body("Not found."),
    }
}
