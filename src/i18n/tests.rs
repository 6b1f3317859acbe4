use std::collections::{BTreeMap, BTreeSet};

use chrono::{NaiveDate, TimeZone, Utc};
use fluent_syntax::{ast, parser};

use super::{Locale, catalogue::sources, format, from_accept_language, render};
use crate::domain::money::{Currency, Money};

/// Per message (`id` and `id.attribute`), the variables it uses.
fn messages(locale: Locale) -> BTreeMap<String, BTreeSet<String>> {
    let mut found = BTreeMap::new();
    for (file, source) in sources(locale) {
        let resource = parser::parse(source).unwrap_or_else(|(_, errors)| {
            panic!("locales/{}/{file}.ftl does not parse: {errors:?}", locale.tag())
        });
        for entry in resource.body {
            let ast::Entry::Message(message) = entry else { continue };
            let id = message.id.name.to_string();
            if let Some(value) = &message.value {
                assert!(
                    found.insert(id.clone(), variables(value)).is_none(),
                    "{id} twice in {}",
                    locale.tag()
                );
            }
            for attribute in &message.attributes {
                found.insert(format!("{id}.{}", attribute.id.name), variables(&attribute.value));
            }
        }
    }
    found
}

fn variables(pattern: &ast::Pattern<&str>) -> BTreeSet<String> {
    let mut names = BTreeSet::new();
    for element in &pattern.elements {
        if let ast::PatternElement::Placeable { expression } = element {
            expression_variables(expression, &mut names);
        }
    }
    names
}

fn expression_variables(expression: &ast::Expression<&str>, names: &mut BTreeSet<String>) {
    match expression {
        ast::Expression::Inline(inline) => inline_variables(inline, names),
        ast::Expression::Select { selector, variants } => {
            inline_variables(selector, names);
            for variant in variants {
                names.extend(variables(&variant.value));
            }
        }
    }
}

fn inline_variables(inline: &ast::InlineExpression<&str>, names: &mut BTreeSet<String>) {
    match inline {
        ast::InlineExpression::VariableReference { id } => {
            names.insert(id.name.to_string());
        }
        ast::InlineExpression::Placeable { expression } => expression_variables(expression, names),
        _ => {}
    }
}

#[test]
fn every_message_exists_in_both_languages_with_the_same_arguments() {
    let english = messages(Locale::EnCa);
    let french = messages(Locale::FrCa);
    let only_english: Vec<_> = english.keys().filter(|id| !french.contains_key(*id)).collect();
    let only_french: Vec<_> = french.keys().filter(|id| !english.contains_key(*id)).collect();
    assert!(only_english.is_empty(), "missing in French: {only_english:?}");
    assert!(only_french.is_empty(), "missing in English: {only_french:?}");
    // A message's value and attributes get the same arguments. French may leave out what English
    // says (a description only English has), never use an argument the code does not give.
    let given = |messages: &BTreeMap<String, BTreeSet<String>>, id: &str| -> BTreeSet<String> {
        let message = id.split('.').next().unwrap_or(id);
        messages
            .iter()
            .filter(|(other, _)| other.split('.').next() == Some(message))
            .flat_map(|(_, variables)| variables.iter().cloned())
            .collect()
    };
    for id in french.keys() {
        let invented: Vec<_> = given(&french, id).difference(&given(&english, id)).cloned().collect();
        assert!(invented.is_empty(), "{id}: French uses {invented:?}, which English does not");
    }
    assert!(english.len() > 60, "the catalogues hold the service's messages: {}", english.len());
}

#[test]
fn amounts_are_written_as_each_language_writes_them() {
    let amount = Money::new(123_456, Currency::Cad);
    assert_eq!(format::money(Locale::FrCa, amount), "1\u{a0}234,56\u{a0}$");
    assert_eq!(format::money(Locale::EnCa, amount), "1234.56 CAD");
    assert_eq!(format::money(Locale::FrCa, Money::new(1000, Currency::Cad)), "10,00\u{a0}$");
    assert_eq!(format::money(Locale::EnCa, Money::new(-2500, Currency::Cad)), "-25.00 CAD");
}

#[test]
fn days_and_moments_read_as_in_canada() {
    let day = NaiveDate::from_ymd_opt(2026, 12, 4).unwrap();
    assert_eq!(format::date(Locale::FrCa, day), "4 décembre 2026");
    assert_eq!(format::date(Locale::EnCa, day), "2026-12-04");
    let at = Utc.with_ymd_and_hms(2026, 12, 4, 19, 5, 0).unwrap();
    assert_eq!(format::moment(Locale::EnCa, at, "America/Toronto"), "2026-12-04 14:05 EST");
    assert_eq!(format::moment(Locale::FrCa, at, "America/Toronto"), "4 décembre 2026 à 14 h 05 HNE");
    let summer = Utc.with_ymd_and_hms(2026, 7, 1, 4, 30, 0).unwrap();
    assert_eq!(format::moment(Locale::FrCa, summer, "America/Montreal"), "1 juillet 2026 à 00 h 30 HAE");
}

#[test]
fn messages_take_their_arguments_in_the_reader_s_language() {
    let args = [("amount", Money::new(1000, Currency::Cad).into())];
    assert_eq!(render(Locale::EnCa, "receipt.subject", &args), "Payment received: 10.00 CAD");
    assert_eq!(render(Locale::FrCa, "receipt.subject", &args), "Paiement reçu\u{a0}: 10,00\u{a0}$");
    assert_eq!(render(Locale::FrCa, "no-such-message", &[]), "no-such-message");
}

#[test]
fn a_browser_s_languages_choose_ours() {
    assert_eq!(from_accept_language("fr-CA,fr;q=0.9,en;q=0.8"), Some(Locale::FrCa));
    assert_eq!(from_accept_language("fr"), Some(Locale::FrCa));
    assert_eq!(from_accept_language("fr-FR"), Some(Locale::FrCa));
    assert_eq!(from_accept_language("en-US,en;q=0.9"), Some(Locale::EnCa));
    assert_eq!(from_accept_language("de-DE, fr;q=0.5"), Some(Locale::FrCa));
    assert_eq!(from_accept_language("de-DE"), None);
    assert_eq!(from_accept_language(""), None);
}
