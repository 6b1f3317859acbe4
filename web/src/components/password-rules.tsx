// The server's password rules, shown before a person types and checked as they type, in the
// server's own words (passwordRules, checkPassword): a form can never drift from what
// changePassword and resetPassword will accept.
import { useQuery } from "@urql/preact";
import { useEffect, useState } from "preact/hooks";

import { queryUncached } from "../client";
import { CheckPasswordDocument, PasswordRulesDocument } from "../generated/graphql";
import { messages, useMessages } from "../i18n";
import { useSession } from "../session-context";

const strings = messages({
  "en-CA": { rules: "Your new password must follow these rules:", met: "met", notMet: "not met yet" },
  "fr-CA": { rules: "Votre nouveau mot de passe doit respecter ces règles :", met: "respectée", notMet: "pas encore respectée" },
});

/** Waits for a pause in typing before asking the server, so a word is one request, not ten. */
function useSettled(value: string, delayMs: number): string {
  const [settled, setSettled] = useState(value);
  useEffect(() => {
    const timer = setTimeout(() => setSettled(value), delayMs);
    return () => clearTimeout(timer);
  }, [value, delayMs]);
  return settled;
}

export function PasswordRules({ id, password }: { id: string; password: string }) {
  const t = useMessages(strings);
  const [{ data: rules }] = useQuery({ query: PasswordRulesDocument });
  const candidate = useSettled(password, 300);
  const { token } = useSession();
  // The rules the candidate breaks, asked outside the client's cache: no typed password stays in
  // memory once the check is answered.
  const [check, setCheck] = useState<{ password: string; broken: string[] } | null>(null);
  useEffect(() => {
    if (candidate === "") return;
    const asking = new AbortController();
    queryUncached(CheckPasswordDocument, "CheckPassword", { password: candidate }, token, asking.signal)
      .then((data) => data && setCheck({ password: candidate, broken: data.checkPassword.map((rule) => rule.code) }))
      .catch(() => {}); // unjudged: the server still judges on Save
    return () => asking.abort();
  }, [candidate, token]);
  const judged = candidate !== "" && check?.password === candidate;
  const broken = new Set(judged ? check.broken : []);
  // The server estimates guessability only of a password that keeps every other rule: until
  // then that rule is not judged, neither met nor broken.
  const othersBroken = [...broken].some((code) => code !== "PASSWORD_TOO_GUESSABLE");
  return (
    <div id={id} class="password-rules">
      <p>{t.rules}</p>
      <ul>
        {(rules?.passwordRules ?? []).map((rule) => {
          const unjudged = !judged || (rule.code === "PASSWORD_TOO_GUESSABLE" && othersBroken);
          const state = unjudged ? null : !broken.has(rule.code);
          return (
            <li key={rule.code} class={state === null ? "" : state ? "met" : "unmet"}>
              {rule.message}
              {state !== null && <span class="visually-hidden"> ({state ? t.met : t.notMet})</span>}
              {state !== null && <span aria-hidden="true">{state ? " ✓" : " ✗"}</span>}
            </li>
          );
        })}
      </ul>
    </div>
  );
}
