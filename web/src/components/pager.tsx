// Paging through a Relay connection (Payments, Transaction History, Invoices, Activity): a stack of the
// cursors of the pages before, so "Previous page" needs nothing from the server.
import type { RefObject } from "preact";
import { useState } from "preact/hooks";

import { messages, useMessages } from "../i18n";
// .pager and .list-count, shared by the paged lists.

const strings = messages({
  "en-CA": {
    pages: "Pages",
    previous: "Previous page",
    next: "Next page",
    pageOf: (page: number, pages: number) => `Page ${page} of ${pages}`,
  },
  "fr-CA": {
    pages: "Pages",
    previous: "Page précédente",
    next: "Page suivante",
    pageOf: (page: number, pages: number) => `Page ${page} de ${pages}`,
  },
});

export const PAGE_SIZE = 20;

export interface CursorPages {
  /** The cursor to ask for the current page `after`; null for the first page. */
  after: string | null;
  /** 1-based. */
  page: number;
  next: (endCursor: string) => void;
  previous: () => void;
  /** Back to the first page (a filter changed). */
  reset: () => void;
}

export function useCursorPages(): CursorPages {
  const [stack, setStack] = useState<string[]>([]);
  return {
    after: stack[stack.length - 1] ?? null,
    page: stack.length + 1,
    next: (endCursor) => setStack((cursors) => [...cursors, endCursor]),
    previous: () => setStack((cursors) => cursors.slice(0, -1)),
    reset: () => setStack([]),
  };
}

interface PagerProps {
  pages: CursorPages;
  pageInfo: { hasNextPage: boolean; endCursor?: string | null };
  totalCount: number;
  /** The table's scrolling region: focus goes there after a page change, to read the new rows. */
  table: RefObject<HTMLElement | null>;
  /** Still showing the page before while the next one loads (urql keeps the last answer meanwhile). */
  busy: boolean;
}

export function Pager({ pages, pageInfo, totalCount, table, busy }: PagerProps) {
  const t = useMessages(strings);
  if (pages.page === 1 && !pageInfo.hasNextPage) return null;
  // The server's hasNextPage decides; the count is only for "Page 2 of 3".
  const pageCount = Math.max(pages.page + (pageInfo.hasNextPage ? 1 : 0), Math.ceil(totalCount / PAGE_SIZE));
  const nextCursor = pageInfo.hasNextPage ? pageInfo.endCursor : null;

  function go(change: () => void) {
    change();
    table.current?.focus();
  }

  return (
    <nav aria-label={t.pages} class="actions pager">
      <button type="button" class="secondary" disabled={busy || pages.page === 1} onClick={() => go(pages.previous)}>
        {t.previous}
      </button>
      <span aria-live="polite">{t.pageOf(pages.page, pageCount)}</span>
      <button
        type="button"
        class="secondary"
        disabled={busy || !nextCursor}
        onClick={() => nextCursor && go(() => pages.next(nextCursor))}
      >
        {t.next}
      </button>
    </nav>
  );
}
