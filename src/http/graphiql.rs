//! GraphiQL for developers, compiled into the binary: its page and the pinned npm builds it runs
//! on (`assets/graphiql`, see its README). Nothing comes from a CDN, so it works offline, behind a
//! carrier's firewall and under a strict Content-Security-Policy. Not served in production.

use std::sync::{Arc, LazyLock};

use poem::{
    Request, Response, handler,
    http::{StatusCode, header},
    web::{Data, Path},
};
use sha2::{Digest, Sha256};

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

/// Each asset's entity tag, from its bytes: a browser that holds the file asks again with it and
/// is answered 304 without the file. Weak, because the bytes are sent compressed or not.
static ENTITY_TAGS: LazyLock<Vec<String>> = LazyLock::new(|| {
    let tag =
        |bytes: &[u8]| Sha256::digest(bytes).iter().take(12).map(|b| format!("{b:02x}")).collect::<String>();
    ASSETS.iter().map(|(_, _, bytes)| format!("W/\"{}\"", tag(bytes))).collect()
});

#[handler]
pub async fn asset(
    request: &Request,
    Path(name): Path<String>,
    Data(settings): Data<&Arc<Settings>>,
) -> Response {
    let found = ASSETS.iter().position(|(asset, _, _)| *asset == name);
    match found {
        Some(index) if !settings.is_production() => {
            let (_, content_type, bytes) = ASSETS[index];
            let tag = &ENTITY_TAGS[index];
            let held = request.header(header::IF_NONE_MATCH).unwrap_or_default();
            let fresh = held.split(',').any(|candidate| candidate.trim() == tag || candidate.trim() == "*");
            let response = Response::builder()
                .header(header::ETAG, tag.as_str())
                .header("x-content-type-options", "nosniff")
                // Not fingerprinted: an hour, then asked again with the tag.
                .header(header::CACHE_CONTROL, "public, max-age=3600");
            if fresh {
                response.status(StatusCode::NOT_MODIFIED).finish()
            } else {
                response.content_type(content_type).body(bytes)
            }
        }
        _ => Response::builder()
            .status(StatusCode::NOT_FOUND)
            .content_type("text/plain; charset=utf-8")
            .body("Not found."),
    }
}
