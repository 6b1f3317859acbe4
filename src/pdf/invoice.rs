//! Invoice layout on top of krilla. Rows are paginated before anything is drawn, so the footer
//! can say "Page N of M"; coordinates are PDF points with the origin at the top-left corner and
//! text positioned by its baseline.

use std::ops::Range;

use krilla::Document;
use krilla::color::rgb;
use krilla::geom::{PathBuilder, Point, Rect};
use krilla::metadata::Metadata;
use krilla::page::PageSettings;
use krilla::paint::Fill;
use krilla::surface::Surface;
use krilla::text::{Font, TextDirection};

mod metrics;

use metrics::{text_width, wrap};

use crate::i18n::{Arg, Locale, render};

/// Everything printed on an invoice, already formatted by the caller in `locale`, which the
/// labels are written in (`locales/*/invoice.ftl`).
#[derive(Clone, Debug, Default)]
pub struct InvoiceDocument {
    pub locale: Locale,
    pub carrier_name: String,
    /// Carrier address / contact lines printed under the name.
    pub carrier_lines: Vec<String>,
    pub invoice_number: String,
    pub account_number: String,
    pub account_name: String,
    pub billing_address: Vec<String>,
    pub period: String,
    pub issued_on: String,
    pub due_on: String,
    pub currency_code: String,
    pub lines: Vec<InvoiceLine>,
    pub tax_lines: Vec<TaxLine>,
    pub subtotal: String,
    pub tax_total: String,
    pub total: String,
    pub amount_due: String,
    pub call_summary: Option<String>,
}

#[derive(Clone, Debug, Default)]
pub struct InvoiceLine {
    pub description: String,
    pub quantity: String,
    pub unit_price: String,
    pub amount: String,
}

#[derive(Clone, Debug, Default)]
pub struct TaxLine {
    pub label: String,
    pub amount: String,
}

impl InvoiceDocument {
    /// A label of the invoice, in its language, with the invoice's number, account and currency.
    fn label(&self, id: &str) -> String {
        let args: [(&str, Arg); 3] = [
            ("number", self.invoice_number.as_str().into()),
            ("account", self.account_number.as_str().into()),
            ("currency", self.currency_code.as_str().into()),
        ];
        render(self.locale, id, &args)
    }
}

static REGULAR_TTF: &[u8] = include_bytes!("fonts/DejaVuSans.ttf");
static BOLD_TTF: &[u8] = include_bytes!("fonts/DejaVuSans-Bold.ttf");

const PAGE_W: f32 = 612.0;
const PAGE_H: f32 = 792.0;
const LEFT: f32 = 54.0;
const RIGHT: f32 = PAGE_W - 54.0;
/// Cell text sits this far inside the table edges so it never touches a shaded band.
const INSET: f32 = 6.0;
/// Nothing but the footer may extend below this.
const CONTENT_BOTTOM: f32 = PAGE_H - 72.0;
const CONT_TABLE_TOP: f32 = 84.0;

const DESC_X: f32 = LEFT + INSET;
const QTY_R: f32 = 388.0;
const UNIT_R: f32 = 468.0;
const AMOUNT_R: f32 = RIGHT - INSET;
const DESC_W: f32 = QTY_R - 70.0 - DESC_X;
const TOTALS_X: f32 = 340.0;
const SUMMARY_W: f32 = TOTALS_X - 2.0 * INSET - LEFT;

const HEAD_H: f32 = 20.0;
const LINE_H: f32 = 12.5;
const ROW_PAD: f32 = 4.0;
const TOTAL_ROW_H: f32 = 16.0;
const DUE_ROW_H: f32 = 24.0;

type Rgb = (u8, u8, u8);
const INK: Rgb = (33, 37, 41);
const MUTED: Rgb = (100, 108, 118);
const ACCENT: Rgb = (22, 78, 140);
const RULE: Rgb = (214, 219, 225);
const SHADE: Rgb = (241, 244, 248);
const HIGHLIGHT: Rgb = (222, 234, 247);

#[derive(Clone, Copy)]
struct Style {
    bold: bool,
    size: f32,
    color: Rgb,
}

const BODY: Style = Style { bold: false, size: 9.5, color: INK };
const STRONG: Style = Style { bold: true, size: 9.5, color: INK };
const SMALL: Style = Style { bold: false, size: 8.5, color: MUTED };
const LABEL: Style = Style { bold: true, size: 7.5, color: MUTED };
const HEAD: Style = Style { bold: true, size: 8.5, color: INK };

/// Why a document could not be rendered.
#[derive(Debug, thiserror::Error)]
pub enum PdfError {
    #[error("invalid page size")]
    PageSize,
    /// krilla's error is not a `std::error::Error`; its description is kept.
    #[error("PDF serialisation failed: {0}")]
    Serialisation(String),
}

/// Renders a Letter-size (612x792 pt) PDF; errors only if krilla fails to serialise.
pub fn render_invoice(doc: &InvoiceDocument) -> Result<Vec<u8>, PdfError> {
    let fonts = Fonts::load();
    let rows: Vec<Row<'_>> =
        doc.lines.iter().map(|line| Row { line, desc: wrap(&line.description, BODY, DESC_W) }).collect();
    let plans = paginate(&rows, first_table_top(doc), totals_height(doc));
    let settings = PageSettings::from_wh(PAGE_W, PAGE_H).ok_or(PdfError::PageSize)?;

    let mut document = Document::new();
    document.set_metadata(
        Metadata::new()
            .title(doc.label("invoice-document-title"))
            .language(doc.locale.tag().to_owned())
            .authors(vec![doc.carrier_name.clone()]),
    );
    for (index, plan) in plans.iter().enumerate() {
        let mut page = document.start_page_with(settings.clone());
        let mut surface = page.surface();
        let mut painter = Painter { surface: &mut surface, fonts: &fonts };
        draw_page(&mut painter, doc, &rows, plan, index + 1, plans.len());
        surface.finish();
        page.finish();
    }
    document.finish().map_err(|e| PdfError::Serialisation(e.to_string()))
}

struct Fonts {
    regular: Font,
    bold: Font,
}

impl Fonts {
    /// Cheap enough per render: krilla only parses table headers and shares the static bytes.
    fn load() -> Self {
        Self {
            regular: Font::new(REGULAR_TTF.into(), 0).expect("bundled DejaVuSans.ttf must parse"),
            bold: Font::new(BOLD_TTF.into(), 0).expect("bundled DejaVuSans-Bold.ttf must parse"),
        }
    }
}

fn fill(color: Rgb) -> Fill {
    Fill { paint: rgb::Color::new(color.0, color.1, color.2).into(), ..Fill::default() }
}

struct Painter<'p, 's> {
    surface: &'p mut Surface<'s>,
    fonts: &'p Fonts,
}

impl Painter<'_, '_> {
    fn text(&mut self, x: f32, baseline: f32, style: Style, text: &str) {
        if text.is_empty() {
            return;
        }
        let font = if style.bold { self.fonts.bold.clone() } else { self.fonts.regular.clone() };
        self.surface.set_fill(Some(fill(style.color)));
        let origin = Point::from_xy(x, baseline);
        self.surface.draw_text(origin, font, style.size, text, false, TextDirection::Auto);
    }

    fn text_right(&mut self, right: f32, baseline: f32, style: Style, text: &str) {
        self.text(right - text_width(text, style), baseline, style, text);
    }

    fn rect(&mut self, x: f32, y: f32, width: f32, height: f32, color: Rgb) {
        let Some(rect) = Rect::from_xywh(x, y, width, height) else { return };
        let mut builder = PathBuilder::new();
        builder.push_rect(rect);
        let Some(path) = builder.finish() else { return };
        self.surface.set_fill(Some(fill(color)));
        self.surface.draw_path(&path);
    }

    /// Rules are thin filled rectangles: one fill state for everything keeps the stream simple.
    fn rule(&mut self, from: f32, to: f32, y: f32, weight: f32, color: Rgb) {
        self.rect(from, y - weight / 2.0, to - from, weight, color);
    }
}

struct Row<'d> {
    line: &'d InvoiceLine,
    desc: Vec<String>,
}

impl Row<'_> {
    fn height(&self) -> f32 {
        2.0 * ROW_PAD + LINE_H * self.desc.len() as f32
    }
}

struct PagePlan {
    rows: Range<usize>,
    totals: bool,
}

/// Assigns rows to pages; the totals block is kept in one piece, on a page of its own if needed.
fn paginate(rows: &[Row<'_>], first_top: f32, totals_height: f32) -> Vec<PagePlan> {
    let mut pages = Vec::new();
    let mut start = 0;
    let mut y = first_top + HEAD_H;
    for (index, row) in rows.iter().enumerate() {
        // Every page takes at least one row, so an absurdly tall row cannot loop forever.
        if y + row.height() > CONTENT_BOTTOM && index > start {
            pages.push(PagePlan { rows: start..index, totals: false });
            start = index;
            y = CONT_TABLE_TOP + HEAD_H;
        }
        y += row.height();
    }
    let fits = y + totals_height <= CONTENT_BOTTOM;
    pages.push(PagePlan { rows: start..rows.len(), totals: fits });
    if !fits {
        pages.push(PagePlan { rows: rows.len()..rows.len(), totals: true });
    }
    pages
}

/// Below whichever is taller: the carrier block or the title block.
fn header_rule_y(doc: &InvoiceDocument) -> f32 {
    (84.0 + 12.0 * doc.carrier_lines.len() as f32).max(130.0) + 10.0
}

/// Shared by pagination and drawing so both agree on where page one's table starts.
fn first_table_top(doc: &InvoiceDocument) -> f32 {
    let top = header_rule_y(doc) + 24.0;
    let bill_to = top + 16.0 + 13.0 * (1 + doc.billing_address.len()) as f32 + 6.0;
    bill_to.max(top + 60.0) + 18.0
}

fn summary_lines(doc: &InvoiceDocument) -> Vec<String> {
    doc.call_summary.as_deref().map(|s| wrap(s, SMALL, SUMMARY_W)).unwrap_or_default()
}

fn totals_height(doc: &InvoiceDocument) -> f32 {
    let totals = 12.0 + TOTAL_ROW_H * (2 + doc.tax_lines.len()) as f32 + 6.0 + DUE_ROW_H;
    let summary = match summary_lines(doc).len() {
        0 => 0.0,
        n => 26.0 + 12.0 * n as f32,
    };
    totals.max(summary) + 6.0
}

fn draw_page(
    p: &mut Painter<'_, '_>,
    doc: &InvoiceDocument,
    rows: &[Row<'_>],
    plan: &PagePlan,
    number: usize,
    count: usize,
) {
    let mut y = if number == 1 {
        draw_first_header(p, doc);
        first_table_top(doc)
    } else {
        draw_continuation_header(p, doc);
        CONT_TABLE_TOP
    };
    // A totals-only overflow page gets no empty table header.
    if number == 1 || !plan.rows.is_empty() {
        y = draw_table_head(p, doc, y);
        for row in &rows[plan.rows.clone()] {
            y = draw_row(p, y, row);
        }
    }
    if plan.totals {
        draw_totals(p, doc, y);
    }
    let footer = render(
        doc.locale,
        "invoice-footer",
        &[("number", doc.invoice_number.as_str().into()), ("page", number.into()), ("pages", count.into())],
    );
    p.rule(LEFT, RIGHT, PAGE_H - 54.0, 0.5, RULE);
    p.text((PAGE_W - text_width(&footer, SMALL)) / 2.0, PAGE_H - 40.0, SMALL, &footer);
}

fn draw_first_header(p: &mut Painter<'_, '_>, doc: &InvoiceDocument) {
    p.text(LEFT, 72.0, Style { size: 16.0, ..STRONG }, &doc.carrier_name);
    for (i, line) in doc.carrier_lines.iter().enumerate() {
        p.text(LEFT, 90.0 + 12.0 * i as f32, SMALL, line);
    }
    p.text_right(RIGHT, 76.0, Style { size: 22.0, color: ACCENT, ..STRONG }, &doc.label("invoice-title"));
    let meta = [
        (doc.label("invoice-number"), &doc.invoice_number),
        (doc.label("invoice-issued"), &doc.issued_on),
        (doc.label("invoice-due"), &doc.due_on),
    ];
    for (i, (label, value)) in meta.into_iter().enumerate() {
        let y = 96.0 + 14.0 * i as f32;
        p.text(RIGHT - 170.0, y, SMALL, &label);
        p.text_right(RIGHT, y, STRONG, value);
    }
    let rule_y = header_rule_y(doc);
    p.rule(LEFT, RIGHT, rule_y, 1.2, ACCENT);

    let top = rule_y + 24.0;
    p.text(LEFT, top, LABEL, &doc.label("invoice-bill-to"));
    p.text(LEFT, top + 16.0, Style { size: 11.0, ..STRONG }, &doc.account_name);
    p.text(LEFT, top + 29.0, BODY, &doc.label("invoice-account"));
    for (i, line) in doc.billing_address.iter().enumerate() {
        p.text(LEFT, top + 42.0 + 13.0 * i as f32, BODY, line);
    }
    p.text(TOTALS_X, top, LABEL, &doc.label("invoice-billing-period"));
    p.text(TOTALS_X, top + 15.0, BODY, &doc.period);
    p.text(TOTALS_X, top + 36.0, LABEL, &doc.label("invoice-amount-due-heading"));
    p.text(TOTALS_X, top + 54.0, Style { size: 14.0, ..STRONG }, &doc.amount_due);
}

fn draw_continuation_header(p: &mut Painter<'_, '_>, doc: &InvoiceDocument) {
    p.text(LEFT, 60.0, Style { size: 11.0, ..STRONG }, &doc.carrier_name);
    let title = doc.label("invoice-continued");
    p.text_right(RIGHT, 60.0, SMALL, &title);
    p.rule(LEFT, RIGHT, 68.0, 0.8, ACCENT);
}

fn draw_table_head(p: &mut Painter<'_, '_>, doc: &InvoiceDocument, top: f32) -> f32 {
    p.rect(LEFT, top, RIGHT - LEFT, HEAD_H, SHADE);
    let baseline = top + 13.5;
    p.text(DESC_X, baseline, HEAD, &doc.label("invoice-description"));
    p.text_right(QTY_R, baseline, HEAD, &doc.label("invoice-quantity"));
    p.text_right(UNIT_R, baseline, HEAD, &doc.label("invoice-unit-price"));
    p.text_right(AMOUNT_R, baseline, HEAD, &doc.label("invoice-amount"));
    top + HEAD_H
}

fn draw_row(p: &mut Painter<'_, '_>, top: f32, row: &Row<'_>) -> f32 {
    // Baseline sits a descender's depth above the line box bottom.
    let first = top + ROW_PAD + LINE_H - 3.0;
    for (i, line) in row.desc.iter().enumerate() {
        p.text(DESC_X, first + LINE_H * i as f32, BODY, line);
    }
    p.text_right(QTY_R, first, BODY, &row.line.quantity);
    p.text_right(UNIT_R, first, BODY, &row.line.unit_price);
    p.text_right(AMOUNT_R, first, BODY, &row.line.amount);
    let bottom = top + row.height();
    p.rule(LEFT, RIGHT, bottom, 0.5, RULE);
    bottom
}

fn total_row(p: &mut Painter<'_, '_>, top: f32, label: &str, value: &str, style: Style) {
    p.text(TOTALS_X, top + 11.5, style, label);
    p.text_right(AMOUNT_R, top + 11.5, style, value);
}

/// Totals on the right; the call summary, if any, in the otherwise empty space to their left.
fn draw_totals(p: &mut Painter<'_, '_>, doc: &InvoiceDocument, top: f32) {
    let mut y = top + 12.0;
    total_row(p, y, &doc.label("invoice-subtotal"), &doc.subtotal, BODY);
    y += TOTAL_ROW_H;
    for tax in &doc.tax_lines {
        total_row(p, y, &tax.label, &tax.amount, BODY);
        y += TOTAL_ROW_H;
    }
    p.rule(TOTALS_X, AMOUNT_R, y, 0.5, RULE);
    total_row(p, y, &doc.label("invoice-total"), &doc.total, STRONG);
    y += TOTAL_ROW_H + 6.0;

    p.rect(TOTALS_X - INSET, y, RIGHT - TOTALS_X + INSET, DUE_ROW_H, HIGHLIGHT);
    let due = Style { color: ACCENT, ..STRONG };
    p.text(TOTALS_X, y + 16.0, due, &doc.label("invoice-amount-due"));
    p.text_right(AMOUNT_R, y + 16.0, Style { size: 11.0, ..due }, &doc.amount_due);

    let summary = summary_lines(doc);
    if !summary.is_empty() {
        p.text(LEFT, top + 21.0, LABEL, &doc.label("invoice-call-summary"));
        for (i, line) in summary.iter().enumerate() {
            p.text(LEFT, top + 34.0 + 12.0 * i as f32, SMALL, line);
        }
    }
}
