// Turning two-step sign-in on: a QR code (and its key, for typing) for an authenticator app, a code
// from the app to confirm, then the ten recovery codes, shown once.
import { useMutation } from "@urql/preact";
import { useState } from "preact/hooks";

import { PortalBeginTotpDocument, PortalConfirmTotpDocument } from "../generated/graphql";
import { messages, useMessages } from "../i18n";
import { Alert, errorFor, errorsWithoutField, Field, type UserErrorLike } from "./form";

const strings = messages({
  "en-CA": {
    start: "Set up an authenticator app",
    scan: "Scan this QR code with your authenticator app (Google Authenticator, Microsoft Authenticator, 1Password…).",
    qrAlt: "QR code to add the Billing Portal to an authenticator app",
    key: "Or type this key into the app:",
    code: "Code from the app",
    codeHint: "6 digits; a new one every 30 seconds.",
    confirm: "Turn on two-step sign-in",
    failed: "That did not work. Try again in a moment.",
    recoveryHeading: "Your recovery codes",
    recoveryIntro: "Keep these somewhere safe. Each works once, if you lose your phone. They are not shown again.",
    done: "I have saved my recovery codes",
  },
  "fr-CA": {
    start: "Configurer une application d’authentification",
    scan: "Balayez ce code QR avec votre application d’authentification (Google Authenticator, Microsoft Authenticator, 1Password…).",
    qrAlt: "Code QR pour ajouter le portail de facturation à une application d’authentification",
    key: "Ou entrez cette clé dans l’application :",
    code: "Code de l’application",
    codeHint: "6 chiffres; un nouveau toutes les 30 secondes.",
    confirm: "Activer la connexion en deux étapes",
    failed: "Cela n’a pas fonctionné. Réessayez dans un instant.",
    recoveryHeading: "Vos codes de récupération",
    recoveryIntro: "Gardez-les en lieu sûr. Chacun sert une fois, si vous perdez votre téléphone. Ils ne seront plus affichés.",
    done: "J’ai conservé mes codes de récupération",
  },
});

interface Enrollment {
  secret: string;
  qrCodeSvg: string;
}

/** `onStart` runs once a secret is shown, `onDone` once the person has seen their recovery codes:
 *  confirming turns the viewer's two-step sign-in on in the cache, and whoever shows this keeps it
 *  on screen until then. */
export function TotpEnrollment({ onStart, onDone }: { onStart?: () => void; onDone?: () => void }) {
  const t = useMessages(strings);
  const [enrollment, setEnrollment] = useState<Enrollment | null>(null);
  const [code, setCode] = useState("");
  const [errors, setErrors] = useState<readonly UserErrorLike[]>([]);
  const [failed, setFailed] = useState(false);
  const [recoveryCodes, setRecoveryCodes] = useState<readonly string[] | null>(null);
  const [{ fetching: starting }, begin] = useMutation(PortalBeginTotpDocument);
  const [{ fetching: confirming }, confirm] = useMutation(PortalConfirmTotpDocument);

  async function start() {
    if (starting) return;
    const result = await begin({});
    const answer = result.data?.beginTotpEnrollment;
    setFailed(!answer);
    setErrors(answer?.userErrors ?? []);
    if (answer?.enrollment) {
      setEnrollment(answer.enrollment);
      onStart?.();
    }
  }

  async function submit(event: Event) {
    event.preventDefault();
    if (confirming) return;
    const result = await confirm({ code });
    const answer = result.data?.confirmTotpEnrollment;
    setFailed(!answer);
    setErrors(answer?.userErrors ?? []);
    if (answer?.recoveryCodes) setRecoveryCodes(answer.recoveryCodes);
  }

  if (recoveryCodes) {
    return (
      <div>
        <h3>{t.recoveryHeading}</h3>
        <p>{t.recoveryIntro}</p>
        <ul class="recovery-codes">
          {recoveryCodes.map((recovery) => (
            <li key={recovery}>
              <code>{recovery}</code>
            </li>
          ))}
        </ul>
        {onDone && (
          <button type="button" onClick={onDone}>
            {t.done}
          </button>
        )}
      </div>
    );
  }
  if (!enrollment) {
    return (
      <div>
        <Alert>{failed ? t.failed : errorsWithoutField(errors, [])}</Alert>
        <button type="button" onClick={start} aria-disabled={starting ? "true" : undefined}>
          {t.start}
        </button>
      </div>
    );
  }
  return (
    <form onSubmit={submit} noValidate>
      <p>{t.scan}</p>
      {/* The server's SVG as an image (the page's policy takes data: images), never as markup. */}
      <img class="qr-code" width={200} height={200} alt={t.qrAlt} src={`data:image/svg+xml;base64,${btoa(enrollment.qrCodeSvg)}`} />
      <p>
        {t.key} <code class="totp-secret">{enrollment.secret}</code>
      </p>
      <Field label={t.code} value={code} onInput={setCode} autoComplete="one-time-code" inputMode="numeric" required hint={t.codeHint} error={errorFor(errors, "code")} />
      <Alert>{failed ? t.failed : errorsWithoutField(errors, ["code"])}</Alert>
      <button type="submit" aria-disabled={confirming ? "true" : undefined}>
        {t.confirm}
      </button>
    </form>
  );
}
