use poem::{Response, handler, http::StatusCode, web::Data};

use crate::services::Deps;

/// 200 when the database answers, 503 otherwise.
#[handler]
pub async fn check(Data(deps): Data<&Deps>) -> Response {
    match deps.db.ping().await {
        Ok(()) => Response::builder().content_type("application/json").body(r#"{"status":"ok"}"#),
        Err(error) => {
            tracing::error!(%error, "health check: database unreachable");
            Response::builder()
                .status(StatusCode::SERVICE_UNAVAILABLE)
                .content_type("application/json")
                .body(r#"{"status":"unavailable"}"#)
        }
    }
}
