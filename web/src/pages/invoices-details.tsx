// One invoice, as printed: its dates, line items, taxes and totals, the calls it bills, and its PDF
// and call records to download.
import { useQuery } from "@urql/preact";

import { useLabels } from "../components/labels";
import { Loading, Page } from "../components/page";
import { InvoiceDetailsDocument, type InvoiceDetailsQuery } from "../generated/graphql";
import { messages, useFormat, useLocale, useMessages } from "../i18n";
import { useFreshSignedLinks } from "../components/signed-links";
import "./invoices.css";
import { downloadHref } from "../components/download";

/** Canada's sales taxes as French names them (the invoice PDF says the same). */
const FRENCH_TAX_NAMES: Record<string, string> = { GST: "TPS", HST: "TVH", PST: "TVP", QST: "TVQ" };

const strings = messages({
  "en-CA": {
    loadingTitle: "Invoice",
    title: (number: string) => `Invoice ${number}`,
    notFoundTitle: "Invoice not found",
    notFound: "There is no such invoice on your account. The link may be incomplete, or the invoice may belong to another account.",
    allInvoices: "All invoices",
    status: "Status",
    period: "Billing period",
    periodRange: (start: string, end: string) => `${start} to ${end}`,
    issued: "Issued",
    due: "Due",
    downloadPdf: "Download PDF",
    lineItems: "Line items",
    description: "Description",
    quantity: "Quantity",
    unitPrice: "Unit price",
    amount: "Amount",
    taxes: "Taxes",
    tax: "Tax",
    // As the billing engine names them: GST, HST, PST, QST.
    taxName: (name: string) => name,
    rate: "Rate",
    rateNotStated: "Not stated",
    noTaxes: "No taxes on this invoice.",
    totals: "Totals",
    subtotal: "Subtotal",
    taxTotal: "Taxes",
    total: "Total",
    amountDue: "Amount due",
    calls: "Calls",
    callCount: "Calls billed",
    billedMinutes: "Billed minutes",
    charges: "Call charges",
    downloadCalls: "Download call records (CSV)",
    noCallRecords: "This invoice has no call records to download.",
  },
  "fr-CA": {
    loadingTitle: "Facture",
    title: (number: string) => `Facture ${number}`,
    notFoundTitle: "Facture introuvable",
    notFound: "Cette facture n’existe pas dans votre compte. Le lien est peut-être incomplet, ou la facture appartient à un autre compte.",
    allInvoices: "Toutes les factures",
    status: "État",
    period: "Période de facturation",
    periodRange: (start: string, end: string) => `Du ${start} au ${end}`,
    issued: "Émise le",
    due: "Échéance",
    downloadPdf: "Télécharger le PDF",
    lineItems: "Postes facturés",
    description: "Description",
    quantity: "Quantité",
    unitPrice: "Prix unitaire",
    amount: "Montant",
    taxes: "Taxes",
    tax: "Taxe",
    taxName: (name: string) => FRENCH_TAX_NAMES[name] ?? name,
    rate: "Taux",
    rateNotStated: "Non précisé",
    noTaxes: "Aucune taxe sur cette facture.",
    totals: "Totaux",
    subtotal: "Sous-total",
    taxTotal: "Taxes",
    total: "Total",
    amountDue: "Montant dû",
    calls: "Appels",
    callCount: "Appels facturés",
    billedMinutes: "Minutes facturées",
    charges: "Frais d’appels",
    downloadCalls: "Télécharger les relevés d’appels (CSV)",
    noCallRecords: "Cette facture n’a aucun relevé d’appels à télécharger.",
  },
});

type Invoice = InvoiceDetailsQuery["invoice"];

/** The route's `:id`, the invoice's global id as the list linked it (encodeURIComponent). */
function invoiceIdFrom(param: string): string {
  // preact-iso decodes route parameters already; decode again only what still looks encoded
  // (another router), and keep a malformed one as it is: the server then answers NOT_FOUND.
  if (!/%[0-9a-f]{2}/i.test(param)) return param;
  try {
    return decodeURIComponent(param);
  } catch {
    return param;
  }
}

export function InvoiceDetails({ id = "" }: { id?: string }) {
  const t = useMessages(strings);
  const invoiceId = invoiceIdFrom(id);
  const [{ data, error, operation }, refetch] = useQuery({
    query: InvoiceDetailsDocument,
    variables: { id: invoiceId },
    // The download links are signed for 15 minutes: never show ones from an earlier visit alone.
    requestPolicy: "cache-and-network",
  });
  useFreshSignedLinks(data, refetch);

  // urql keeps the last answer while the next one loads: never show another invoice (or another
  // id's "not found") meanwhile.
  const answered = operation?.variables.id === invoiceId;
  const notFound = answered && error?.graphQLErrors.some((e) => e.extensions?.code === "NOT_FOUND");
  if (notFound) {
    return (
      <Page title={t.notFoundTitle}>
        <p role="alert" class="alert">
          {t.notFound}
        </p>
        <a href="/invoices">{t.allInvoices}</a>
      </Page>
    );
  }
  const invoice = answered ? data?.invoice : undefined;
  if (!invoice) {
    return (
      <Page title={t.loadingTitle}>
        <Loading error={answered ? error : undefined} />
      </Page>
    );
  }
  return (
    <Page title={t.title(invoice.number)}>
      <InvoiceBody invoice={invoice} />
      <p>
        <a href="/invoices">{t.allInvoices}</a>
      </p>
    </Page>
  );
}

function InvoiceBody({ invoice }: { invoice: Invoice }) {
  const t = useMessages(strings);
  const format = useFormat();
  const labels = useLabels();
  const { locale } = useLocale();
  const percent = new Intl.NumberFormat(locale, { style: "percent", maximumFractionDigits: 3 });
  const count = new Intl.NumberFormat(locale, { maximumFractionDigits: 1 });
  const calls = invoice.callSummary;

  return (
    <>
      <dl class="facts">
        <div>
          <dt>{t.status}</dt>
          <dd>{labels.of(invoice.status)}</dd>
        </div>
        <div>
          <dt>{t.period}</dt>
          <dd>{t.periodRange(format.date(invoice.periodStart), format.date(invoice.periodEnd))}</dd>
        </div>
        <div>
          <dt>{t.issued}</dt>
          <dd>{format.date(invoice.issuedOn)}</dd>
        </div>
        <div>
          <dt>{t.due}</dt>
          <dd>{format.date(invoice.dueOn)}</dd>
        </div>
      </dl>
      <p class="actions">
        <a class="button" href={downloadHref(invoice.pdfUrl)} download>
          {t.downloadPdf}
        </a>
      </p>

      <div class="table-scroll" tabIndex={0} role="region" aria-label={t.lineItems}>
        <table>
          <caption>{t.lineItems}</caption>
          <thead>
            <tr>
              <th scope="col">{t.description}</th>
              <th scope="col" class="number">{t.quantity}</th>
              <th scope="col" class="number">{t.unitPrice}</th>
              <th scope="col" class="number">{t.amount}</th>
            </tr>
          </thead>
          <tbody>
            {invoice.lineItems.map((line, index) => (
              <tr key={index}>
                <td>{line.description}</td>
                <td class="number">{line.quantity}</td>
                <td class="number">{format.money(line.unitPrice)}</td>
                <td class="number">{format.money(line.amount)}</td>
              </tr>
            ))}
          </tbody>
        </table>
      </div>

      {invoice.taxLines.length === 0 ? (
        <p>{t.noTaxes}</p>
      ) : (
        <div class="table-scroll" tabIndex={0} role="region" aria-label={t.taxes}>
          <table>
            <caption>{t.taxes}</caption>
            <thead>
              <tr>
                <th scope="col">{t.tax}</th>
                <th scope="col" class="number">{t.rate}</th>
                <th scope="col" class="number">{t.amount}</th>
              </tr>
            </thead>
            <tbody>
              {invoice.taxLines.map((tax, index) => (
                <tr key={index}>
                  <td>{t.taxName(tax.name)}</td>
                  {/* "0" marks a tax that is not one of the province's: its rate is not known. */}
                  <td class="number">{Number(tax.rate) === 0 ? t.rateNotStated : percent.format(tax.rate as Intl.StringNumericLiteral)}</td>
                  <td class="number">{format.money(tax.amount)}</td>
                </tr>
              ))}
            </tbody>
          </table>
        </div>
      )}

      <div class="table-scroll totals" tabIndex={0} role="region" aria-label={t.totals}>
        <table>
          <caption>{t.totals}</caption>
          <tbody>
            <tr>
              <th scope="row">{t.subtotal}</th>
              <td class="number">{format.money(invoice.subtotal)}</td>
            </tr>
            <tr>
              <th scope="row">{t.taxTotal}</th>
              <td class="number">{format.money(invoice.taxTotal)}</td>
            </tr>
            <tr class="total">
              <th scope="row">{t.total}</th>
              <td class="number">{format.money(invoice.total)}</td>
            </tr>
            <tr class="total">
              <th scope="row">{t.amountDue}</th>
              <td class="number">{format.money(invoice.amountDue)}</td>
            </tr>
          </tbody>
        </table>
      </div>

      <section class="panel" aria-labelledby="invoice-calls">
        <h2 id="invoice-calls">{t.calls}</h2>
        <dl class="facts">
          <div>
            <dt>{t.callCount}</dt>
            <dd>{count.format(calls.callCount)}</dd>
          </div>
          <div>
            <dt>{t.billedMinutes}</dt>
            <dd>{count.format(calls.billedSeconds / 60)}</dd>
          </div>
          <div>
            <dt>{t.charges}</dt>
            <dd>{format.money(calls.charges)}</dd>
          </div>
        </dl>
        {/* An invoice without calls may come without a link; its CSV would hold only a header. */}
        {invoice.callRecordsCsvUrl && calls.callCount > 0 ? (
          <a href={downloadHref(invoice.callRecordsCsvUrl)} download>
            {t.downloadCalls}
          </a>
        ) : (
          <p>{t.noCallRecords}</p>
        )}
      </section>
    </>
  );
}
