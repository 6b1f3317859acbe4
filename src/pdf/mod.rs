//! PDF documents. Only layout lives here: callers hand over fully formatted strings (amounts,
//! dates, periods), so locale and rounding rules stay in the domain and service layers.

mod invoice;

pub use invoice::{InvoiceDocument, InvoiceLine, PdfError, TaxLine, render_invoice};
