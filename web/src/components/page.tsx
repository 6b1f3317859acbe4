// Every page: its title in the tab and in an h1 that takes focus when the route changes, so a
// keyboard or screen reader user starts reading the new page (and hears its name) at once.
import type { ComponentChildren } from "preact";
import { useEffect, useRef } from "preact/hooks";
import type { CombinedError } from "@urql/core";

import { messages, useMessages } from "../i18n";

const strings = messages({
  "en-CA": {
    portal: "Billing Portal",
    loading: "Loading…",
    forbidden: "Only office managers can see this page.",
    failed: "This page could not be loaded. Try again in a moment.",
    unreachable: "The portal could not be reached. Try again in a moment.",
    rateLimited: (minutes: number) => `Too many attempts. Try again in ${minutes} minute${minutes === 1 ? "" : "s"}.`,
  },
  "fr-CA": {
    portal: "Portail de facturation",
    loading: "Chargement…",
    forbidden: "Seuls les gestionnaires de bureau peuvent voir cette page.",
    failed: "Cette page n’a pas pu être chargée. Réessayez dans un instant.",
    unreachable: "Le portail est injoignable. Réessayez dans un instant.",
    rateLimited: (minutes: number) => `Trop de tentatives. Réessayez dans ${minutes} minute${minutes === 1 ? "" : "s"}.`,
  },
});

export function Page({ title, children }: { title: string; children?: ComponentChildren }) {
  const t = useMessages(strings);
  const heading = useRef<HTMLHeadingElement>(null);
  useEffect(() => {
    document.title = `${title} · ${t.portal}`;
  }, [title, t.portal]);
  useEffect(() => {
    heading.current?.focus();
  }, []);
  return (
    <>
      <h1 tabIndex={-1} ref={heading}>
        {title}
      </h1>
      {children}
    </>
  );
}

/** While a page's query is on its way, or when it failed: FORBIDDEN is said as such. */
export function Loading({ error }: { error?: CombinedError }) {
  const t = useMessages(strings);
  if (!error) return <p aria-busy="true">{t.loading}</p>;
  const forbidden = error.graphQLErrors.some((e) => e.extensions?.code === "FORBIDDEN");
  return (
    <p role="alert" class="alert">
      {forbidden ? t.forbidden : t.failed}
    </p>
  );
}

/** Why an action got no answer, in words: the server's FORBIDDEN or RATE_LIMITED (with how long
 *  to wait), or the portal not reached at all. */
export function useFailureMessage(): (error?: CombinedError) => string {
  const t = useMessages(strings);
  return (error) => {
    const refusal = error?.graphQLErrors.find((e) => e.extensions?.code === "FORBIDDEN" || e.extensions?.code === "RATE_LIMITED");
    if (refusal?.extensions?.code === "FORBIDDEN") return t.forbidden;
    if (refusal) return t.rateLimited(Math.max(1, Math.ceil(Number(refusal.extensions?.retryAfterSeconds ?? 60) / 60)));
    return t.unreachable;
  };
}
