// The Dashboard's latest transactions, newest first (Transaction History's own table adds the
// invoice links and PDFs a full history needs).
import type { TransactionRowFragment } from "../generated/graphql";
import { messages, useFormat, useMessages } from "../i18n";
import { useLabels } from "./labels";

const strings = messages({
  "en-CA": { date: "Date", kind: "Type", description: "Description", amount: "Amount", balance: "Balance", none: "No transactions yet." },
  "fr-CA": { date: "Date", kind: "Type", description: "Description", amount: "Montant", balance: "Solde", none: "Aucune transaction pour l’instant." },
});

export function TransactionTable({ caption, transactions }: { caption: string; transactions: readonly TransactionRowFragment[] }) {
  const t = useMessages(strings);
  const format = useFormat();
  const labels = useLabels();
  if (transactions.length === 0) return <p>{t.none}</p>;
  return (
    <div class="table-scroll" tabIndex={0} role="region" aria-label={caption}>
      <table>
        <caption class="visually-hidden">{caption}</caption>
        <thead>
          <tr>
            <th scope="col">{t.date}</th>
            <th scope="col">{t.kind}</th>
            <th scope="col">{t.description}</th>
            <th scope="col" class="number">{t.amount}</th>
            <th scope="col" class="number">{t.balance}</th>
          </tr>
        </thead>
        <tbody>
          {transactions.map((row) => (
            <tr key={row.id}>
              <td>{format.dateTime(row.occurredAt)}</td>
              <td>{labels.of(row.kind)}</td>
              <td>
                {row.kind === "INVOICE" && row.invoice ? <a href={`/invoices/${encodeURIComponent(row.invoice.id)}`}>{row.description}</a> : row.description}
              </td>
              <td class="number">{format.money(row.amount)}</td>
              <td class="number">{format.money(row.balanceAfter)}</td>
            </tr>
          ))}
        </tbody>
      </table>
    </div>
  );
}
