//! Parsed GraphQL documents, kept by their text. A frontend sends the same few operations over and
//! over; parsing one (async-graphql's pest grammar) was a tenth of the server's CPU under the
//! Dashboard's load. Validation still runs on every request: it depends on the variables.
//!
//! A document is measured before it is parsed and checked once parsed (`document_limits`): the
//! parser recurses once per level of nesting, and a few kilobytes nested thousands deep would
//! overflow the worker's stack.

use std::sync::Arc;

use async_graphql::{
    ServerResult, Variables,
    extensions::{Extension, ExtensionContext, ExtensionFactory, NextParseQuery},
    parser::types::ExecutableDocument,
};
use quick_cache::{Weighter, sync::Cache};

use super::document_limits;

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

/// The schema's extension: one cache shared by every request.
pub struct DocumentCache(Arc<Documents>);

impl Default for DocumentCache {
    fn default() -> Self {
        Self(Arc::new(Cache::with_weighter(EXPECTED_DOCUMENTS, CAPACITY_BYTES, TextLength)))
    }
}

impl ExtensionFactory for DocumentCache {
    fn create(&self) -> Arc<dyn Extension> {
        Arc::new(Lookup(self.0.clone()))
    }
}

struct Lookup(Arc<Documents>);

#[async_graphql::async_trait::async_trait]
impl Extension for Lookup {
    async fn parse_query(
        &self,
        ctx: &ExtensionContext<'_>,
        query: &str,
        variables: &Variables,
        next: NextParseQuery<'_>,
    ) -> ServerResult<ExecutableDocument> {
        if let Some(document) = self.0.get(query) {
            return Ok(document);
        }
        document_limits::check_text(query)?;
        // Only documents that parse and pass are kept: a refused one is parsed again, and refused
        // again.
        let document = next.run(ctx, query, variables).await?;
        document_limits::check_document(&document)?;
        self.0.insert(Arc::from(query), document.clone());
        Ok(document)
    }
}
