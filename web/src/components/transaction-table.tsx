// Transactions as a table, newest first: the Dashboard's latest and Transaction History's pages.
// An invoice's row links to the invoice and, when its signed link was asked for, to its PDF.
import type { RefObject } from "preact";

import type { TransactionRowFragment } from "../generated/graphql";
import { messages, useFormat, useMessages } from "../i18n";
import { downloadHref } from "./download";
import { useLabels } from "./labels";

const strings = messages({
  "en-CA": {
    date: "Date",
    kind: "Type",
    description: "Description",
    invoice: "Invoice",
    amount: "Amount",
    balance: "Balance",
    downloadPdf: "Download PDF",
    none: "No transactions yet.",
  },
  "fr-CA": {
    date: "Date",
    kind: "Type",
    description: "Description",
    invoice: "Facture",
    amount: "Montant",
    balance: "Solde",
    downloadPdf: "Télécharger le PDF",
    none: "Aucune transaction pour l’instant.",
  },
});

/** A transaction as the table reads it; `invoice.pdfUrl` where the query asked for it. */
export type TransactionRow = Omit<TransactionRowFragment, "invoice"> & {
  invoice?: { id: string; number: string; pdfUrl?: string } | null;
};

interface Props {
  caption: string;
  rows: readonly TransactionRow[];
  /** The caption is said, not shown, where a heading above already names the table. */
  hideCaption?: boolean;
  /** Where focus goes after paging, so the new rows are read. */
  tableRef?: RefObject<HTMLDivElement | null>;
}

export function TransactionTable({ caption, rows, hideCaption = false, tableRef }: Props) {
  const t = useMessages(strings);
  const format = useFormat();
  const labels = useLabels();
  if (rows.length === 0) return <p>{t.none}</p>;
  return (
    <div class="table-scroll" tabIndex={0} role="region" aria-label={caption} ref={tableRef}>
      <table>
        <caption class={hideCaption ? "visually-hidden" : undefined}>{caption}</caption>
        <thead>
          <tr>
            <th scope="col">{t.date}</th>
            <th scope="col">{t.kind}</th>
            <th scope="col">{t.description}</th>
            <th scope="col">{t.invoice}</th>
            <th scope="col" class="number">{t.amount}</th>
            <th scope="col" class="number">{t.balance}</th>
          </tr>
        </thead>
        <tbody>
          {rows.map((row) => {
            const invoiceLabel = `invoice-${row.id}`;
            const pdf = row.kind === "INVOICE" ? downloadHref(row.invoice?.pdfUrl) : undefined;
            return (
              <tr key={row.id}>
                <td>{format.dateTime(row.occurredAt)}</td>
                <td>{labels.of(row.kind)}</td>
                <td>{row.description}</td>
                <td>
                  {row.invoice && (
                    <div class="invoice-links">
                      <a id={invoiceLabel} href={`/invoices/${encodeURIComponent(row.invoice.id)}`}>
                        {row.invoice.number}
                      </a>
                      {/* Only the invoice's own row: a payment's invoice has its PDF on that row. */}
                      {pdf && (
                        <a href={pdf} download aria-describedby={invoiceLabel}>
                          {t.downloadPdf}
                        </a>
                      )}
                    </div>
                  )}
                </td>
                <td class="number">{format.money(row.amount)}</td>
                <td class="number">{format.money(row.balanceAfter)}</td>
              </tr>
            );
          })}
        </tbody>
      </table>
    </div>
  );
}
