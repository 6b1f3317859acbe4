import { useMutation } from "@urql/preact";
import { useState } from "preact/hooks";

import { Alert, Field, Status } from "../components/form";
import { Page, useFailureMessage } from "../components/page";
import { RequestPasswordResetDocument } from "../generated/graphql";
import { messages, useMessages } from "../i18n";

const strings = messages({
  "en-CA": {
    title: "Forgot password",
    intro: "Enter the email address you log in with. If it has a login, we email it a link to choose a new password.",
    email: "Email",
    send: "Send reset link",
    sent: (email: string) => `If ${email} has a login, a reset link is on its way. It works once, for one hour.`,
    back: "Back to log in",
  },
  "fr-CA": {
    title: "Mot de passe oublié",
    intro: "Entrez le courriel avec lequel vous vous connectez. S’il a un accès, nous lui envoyons un lien pour choisir un nouveau mot de passe.",
    email: "Courriel",
    send: "Envoyer le lien",
    sent: (email: string) => `Si ${email} a un accès, un lien de réinitialisation est en route. Il fonctionne une fois, pendant une heure.`,
    back: "Retour à la connexion",
  },
});

export function ForgotPassword() {
  const t = useMessages(strings);
  const [email, setEmail] = useState("");
  const [sentTo, setSentTo] = useState<string | null>(null);
  const [failed, setFailed] = useState<string | null>(null);
  const failure = useFailureMessage();
  const [{ fetching }, request] = useMutation(RequestPasswordResetDocument);

  async function submit(event: Event) {
    event.preventDefault();
    // The button stays focusable while busy (aria-disabled), so a second press is ignored here.
    if (fetching) return;
    const result = await request({ email });
    setFailed(result.data ? null : failure(result.error));
    if (result.data?.requestPasswordReset.ok) setSentTo(email);
  }

  return (
    <Page title={t.title}>
      <p>{t.intro}</p>
      <form onSubmit={submit} noValidate>
        <Field label={t.email} type="email" autoComplete="username" value={email} onInput={setEmail} required />
        <button type="submit" aria-disabled={fetching ? "true" : undefined}>
          {t.send}
        </button>
      </form>
      <Alert>{failed}</Alert>
      <Status>{sentTo && t.sent(sentTo)}</Status>
      <p>
        <a href="/login">{t.back}</a>
      </p>
    </Page>
  );
}
