// What moves money or power (a payment method added or removed, Auto Pay turned on, an office
// manager invited, a role changed, a user deleted, a passkey added or removed) may answer
// REAUTHENTICATION_REQUIRED: the person signed in more than 15 minutes ago. `useGuardedMutation` is
// `useMutation` that then asks them, in one modal dialog mounted by the shell, for a code from their
// authenticator app (or, without one, their password), calls `reauthenticate`, and sends the same
// mutation once more. Cancelling answers the refusal as it was.
import { useMutation, useQuery } from "@urql/preact";
import type { AnyVariables, DocumentInput, OperationResult } from "@urql/core";
import { useEffect, useId, useRef, useState } from "preact/hooks";

import { PortalTwoFactorDocument, ReauthenticateDocument } from "../generated/graphql";
import { messages, useMessages } from "../i18n";
import { Alert, errorFor, errorsWithoutField, Field, type UserErrorLike } from "./form";

const strings = messages({
  "en-CA": {
    heading: "Confirm it’s you",
    introCode: "For your security, enter a code from your authenticator app to go on. You will not be asked again for 15 minutes.",
    introPassword: "For your security, enter your password to go on. You will not be asked again for 15 minutes.",
    password: "Password",
    code: "Authentication code",
    confirm: "Confirm",
    cancel: "Cancel",
    failed: "That did not work. Try again in a moment.",
  },
  "fr-CA": {
    heading: "Confirmez qu’il s’agit bien de vous",
    introCode: "Pour votre sécurité, entrez un code de votre application d’authentification pour continuer. On ne vous le redemandera pas avant 15 minutes.",
    introPassword: "Pour votre sécurité, entrez votre mot de passe pour continuer. On ne vous le redemandera pas avant 15 minutes.",
    password: "Mot de passe",
    code: "Code d’authentification",
    confirm: "Confirmer",
    cancel: "Annuler",
    failed: "Cela n’a pas fonctionné. Réessayez dans un instant.",
  },
});

/** The one question open at a time, and whoever shows it. */
let asking: ((confirmed: boolean) => void) | null = null;
let show: (() => void) | null = null;

function confirmIdentity(): Promise<boolean> {
  if (!show) return Promise.resolve(false);
  asking?.(false);
  return new Promise((resolve) => {
    asking = resolve;
    show?.();
  });
}

function refusedForReauthentication(data: unknown): boolean {
  if (!data || typeof data !== "object") return false;
  return Object.values(data).some(
    (payload) =>
      Array.isArray((payload as { userErrors?: unknown })?.userErrors) &&
      (payload as { userErrors: UserErrorLike[] }).userErrors.some((error) => error.code === "REAUTHENTICATION_REQUIRED"),
  );
}

/** `useMutation`, asking the person to confirm it is them when the server wants a recent sign-in. */
export function useGuardedMutation<Data, Variables extends AnyVariables>(document: DocumentInput<Data, Variables>) {
  const [state, execute] = useMutation<Data, Variables>(document);
  async function guarded(variables: Variables): Promise<OperationResult<Data, Variables>> {
    const result = await execute(variables);
    if (!refusedForReauthentication(result.data)) return result;
    return (await confirmIdentity()) ? execute(variables) : result;
  }
  return [state, guarded] as const;
}

/** The dialog, mounted once by the shell. */
export function ConfirmIdentityDialog() {
  const t = useMessages(strings);
  const id = useId();
  const dialog = useRef<HTMLDialogElement>(null);
  const [secret, setSecret] = useState("");
  const [errors, setErrors] = useState<readonly UserErrorLike[]>([]);
  const [failed, setFailed] = useState(false);
  const [{ fetching }, reauthenticate] = useMutation(ReauthenticateDocument);
  // Whoever has an authenticator app gives a code (the server takes no password from them).
  const [{ data }] = useQuery({ query: PortalTwoFactorDocument });
  const withCode = Boolean(data?.viewer?.totpEnabled);

  useEffect(() => {
    show = () => {
      setErrors([]);
      setFailed(false);
      dialog.current?.showModal();
    };
    return () => {
      show = null;
    };
  }, []);

  function close(confirmed: boolean) {
    // Nothing typed here outlives the question.
    setSecret("");
    dialog.current?.close();
    const resolve = asking;
    asking = null;
    resolve?.(confirmed);
  }

  async function submit(event: Event) {
    event.preventDefault();
    if (fetching) return;
    const result = await reauthenticate(withCode ? { code: secret } : { password: secret });
    const answer = result.data?.reauthenticate;
    setFailed(!answer);
    setErrors(answer?.userErrors ?? []);
    if (answer?.ok) close(true);
  }

  const field = withCode ? "code" : "password";
  return (
    <dialog ref={dialog} class="confirm-identity" aria-labelledby={`${id}-heading`} onCancel={() => close(false)}>
      <form onSubmit={submit} noValidate>
        <h2 id={`${id}-heading`}>{t.heading}</h2>
        <p>{withCode ? t.introCode : t.introPassword}</p>
        {withCode ? (
          <Field label={t.code} value={secret} onInput={setSecret} autoComplete="one-time-code" inputMode="numeric" required error={errorFor(errors, field)} />
        ) : (
          <Field label={t.password} type="password" value={secret} onInput={setSecret} autoComplete="current-password" required error={errorFor(errors, field)} />
        )}
        <Alert>{failed ? t.failed : errorsWithoutField(errors, [field])}</Alert>
        <div class="dialog-actions">
          <button type="submit" aria-disabled={fetching ? "true" : undefined}>
            {t.confirm}
          </button>
          <button type="button" class="secondary" onClick={() => close(false)}>
            {t.cancel}
          </button>
        </div>
      </form>
    </dialog>
  );
}
