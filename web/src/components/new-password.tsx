// Choosing a new password, after a temporary one or from a reset link: the rules first, two
// fields that must match, and the server's refusals tied to the field.
import { useState } from "preact/hooks";

import { messages, useMessages } from "../i18n";
import { Alert, errorFor, errorsWithoutField, Field, type UserErrorLike } from "./form";
import { PasswordRules } from "./password-rules";

const strings = messages({
  "en-CA": {
    newPassword: "New password",
    confirm: "Confirm new password",
    save: "Save password",
    saving: "Saving…",
    mismatch: "The two passwords are not the same.",
  },
  "fr-CA": {
    newPassword: "Nouveau mot de passe",
    confirm: "Confirmer le nouveau mot de passe",
    save: "Enregistrer le mot de passe",
    saving: "Enregistrement…",
    mismatch: "Les deux mots de passe ne sont pas identiques.",
  },
});

interface Props {
  /** Sends the new password; answers the server's refusals (none when saved). */
  save: (newPassword: string) => Promise<readonly UserErrorLike[]>;
  /** Fields above the new password (the current one, when needed). */
  before?: preact.ComponentChildren;
}

export function NewPasswordForm({ save, before }: Props) {
  const t = useMessages(strings);
  const [password, setPassword] = useState("");
  const [confirm, setConfirm] = useState("");
  const [errors, setErrors] = useState<readonly UserErrorLike[]>([]);
  const [mismatch, setMismatch] = useState(false);
  const [busy, setBusy] = useState(false);

  async function submit(event: Event) {
    event.preventDefault();
    if (password !== confirm) {
      setMismatch(true);
      return;
    }
    setMismatch(false);
    setBusy(true);
    setErrors(await save(password));
    setBusy(false);
  }

  return (
    <form onSubmit={submit} noValidate>
      {before}
      <PasswordRules id="password-rules" password={password} />
      <Field
        label={t.newPassword}
        describedBy="password-rules"
        type="password"
        autoComplete="new-password"
        value={password}
        onInput={setPassword}
        required
        error={errorFor(errors, "newPassword")}
      />
      <Field
        label={t.confirm}
        type="password"
        autoComplete="new-password"
        value={confirm}
        onInput={setConfirm}
        required
        error={mismatch ? t.mismatch : null}
      />
      <Alert>{errorsWithoutField(errors, ["newPassword", "currentPassword"])}</Alert>
      <button type="submit" disabled={busy}>
        {busy ? t.saving : t.save}
      </button>
    </form>
  );
}
