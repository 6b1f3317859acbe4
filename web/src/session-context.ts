import { createContext } from "preact";
import { useContext } from "preact/hooks";

import type { EndReason } from "./session";

export interface SessionState {
  token: string | null;
  /** A new session from `login`; `next` is where to go (a path of this portal). */
  start: (token: string, next?: string | null) => void;
  end: (reason: EndReason) => void;
  /** The viewer's role: members do not see office managers' pages. */
  role: "OFFICE_MANAGER" | "MEMBER" | null;
}

export const SessionContext = createContext<SessionState>({ token: null, start: () => {}, end: () => {}, role: null });

export function useSession(): SessionState {
  return useContext(SessionContext);
}

/** Only a path of this portal ("/pay"), never another origin ("//evil.example", "/\t/evil.example",
 *  "https://…"): the browser's own URL parser decides, as it will when the path is followed. */
export function safeNext(next: string | null | undefined): string {
  if (!next) return "/";
  const url = new URL(next, location.origin);
  return url.origin === location.origin ? `${url.pathname}${url.search}${url.hash}` : "/";
}
