// Activity (office managers): who did what to the account, and when, newest first, 20 a page.
// Members never see it in the navigation; if they come anyway, the server's FORBIDDEN is said.
import type { RefObject } from "preact";
import { useQuery } from "@urql/preact";
import { useRef } from "preact/hooks";

import { Loading, Page } from "../components/page";
import { ActivityDocument, type ActivityQuery } from "../generated/graphql";
import { messages, useFormat, useMessages } from "../i18n";
import { PAGE_SIZE, Pager, useCursorPages } from "../components/pager";
import "./activity.css";

const strings = messages({
  "en-CA": {
    title: "Activity",
    count: (count: number) => (count === 1 ? "1 entry" : `${count} entries`),
    none: "Nothing has happened on this account yet.",
    when: "When",
    who: "Who",
    what: "What",
    billingSystem: "The billing system",
  },
  "fr-CA": {
    title: "Activité",
    count: (count: number) => (count <= 1 ? `${count} entrée` : `${count} entrées`),
    none: "Rien ne s’est encore passé dans ce compte.",
    when: "Quand",
    who: "Qui",
    what: "Quoi",
    billingSystem: "Le système de facturation",
  },
});

type Entry = ActivityQuery["account"]["activity"]["edges"][number]["node"];

export function Activity() {
  const t = useMessages(strings);
  const pages = useCursorPages();
  const table = useRef<HTMLDivElement>(null);
  const [{ data, error, fetching }] = useQuery({
    query: ActivityDocument,
    variables: { first: PAGE_SIZE, after: pages.after },
    // What others did since the last visit: always ask, show the cached page meanwhile.
    requestPolicy: "cache-and-network",
  });

  const connection = data?.account.activity;
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
            <ActivityTable tableRef={table} entries={connection.edges.map((edge) => edge.node)} />
          )}
          <Pager pages={pages} pageInfo={connection.pageInfo} totalCount={connection.totalCount} table={table} busy={fetching} />
        </div>
      )}
    </Page>
  );
}

function ActivityTable({ entries, tableRef }: { entries: readonly Entry[]; tableRef: RefObject<HTMLDivElement | null> }) {
  const t = useMessages(strings);
  const format = useFormat();
  return (
    <div class="table-scroll" tabIndex={0} role="region" aria-label={t.title} ref={tableRef}>
      <table class="activity-table">
        <caption>{t.title}</caption>
        <thead>
          <tr>
            <th scope="col">{t.when}</th>
            <th scope="col">{t.who}</th>
            <th scope="col">{t.what}</th>
          </tr>
        </thead>
        <tbody>
          {entries.map((entry) => (
            <tr key={entry.id}>
              <td class="when">{format.dateTime(entry.occurredAt)}</td>
              <td>
                {entry.actor ? (
                  <>
                    {entry.actor.name || entry.actor.email}
                    {entry.actor.name && <div class="email">{entry.actor.email}</div>}
                  </>
                ) : (
                  t.billingSystem
                )}
              </td>
              <td class="what">{entry.summary}</td>
            </tr>
          ))}
        </tbody>
      </table>
    </div>
  );
}
