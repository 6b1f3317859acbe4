//! How deep a request's brackets nest, measured in one loop before anything recursive reads it.
//!
//! async-graphql's parser and serde's deserializers recurse once per level of a list, an object or
//! a selection set. A few kilobytes of `[[[[…` nested thousands deep overflow a worker's stack and
//! abort the whole process, so every GraphQL document and every JSON body is measured here first
//! and refused past a small depth. The scan keeps no stack: a counter, and whether it is inside a
//! string or a comment.

/// Deeper than any operation a frontend sends (the contract's operations nest at most 6 brackets,
/// selection sets, arguments and input values together; graphql-js's introspection query about
/// 11), and shallow enough that the parser's recursion stays a few hundred frames.
pub const MAX_GRAPHQL_NESTING: usize = 32;

/// A JSON body: a batch, its requests, their variables and the values inside them, or a Partner
/// API document.
pub const MAX_JSON_NESTING: usize = 32;

/// The languages measured: their strings (and GraphQL's comments) hide brackets.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Syntax {
    Json,
    Graphql,
}

/// Whether `text`'s `{`, `[` and `(` nest deeper than `limit` anywhere outside strings and
/// comments. Text that does not parse is not judged here: its parser refuses it afterwards.
pub fn nests_deeper_than(text: &[u8], syntax: Syntax, limit: usize) -> bool {
    let mut depth = 0usize;
    let mut at = 0;
    while at < text.len() {
        match text[at] {
            b'{' | b'[' | b'(' => {
                depth += 1;
                if depth > limit {
                    return true;
                }
            }
            b'}' | b']' | b')' => depth = depth.saturating_sub(1),
            b'"' if syntax == Syntax::Graphql && text[at..].starts_with(b"\"\"\"") => {
                at = after_block_string(text, at + 3);
                continue;
            }
            b'"' => {
                at = after_string(text, at + 1);
                continue;
            }
            b'#' if syntax == Syntax::Graphql => {
                at = text[at..].iter().position(|&b| b == b'\n' || b == b'\r').map_or(text.len(), |n| at + n);
                continue;
            }
            _ => {}
        }
        at += 1;
    }
    false
}

/// Where a `"…"` string that opened before `at` ends (just past its closing quote).
fn after_string(text: &[u8], mut at: usize) -> usize {
    while at < text.len() {
        match text[at] {
            b'\\' => at += 2,
            b'"' => return at + 1,
            _ => at += 1,
        }
    }
    text.len()
}

/// Where a GraphQL `"""…"""` block string that opened before `at` ends; `\"""` does not end it.
fn after_block_string(text: &[u8], mut at: usize) -> usize {
    while at < text.len() {
        if text[at..].starts_with(b"\\\"\"\"") {
            at += 4;
        } else if text[at..].starts_with(b"\"\"\"") {
            return at + 3;
        } else {
            at += 1;
        }
    }
    text.len()
}

#[cfg(test)]
mod tests {
    use super::*;

    fn deeper(text: &str, syntax: Syntax, limit: usize) -> bool {
        nests_deeper_than(text.as_bytes(), syntax, limit)
    }

    #[test]
    fn counts_every_kind_of_bracket_together() {
        let query = "{ a(x: [{y: [1]}]) { b { c } } }";
        // `{`, `(`, `[`, `{`, `[`: five deep inside the argument.
        assert!(!deeper(query, Syntax::Graphql, 5));
        assert!(deeper(query, Syntax::Graphql, 4));
        let hostile = format!("{{ __typename(a: {}{}) }}", "[".repeat(2500), "]".repeat(2500));
        assert!(deeper(&hostile, Syntax::Graphql, MAX_GRAPHQL_NESTING));
    }

    #[test]
    fn brackets_in_strings_and_comments_do_not_count() {
        let query = "# {{{{\n{ a(x: \"[[[[\\\"[[[[\", y: \"\"\"[[[[ \\\"\"\" [[[[\"\"\") }";
        assert!(!deeper(query, Syntax::Graphql, 2));
        // In JSON `#` is nothing special, and a GraphQL document is one string.
        let body = r##"{"query": "{ a { b { c { d } } } }", "variables": {"x": ["#"]}}"##;
        assert!(!deeper(body, Syntax::Json, 3));
        assert!(deeper(body, Syntax::Json, 2));
    }

    #[test]
    fn an_unclosed_string_ends_the_scan_without_panicking() {
        assert!(!deeper("{ a(x: \"[[[[", Syntax::Graphql, 2));
        assert!(!deeper("{ a(x: \"\"\"[[[[ \\", Syntax::Graphql, 2));
        assert!(!deeper(r#"{"a": "\"#, Syntax::Json, 1));
    }
}
