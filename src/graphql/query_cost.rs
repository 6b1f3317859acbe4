//! What an operation costs to run, priced before it runs: every field costs 1, aliases included,
//! and a list's page multiplies what it selects by its size (`first`, as this request's variables
//! give it, at most `MAX_PAGE_SIZE`). A hundred aliases of `transactions(first: 100)` ask for ten
//! thousand rows' fields and are refused; a page of 100 of one list passes.
//!
//! Only the operation the request runs is priced, with its own variables: a document of several
//! operations (as a frontend's codegen sends them) is not refused for another operation's `$first`.
//! async-graphql's own complexity limit evaluates argument expressions for every operation of the
//! document, which is why this module replaces it.

use std::collections::HashMap;

use async_graphql::{
    ServerError, Value, Variables,
    parser::types::{
        ExecutableDocument, Field, OperationDefinition, Selection, SelectionSet, TypeKind,
        TypeSystemDefinition,
    },
};

use crate::services::pagination::MAX_PAGE_SIZE;

/// The Dashboard costs 134; the contract's TransactionHistory with a page of 100 costs 2 003 (run
/// `cargo test --lib query_cost -- --nocapture` for every operation's price).
pub const MAX_COST: u64 = 5_000;

/// The argument that makes a field a page of a list, in every list of the schema.
const PAGE_SIZE_ARGUMENT: &str = "first";
/// The argument that names the objects a field answers, one item each (`nodes(ids:)`).
const IDS_ARGUMENT: &str = "ids";

/// The fields that are pages of a list, by name, with the page size they default to: read from the
/// schema itself, so a new list is priced as one without being named here. A field of another
/// type with the same name is priced as a page too, which only ever overestimates.
#[derive(Clone, Debug, Default)]
pub struct Pages(HashMap<String, u64>);

impl Pages {
    pub fn of_schema(sdl: &str) -> Self {
        let Ok(schema) = async_graphql::parser::parse_schema(sdl) else {
            return Self::default();
        };
        let mut pages = HashMap::new();
        for definition in schema.definitions {
            let TypeSystemDefinition::Type(definition) = definition else { continue };
            let fields = match definition.node.kind {
                TypeKind::Object(object) => object.fields,
                TypeKind::Interface(interface) => interface.fields,
                _ => continue,
            };
            for field in fields {
                let field = field.node;
                let Some(size) = field.arguments.iter().find(|a| a.node.name.node == PAGE_SIZE_ARGUMENT)
                else {
                    continue;
                };
                let default = match size.node.default_value.as_ref().map(|value| &value.node) {
                    Some(Value::Number(number)) => number.as_u64().unwrap_or(MAX_PAGE_SIZE),
                    _ => MAX_PAGE_SIZE,
                };
                pages.insert(field.name.node.to_string(), default.min(MAX_PAGE_SIZE));
            }
        }
        Self(pages)
    }
}

/// Refuses the request's operation if it costs more than `MAX_COST`. An operation the document
/// does not hold (or an unnamed choice among several) is left to async-graphql, which refuses it.
pub fn check(
    pages: &Pages,
    document: &ExecutableDocument,
    operation_name: Option<&str>,
    variables: &Variables,
) -> Result<(), ServerError> {
    let Some(operation) = selected(document, operation_name) else {
        return Ok(());
    };
    let mut pricing = Pricing { pages, document, operation, variables, fragments: HashMap::new() };
    let cost = pricing.of(&operation.selection_set.node);
    if cost > MAX_COST {
        return Err(ServerError::new(
            format!(
                "Query is too complex: it costs {cost}, more than {MAX_COST} (each field 1, what a list's \
                 items select times its page size)."
            ),
            None,
        ));
    }
    Ok(())
}

/// The operation a request runs, as async-graphql chooses it.
fn selected<'d>(document: &'d ExecutableDocument, name: Option<&str>) -> Option<&'d OperationDefinition> {
    let mut operations = document.operations.iter();
    let found = match name {
        Some(name) => operations.find(|(candidate, _)| candidate.is_some_and(|c| c.as_str() == name)),
        None if document.operations.iter().count() == 1 => operations.next(),
        None => None,
    };
    found.map(|(_, operation)| &operation.node)
}

struct Pricing<'a> {
    pages: &'a Pages,
    document: &'a ExecutableDocument,
    operation: &'a OperationDefinition,
    variables: &'a Variables,
    /// Each fragment is priced once however often it is spread (a chain of fragments each spreading
    /// the next twice would otherwise take exponential time); `None` while it is being priced, so
    /// that a cycle (refused later by validation) ends.
    fragments: HashMap<&'a str, Option<u64>>,
}

impl<'a> Pricing<'a> {
    /// Recursion is bounded: the text nests at most `MAX_GRAPHQL_NESTING` deep, and each fragment
    /// is entered once.
    fn of(&mut self, set: &'a SelectionSet) -> u64 {
        set.items.iter().fold(0u64, |total, item| {
            let cost = match &item.node {
                Selection::Field(field) => {
                    let children = self.of(&field.node.selection_set.node);
                    children.saturating_mul(self.page_size(&field.node)).saturating_add(1)
                }
                Selection::InlineFragment(fragment) => self.of(&fragment.node.selection_set.node),
                Selection::FragmentSpread(spread) => self.fragment(spread.node.fragment_name.node.as_str()),
            };
            total.saturating_add(cost)
        })
    }

    fn fragment(&mut self, name: &'a str) -> u64 {
        if let Some(known) = self.fragments.get(name) {
            return known.unwrap_or(0);
        }
        let Some(fragment) = self.document.fragments.get(name) else {
            return 0; // refused by validation
        };
        self.fragments.insert(name, None);
        let cost = self.of(&fragment.node.selection_set.node);
        self.fragments.insert(name, Some(cost));
        cost
    }

    /// How many items a field's page holds, as the server caps it: its `first`, or the number of
    /// `ids` it is asked for (`nodes(ids:)`); 1 for a field that is no page.
    fn page_size(&self, field: &Field) -> u64 {
        if let Some(Value::List(ids)) = self.argument(field, IDS_ARGUMENT) {
            return (ids.len() as u64).min(MAX_PAGE_SIZE);
        }
        let Some(&default) = self.pages.0.get(field.name.node.as_str()) else {
            return 1;
        };
        let asked = match self.argument(field, PAGE_SIZE_ARGUMENT) {
            Some(Value::Number(number)) => number.as_i64(),
            _ => None,
        };
        // A value that does not coerce is refused by validation; a negative one by the service.
        asked.map_or(default, |size| size.clamp(0, MAX_PAGE_SIZE as i64) as u64)
    }

    /// An argument's value, its variables filled in from this request.
    fn argument(&self, field: &Field, name: &str) -> Option<Value> {
        let argument = field.get_argument(name)?;
        argument.node.clone().into_const_with(|variable| self.variable(&variable).ok_or(())).ok()
    }

    /// A variable's value in this request, or its default in the operation.
    fn variable(&self, name: &str) -> Option<Value> {
        self.variables.get(name).cloned().or_else(|| {
            self.operation
                .variable_definitions
                .iter()
                .find(|definition| definition.node.name.node == name)
                .and_then(|definition| definition.node.default_value.as_ref())
                .map(|default| default.node.clone())
        })
    }
}

#[cfg(test)]
mod tests {
    use async_graphql::{Name, Number, Value, Variables, parser::parse_query};

    use super::{MAX_COST, Pages, Pricing, check, selected};

    fn pages() -> Pages {
        Pages::of_schema(&crate::graphql::sdl())
    }

    fn first(size: i64) -> Variables {
        let mut variables = Variables::default();
        variables.insert(Name::new("first"), Value::Number(Number::from(size)));
        variables
    }

    fn cost(query: &str, name: Option<&str>, variables: &Variables) -> u64 {
        let document = parse_query(query).unwrap();
        let operation = selected(&document, name).unwrap();
        let pages = pages();
        Pricing { pages: &pages, document: &document, operation, variables, fragments: Default::default() }
            .of(&operation.selection_set.node)
    }

    /// The frontend's operations, as the tests run them.
    fn contract() -> String {
        let dir = concat!(env!("CARGO_MANIFEST_DIR"), "/tests/api/operations");
        ["dashboard", "transactions", "payments", "organization", "profile", "auth", "fragments"]
            .iter()
            .map(|file| std::fs::read_to_string(format!("{dir}/{file}.graphql")).unwrap())
            .collect()
    }

    #[test]
    fn the_schema_s_lists_are_pages_of_their_default_size() {
        let pages = pages();
        for list in ["transactions", "invoices", "payments", "activity"] {
            assert_eq!(pages.0.get(list), Some(&20), "{list}");
        }
        assert!(!pages.0.contains_key("users"), "a list without pages costs as a field");
    }

    #[test]
    fn a_page_multiplies_what_its_items_select() {
        let query = "{ account { transactions(first: 100) { edges { node { id } } } } }";
        // account 1 + transactions (1 + 100 × (edges 1 + node 1 + id 1)).
        assert_eq!(cost(query, None, &Variables::default()), 1 + 1 + 100 * 3);
        let by_default = "{ account { transactions { edges { node { id } } } } }";
        assert_eq!(cost(by_default, None, &Variables::default()), 1 + 1 + 20 * 3);
        // The server never returns more than 100, whatever is asked.
        let huge = "{ account { transactions(first: 100000) { edges { node { id } } } } }";
        assert_eq!(cost(huge, None, &Variables::default()), 1 + 1 + 100 * 3);
    }

    #[test]
    fn every_contract_operation_passes_with_pages_of_100_and_the_dashboard_is_cheap() {
        let document = contract();
        let parsed = parse_query(&document).unwrap();
        for (name, _) in parsed.operations.iter() {
            let name = name.unwrap().as_str();
            let price = cost(&document, Some(name), &first(100));
            eprintln!("{name}: {price}");
            assert!(price <= MAX_COST, "{name} costs {price}");
        }
        assert!(cost(&document, Some("Dashboard"), &Variables::default()) < 200);
    }

    #[test]
    fn nodes_cost_what_each_id_selects() {
        // nodes 1 + 3 ids × (id 1 + number 1).
        let literal = r#"{ nodes(ids: ["a", "b", "c"]) { id ... on Account { number } } }"#;
        assert_eq!(cost(literal, None, &Variables::default()), 1 + 3 * 2);
        let mut variables = Variables::default();
        let ids = (0..100).map(|i| Value::String(format!("id{i}"))).collect();
        variables.insert(Name::new("ids"), Value::List(ids));
        let asked = "query($ids: [ID!]!) { nodes(ids: $ids) { id } }";
        assert_eq!(cost(asked, None, &variables), 1 + 100);
    }

    #[test]
    fn only_the_operation_that_runs_is_priced_with_its_own_variables() {
        // The second operation has no `$first`: it is priced by its own literal.
        let document =
            "query Pages($first: Int!) { account { transactions(first: $first) { edges { node { id } } } } }
                        query Few { account { invoices(first: 2) { edges { node { id } } } } }";
        let parsed = parse_query(document).unwrap();
        assert!(check(&pages(), &parsed, Some("Few"), &Variables::default()).is_ok());
        assert_eq!(cost(document, Some("Pages"), &first(10)), 2 + 10 * 3);
        // A variable's default counts when the request gives none.
        let defaulted =
            "query Pages($first: Int = 50) { account { payments(first: $first) { edges { node { id } } } } }";
        assert_eq!(cost(defaulted, None, &Variables::default()), 2 + 50 * 3);
    }

    #[test]
    fn aliased_pages_of_100_are_refused() {
        let page = "transactions(first: 100) { edges { node { id amount { amount } } } }";
        let aliases: String = (0..20).map(|i| format!("t{i}: {page} ")).collect();
        let document = parse_query(format!("{{ account {{ {aliases} }} }}")).unwrap();
        let refused = check(&pages(), &document, None, &Variables::default()).unwrap_err();
        assert!(refused.message.contains("too complex"), "{}", refused.message);
    }

    #[test]
    fn fragments_spreading_each_other_are_priced_once_each_and_cycles_end() {
        // Each fragment spreads the next twice: 2^40 fields if expanded, priced in 40 steps.
        let mut document = String::from("{ viewer { ...F0 } }");
        for level in 0..40 {
            let next = level + 1;
            document.push_str(&format!(" fragment F{level} on User {{ ...F{next} ...F{next} }}"));
        }
        document.push_str(" fragment F40 on User { id }");
        let parsed = parse_query(&document).unwrap();
        assert!(check(&pages(), &parsed, None, &Variables::default()).is_err());
        let cycle = "{ viewer { ...A } } fragment A on User { id ...B } fragment B on User { id ...A }";
        assert_eq!(cost(cycle, None, &Variables::default()), 1 + 2);
    }
}
