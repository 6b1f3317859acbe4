import { useMutation } from "@urql/preact";
import { useState } from "preact/hooks";
import { useLocation } from "preact-iso";

import { Status } from "../components/form";
import { NewPasswordForm } from "../components/new-password";
import { Page } from "../components/page";
import { ResetPasswordDocument } from "../generated/graphql";
import { messages, useMessages } from "../i18n";

const strings = messages({
  "en-CA": {
    title: "Reset your password",
    done: "Your password is saved. You can log in with it now.",
    logIn: "Log in",
    failed: "The password could not be saved. Try again in a moment.",
  },
  "fr-CA": {
    title: "Réinitialiser votre mot de passe",
    done: "Votre mot de passe est enregistré. Vous pouvez vous connecter avec lui.",
    logIn: "Se connecter",
    failed: "Le mot de passe n’a pas pu être enregistré. Réessayez dans un instant.",
  },
});

export function ResetPassword() {
  const t = useMessages(strings);
  const { query } = useLocation();
  const [done, setDone] = useState(false);
  const [, reset] = useMutation(ResetPasswordDocument);

  async function save(newPassword: string) {
    const result = await reset({ token: query.token ?? "", newPassword });
    const answer = result.data?.resetPassword;
    if (answer?.ok) setDone(true);
    return answer?.userErrors ?? [{ field: null, message: t.failed, code: "FAILED" }];
  }

  return (
    <Page title={t.title}>
      {!done && <NewPasswordForm save={save} />}
      <Status>
        {done && (
          <>
            {t.done} <a href="/login">{t.logIn}</a>
          </>
        )}
      </Status>
    </Page>
  );
}
