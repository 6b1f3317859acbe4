// My settings' security: two-step sign-in with an authenticator app, passkeys, and where one is
// signed in (ending those sessions). Adding a passkey asks to confirm it is you when the sign-in is
// older than 15 minutes (components/confirm-identity).
import { useMutation, useQuery } from "@urql/preact";
import { useId, useState } from "preact/hooks";

import { useGuardedMutation } from "../components/confirm-identity";
import { Alert, errorFor, errorsWithoutField, Field, Status, type UserErrorLike } from "../components/form";
import { TotpEnrollment } from "../components/totp-enrollment";
import {
  BeginPasskeyRegistrationDocument,
  FinishPasskeyRegistrationDocument,
  MySecurityDocument,
  PortalDisableTotpDocument,
  PortalRemovePasskeyDocument,
  PortalTwoFactorDocument,
  RevokeSessionDocument,
  SignOutOtherSessionsDocument,
} from "../generated/graphql";
import { messages, useFormat, useMessages } from "../i18n";
import { createPasskey, passkeysAvailable } from "../passkeys";

const strings = messages({
  "en-CA": {
    heading: "Two-step sign-in",
    on: "On: each login asks for a code from your authenticator app after your password.",
    off: "Off: your password alone logs you in.",
    passkeyOnly: "No authenticator app: your passkey is your second step after your password.",
    password: "Your password",
    turnOff: "Turn off two-step sign-in",
    passkeys: "Passkeys",
    passkeysIntro: "A passkey logs you in with your device’s fingerprint, face or PIN instead of a password, and counts as your second step.",
    none: "You have no passkeys.",
    passkeyName: "Passkey name",
    passkeyNameHint: "To know it by, such as “Work laptop”.",
    addPasskey: "Add a passkey",
    added: (name: string) => `The passkey “${name}” was added.`,
    cancelled: "No passkey was made.",
    unavailable: "This browser cannot make passkeys here.",
    lastUsed: (when: string) => `last used ${when}`,
    neverUsed: "never used",
    addedOn: (when: string) => `added ${when}`,
    remove: "Remove",
    removeLabel: (name: string) => `Remove the passkey ${name}`,
    removed: "The passkey was removed.",
    sessions: "Where you are logged in",
    session: "Session",
    browser: "Browser or app",
    address: "Address",
    since: "Logged in",
    used: "Last used",
    thisDevice: "This device",
    unknown: "Unknown",
    signOut: "End session",
    signOutLabel: (browser: string) => `End session on ${browser}`,
    signOutOthers: "End all other sessions",
    signedOut: (count: number) => (count === 1 ? "1 other session was ended." : `${count} other sessions were ended.`),
    failed: "That did not work. Try again in a moment.",
  },
  "fr-CA": {
    heading: "Connexion en deux étapes",
    on: "Activée : chaque connexion demande un code de votre application d’authentification après votre mot de passe.",
    off: "Désactivée : votre mot de passe seul vous connecte.",
    passkeyOnly: "Aucune application d’authentification : votre clé d’accès est votre deuxième étape après votre mot de passe.",
    password: "Votre mot de passe",
    turnOff: "Désactiver la connexion en deux étapes",
    passkeys: "Clés d’accès",
    passkeysIntro: "Une clé d’accès vous connecte avec l’empreinte, le visage ou le NIP de votre appareil plutôt qu’un mot de passe, et compte comme deuxième étape.",
    none: "Vous n’avez aucune clé d’accès.",
    passkeyName: "Nom de la clé d’accès",
    passkeyNameHint: "Pour la reconnaître, par exemple « Portable du bureau ».",
    addPasskey: "Ajouter une clé d’accès",
    added: (name: string) => `La clé d’accès « ${name} » a été ajoutée.`,
    cancelled: "Aucune clé d’accès n’a été créée.",
    unavailable: "Ce navigateur ne peut pas créer de clé d’accès ici.",
    lastUsed: (when: string) => `utilisée le ${when}`,
    neverUsed: "jamais utilisée",
    addedOn: (when: string) => `ajoutée le ${when}`,
    remove: "Retirer",
    removeLabel: (name: string) => `Retirer la clé d’accès ${name}`,
    removed: "La clé d’accès a été retirée.",
    sessions: "Où vous êtes connecté",
    session: "Session",
    browser: "Navigateur ou application",
    address: "Adresse",
    since: "Connexion",
    used: "Dernière utilisation",
    thisDevice: "Cet appareil",
    unknown: "Inconnu",
    signOut: "Fermer la session",
    signOutLabel: (browser: string) => `Fermer la session sur ${browser}`,
    signOutOthers: "Fermer toutes les autres sessions",
    signedOut: (count: number) => (count <= 1 ? `${count} autre session a été fermée.` : `${count} autres sessions ont été fermées.`),
    failed: "Cela n’a pas fonctionné. Réessayez dans un instant.",
  },
});

/** Two-step sign-in: turn it on with an authenticator app, or off with the password. */
export function TwoStepSignIn() {
  const t = useMessages(strings);
  const id = useId();
  const [{ data }] = useQuery({ query: PortalTwoFactorDocument });
  const [password, setPassword] = useState("");
  const [errors, setErrors] = useState<readonly UserErrorLike[]>([]);
  const [{ fetching }, disable] = useMutation(PortalDisableTotpDocument);
  const [enrolling, setEnrolling] = useState(false);
  const enabled = data?.viewer?.totpEnabled;

  async function turnOff(event: Event) {
    event.preventDefault();
    if (fetching) return;
    const result = await disable({ password });
    setErrors(result.data?.disableTotp.userErrors ?? []);
    if (result.data?.disableTotp.viewer) setPassword("");
  }

  return (
    <section class="panel settings-panel" aria-labelledby={`${id}-heading`}>
      <h2 id={`${id}-heading`}>{t.heading}</h2>
      <p>{enabled ? t.on : data?.viewer?.twoFactorEnabled ? t.passkeyOnly : t.off}</p>
      {(enabled === false || enrolling) && <TotpEnrollment onStart={() => setEnrolling(true)} onDone={() => setEnrolling(false)} />}
      {enabled && !enrolling && (
        <form onSubmit={turnOff} noValidate>
          <Field label={t.password} type="password" autoComplete="current-password" value={password} onInput={setPassword} required error={errorFor(errors, "password")} />
          <Alert>{errorsWithoutField(errors, ["password"])}</Alert>
          <button type="submit" aria-disabled={fetching ? "true" : undefined}>
            {t.turnOff}
          </button>
        </form>
      )}
    </section>
  );
}

/** The viewer's passkeys: add one (named), remove one. */
export function Passkeys() {
  const t = useMessages(strings);
  const format = useFormat();
  const id = useId();
  const [{ data }, refetch] = useQuery({ query: MySecurityDocument });
  const [name, setName] = useState("");
  const [errors, setErrors] = useState<readonly UserErrorLike[]>([]);
  const [failed, setFailed] = useState<string | null>(null);
  const [done, setDone] = useState<string | null>(null);
  const [{ fetching: beginning }, begin] = useGuardedMutation(BeginPasskeyRegistrationDocument);
  const [{ fetching: finishing }, finish] = useGuardedMutation(FinishPasskeyRegistrationDocument);
  const [, remove] = useGuardedMutation(PortalRemovePasskeyDocument);
  const passkeys = data?.viewer?.passkeys ?? [];

  async function add(event: Event) {
    event.preventDefault();
    if (beginning || finishing) return;
    setDone(null);
    setFailed(null);
    const begun = await begin({});
    const options = begun.data?.beginPasskeyRegistration.options;
    setErrors(begun.data?.beginPasskeyRegistration.userErrors ?? []);
    if (!options) return setFailed(begun.data ? null : t.failed);
    const credential = await createPasskey(options);
    if (!credential) return setFailed(t.cancelled);
    const result = await finish({ credential, name: name.trim() || null });
    const answer = result.data?.finishPasskeyRegistration;
    setErrors(answer?.userErrors ?? []);
    if (!answer) setFailed(t.failed);
    if (answer?.passkey) {
      setDone(t.added(answer.passkey.name));
      setName("");
      refetch({ requestPolicy: "network-only" });
    }
  }

  async function removeOne(passkeyId: string) {
    setDone(null);
    const result = await remove({ id: passkeyId });
    setErrors(result.data?.removePasskey.userErrors ?? []);
    if (result.data?.removePasskey.removedId) {
      setDone(t.removed);
      refetch({ requestPolicy: "network-only" });
    }
  }

  return (
    <section class="panel settings-panel" aria-labelledby={`${id}-heading`}>
      <h2 id={`${id}-heading`}>{t.passkeys}</h2>
      <p>{t.passkeysIntro}</p>
      {passkeys.length === 0 ? (
        <p>{t.none}</p>
      ) : (
        <ul class="passkeys">
          {passkeys.map((passkey) => (
            <li key={passkey.id}>
              <strong>{passkey.name}</strong>{" "}
              <span class="hint">
                {t.addedOn(format.dateTime(passkey.createdAt))}, {passkey.lastUsedAt ? t.lastUsed(format.dateTime(passkey.lastUsedAt)) : t.neverUsed}
              </span>{" "}
              <button type="button" class="secondary" aria-label={t.removeLabel(passkey.name)} onClick={() => removeOne(passkey.id)}>
                {t.remove}
              </button>
            </li>
          ))}
        </ul>
      )}
      {passkeysAvailable() ? (
        <form onSubmit={add} noValidate>
          <Field label={t.passkeyName} value={name} onInput={setName} hint={t.passkeyNameHint} error={errorFor(errors, "name")} />
          <Alert>{failed ?? errorsWithoutField(errors, ["name"])}</Alert>
          <button type="submit" aria-disabled={beginning || finishing ? "true" : undefined}>
            {t.addPasskey}
          </button>
        </form>
      ) : (
        <p class="hint">{t.unavailable}</p>
      )}
      <Status>{done}</Status>
    </section>
  );
}

/** Where the viewer is logged in; log out one session, or all but this one. */
export function Sessions() {
  const t = useMessages(strings);
  const format = useFormat();
  const id = useId();
  const [{ data }, refetch] = useQuery({ query: MySecurityDocument });
  const [, revoke] = useMutation(RevokeSessionDocument);
  const [{ fetching }, signOutOthers] = useMutation(SignOutOtherSessionsDocument);
  const [done, setDone] = useState<string | null>(null);
  const sessions = data?.viewer?.sessions ?? [];

  async function revokeOne(sessionId: string) {
    const result = await revoke({ id: sessionId });
    if (result.data?.revokeSession.ok) refetch({ requestPolicy: "network-only" });
  }

  async function others() {
    if (fetching) return;
    const result = await signOutOthers({});
    const count = result.data?.signOutOtherSessions.revokedCount;
    setDone(count == null ? t.failed : t.signedOut(count));
    refetch({ requestPolicy: "network-only" });
  }

  return (
    <section class="panel settings-panel" aria-labelledby={`${id}-heading`}>
      <h2 id={`${id}-heading`}>{t.sessions}</h2>
      <div class="table-scroll">
        <table aria-labelledby={`${id}-heading`}>
          <thead>
            <tr>
              <th scope="col">{t.browser}</th>
              <th scope="col">{t.address}</th>
              <th scope="col">{t.since}</th>
              <th scope="col">{t.used}</th>
              <th scope="col">
                <span class="visually-hidden">{t.session}</span>
              </th>
            </tr>
          </thead>
          <tbody>
            {sessions.map((session) => {
              const browser = session.userAgent ?? t.unknown;
              return (
                <tr key={session.id}>
                  <th scope="row" class="user-agent">
                    {browser} {session.current && <strong>({t.thisDevice})</strong>}
                  </th>
                  <td>{session.clientAddress ?? t.unknown}</td>
                  <td>{format.dateTime(session.createdAt)}</td>
                  <td>{format.dateTime(session.lastUsedAt)}</td>
                  <td>
                    {!session.current && (
                      <button type="button" class="secondary" aria-label={t.signOutLabel(browser)} onClick={() => revokeOne(session.id)}>
                        {t.signOut}
                      </button>
                    )}
                  </td>
                </tr>
              );
            })}
          </tbody>
        </table>
      </div>
      {sessions.length > 1 && (
        <button type="button" onClick={others} aria-disabled={fetching ? "true" : undefined}>
          {t.signOutOthers}
        </button>
      )}
      <Status>{done}</Status>
    </section>
  );
}
