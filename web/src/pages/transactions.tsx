// Transaction History: the whole ledger, 20 entries a page, filtered by kind, with each invoice's
// details and PDF.
import { useQuery } from "@urql/preact";
import { useRef, useState } from "preact/hooks";

import { Checkbox } from "../components/form";
import { useLabels } from "../components/labels";
import { Loading, Page } from "../components/page";
import { TransactionTable } from "../components/transaction-table";
import { PortalTransactionHistoryDocument, type TransactionKind } from "../generated/graphql";
import { messages, useMessages } from "../i18n";
import { useFreshSignedLinks } from "../components/signed-links";
import { PAGE_SIZE, Pager, useCursorPages } from "../components/pager";
import "./transactions.css";

const strings = messages({
  "en-CA": {
    title: "Transaction History",
    kinds: "Show these types",
    count: (count: number) => (count === 1 ? "1 transaction" : `${count} transactions`),
    chooseKind: "Choose at least one type of transaction to see.",
    none: "No transactions of these types.",
  },
  "fr-CA": {
    title: "Historique des transactions",
    kinds: "Afficher ces types",
    count: (count: number) => (count <= 1 ? `${count} transaction` : `${count} transactions`),
    chooseKind: "Choisissez au moins un type de transaction à afficher.",
    none: "Aucune transaction de ces types.",
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
            <TransactionTable caption={t.title} tableRef={table} rows={connection.edges.map((edge) => edge.node)} />
          )}
          <Pager pages={pages} pageInfo={connection.pageInfo} totalCount={connection.totalCount} table={table} busy={fetching} />
        </div>
      )}
    </Page>
  );
}
