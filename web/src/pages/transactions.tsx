// Transaction History: the whole ledger, 20 entries a page, filtered by kind, with each invoice's
// details and PDF.
import type { RefObject } from "preact";
import { useQuery } from "@urql/preact";
import { useRef, useState } from "preact/hooks";

import { Checkbox } from "../components/form";
import { useLabels } from "../components/labels";
import { Loading, Page } from "../components/page";
import { PortalTransactionHistoryDocument, type PortalTransactionHistoryQuery, type TransactionKind } from "../generated/graphql";
import { messages, useFormat, useMessages } from "../i18n";
import { useFreshSignedLinks } from "../components/signed-links";
import { PAGE_SIZE, Pager, useCursorPages } from "../components/pager";
import "./transactions.css";
import { downloadHref } from "../components/download";

const strings = messages({
  "en-CA": {
    title: "Transaction History",
    kinds: "Show these types",
    count: (count: number) => (count === 1 ? "1 transaction" : `${count} transactions`),
    chooseKind: "Choose at least one type of transaction to see.",
    none: "No transactions of these types.",
    date: "Date",
    kind: "Type",
    description: "Description",
    invoice: "Invoice",
    amount: "Amount",
    balance: "Balance",
    downloadPdf: "Download PDF",
  },
  "fr-CA": {
    title: "Historique des transactions",
    kinds: "Afficher ces types",
    count: (count: number) => (count <= 1 ? `${count} transaction` : `${count} transactions`),
    chooseKind: "Choisissez au moins un type de transaction à afficher.",
    none: "Aucune transaction de ces types.",
    date: "Date",
    kind: "Type",
    description: "Description",
    invoice: "Facture",
    amount: "Montant",
    balance: "Solde",
    downloadPdf: "Télécharger le PDF",
  },
});

const ALL_KINDS: readonly TransactionKind[] = ["INVOICE", "PAYMENT", "CREDIT", "REFUND"];

export function Transactions() {
  const t = useMessages(strings);
  const labels = useLabels();
  const pages = useCursorPages();
  const [kinds, setKinds] = useState<readonly TransactionKind[]>(ALL_KINDS);
  const table = useRef<HTMLDivElement>(null);
  const [{ data, error, fetching }, refetch] = useQuery({
    query: PortalTransactionHistoryDocument,
    // All four kinds: no filter, the same query (and cache entry) as a first visit.
    variables: { first: PAGE_SIZE, after: pages.after, kinds: kinds.length === ALL_KINDS.length ? null : [...kinds] },
    // The PDF links are signed for 15 minutes: never show ones from an earlier visit alone.
    requestPolicy: "cache-and-network",
    pause: kinds.length === 0,
  });
  useFreshSignedLinks(data, refetch);

  function toggle(kind: TransactionKind, shown: boolean) {
    // Kept in ALL_KINDS' order, so the same choice is the same query (and the same cache entry).
    setKinds(ALL_KINDS.filter((candidate) => (candidate === kind ? shown : kinds.includes(candidate))));
    pages.reset();
  }

  const connection = data?.account.transactions;
  return (
    <Page title={t.title}>
      <fieldset class="kind-filter">
        <legend>{t.kinds}</legend>
        {ALL_KINDS.map((kind) => (
          <Checkbox key={kind} label={labels.of(kind)} checked={kinds.includes(kind)} onChange={(shown) => toggle(kind, shown)} />
        ))}
      </fieldset>
      {kinds.length === 0 ? (
        <p>{t.chooseKind}</p>
      ) : !connection ? (
        <Loading error={error} />
      ) : (
        <div aria-busy={fetching ? "true" : undefined}>
          <p class="list-count">{t.count(connection.totalCount)}</p>
          {connection.edges.length === 0 ? (
            <p>{t.none}</p>
          ) : (
            <TransactionRows tableRef={table} rows={connection.edges.map((edge) => edge.node)} />
          )}
          <Pager pages={pages} pageInfo={connection.pageInfo} totalCount={connection.totalCount} table={table} busy={fetching} />
        </div>
      )}
    </Page>
  );
}

type TransactionRowWithPdf = PortalTransactionHistoryQuery["account"]["transactions"]["edges"][number]["node"];

function TransactionRows({ rows, tableRef }: { rows: readonly TransactionRowWithPdf[]; tableRef: RefObject<HTMLDivElement | null> }) {
  const t = useMessages(strings);
  const format = useFormat();
  const labels = useLabels();
  return (
    <div class="table-scroll" tabIndex={0} role="region" aria-label={t.title} ref={tableRef}>
      <table>
        <caption>{t.title}</caption>
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
                      {row.kind === "INVOICE" && (
                        <a href={downloadHref(row.invoice.pdfUrl)} download aria-describedby={invoiceLabel}>
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
