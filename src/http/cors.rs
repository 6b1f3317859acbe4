//! Which web pages may call `/graphql` from a browser (CORS), with poem's own middleware: the
//! origins of `CORS_ALLOWED_ORIGINS`, the portal's own (`PUBLIC_URL`) and, in development, a
//! frontend's dev server on this machine. A preflight is answered for `POST` with `Content-Type`
//! and `Authorization`; a page of another origin gets a refusal without
//! `Access-Control-Allow-Origin`, which its browser will not let it read.

use poem::{
    Endpoint, EndpointExt, Response,
    http::{Method, StatusCode, header},
    middleware::Cors,
};

use crate::{
    config::Settings,
    domain::origin::{self, Origin},
};

/// How long a browser may keep a preflight's answer.
const PREFLIGHT_MAX_AGE_SECONDS: i32 = 600;

/// The rule: exact origins, and, where `local_development` is on, any port of this machine.
#[derive(Clone, Debug)]
pub struct AllowedOrigins {
    exact: Vec<Origin>,
    local_development: bool,
}

impl AllowedOrigins {
    pub fn of(settings: &Settings) -> Self {
        let listed = settings.cors_allowed_origins.iter().flatten().filter_map(|o| origin::parse(o));
        let exact = listed.chain(origin::of_url(&settings.public_url)).collect();
        let local_development = settings.cors_allowed_origins.is_none() && !settings.is_production();
        Self { exact, local_development }
    }

    pub fn allows(&self, header: &str) -> bool {
        origin::parse(header).is_some_and(|origin| {
            self.exact.contains(&origin) || (self.local_development && origin.is_local_development())
        })
    }
}

/// `endpoint` behind the CORS rule; a refused origin answers 403 in GraphQL's error shape.
pub fn guard<E: Endpoint + 'static>(endpoint: E, settings: &Settings) -> impl Endpoint + use<E> {
    let allowed = AllowedOrigins::of(settings);
    let cors = Cors::new()
        .allow_origins_fn(move |origin| allowed.allows(origin))
        .allow_methods([Method::POST, Method::GET])
        .allow_headers([header::CONTENT_TYPE, header::AUTHORIZATION])
        .expose_header("x-request-id")
        .max_age(PREFLIGHT_MAX_AGE_SECONDS);
    endpoint.with(cors).catch_error(|error: poem::error::CorsError| async move { refused(&error) })
}

fn refused(error: &poem::error::CorsError) -> Response {
    let body = serde_json::json!({
        "errors": [{
            "message": format!("This origin may not call the API from a browser ({error})."),
            "extensions": { "code": "FORBIDDEN" },
        }]
    });
    Response::builder().status(StatusCode::FORBIDDEN).content_type("application/json").body(body.to_string())
}

#[cfg(test)]
mod tests {
    use super::*;

    fn settings(production: bool, listed: Option<&[&str]>) -> Settings {
        Settings {
            app_env: if production {
                crate::config::AppEnv::Production
            } else {
                crate::config::AppEnv::Development
            },
            public_url: "https://portal.example.com".into(),
            cors_allowed_origins: listed.map(|l| l.iter().map(|o| o.to_string()).collect()),
            ..Settings::default()
        }
    }

    #[test]
    fn development_allows_this_machine_s_dev_servers_unless_origins_are_listed() {
        let allowed = AllowedOrigins::of(&settings(false, None));
        assert!(allowed.allows("http://localhost:5173"));
        assert!(allowed.allows("http://127.0.0.1:3000"));
        assert!(allowed.allows("https://portal.example.com"));
        assert!(!allowed.allows("http://evil.example"));
        let listed = AllowedOrigins::of(&settings(false, Some(&["https://app.example.com"])));
        assert!(listed.allows("https://app.example.com"));
        assert!(!listed.allows("http://localhost:5173"));
    }

    #[test]
    fn production_allows_only_the_portal_and_listed_origins_exactly() {
        let allowed = AllowedOrigins::of(&settings(true, None));
        assert!(allowed.allows("https://portal.example.com"));
        assert!(!allowed.allows("http://localhost:5173"));
        let listed = AllowedOrigins::of(&settings(true, Some(&["https://app.example.com"])));
        assert!(listed.allows("https://app.example.com"));
        assert!(listed.allows("https://APP.example.com:443"));
        assert!(!listed.allows("https://app.example.com:8443"));
        assert!(!listed.allows("http://app.example.com"));
        assert!(!listed.allows("https://app.example.com.evil.example"));
        assert!(!listed.allows("null"));
    }
}
