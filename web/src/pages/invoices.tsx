// Invoices: every bill from the carrier, newest first, 20 a page, each with its details and PDF.
import type { RefObject } from "preact";
import { useQuery } from "@urql/preact";
import { useRef } from "preact/hooks";

import { useLabels } from "../components/labels";
import { Loading, Page } from "../components/page";
import { PortalInvoicesDocument, type PortalInvoicesQuery } from "../generated/graphql";
import { messages, useFormat, useMessages } from "../i18n";
import { useFreshSignedLinks } from "../components/signed-links";
import { PAGE_SIZE, Pager, useCursorPages } from "../components/pager";
import "./invoices.css";
import { downloadHref } from "../components/download";

export { InvoiceDetails } from "./invoices-details";

const strings = messages({
  "en-CA": {
    title: "Invoices",
    count: (count: number) => (count === 1 ? "1 invoice" : `${count} invoices`),
    none: "No invoices yet.",
    number: "Invoice",
    issued: "Issued",
    due: "Due",
    status: "Status",
    total: "Total",
    amountDue: "Amount due",
    pdf: "PDF",
    downloadPdf: "Download PDF",
  },
  "fr-CA": {
    title: "Factures",
    count: (count: number) => (count <= 1 ? `${count} facture` : `${count} factures`),
    none: "Aucune facture pour l’instant.",
    number: "Facture",
    issued: "Émise le",
    due: "Échéance",
    status: "État",
    total: "Total",
    amountDue: "Montant dû",
    pdf: "PDF",
    downloadPdf: "Télécharger le PDF",
  },
});

type InvoiceRow = PortalInvoicesQuery["account"]["invoices"]["edges"][number]["node"];

export function Invoices() {
  const t = useMessages(strings);
  const pages = useCursorPages();
  const table = useRef<HTMLDivElement>(null);
  const [{ data, error, fetching }, refetch] = useQuery({
    query: PortalInvoicesDocument,
    variables: { first: PAGE_SIZE, after: pages.after },
    // The PDF links are signed for 15 minutes: never show ones from an earlier visit alone.
    requestPolicy: "cache-and-network",
  });
  useFreshSignedLinks(data, refetch);

  const connection = data?.account.invoices;
  return (
    <Page title={t.title}>
      {!connection ? (
        <Loading error={error} />
      ) : (
        <div aria-busy={fetching ? "true" : undefined}>
          <p class="list-count">{t.count(connection.totalCount)}</p>
          {connection.edges.length === 0 ? (
            <p>{t.none}</p>
          ) : (
            <InvoiceTable tableRef={table} invoices={connection.edges.map((edge) => edge.node)} />
          )}
          <Pager pages={pages} pageInfo={connection.pageInfo} totalCount={connection.totalCount} table={table} busy={fetching} />
        </div>
      )}
    </Page>
  );
}

function InvoiceTable({ invoices, tableRef }: { invoices: readonly InvoiceRow[]; tableRef: RefObject<HTMLDivElement | null> }) {
  const t = useMessages(strings);
  const format = useFormat();
  const labels = useLabels();
  return (
    <div class="table-scroll" tabIndex={0} role="region" aria-label={t.title} ref={tableRef}>
      <table class="invoice-list">
        <caption>{t.title}</caption>
        <thead>
          <tr>
            <th scope="col">{t.number}</th>
            <th scope="col">{t.issued}</th>
            <th scope="col">{t.due}</th>
            <th scope="col">{t.status}</th>
            <th scope="col" class="number">{t.total}</th>
            <th scope="col" class="number">{t.amountDue}</th>
            <th scope="col">{t.pdf}</th>
          </tr>
        </thead>
        <tbody>
          {invoices.map((invoice) => {
            const numberId = `invoice-${invoice.id}`;
            return (
              <tr key={invoice.id}>
                <th scope="row">
                  <a id={numberId} href={`/invoices/${encodeURIComponent(invoice.id)}`}>
                    {invoice.number}
                  </a>
                </th>
                <td>{format.date(invoice.issuedOn)}</td>
                <td>{format.date(invoice.dueOn)}</td>
                <td>{labels.of(invoice.status)}</td>
                <td class="number">{format.money(invoice.total)}</td>
                <td class="number">{format.money(invoice.amountDue)}</td>
                <td>
                  {/* Every row's link reads "Download PDF"; its description names the invoice. */}
                  <a href={downloadHref(invoice.pdfUrl)} download aria-describedby={numberId}>
                    {t.downloadPdf}
                  </a>
                </td>
              </tr>
            );
          })}
        </tbody>
      </table>
    </div>
  );
}
