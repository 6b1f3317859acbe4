// When the account requires two-step sign-in and the person has not set it up: nothing else until
// they do (the server refuses everything else meanwhile, too).
import { Page } from "../components/page";
import { TotpEnrollment } from "../components/totp-enrollment";
import { messages, useMessages } from "../i18n";

const strings = messages({
  "en-CA": {
    title: "Set up two-step sign-in",
    intro: "Your account requires a code from an authenticator app at each login, after your password.",
  },
  "fr-CA": {
    title: "Configurer la connexion en deux étapes",
    intro: "Votre compte exige un code d’une application d’authentification à chaque connexion, après votre mot de passe.",
  },
});

export function EnrollTwoFactor({ onDone }: { onDone: () => void }) {
  const t = useMessages(strings);
  return (
    <Page title={t.title}>
      <p>{t.intro}</p>
      <TotpEnrollment onDone={onDone} />
    </Page>
  );
}
