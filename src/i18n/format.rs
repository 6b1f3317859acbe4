//! Amounts, days and moments as each language writes them in Canada, from ICU4X's CLDR data.
//!
//! French: `1 234,56 $`, `4 décembre 2026`, `4 décembre 2026 à 14 h 05 HNE`. English keeps the
//! forms its readers have had from the start: `1234.56 CAD`, `2026-12-04`, `2026-12-04 14:05 EST`
//! (CLDR's en-CA short date, and the amount ungrouped with its ISO code).

use std::sync::LazyLock;

use chrono::{DateTime, Datelike, NaiveDate, Offset, Timelike, Utc};
use fixed_decimal::Decimal;
use icu_calendar::{Date, Gregorian, Iso};
use icu_datetime::{
    FixedCalendarDateTimeFormatter,
    fieldsets::{Combo, YMD, YMDT, zone::SpecificShort},
    input::{DateTime as IcuDateTime, Time, ZonedDateTime},
    options::{Alignment, YearStyle},
};
use icu_decimal::{
    DecimalFormatter,
    options::{DecimalFormatterOptions, GroupingStrategy},
};
use icu_locale_core::{Locale as IcuLocale, locale};
use icu_time::{
    TimeZoneInfo,
    zone::{IanaParser, UtcOffset, models::AtTime},
};

use super::{Locale, catalogue};
use crate::domain::{money::Money, time};

struct Formatters {
    decimal: DecimalFormatter,
    date: FixedCalendarDateTimeFormatter<Gregorian, YMD>,
    moment: FixedCalendarDateTimeFormatter<Gregorian, Combo<YMDT, SpecificShort>>,
}

fn icu_locale(locale: Locale) -> IcuLocale {
    match locale {
        Locale::EnCa => locale!("en-CA"),
        Locale::FrCa => locale!("fr-CA"),
    }
}

fn formatters(locale: Locale) -> Formatters {
    let prefs = icu_locale(locale);
    let mut options = DecimalFormatterOptions::default();
    // English amounts have always been written `1234.56 CAD`.
    if locale == Locale::EnCa {
        options.grouping_strategy = Some(GroupingStrategy::Never);
    }
    // The data is compiled in: construction fails only for a locale the build has no data for.
    let decimal = DecimalFormatter::try_new((&prefs).into(), options).expect("compiled decimal data");
    let date_length = match locale {
        // `2026-12-04`: CLDR's en-CA numeric date, with the whole year and two-digit fields.
        Locale::EnCa => YMD::short().with_year_style(YearStyle::Full).with_alignment(Alignment::Column),
        Locale::FrCa => YMD::long(),
    };
    let date =
        FixedCalendarDateTimeFormatter::try_new((&prefs).into(), date_length).expect("compiled date data");
    let moment = FixedCalendarDateTimeFormatter::try_new(
        (&prefs).into(),
        YMD::long().with_time_hm().with_zone(SpecificShort),
    )
    .expect("compiled date and zone data");
    Formatters { decimal, date, moment }
}

static FORMATTERS: LazyLock<[Formatters; 2]> =
    LazyLock::new(|| [formatters(Locale::EnCa), formatters(Locale::FrCa)]);

fn of(locale: Locale) -> &'static Formatters {
    &FORMATTERS[match locale {
        Locale::EnCa => 0,
        Locale::FrCa => 1,
    }]
}

/// A number with `digits` decimals as `locale` writes it: `1 234,56` (French, with CLDR's spaces).
pub fn decimal(locale: Locale, value: rust_decimal::Decimal) -> String {
    // rust_decimal writes every decimal it has ("25.00"), which fixed_decimal keeps.
    match Decimal::try_from_str(&value.to_string()) {
        Ok(number) => of(locale).decimal.format(&number).to_string(),
        Err(_) => value.to_string(),
    }
}

/// An amount with its currency: `1 234,56 $` in French, `1234.56 CAD` in English.
pub fn money(locale: Locale, money: Money) -> String {
    let amount = decimal(locale, money.to_decimal());
    catalogue::render(
        locale,
        "money",
        &[("amount", amount.into()), ("currency", money.currency.code().into())],
    )
}

/// A calendar day: `4 décembre 2026`, `2026-12-04`.
pub fn date(locale: Locale, day: NaiveDate) -> String {
    match gregorian(day) {
        Some(date) => of(locale).date.format(&date).to_string(),
        None => day.to_string(),
    }
}

/// A moment as a person in `zone` reads it: `4 décembre 2026 à 14 h 05 HNE`,
/// `2026-12-04 14:05 EST`.
pub fn moment(locale: Locale, at: DateTime<Utc>, zone: &str) -> String {
    let (Locale::FrCa, Some(tz)) = (locale, time::parse_zone(zone)) else {
        return time::local_stamp(at, zone);
    };
    let local = at.with_timezone(&tz);
    let offset = local.offset().fix().local_minus_utc();
    let (Some(date), Ok(time), Ok(offset)) = (
        gregorian(local.date_naive()),
        Time::try_new(local.hour() as u8, local.minute() as u8, 0, 0),
        UtcOffset::try_from_seconds(offset),
    ) else {
        return time::local_stamp(at, zone);
    };
    let iso = Date::<Iso>::try_new_iso(local.year(), local.month() as u8, local.day() as u8);
    let Ok(iso) = iso else { return time::local_stamp(at, zone) };
    let zone: TimeZoneInfo<AtTime> =
        IanaParser::new().parse(zone).with_offset(Some(offset)).at_date_time(IcuDateTime { date: iso, time });
    of(locale).moment.format(&ZonedDateTime { date, time, zone }).to_string()
}

fn gregorian(day: NaiveDate) -> Option<Date<Gregorian>> {
    Date::try_new_gregorian(day.year(), day.month() as u8, day.day() as u8).ok()
}
