import { useMutation } from "@urql/preact";
import { useEffect, useRef, useState } from "preact/hooks";
import { useLocation } from "preact-iso";

import { useFocusFirstInvalid } from "../components/focus-first-invalid";
import { Alert, errorFor, errorsWithoutField, Field, Status, type UserErrorLike } from "../components/form";
import { Page, useFailureMessage } from "../components/page";
import { BeginPasskeyLoginDocument, PortalLoginDocument, PortalVerifyLoginDocument } from "../generated/graphql";
import { passkeysAvailable, signWithPasskey } from "../passkeys";
import { messages, useMessages } from "../i18n";
import { takeEndReason } from "../session";
import { useSession } from "../session-context";
import { rememberTemporaryPassword } from "./choose-password";

const strings = messages({
  "en-CA": {
    title: "Log in",
    email: "Email",
    password: "Password",
    logIn: "Log in",
    loggingIn: "Logging in…",
    forgot: "Forgot password?",
    "signed-out": "You have logged out.",
    ended: "Your session has ended (it was idle too long, or it was ended elsewhere). Please log in again.",
    "password-changed": "Your password was changed. Log in with the new one.",
    secondStep: "Enter the code from your authenticator app.",
    code: "Authentication code",
    recoveryCode: "Recovery code",
    useRecovery: "Use a recovery code instead",
    useCode: "Use a code from the app instead",
    verify: "Continue",
    withPasskey: "Use a passkey instead",
    passkeyStep: "Use your passkey to finish logging in.",
    usePasskey: "Use my passkey",
    passkeyCancelled: "No passkey was used. Try again, or log in another way.",
  },
  "fr-CA": {
    title: "Connexion",
    email: "Courriel",
    password: "Mot de passe",
    logIn: "Se connecter",
    loggingIn: "Connexion…",
    forgot: "Mot de passe oublié?",
    "signed-out": "Votre session est fermée.",
    ended: "Votre session a pris fin (inactive trop longtemps, ou fermée ailleurs). Veuillez vous reconnecter.",
    "password-changed": "Votre mot de passe a été changé. Connectez-vous avec le nouveau.",
    secondStep: "Entrez le code de votre application d’authentification.",
    code: "Code d’authentification",
    recoveryCode: "Code de récupération",
    useRecovery: "Utiliser plutôt un code de récupération",
    useCode: "Utiliser plutôt un code de l’application",
    verify: "Continuer",
    withPasskey: "Utiliser plutôt une clé d’accès",
    passkeyStep: "Utilisez votre clé d’accès pour terminer la connexion.",
    usePasskey: "Utiliser ma clé d’accès",
    passkeyCancelled: "Aucune clé d’accès n’a été utilisée. Réessayez, ou connectez-vous autrement.",
  },
});

export function Login() {
  const t = useMessages(strings);
  const session = useSession();
  const { query } = useLocation();
  const [reason] = useState(takeEndReason);
  // The reason goes into the status region a moment after the page is on screen: text already there
  // when a live region appears is seldom announced, text that arrives in it is.
  const [announced, setAnnounced] = useState<typeof reason>(null);
  const form = useRef<HTMLFormElement>(null);
  const [email, setEmail] = useState("");
  const [password, setPassword] = useState("");
  const [errors, setErrors] = useState<readonly UserErrorLike[]>([]);
  const [failed, setFailed] = useState<string | null>(null);
  const failure = useFailureMessage();
  const [{ fetching }, login] = useMutation(PortalLoginDocument);
  const [{ fetching: verifying }, verifyLogin] = useMutation(PortalVerifyLoginDocument);
  const [{ fetching: beginning }, beginPasskeyLogin] = useMutation(BeginPasskeyLoginDocument);
  // After a correct password, for someone with two-step sign-in: the challenge to answer, and the
  // ways they can.
  const [challenge, setChallenge] = useState<string | null>(null);
  const [methods, setMethods] = useState<readonly string[]>([]);
  const [passkeyOptions, setPasskeyOptions] = useState<string | null>(null);
  const [code, setCode] = useState("");
  const [recovery, setRecovery] = useState(false);
  useFocusFirstInvalid(form, errors);

  useEffect(() => {
    if (!reason) return;
    const timer = setTimeout(() => setAnnounced(reason), 250);
    return () => clearTimeout(timer);
  }, [reason]);

  async function submit(event: Event) {
    event.preventDefault();
    // The button stays focusable while busy (aria-disabled), so a second press is ignored here.
    if (fetching) return;
    const result = await login({ email, password });
    const answer = result.data?.login;
    setFailed(answer ? null : failure(result.error));
    setErrors(answer?.userErrors ?? []);
    if (answer?.secondFactor) {
      setChallenge(answer.secondFactor.challenge);
      setMethods(answer.secondFactor.methods);
      setPasskeyOptions(answer.secondFactor.passkeyOptions ?? null);
    }
    if (answer?.token) {
      if (answer.viewer?.mustChangePassword) rememberTemporaryPassword(password);
      session.start(answer.token, query.next);
    }
  }

  async function verify(event: Event) {
    event.preventDefault();
    if (verifying || !challenge) return;
    await finish(challenge, recovery ? { recoveryCode: code } : { code });
  }

  /** The second step, or a sign-in without a password, answered with a passkey. */
  async function withPasskey(challenge: string, options: string) {
    setFailed(null);
    setErrors([]);
    const passkey = await signWithPasskey(options);
    if (passkey) await finish(challenge, { passkey });
    else setFailed(t.passkeyCancelled);
  }

  async function passkeyLogin() {
    if (beginning || verifying) return;
    const result = await beginPasskeyLogin({ email: email.trim() || null });
    const begun = result.data?.beginPasskeyLogin;
    if (begun?.challenge && begun.options) await withPasskey(begun.challenge, begun.options);
    else setFailed(failure(result.error));
  }

  async function finish(challenge: string, proof: { code?: string; recoveryCode?: string; passkey?: string }) {
    const result = await verifyLogin({ challenge, ...proof });
    const answer = result.data?.verifyLogin;
    setFailed(answer ? null : failure(result.error));
    setErrors(answer?.userErrors ?? []);
    // An expired challenge: back to the password.
    if (answer?.userErrors.some((error) => error.code === "INVALID_CHALLENGE")) setChallenge(null);
    if (answer?.token) session.start(answer.token, query.next);
  }

  if (challenge && !methods.includes("TOTP")) {
    return (
      <Page title={t.title}>
        <p>{t.passkeyStep}</p>
        <Alert>{failed ?? errorsWithoutField(errors, [])}</Alert>
        {passkeyOptions && (
          <button type="button" onClick={() => withPasskey(challenge, passkeyOptions)} aria-disabled={verifying ? "true" : undefined}>
            {t.usePasskey}
          </button>
        )}
      </Page>
    );
  }

  if (challenge) {
    const field = recovery ? "recoveryCode" : "code";
    return (
      <Page title={t.title}>
        <p>{t.secondStep}</p>
        {passkeyOptions && (
          <p>
            <button type="button" class="secondary" onClick={() => withPasskey(challenge, passkeyOptions)}>
              {t.usePasskey}
            </button>
          </p>
        )}
        <form ref={form} onSubmit={verify} noValidate>
          <Field
            label={recovery ? t.recoveryCode : t.code}
            value={code}
            onInput={setCode}
            autoComplete="one-time-code"
            inputMode={recovery ? "text" : "numeric"}
            required
            error={errorFor(errors, field)}
          />
          <Alert>{failed ?? errorsWithoutField(errors, [field])}</Alert>
          <button type="submit" aria-disabled={verifying ? "true" : undefined}>
            {t.verify}
          </button>
        </form>
        <p>
          <button type="button" class="link-button" onClick={() => { setRecovery(!recovery); setCode(""); setErrors([]); }}>
            {recovery ? t.useCode : t.useRecovery}
          </button>
        </p>
      </Page>
    );
  }

  return (
    <Page title={t.title}>
      <Status>{announced && t[announced]}</Status>
      <form ref={form} onSubmit={submit} noValidate>
        <Field label={t.email} type="email" autoComplete="username" value={email} onInput={setEmail} required error={errorFor(errors, "email")} />
        <Field
          label={t.password}
          type="password"
          autoComplete="current-password"
          value={password}
          onInput={setPassword}
          required
          error={errorFor(errors, "password")}
        />
        <Alert>{failed ?? errorsWithoutField(errors, ["email", "password"])}</Alert>
        <button type="submit" aria-disabled={fetching ? "true" : undefined}>
          {fetching ? t.loggingIn : t.logIn}
        </button>
      </form>
      {passkeysAvailable() && (
        <p>
          <button type="button" class="secondary" onClick={passkeyLogin} aria-disabled={beginning ? "true" : undefined}>
            {t.withPasskey}
          </button>
        </p>
      )}
      <p>
        <a href="/forgot-password">{t.forgot}</a>
      </p>
    </Page>
  );
}
