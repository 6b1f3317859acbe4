//! The contract's CSV from a call's raw columns: the one formatter both databases' exports use.
//! Times in RFC 3339 to the second, amounts with at least two decimals, text neutralised against
//! formula injection (`csv_cell::neutralise`). It runs once per exported row, tens of millions of
//! times for a carrier: nothing in it allocates but a neutralised cell, and a day's date is
//! formatted once for all its calls.

use std::fmt::Write;

use chrono::DateTime;

use crate::domain::csv_cell::neutralise;

use super::COLUMNS;

/// One call's cells, borrowed from whichever database handed them over.
pub struct Call<'a> {
    pub call_id: &'a str,
    /// Unix seconds, UTC.
    pub started_at: i64,
    pub direction: &'a str,
    pub from_number: &'a str,
    pub to_number: &'a str,
    pub duration_seconds: i32,
    pub call_type: &'a str,
    /// Millionths of the currency unit.
    pub rated_amount_micros: i64,
    pub currency: &'a str,
    /// Empty for a call not billed yet.
    pub invoice_number: &'a str,
}

/// Writes calls as CSV rows into a buffer the caller takes from time to time.
pub struct CsvWriter {
    writer: csv::Writer<Vec<u8>>,
    /// The last day written (days since 1970-01-01) and its date, `YYYY-MM-DD`.
    day: Option<(i64, String)>,
    cell: String,
}

impl CsvWriter {
    pub fn new() -> Self {
        Self { writer: csv::Writer::from_writer(Vec::new()), day: None, cell: String::new() }
    }

    /// A writer whose first bytes are the header.
    pub fn with_header() -> Self {
        let mut writer = Self::new();
        // Writing to memory cannot fail.
        let _ = writer.writer.write_record(COLUMNS);
        writer
    }

    pub fn write(&mut self, call: &Call<'_>) {
        self.text(call.call_id);
        self.started_at(call.started_at);
        self.text(call.direction);
        self.text(call.from_number);
        self.text(call.to_number);
        self.formatted(|cell| write!(cell, "{}", call.duration_seconds));
        self.text(call.call_type);
        self.formatted(|cell| write_micros(cell, call.rated_amount_micros));
        self.text(call.currency);
        self.text(call.invoice_number);
        let _ = self.writer.write_record(None::<&[u8]>);
    }

    /// Bytes written since the last take (those the writer still buffers aside).
    fn len(&self) -> usize {
        self.writer.get_ref().len()
    }

    /// The bytes written since the last take.
    pub fn take(&mut self) -> Vec<u8> {
        let capacity = self.len();
        let full =
            std::mem::replace(&mut self.writer, csv::Writer::from_writer(Vec::with_capacity(capacity)));
        full.into_inner().unwrap_or_default()
    }

    fn text(&mut self, cell: &str) {
        let _ = self.writer.write_field(neutralise(cell).as_bytes());
    }

    /// A cell of our own making: digits, signs and separators, nothing to neutralise.
    fn formatted(&mut self, format: impl FnOnce(&mut String) -> std::fmt::Result) {
        self.cell.clear();
        let _ = format(&mut self.cell);
        let _ = self.writer.write_field(self.cell.as_bytes());
    }

    fn started_at(&mut self, unix_seconds: i64) {
        let (day, second) = (unix_seconds.div_euclid(86_400), unix_seconds.rem_euclid(86_400));
        if self.day.as_ref().is_none_or(|(known, _)| *known != day) {
            let date = DateTime::from_timestamp(day * 86_400, 0)
                .map_or_else(String::new, |midnight| midnight.format("%Y-%m-%d").to_string());
            self.day = Some((day, date));
        }
        let date = self.day.as_ref().map_or("", |(_, date)| date.as_str());
        self.cell.clear();
        let (hour, minute, second) = (second / 3600, second / 60 % 60, second % 60);
        let _ = write!(self.cell, "{date}T{hour:02}:{minute:02}:{second:02}Z");
        let _ = self.writer.write_field(self.cell.as_bytes());
    }
}

/// Millionths as a decimal with at least two places: 350000 is "0.35", 1 is "0.000001".
fn write_micros(out: &mut String, micros: i64) -> std::fmt::Result {
    let sign = if micros < 0 { "-" } else { "" };
    let (units, fraction) = (micros.unsigned_abs() / 1_000_000, micros.unsigned_abs() % 1_000_000);
    let mut digits = 6;
    let mut kept = fraction;
    while digits > 2 && kept % 10 == 0 {
        kept /= 10;
        digits -= 1;
    }
    write!(out, "{sign}{units}.{kept:0digits$}")
}

#[cfg(test)]
mod tests {
    use chrono::{SecondsFormat, TimeZone, Utc};

    use super::*;

    fn micros(value: i64) -> String {
        let mut out = String::new();
        write_micros(&mut out, value).unwrap();
        out
    }

    #[test]
    fn amounts_keep_their_precision_with_at_least_two_places() {
        assert_eq!(micros(350_000), "0.35");
        assert_eq!(micros(0), "0.00");
        assert_eq!(micros(1), "0.000001");
        assert_eq!(micros(12_345_678), "12.345678");
        assert_eq!(micros(1_500_000), "1.50");
        assert_eq!(micros(-1_000_000), "-1.00");
        assert_eq!(micros(10_000), "0.01");
        assert_eq!(micros(100_000_010), "100.00001");
    }

    #[test]
    fn rows_match_what_rfc_3339_and_the_neutraliser_write() {
        let mut writer = CsvWriter::with_header();
        let times = [
            Utc.with_ymd_and_hms(2026, 10, 31, 23, 59, 59).unwrap(),
            Utc.with_ymd_and_hms(2026, 11, 1, 0, 0, 0).unwrap(),
            Utc.with_ymd_and_hms(1999, 12, 31, 7, 5, 3).unwrap(),
        ];
        for (n, time) in times.iter().enumerate() {
            writer.write(&Call {
                call_id: if n == 0 { "=cmd()" } else { "c,1" },
                started_at: time.timestamp(),
                direction: "inbound",
                from_number: "anonymous",
                to_number: "+14165550101",
                duration_seconds: 61,
                call_type: "local",
                rated_amount_micros: 1_250_000,
                currency: "CAD",
                invoice_number: "",
            });
        }
        let text = String::from_utf8(writer.take()).unwrap();
        let lines: Vec<&str> = text.lines().collect();
        assert_eq!(lines[0], COLUMNS.join(","));
        for (line, time) in lines[1..].iter().zip(times) {
            let expected = time.to_rfc3339_opts(SecondsFormat::Secs, true);
            assert_eq!(
                line.split(',').nth(if line.starts_with('"') { 2 } else { 1 }),
                Some(expected.as_str())
            );
        }
        assert_eq!(
            lines[1],
            "'=cmd(),2026-10-31T23:59:59Z,inbound,anonymous,+14165550101,61,local,1.25,CAD,"
        );
        assert!(lines[2].starts_with("\"c,1\",2026-11-01T00:00:00Z,"), "{}", lines[2]);
    }
}
