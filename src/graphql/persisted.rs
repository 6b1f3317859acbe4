//! Persisted operations: a client sends an operation's SHA-256 instead of its text.
//!
//! - **Automatic Persisted Queries** (Apollo's protocol): `extensions.persistedQuery {version: 1,
//!   sha256Hash}`. A hash this instance has not seen answers `PERSISTED_QUERY_NOT_FOUND`, and the
//!   client sends the hash again with the text, which is kept once the hash is proven to be the
//!   text's. The store is each instance's own and bounded: an instance that never saw a hash, or
//!   forgot it, costs one more round trip, nothing else.
//! - **Trusted documents**: the portal's own operations (its build lists them, and the binary
//!   holds them: `http::portal::operations`), and `PERSISTED_OPERATIONS=FILE`, a manifest of other frontends' operations
//!   (Apollo's `apollo-persisted-query-manifest`, or a `{hash: text}` map as GraphQL Code
//!   Generator's client preset writes it). With `PERSISTED_OPERATIONS_ONLY=true`, only those run:
//!   any other text is refused with `PERSISTED_QUERY_NOT_IN_LIST`, so an attacker holding a valid
//!   session still runs only what the portal runs.
//!
//! The text found goes through the same limits and cache as any other (`document_cache`).

use std::{collections::HashMap, path::Path, sync::Arc};

use async_graphql::{
    Request, ServerError, ServerResult, Value,
    extensions::{Extension, ExtensionContext, ExtensionFactory, NextPrepareRequest},
};
use quick_cache::{Weighter, sync::Cache};
use serde::Deserialize;
use sha2::{Digest, Sha256};

/// Texts kept for Automatic Persisted Queries, counted in bytes; the least used go first.
const APQ_CAPACITY_BYTES: u64 = 4 * 1024 * 1024;
const APQ_EXPECTED_DOCUMENTS: usize = 1_000;

/// Why a persisted operation was refused; `errors::to_contract` gives each its code.
#[derive(Debug, Clone, Copy, PartialEq, Eq, thiserror::Error)]
pub enum PersistedError {
    #[error("PersistedQueryNotFound")]
    NotFound,
    #[error("This server runs only the operations it was given (PERSISTED_OPERATIONS_ONLY).")]
    NotInList,
    #[error("The persisted query's sha256Hash is not the SHA-256 of its query.")]
    HashMismatch,
    #[error("extensions.persistedQuery must be {{version: 1, sha256Hash: 64 hex digits}}.")]
    Malformed,
}

impl PersistedError {
    pub fn code(self) -> &'static str {
        match self {
            Self::NotFound => "PERSISTED_QUERY_NOT_FOUND",
            Self::NotInList => "PERSISTED_QUERY_NOT_IN_LIST",
            Self::HashMismatch | Self::Malformed => "BAD_USER_INPUT",
        }
    }

    fn into_server_error(self) -> ServerError {
        let mut error = ServerError::new(self.to_string(), None);
        error.source = Some(Arc::new(self));
        error
    }
}

/// The operator's manifest: texts by their SHA-256.
#[derive(Clone, Debug, Default)]
pub struct Manifest(HashMap<String, Arc<str>>);

#[derive(Debug, thiserror::Error)]
pub enum ManifestError {
    #[error("{0}")]
    Read(#[from] std::io::Error),
    #[error("not a persisted-query manifest: {0}")]
    Format(#[from] serde_json::Error),
    #[error("operation {id} is not its body's SHA-256 ({actual})")]
    WrongHash { id: String, actual: String },
}

impl Manifest {
    pub fn load(path: &Path) -> Result<Self, ManifestError> {
        Self::parse(&std::fs::read(path)?)
    }

    /// Apollo's manifest (`{"format": "apollo-persisted-query-manifest", "operations": [{"id",
    /// "body"}]}`) or a plain `{hash: text}` map. Every id must be its text's SHA-256.
    pub fn parse(json: &[u8]) -> Result<Self, ManifestError> {
        #[derive(Deserialize)]
        #[serde(untagged)]
        enum Format {
            Apollo { operations: Vec<Operation> },
            Map(HashMap<String, String>),
        }
        #[derive(Deserialize)]
        struct Operation {
            id: String,
            body: String,
        }
        let listed: Vec<(String, String)> = match serde_json::from_slice(json)? {
            Format::Apollo { operations } => operations.into_iter().map(|o| (o.id, o.body)).collect(),
            Format::Map(map) => map.into_iter().collect(),
        };
        let mut texts = HashMap::new();
        for (id, body) in listed {
            let actual = sha256(&body);
            if !id.eq_ignore_ascii_case(&actual) {
                return Err(ManifestError::WrongHash { id, actual });
            }
            texts.insert(actual, Arc::from(body));
        }
        Ok(Self(texts))
    }

    /// Both manifests' operations.
    pub fn merged(mut self, other: Manifest) -> Manifest {
        self.0.extend(other.0);
        self
    }

    pub fn len(&self) -> usize {
        self.0.len()
    }

    pub fn is_empty(&self) -> bool {
        self.0.is_empty()
    }
}

/// The schema's extension: the manifest, whether only it runs, and the APQ store every request
/// of this instance shares.
pub struct PersistedOperations {
    inner: Arc<Shared>,
}

struct Shared {
    manifest: Manifest,
    only_manifest: bool,
    automatic: Cache<String, Arc<str>, TextLength>,
}

#[derive(Clone)]
struct TextLength;

impl Weighter<String, Arc<str>> for TextLength {
    fn weight(&self, _: &String, text: &Arc<str>) -> u64 {
        text.len() as u64 + 64
    }
}

impl PersistedOperations {
    pub fn new(manifest: Manifest, only_manifest: bool) -> Self {
        Self { inner: Arc::new(Shared::new(manifest, only_manifest)) }
    }
}

impl ExtensionFactory for PersistedOperations {
    fn create(&self) -> Arc<dyn Extension> {
        Arc::new(Lookup(self.inner.clone()))
    }
}

struct Lookup(Arc<Shared>);

#[async_graphql::async_trait::async_trait]
impl Extension for Lookup {
    async fn prepare_request(
        &self,
        ctx: &ExtensionContext<'_>,
        mut request: Request,
        next: NextPrepareRequest<'_>,
    ) -> ServerResult<Request> {
        request.query = self.0.resolve(&request).map_err(PersistedError::into_server_error)?;
        next.run(ctx, request).await
    }
}

impl Shared {
    fn new(manifest: Manifest, only_manifest: bool) -> Self {
        let automatic = Cache::with_weighter(APQ_EXPECTED_DOCUMENTS, APQ_CAPACITY_BYTES, TextLength);
        Self { manifest, only_manifest, automatic }
    }

    /// The text the request runs.
    fn resolve(&self, request: &Request) -> Result<String, PersistedError> {
        let hash = match request.extensions.get("persistedQuery") {
            Some(value) => Some(hash_of(value)?),
            None => None,
        };
        let text = request.query.as_str();
        match hash {
            // The hash alone: a text we hold.
            Some(hash) if text.is_empty() => {
                let known = self
                    .trusted(&hash)
                    .or_else(|| if self.only_manifest { None } else { self.automatic.get(&hash) });
                known.map(|text| text.to_string()).ok_or(if self.only_manifest {
                    PersistedError::NotInList
                } else {
                    PersistedError::NotFound
                })
            }
            // The hash and its text: proven, then kept.
            Some(hash) => {
                if sha256(text) != hash {
                    return Err(PersistedError::HashMismatch);
                }
                // A text of the manifest is already held; only others are kept for next time.
                match self.trusted(&hash) {
                    Some(_) => {}
                    None if self.only_manifest => return Err(PersistedError::NotInList),
                    None => self.automatic.insert(hash, Arc::from(text)),
                }
                Ok(text.to_string())
            }
            None if self.only_manifest && self.trusted(&sha256(text)).is_none() => {
                Err(PersistedError::NotInList)
            }
            None => Ok(request.query.clone()),
        }
    }

    fn trusted(&self, hash: &str) -> Option<Arc<str>> {
        self.manifest.0.get(hash).cloned()
    }
}

/// `{version: 1, sha256Hash: "…"}`'s hash, lower-cased.
fn hash_of(value: &Value) -> Result<String, PersistedError> {
    let Value::Object(fields) = value else { return Err(PersistedError::Malformed) };
    let version_one = matches!(fields.get("version"), Some(Value::Number(n)) if n.as_u64() == Some(1));
    let hash = match fields.get("sha256Hash") {
        Some(Value::String(hash)) if hash.len() == 64 && hash.bytes().all(|b| b.is_ascii_hexdigit()) => hash,
        _ => return Err(PersistedError::Malformed),
    };
    if !version_one {
        return Err(PersistedError::Malformed);
    }
    Ok(hash.to_ascii_lowercase())
}

fn sha256(text: &str) -> String {
    Sha256::digest(text.as_bytes()).iter().map(|b| format!("{b:02x}")).collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    const QUERY: &str = "query Viewer { viewer { id } }";

    fn request(query: &str, hash: Option<&str>) -> Request {
        let mut request = Request::new(query);
        if let Some(hash) = hash {
            let extension = serde_json::json!({ "version": 1, "sha256Hash": hash });
            request.extensions.0.insert("persistedQuery".into(), Value::from_json(extension).unwrap());
        }
        request
    }

    fn shared(manifest: &[&str], only: bool) -> Shared {
        let map: HashMap<String, String> = manifest.iter().map(|t| (sha256(t), t.to_string())).collect();
        let manifest = Manifest::parse(&serde_json::to_vec(&map).unwrap()).unwrap();
        Shared::new(manifest, only)
    }

    #[test]
    fn an_unknown_hash_is_not_found_then_kept_once_its_text_proves_it() {
        let apq = shared(&[], false);
        let hash = sha256(QUERY);
        assert_eq!(apq.resolve(&request("", Some(&hash))), Err(PersistedError::NotFound));
        assert_eq!(apq.resolve(&request(QUERY, Some(&hash))).as_deref(), Ok(QUERY));
        assert_eq!(apq.resolve(&request("", Some(&hash))).as_deref(), Ok(QUERY));
        let wrong = sha256("query Other { viewer { id } }");
        assert_eq!(apq.resolve(&request(QUERY, Some(&wrong))), Err(PersistedError::HashMismatch));
        assert_eq!(apq.resolve(&request("", Some("abc"))), Err(PersistedError::Malformed));
        assert_eq!(apq.resolve(&request(QUERY, None)).as_deref(), Ok(QUERY));
    }

    #[test]
    fn only_the_manifest_runs_when_it_alone_is_trusted() {
        let trusted = shared(&[QUERY], true);
        assert_eq!(trusted.resolve(&request("", Some(&sha256(QUERY)))).as_deref(), Ok(QUERY));
        assert_eq!(trusted.resolve(&request(QUERY, None)).as_deref(), Ok(QUERY));
        let other = "{ account { id } }";
        assert_eq!(trusted.resolve(&request(other, None)), Err(PersistedError::NotInList));
        assert_eq!(trusted.resolve(&request(other, Some(&sha256(other)))), Err(PersistedError::NotInList));
        assert_eq!(trusted.resolve(&request("", Some(&sha256(other)))), Err(PersistedError::NotInList));
    }

    #[test]
    fn a_manifest_whose_ids_are_not_its_texts_hashes_is_refused() {
        let apollo = serde_json::json!({
            "format": "apollo-persisted-query-manifest",
            "version": 1,
            "operations": [{ "id": sha256(QUERY), "name": "Viewer", "type": "query", "body": QUERY }],
        });
        assert_eq!(Manifest::parse(apollo.to_string().as_bytes()).unwrap().len(), 1);
        let wrong =
            serde_json::json!({ "0000000000000000000000000000000000000000000000000000000000000000": QUERY });
        assert!(matches!(
            Manifest::parse(wrong.to_string().as_bytes()),
            Err(ManifestError::WrongHash { .. })
        ));
    }
}
