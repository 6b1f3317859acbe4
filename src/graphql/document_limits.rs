//! What a document may hold, checked once when it is parsed (the parsed document is then kept by
//! `document_cache`): how deep its text nests, before the parser recurses over it (`bounds`); how
//! deep its selections nest, fragments followed; and how many fields it selects, aliases included.
//!
//! The field limit bounds a document's breadth as written, whatever operation runs, so that a
//! thousand aliases of a cheap field are refused before anything prices them; `query_cost` then
//! prices the operation a request runs, pages of lists included.

use std::collections::HashMap;

use async_graphql::{
    ServerError,
    parser::types::{ExecutableDocument, Selection, SelectionSet},
};

use crate::bounds::{self, MAX_GRAPHQL_NESTING, Syntax};

/// Every operation of the contract selects fewer than 100; GraphiQL's introspection about 120.
pub const MAX_FIELDS: usize = 500;

/// Deep enough for every frontend operation (the deepest nests 6 levels) and for introspection,
/// far from abusive.
pub const MAX_DEPTH: usize = 12;

/// Introspection's chain of wrapped types (`[Money!]!` is NON_NULL of LIST of NON_NULL of Money):
/// one object per level, never a list, nested nine deep by graphql-js' `getIntrospectionQuery()`.
/// Counting it would refuse GraphiQL's own introspection; it cannot multiply work.
const TYPE_CHAIN: &str = "ofType";

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

/// Refuses a parsed document that nests too deep or selects too many fields.
pub fn check_document(document: &ExecutableDocument) -> Result<(), ServerError> {
    check_depth(document)?;
    check_fields(document)
}

/// Each field is counted where it is written: a fragment once, however often it is spread
/// (`query_cost` prices the spreads).
fn check_fields(document: &ExecutableDocument) -> Result<(), ServerError> {
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

/// Refuses a document whose selections nest deeper than `MAX_DEPTH`, through its fragments.
fn check_depth(document: &ExecutableDocument) -> Result<(), ServerError> {
    let mut depths = Depths { document, fragments: HashMap::new() };
    let deepest = document.operations.iter().map(|(_, op)| depths.of(&op.node.selection_set.node)).max();
    if deepest.unwrap_or(0) > MAX_DEPTH {
        return Err(ServerError::new(
            format!("Query is nested too deep: its selections nest more than {MAX_DEPTH} levels."),
            None,
        ));
    }
    Ok(())
}

struct Depths<'a> {
    document: &'a ExecutableDocument,
    /// Each fragment is measured once; `None` while it is measured, so that a cycle (refused
    /// later by validation) ends.
    fragments: HashMap<&'a str, Option<usize>>,
}

impl<'a> Depths<'a> {
    /// Recursion is bounded: the text nests at most `MAX_GRAPHQL_NESTING` deep, and each fragment
    /// is entered once.
    fn of(&mut self, set: &'a SelectionSet) -> usize {
        let depths = set.items.iter().map(|item| match &item.node {
            Selection::Field(field) => {
                let below = self.of(&field.node.selection_set.node);
                if field.node.name.node == TYPE_CHAIN { below } else { below + 1 }
            }
            Selection::InlineFragment(fragment) => self.of(&fragment.node.selection_set.node),
            Selection::FragmentSpread(spread) => self.fragment(spread.node.fragment_name.node.as_str()),
        });
        depths.max().unwrap_or(0)
    }

    fn fragment(&mut self, name: &'a str) -> usize {
        if let Some(known) = self.fragments.get(name) {
            return known.unwrap_or(0);
        }
        let Some(fragment) = self.document.fragments.get(name) else { return 0 };
        self.fragments.insert(name, None);
        let depth = self.of(&fragment.node.selection_set.node);
        self.fragments.insert(name, Some(depth));
        depth
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn depth_of(query: &str) -> Result<(), ServerError> {
        check_depth(&async_graphql::parser::parse_query(query).expect("parses"))
    }

    #[test]
    fn depth_counts_through_fragments_but_not_the_type_chain() {
        let nested =
            |levels: usize| format!("{{ {}id{} }}", "a { ".repeat(levels - 1), " }".repeat(levels - 1));
        assert!(depth_of(&nested(MAX_DEPTH)).is_ok());
        assert!(depth_of(&nested(MAX_DEPTH + 1)).is_err());
        let through_fragment = format!("{{ a {{ ...F }} }} fragment F on T {}", nested(MAX_DEPTH));
        assert!(depth_of(&through_fragment).is_err(), "a fragment's depth adds to where it is spread");
        let chain =
            format!("{{ __type(name: \"X\") {{ {}name{} }} }}", "ofType { ".repeat(20), " }".repeat(20));
        assert!(depth_of(&chain).is_ok(), "ofType chains are introspection's, one object deep each");
        assert!(depth_of("{ a { ...F } } fragment F on T { b { ...F } }").is_ok(), "a cycle ends");
    }
}
