//! Parsed GraphQL documents, kept by their text. A frontend sends the same few operations over and
//! over; parsing one (async-graphql's pest grammar) was a tenth of the server's CPU under the
//! Dashboard's load. Validation still runs on every request: it depends on the variables.
//!
//! A document is measured before it is parsed and checked once parsed (`document_limits`): the
//! parser recurses once per level of nesting, and a few kilobytes nested thousands deep would
//! overflow the worker's stack. Then, on every request, the operation it runs is priced with its
//! variables (`query_cost`).

use std::sync::{Arc, Mutex};

use async_graphql::{
    Request, ServerResult, Variables,
    extensions::{Extension, ExtensionContext, ExtensionFactory, NextParseQuery, NextPrepareRequest},
    parser::types::ExecutableDocument,
};
use quick_cache::{Weighter, sync::Cache};

use super::{document_limits, query_cost};

/// The documents kept, counted in bytes of their text; the least used go first.
const CAPACITY_BYTES: u64 = 4 * 1024 * 1024;
/// The number of documents that capacity is expected to hold, for sizing the cache.
const EXPECTED_DOCUMENTS: usize = 1_000;

type Documents = Cache<Arc<str>, ExecutableDocument, TextLength>;

#[derive(Clone)]
struct TextLength;

impl Weighter<Arc<str>, ExecutableDocument> for TextLength {
    fn weight(&self, text: &Arc<str>, _: &ExecutableDocument) -> u64 {
        text.len() as u64 + 1
    }
}

/// The schema's extension: one cache shared by every request, and the schema's lists to price.
pub struct DocumentCache {
    documents: Arc<Documents>,
    pages: Arc<query_cost::Pages>,
}

impl DocumentCache {
    pub fn new(pages: query_cost::Pages) -> Self {
        Self {
            documents: Arc::new(Cache::with_weighter(EXPECTED_DOCUMENTS, CAPACITY_BYTES, TextLength)),
            pages: Arc::new(pages),
        }
    }
}

impl ExtensionFactory for DocumentCache {
    /// Called for every request (each of a batch too).
    fn create(&self) -> Arc<dyn Extension> {
        Arc::new(Lookup {
            documents: self.documents.clone(),
            pages: self.pages.clone(),
            operation_name: Mutex::default(),
        })
    }
}

struct Lookup {
    documents: Arc<Documents>,
    pages: Arc<query_cost::Pages>,
    /// This request's operation, seen before its document is parsed: the one to price.
    operation_name: Mutex<Option<String>>,
}

#[async_graphql::async_trait::async_trait]
impl Extension for Lookup {
    async fn prepare_request(
        &self,
        ctx: &ExtensionContext<'_>,
        request: Request,
        next: NextPrepareRequest<'_>,
    ) -> ServerResult<Request> {
        let name = request.operation_name.clone();
        *self.operation_name.lock().unwrap_or_else(|poisoned| poisoned.into_inner()) = name;
        next.run(ctx, request).await
    }

    async fn parse_query(
        &self,
        ctx: &ExtensionContext<'_>,
        query: &str,
        variables: &Variables,
        next: NextParseQuery<'_>,
    ) -> ServerResult<ExecutableDocument> {
        let document = match self.documents.get(query) {
            Some(document) => document,
            None => {
                document_limits::check_text(query)?;
                // Only documents that parse and pass are kept: a refused one is parsed again, and
                // refused again.
                let document = next.run(ctx, query, variables).await?;
                document_limits::check_document(&document)?;
                self.documents.insert(Arc::from(query), document.clone());
                document
            }
        };
        let operation_name =
            self.operation_name.lock().unwrap_or_else(|poisoned| poisoned.into_inner()).clone();
        query_cost::check(&self.pages, &document, operation_name.as_deref(), variables)?;
        Ok(document)
    }
}
