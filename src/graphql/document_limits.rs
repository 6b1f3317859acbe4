//! What a document may hold, checked once when it is parsed (the parsed document is then kept by
//! `document_cache`): how deep it nests, before the parser recurses over it (`bounds`), and how
//! many fields it selects, aliases included.
//!
//! The field limit bounds a document's breadth as written, whatever operation runs, so that a
//! thousand aliases of a cheap field are refused before anything prices them; `query_cost` then
//! prices the operation a request runs, pages of lists included.

use async_graphql::{
    ServerError,
    parser::types::{ExecutableDocument, Selection, SelectionSet},
};

use crate::bounds::{self, MAX_GRAPHQL_NESTING, Syntax};

/// Every operation of the contract selects fewer than 100; GraphiQL's introspection about 120.
pub const MAX_FIELDS: usize = 500;

/// Refuses a document that nests too deep, before it is parsed.
pub fn check_text(query: &str) -> Result<(), ServerError> {
    if bounds::nests_deeper_than(query.as_bytes(), Syntax::Graphql, MAX_GRAPHQL_NESTING) {
        return Err(ServerError::new(
            format!("The document is nested too deep (more than {MAX_GRAPHQL_NESTING} levels)."),
            None,
        ));
    }
    Ok(())
}

/// Refuses a parsed document that selects too many fields. Each field is counted where it is
/// written: a fragment once, however often it is spread (the complexity limit prices the spreads).
pub fn check_document(document: &ExecutableDocument) -> Result<(), ServerError> {
    let operations = document.operations.iter().map(|(_, operation)| &operation.node.selection_set.node);
    let fragments = document.fragments.values().map(|fragment| &fragment.node.selection_set.node);
    let fields: usize = operations.chain(fragments).map(fields_in).sum();
    if fields > MAX_FIELDS {
        return Err(ServerError::new(
            format!("Query is too complex: it selects {fields} fields, more than {MAX_FIELDS}."),
            None,
        ));
    }
    Ok(())
}

/// The fields a selection set holds, at every level. Recursion is bounded: the text nests at most
/// `MAX_GRAPHQL_NESTING` deep.
fn fields_in(set: &SelectionSet) -> usize {
    set.items
        .iter()
        .map(|item| match &item.node {
            Selection::Field(field) => 1 + fields_in(&field.node.selection_set.node),
            Selection::InlineFragment(fragment) => fields_in(&fragment.node.selection_set.node),
            Selection::FragmentSpread(_) => 0,
        })
        .sum()
}
