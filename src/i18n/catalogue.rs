//! The Fluent catalogues: `locales/<tag>/*.ftl`, compiled in, one bundle per language.

use std::{borrow::Cow, sync::LazyLock};

use chrono::{DateTime, NaiveDate, Utc};
use fluent_bundle::{FluentArgs, FluentResource, FluentValue, concurrent::FluentBundle};
use unic_langid::LanguageIdentifier;

use super::{Locale, format};
use crate::domain::money::Money;

/// Each language's files, by name: the bundles and the parity test read the same ones.
pub(super) fn sources(locale: Locale) -> [(&'static str, &'static str); 4] {
    macro_rules! files {
        ($tag:literal) => {
            [
                ("common", include_str!(concat!("../../locales/", $tag, "/common.ftl"))),
                ("emails", include_str!(concat!("../../locales/", $tag, "/emails.ftl"))),
                ("invoice", include_str!(concat!("../../locales/", $tag, "/invoice.ftl"))),
                ("errors", include_str!(concat!("../../locales/", $tag, "/errors.ftl"))),
            ]
        };
    }
    match locale {
        Locale::EnCa => files!("en-CA"),
        Locale::FrCa => files!("fr-CA"),
    }
}

static BUNDLES: LazyLock<[FluentBundle<FluentResource>; 2]> =
    LazyLock::new(|| [bundle(Locale::EnCa), bundle(Locale::FrCa)]);

fn bundle(locale: Locale) -> FluentBundle<FluentResource> {
    let tag: LanguageIdentifier = locale.tag().parse().expect("a valid language tag");
    let mut bundle = FluentBundle::new_concurrent(vec![tag]);
    // No Unicode isolation marks around arguments: emails, PDFs and API messages are plain text
    // that tests, mail clients and PDF fonts read as written.
    bundle.set_use_isolating(false);
    for (name, source) in sources(locale) {
        // The catalogues are compiled in and parsed by the tests: an error here is a build that
        // was never tested.
        let resource = FluentResource::try_new(source.to_owned())
            .unwrap_or_else(|(_, errors)| panic!("locales/{}/{name}.ftl: {errors:?}", locale.tag()));
        bundle
            .add_resource(resource)
            .unwrap_or_else(|errors| panic!("locales/{}/{name}.ftl: {errors:?}", locale.tag()));
    }
    bundle
}

fn bundle_of(locale: Locale) -> &'static FluentBundle<FluentResource> {
    &BUNDLES[match locale {
        Locale::EnCa => 0,
        Locale::FrCa => 1,
    }]
}

/// Something to tell a person, before knowing their language: a message of the catalogue (`id`,
/// or `id.attribute`) and its arguments.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Text {
    id: Cow<'static, str>,
    args: Vec<(&'static str, Arg)>,
}

/// A message's argument, formatted as the reader's language writes it.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum Arg {
    /// Shown as it is (a name, an invoice number, a value the user sent).
    Plain(String),
    /// A count, which may choose a plural form.
    Count(i64),
    Money(Money),
    Date(NaiveDate),
    /// A moment, in the IANA zone the reader reads time in.
    Moment(DateTime<Utc>, String),
    /// Another message, in the same language.
    Text(Box<Text>),
}

impl Text {
    pub fn new(id: &'static str) -> Self {
        Self { id: Cow::Borrowed(id), args: Vec::new() }
    }

    /// `text` as it is, in every language: what the Partner API tells the carrier's billing engine
    /// (in English, for its engineers), and what a payment gateway said in its own words.
    pub fn verbatim(text: impl Into<String>) -> Self {
        Self::new("verbatim").arg("text", text.into())
    }

    /// The same message's `.name` attribute (an email's `.subject`), with the same arguments.
    pub fn attribute(&self, name: &str) -> Self {
        Self { id: Cow::Owned(format!("{}.{name}", self.id)), args: self.args.clone() }
    }

    pub fn arg(mut self, name: &'static str, value: impl Into<Arg>) -> Self {
        self.args.push((name, value.into()));
        self
    }

    pub fn id(&self) -> &str {
        &self.id
    }

    /// In `locale`.
    pub fn render(&self, locale: Locale) -> String {
        render(locale, &self.id, &self.args)
    }
}

/// English, for the log and for `Display`.
impl std::fmt::Display for Text {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(&self.render(Locale::EnCa))
    }
}

impl From<String> for Arg {
    fn from(value: String) -> Self {
        Self::Plain(value)
    }
}
impl From<&str> for Arg {
    fn from(value: &str) -> Self {
        Self::Plain(value.to_owned())
    }
}
impl From<&String> for Arg {
    fn from(value: &String) -> Self {
        Self::Plain(value.clone())
    }
}
impl From<Money> for Arg {
    fn from(value: Money) -> Self {
        Self::Money(value)
    }
}
impl From<NaiveDate> for Arg {
    fn from(value: NaiveDate) -> Self {
        Self::Date(value)
    }
}
impl From<Text> for Arg {
    fn from(value: Text) -> Self {
        Self::Text(Box::new(value))
    }
}
macro_rules! count {
    ($($t:ty),*) => {$(
        impl From<$t> for Arg {
            fn from(value: $t) -> Self {
                Self::Count(i64::try_from(value).unwrap_or(i64::MAX))
            }
        }
    )*};
}
count!(i32, i64, u32, u64, usize);

/// Message `id` (or `id.attribute`) of `locale`'s catalogue with `args`. A message missing from a
/// language (which the parity test forbids) falls back to English, then to its id: a reader gets
/// something, and the log says what is missing.
pub fn render(locale: Locale, id: &str, args: &[(&str, Arg)]) -> String {
    let (message_id, attribute) = match id.split_once('.') {
        Some((message, attribute)) => (message, Some(attribute)),
        None => (id, None),
    };
    for locale in [locale, Locale::EnCa] {
        let bundle = bundle_of(locale);
        let Some(message) = bundle.get_message(message_id) else { continue };
        let pattern = match attribute {
            Some(attribute) => message.get_attribute(attribute).map(|a| a.value()),
            None => message.value(),
        };
        let Some(pattern) = pattern else { continue };
        let mut fluent_args = FluentArgs::new();
        for (name, value) in args {
            fluent_args.set(*name, value_of(locale, value));
        }
        let mut errors = Vec::new();
        let text = bundle.format_pattern(pattern, Some(&fluent_args), &mut errors);
        if !errors.is_empty() {
            tracing::warn!(id, locale = locale.tag(), ?errors, "a message did not format cleanly");
        }
        return text.into_owned();
    }
    tracing::warn!(id, locale = locale.tag(), "no such message");
    id.to_owned()
}

fn value_of(locale: Locale, arg: &Arg) -> FluentValue<'static> {
    match arg {
        Arg::Plain(text) => FluentValue::from(text.clone()),
        Arg::Count(n) => FluentValue::from(*n),
        Arg::Money(money) => FluentValue::from(format::money(locale, *money)),
        Arg::Date(date) => FluentValue::from(format::date(locale, *date)),
        Arg::Moment(at, zone) => FluentValue::from(format::moment(locale, *at, zone)),
        Arg::Text(text) => FluentValue::from(text.render(locale)),
    }
}
