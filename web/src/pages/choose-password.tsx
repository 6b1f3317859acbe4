// After logging in with a temporary password, nothing else until a new one is chosen (the server
// refuses everything else meanwhile, too).
import { useMutation } from "@urql/preact";
import { useState } from "preact/hooks";

import { Field } from "../components/form";
import { NewPasswordForm } from "../components/new-password";
import { Page } from "../components/page";
import { ChangePasswordDocument } from "../generated/graphql";
import { messages, useMessages } from "../i18n";

const strings = messages({
  "en-CA": {
    title: "Choose a new password",
    intro: "You logged in with a temporary password. Choose your own to continue.",
    current: "Temporary password",
    failed: "The password could not be saved. Try again in a moment.",
  },
  "fr-CA": {
    title: "Choisissez un nouveau mot de passe",
    intro: "Vous avez utilisé un mot de passe temporaire. Choisissez le vôtre pour continuer.",
    current: "Mot de passe temporaire",
    failed: "Le mot de passe n’a pas pu être enregistré. Réessayez dans un instant.",
  },
});

// The temporary password typed on the login page, kept in memory only, so it is not asked twice.
let temporaryPassword: string | null = null;

export function rememberTemporaryPassword(password: string) {
  temporaryPassword = password;
}

export function ChoosePassword() {
  const t = useMessages(strings);
  const [known] = useState(temporaryPassword);
  const [current, setCurrent] = useState(known ?? "");
  const [currentError, setCurrentError] = useState<string | null>(null);
  const [, changePassword] = useMutation(ChangePasswordDocument);

  async function save(newPassword: string) {
    const result = await changePassword({ currentPassword: current, newPassword });
    const errors = result.data?.changePassword.userErrors ?? [{ field: null, message: t.failed, code: "FAILED" }];
    setCurrentError(errors.filter((error) => error.field === "currentPassword").map((error) => error.message).join(" ") || null);
    if (errors.length === 0) temporaryPassword = null;
    // On success the viewer's mustChangePassword turns false in the cache, and the portal opens.
    return errors;
  }

  return (
    <Page title={t.title}>
      <p>{t.intro}</p>
      <NewPasswordForm
        save={save}
        before={
          known === null ? (
            <Field label={t.current} type="password" autoComplete="current-password" value={current} onInput={setCurrent} required error={currentError} />
          ) : null
        }
      />
    </Page>
  );
}
