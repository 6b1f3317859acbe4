//! `GET /graphql` with `Upgrade: websocket`: subscriptions over the `graphql-transport-ws`
//! protocol (the `graphql-ws` library's). `connection_init` carries `{"Authorization": "Bearer
//! TOKEN"}`; without a live session the connection is closed (4403). Bounded: connections per
//! instance (one more is refused, 503), subscriptions per connection (`live::ConnectionSlots`).
//! The session is checked every `session_check_seconds`: once it has ended (logout, password
//! changed, idle, expired) the connection closes with 4403 "Session ended". When the server shuts
//! down, connections close with 1001, and their clients reconnect to another instance.

use std::{sync::Arc, time::Duration};

use async_graphql::{Data, http::WebSocketProtocols};
use async_graphql_poem::GraphQLProtocol;
use futures_util::{SinkExt, StreamExt};
use poem::{
    IntoResponse, Request, Response,
    http::StatusCode,
    web::websocket::{Message, WebSocket, WebSocketStream},
};
use tokio::sync::{OwnedSemaphorePermit, Semaphore, watch};

use crate::{
    config::Settings,
    graphql::{self, AppSchema, RequestContext, live::ConnectionSlots},
    services::{
        Caller, Deps,
        auth::sessions::{self, Client},
    },
};

use super::{RequestId, client_address::client_address};

/// What every connection of this instance shares.
#[derive(Clone)]
pub struct Limits {
    connections: Arc<Semaphore>,
    per_connection: usize,
    session_check: Duration,
    /// Turns true when the server starts shutting down.
    closing: watch::Receiver<bool>,
}

impl Limits {
    pub fn of(settings: &Settings, closing: watch::Receiver<bool>) -> Self {
        let limits = &settings.subscriptions;
        Self {
            connections: Arc::new(Semaphore::new(limits.max_connections as usize)),
            per_connection: limits.max_per_connection as usize,
            session_check: Duration::from_secs(limits.session_check_seconds),
            closing,
        }
    }
}

/// Keepalive: a connection that says nothing for this long (not even a ping) is closed.
const KEEPALIVE: Duration = Duration::from_secs(60);
/// graphql-transport-ws' close code for a connection that may not go on.
const FORBIDDEN: u16 = 4403;
/// WebSocket's "going away": the server is shutting down; a client reconnects (to another instance).
const GOING_AWAY: u16 = 1001;

pub fn upgrade(
    request: &Request,
    websocket: WebSocket,
    schema: &AppSchema,
    deps: &Deps,
    settings: &Settings,
    limits: &Limits,
) -> Response {
    let Some(protocol) = requested_protocol(request) else {
        return (StatusCode::BAD_REQUEST, "Ask for the graphql-transport-ws protocol.").into_response();
    };
    let Ok(permit) = limits.connections.clone().try_acquire_owned() else {
        tracing::warn!("subscription connection refused: this instance holds as many as it may");
        return (StatusCode::SERVICE_UNAVAILABLE, "Too many subscription connections; try again later.")
            .into_response();
    };
    let connection = Connection {
        schema: schema.clone(),
        deps: deps.clone(),
        limits: limits.clone(),
        client_ip: client_address(request, &settings.trusted_proxies),
        request_id: request.extensions().get::<RequestId>().map(|id| id.0.clone()).unwrap_or_default(),
        protocol,
        _permit: permit,
    };
    websocket
        .protocols(["graphql-transport-ws"])
        .on_upgrade(move |socket| connection.serve(socket))
        .into_response()
}

/// Only the current protocol: `subscriptions-transport-ws` (the older `graphql-ws` header) is
/// unmaintained and has no `connection_init` ack semantics we rely on.
fn requested_protocol(request: &Request) -> Option<GraphQLProtocol> {
    let offered = request.header("sec-websocket-protocol")?;
    offered
        .split(',')
        .any(|p| p.trim() == "graphql-transport-ws")
        .then_some(GraphQLProtocol(WebSocketProtocols::GraphQLWS))
}

struct Connection {
    schema: AppSchema,
    deps: Deps,
    limits: Limits,
    client_ip: Option<std::net::IpAddr>,
    request_id: String,
    protocol: GraphQLProtocol,
    /// This connection's place among the instance's, given back when it closes.
    _permit: OwnedSemaphorePermit,
}

impl Connection {
    async fn serve(self, socket: WebSocketStream) {
        let (mut sink, incoming) = socket.split();
        let incoming =
            incoming.take_while(|message| std::future::ready(message.is_ok())).filter_map(|message| {
                std::future::ready(
                    message.ok().filter(|m| m.is_text() || m.is_binary()).map(Message::into_bytes),
                )
            });
        // Who the connection is for, once `connection_init` has said.
        let (known, mut caller) = tokio::sync::watch::channel::<Option<Caller>>(None);
        let (deps, limits) = (self.deps.clone(), self.limits.clone());
        let (client_ip, request_id) = (self.client_ip, self.request_id.clone());
        let messages = async_graphql::http::WebSocket::new(self.schema.clone(), incoming, self.protocol.0)
            .keepalive_timeout(KEEPALIVE)
            .on_connection_init(move |payload| async move {
                let caller = authenticate(&deps, &payload).await?;
                let mut data = Data::default();
                let locale = caller.locale();
                // Nobody signs in over a live connection: its user agent is not needed.
                let client = Client { address: client_ip, user_agent: None };
                data.insert(RequestContext { caller: Some(caller.clone()), client, request_id, locale });
                data.insert(ConnectionSlots(Arc::new(Semaphore::new(limits.per_connection))));
                graphql::loaders::insert(&mut data, &deps, tokio::spawn);
                let _ = known.send(Some(caller));
                Ok(data)
            });
        futures_util::pin_mut!(messages);
        let mut check = tokio::time::interval(self.limits.session_check);
        let mut closing = self.limits.closing.clone();
        loop {
            tokio::select! {
                _ = closing.changed() => {
                    let _ = sink.send(Message::close_with(GOING_AWAY, "The server is shutting down")).await;
                    break;
                }
                message = messages.next() => {
                    let Some(message) = message else { break };
                    let message = match message {
                        async_graphql::http::WsMessage::Text(text) => Message::text(text),
                        // A refused `connection_init`: async-graphql says 1002, the protocol 4403.
                        async_graphql::http::WsMessage::Close(1002, reason) if caller.borrow().is_none() => {
                            Message::close_with(FORBIDDEN, reason)
                        }
                        async_graphql::http::WsMessage::Close(code, reason) => Message::close_with(code, reason),
                    };
                    if sink.send(message).await.is_err() {
                        break;
                    }
                }
                _ = check.tick() => {
                    let session = caller.borrow_and_update().as_ref().map(|c| c.session_id);
                    let Some(session) = session else { continue };
                    match sessions::still_live(&self.deps, session).await {
                        Ok(true) => {}
                        Ok(false) => {
                            let _ = sink.send(Message::close_with(FORBIDDEN, "Session ended")).await;
                            break;
                        }
                        // The database did not answer: ask again at the next check rather than end a
                        // session that may well live (4403 tells the client not to come back).
                        Err(error) => {
                            tracing::warn!(error = %crate::telemetry::chain(&error), "session check failed");
                        }
                    }
                }
            }
        }
    }
}

/// The caller of `{"Authorization": "Bearer TOKEN"}`; a refusal closes the connection (4403).
async fn authenticate(deps: &Deps, payload: &serde_json::Value) -> async_graphql::Result<Caller> {
    let header = payload.get("Authorization").or_else(|| payload.get("authorization"));
    let token = header.and_then(|h| h.as_str()).and_then(|h| h.strip_prefix("Bearer ")).map(str::trim);
    let Some(token) = token.filter(|t| !t.is_empty()) else {
        return Err("Send {\"Authorization\": \"Bearer TOKEN\"} in connection_init.".into());
    };
    match sessions::authenticate(deps, token).await {
        // What the HTTP API refuses a caller until they have a password of their own and, where
        // the account requires it, an authenticator, a live connection refuses too.
        Ok(Some(caller)) if caller.must_change_password => Err("Choose a new password first.".into()),
        Ok(Some(caller)) if caller.must_enroll_two_factor() => {
            Err("Your account requires two-step sign-in: set up your authenticator app first.".into())
        }
        Ok(Some(caller)) => Ok(caller),
        Ok(None) => Err("The session has ended: log in again.".into()),
        Err(error) => {
            tracing::error!(error = %crate::telemetry::chain(&error), "session lookup failed");
            Err("Internal server error.".into())
        }
    }
}
