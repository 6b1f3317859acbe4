// Payments: every payment and payment attempt (Auto Pay's retries too), newest first, with its
// status and why it failed, 20 to a page.
import { useQuery } from "@urql/preact";
import { useRef } from "preact/hooks";

import { useLabels } from "../components/labels";
import { Loading, Page } from "../components/page";
import { PaymentsDocument } from "../generated/graphql";
import { messages, useFormat, useMessages } from "../i18n";
import { PAGE_SIZE, Pager, useCursorPages } from "../components/pager";
import "./payments.css";

const strings = messages({
  "en-CA": {
    title: "Payments",
    caption: "Payments",
    date: "Date",
    amount: "Amount",
    method: "Payment method",
    status: "Status",
    failure: "Failure reason",
    invoice: "Invoice",
    unknownMethod: "Unknown",
    none: "No payments yet.",
    makePayment: "Make a Payment",
  },
  "fr-CA": {
    title: "Paiements",
    caption: "Paiements",
    date: "Date",
    amount: "Montant",
    method: "Mode de paiement",
    status: "État",
    failure: "Motif de l’échec",
    invoice: "Facture",
    unknownMethod: "Inconnu",
    none: "Aucun paiement pour l’instant.",
    makePayment: "Faire un paiement",
  },
});

export function Payments() {
  const t = useMessages(strings);
  const format = useFormat();
  const labels = useLabels();
  const pages = useCursorPages();
  const table = useRef<HTMLDivElement>(null);
  const [{ data, error, fetching }] = useQuery({ query: PaymentsDocument, variables: { first: PAGE_SIZE, after: pages.after } });

  if (!data) {
    return (
      <Page title={t.title}>
        <Loading error={error} />
      </Page>
    );
  }
  const { edges, pageInfo, totalCount } = data.account.payments;

  return (
    <Page title={t.title}>
      <p>
        <a href="/pay">{t.makePayment}</a>
      </p>
      {edges.length === 0 ? (
        <p>{t.none}</p>
      ) : (
        <div class="table-scroll" tabIndex={0} role="region" aria-label={t.caption} ref={table}>
          <table class="payments-table">
            <caption class="visually-hidden">{t.caption}</caption>
            <thead>
              <tr>
                <th scope="col">{t.date}</th>
                <th scope="col" class="number">
                  {t.amount}
                </th>
                <th scope="col">{t.method}</th>
                <th scope="col">{t.status}</th>
                <th scope="col">{t.failure}</th>
                <th scope="col">{t.invoice}</th>
              </tr>
            </thead>
            <tbody>
              {edges.map(({ node: payment }) => (
                <tr key={payment.id}>
                  <td>{format.dateTime(payment.createdAt)}</td>
                  <td class="number">{format.money(payment.amount)}</td>
                  <td>{payment.methodDescription ?? t.unknownMethod}</td>
                  <td>{labels.of(payment.status)}</td>
                  <td>{payment.failureMessage}</td>
                  <td>
                    {payment.invoice && <a href={`/invoices/${encodeURIComponent(payment.invoice.id)}`}>{payment.invoice.number}</a>}
                  </td>
                </tr>
              ))}
            </tbody>
          </table>
        </div>
      )}
      <Pager pages={pages} pageInfo={pageInfo} totalCount={totalCount} table={table} busy={fetching} />
    </Page>
  );
}
