//! The Billing Portal in the browser: `web/`'s build (`web/dist`), compiled into the binary, so a
//! server needs no Node and no file beside it. Every route of PORTAL.md answers the portal's page
//! (the browser routes from there); its scripts and styles live at `/assets/{hashed name}`, cached
//! for a year because a new build gives them new names. Served in production too: it is the product.

use std::sync::Arc;

use poem::{
    Request, Response, handler,
    http::{Method, StatusCode, header},
    web::{Data, Path},
};
use rust_embed::RustEmbed;

use crate::{
    config::{PaymentGatewayKind, Settings},
    graphql::persisted::Manifest,
};

/// `web/dist`, as `web/`'s build made it (a test rebuilds it and compares). `debug-embed`: tests
/// and debug builds serve the compiled-in bytes too, so what is tested is what ships.
#[derive(RustEmbed)]
#[folder = "web/dist/"]
struct Bundle;

/// The routes of PORTAL.md (`web/src/app.tsx` routes the same paths; a test holds the two together).
pub const ROUTES: [&str; 16] = [
    "/",
    "/login",
    "/forgot-password",
    "/reset-password",
    "/pay",
    "/payments",
    "/transactions",
    "/invoices",
    "/invoices/:id",
    "/auto-pay",
    "/payment-methods",
    "/profile",
    "/users",
    "/call-history",
    "/activity",
    "/settings",
];

/// Only our own files, no inline script or style, nothing loaded from or sent to elsewhere, no
/// framing, and Trusted Types: no script can write HTML into the page from a string.
const CONTENT_SECURITY_POLICY: &str = "default-src 'none'; script-src 'self'; style-src 'self'; \
     img-src 'self' data:; font-src 'self'; connect-src 'self'; manifest-src 'self'; base-uri 'none'; \
     form-action 'self'; frame-ancestors 'none'; require-trusted-types-for 'script'; trusted-types 'none'";

/// With Stripe, Stripe.js and its frames too, as Stripe documents them (and no Trusted Types,
/// which Stripe.js does not support): the card is typed into Stripe's frame, never into ours.
const STRIPE_CONTENT_SECURITY_POLICY: &str = "default-src 'none'; \
     script-src 'self' https://js.stripe.com https://*.js.stripe.com; style-src 'self'; \
     img-src 'self' data: https://*.stripe.com; font-src 'self'; connect-src 'self' https://api.stripe.com; \
     frame-src https://js.stripe.com https://*.js.stripe.com https://hooks.stripe.com; manifest-src 'self'; \
     base-uri 'none'; form-action 'self'; frame-ancestors 'none'";

/// The portal's own operations, as its build lists them (`persisted-operations.json`, `{sha256:
/// text}`): trusted like the operator's manifest, so the portal runs where only listed operations
/// do, and sends each by its hash.
pub fn operations() -> Manifest {
    let listed =
        Bundle::get("persisted-operations.json").expect("web/dist/persisted-operations.json is compiled in");
    Manifest::parse(&listed.data).expect("the portal's build lists each operation under its SHA-256")
}

/// A route of the portal: its page.
#[handler]
pub fn page(Data(settings): Data<&Arc<Settings>>) -> Response {
    page_with(StatusCode::OK, settings)
}

/// Any other path: a browser gets the portal's page, which says "Page not found", with a 404; any
/// other client (or method) a plain 404.
#[handler]
pub fn fallback(request: &Request, Data(settings): Data<&Arc<Settings>>) -> Response {
    // poem's catch-all takes "/" before the route at "/" does: the dashboard is answered here.
    if request.uri().path() == "/" && request.method() == Method::GET {
        return page_with(StatusCode::OK, settings);
    }
    let wants_html = request.header(header::ACCEPT).is_some_and(|accept| accept.contains("text/html"));
    if request.method() == Method::GET && wants_html {
        page_with(StatusCode::NOT_FOUND, settings)
    } else {
        not_found()
    }
}

fn page_with(status: StatusCode, settings: &Settings) -> Response {
    let policy = match settings.payment_gateway {
        PaymentGatewayKind::Stripe => STRIPE_CONTENT_SECURITY_POLICY,
        PaymentGatewayKind::Mock => CONTENT_SECURITY_POLICY,
    };
    let index = Bundle::get("index.html").expect("web/dist/index.html is compiled in");
    Response::builder()
        .status(status)
        .content_type("text/html; charset=utf-8")
        .header("content-security-policy", policy)
        .header("x-content-type-options", "nosniff")
        .header("referrer-policy", "no-referrer")
        .header("cross-origin-opener-policy", "same-origin")
        .header("permissions-policy", "camera=(), microphone=(), geolocation=(), payment=()")
        // The page names this build's assets: always ask again (it is small; 304 with its tag).
        .header(header::CACHE_CONTROL, "no-cache")
        .header(header::ETAG, entity_tag(&index.metadata.sha256_hash()))
        .body(index.data.into_owned())
}

/// `/assets/{name}`: a script, a style sheet or an image of the build, under a name that changes
/// with its content.
#[handler]
pub fn asset(request: &Request, Path(name): Path<String>) -> Response {
    let Some(file) = Bundle::get(&format!("assets/{name}")) else {
        return not_found();
    };
    let tag = entity_tag(&file.metadata.sha256_hash());
    let held = request.header(header::IF_NONE_MATCH).unwrap_or_default();
    let response = Response::builder()
        .header(header::ETAG, tag.as_str())
        .header("x-content-type-options", "nosniff")
        .header(header::CACHE_CONTROL, "public, max-age=31536000, immutable");
    if held.split(',').any(|candidate| candidate.trim() == tag) {
        return response.status(StatusCode::NOT_MODIFIED).finish();
    }
    response.content_type(media_type(&name)).body(file.data.into_owned())
}

fn not_found() -> Response {
    Response::builder()
        .status(StatusCode::NOT_FOUND)
        .content_type("text/plain; charset=utf-8")
        .body("Not found.")
}

/// Weak: the bytes go out compressed or not.
fn entity_tag(sha256: &[u8; 32]) -> String {
    let hex: String = sha256.iter().take(12).map(|b| format!("{b:02x}")).collect();
    format!("W/\"{hex}\"")
}

/// The media types a Vite build makes; anything else is opaque bytes.
fn media_type(name: &str) -> &'static str {
    match name.rsplit_once('.').map(|(_, extension)| extension) {
        Some("js") => "text/javascript; charset=utf-8",
        Some("css") => "text/css; charset=utf-8",
        Some("svg") => "image/svg+xml",
        Some("png") => "image/png",
        Some("woff2") => "font/woff2",
        Some("json") => "application/json",
        _ => "application/octet-stream",
    }
}
