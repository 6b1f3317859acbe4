// The session token and why the last one ended. The token lives in localStorage so a reload or a
// second tab stays logged in; the strict CSP (no inline or foreign script) is what keeps other
// scripts from reading it. A session that ends for any reason lands on /login with that reason.
const TOKEN_KEY = "billing-portal.session";
const REASON_KEY = "billing-portal.ended";

/** Why a person is back on the login page. */
export type EndReason = "signed-out" | "ended" | "password-changed";

export function storedToken(): string | null {
  return localStorage.getItem(TOKEN_KEY);
}

export function storeToken(token: string) {
  localStorage.setItem(TOKEN_KEY, token);
  sessionStorage.removeItem(REASON_KEY);
}

export function forgetToken(reason: EndReason) {
  localStorage.removeItem(TOKEN_KEY);
  sessionStorage.setItem(REASON_KEY, reason);
}

/** The reason the last session ended, read once. */
export function takeEndReason(): EndReason | null {
  const reason = sessionStorage.getItem(REASON_KEY) as EndReason | null;
  sessionStorage.removeItem(REASON_KEY);
  return reason;
}

/** A key per payment attempt: the server charges once for a key, however often it is sent. */
export function newIdempotencyKey(): string {
  // crypto.randomUUID exists only in secure contexts (https, localhost); a portal tried over plain
  // http on a LAN name still needs keys, and getRandomValues works everywhere: a version 4 UUID.
  const bytes = crypto.getRandomValues(new Uint8Array(16));
  bytes[6] = (bytes[6]! & 0x0f) | 0x40;
  bytes[8] = (bytes[8]! & 0x3f) | 0x80;
  const hex = Array.from(bytes, (byte) => byte.toString(16).padStart(2, "0")).join("");
  return `${hex.slice(0, 8)}-${hex.slice(8, 12)}-${hex.slice(12, 16)}-${hex.slice(16, 20)}-${hex.slice(20)}`;
}
