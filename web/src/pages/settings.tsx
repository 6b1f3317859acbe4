// My settings (everyone): the viewer's own name, time zone and billing notifications, saved with
// `updateUser` on their own id; their sign-in's security (settings-security); and the portal's language, which applies at once
// and is kept for the person.
import { useMutation, useQuery } from "@urql/preact";
import { useId, useRef, useState } from "preact/hooks";

import { useFocusFirstInvalid } from "../components/focus-first-invalid";
import { Alert, errorFor, errorsWithoutField, Field, Status, type UserErrorLike } from "../components/form";
import { useLabels } from "../components/labels";
import { Loading, Page } from "../components/page";
import { MySettingsDocument, UpdateUserDocument, type MySettingsQuery } from "../generated/graphql";
import { LANGUAGE_NAMES, LOCALES, messages, useLocale, useMessages, type Locale } from "../i18n";
import { TimeZoneSelect } from "../components/time-zone-select";
import { Passkeys, Sessions, TwoStepSignIn } from "./settings-security";
import "./settings.css";

const strings = messages({
  "en-CA": {
    title: "My settings",
    signedInAs: (email: string, role: string) => `Logged in as ${email} (${role}).`,
    account: "Your account",
    name: "Name",
    timeZoneHint: "Dates and times in the portal and in your emails are shown in this zone.",
    billingNotifications: "Billing notifications",
    notificationsHint: "An email when an invoice, a payment, a credit or a refund posts to the account.",
    save: "Save settings",
    saving: "Saving…",
    saved: "Your settings were saved.",
    failed: "Your settings could not be saved. Try again in a moment.",
    languageHeading: "Display preferences",
    language: "Language",
    languageHint: "Changes the portal’s language at once, on every device you log in from, and your emails’ language too.",
    languageChanged: "The portal is now in English.",
  },
  "fr-CA": {
    title: "Mes paramètres",
    signedInAs: (email: string, role: string) => `Session ouverte avec ${email} (${role}).`,
    account: "Votre compte",
    name: "Nom",
    timeZoneHint: "Les dates et heures du portail et de vos courriels sont affichées dans ce fuseau.",
    billingNotifications: "Avis de facturation",
    notificationsHint: "Un courriel quand une facture, un paiement, un crédit ou un remboursement est porté au compte.",
    save: "Enregistrer les paramètres",
    saving: "Enregistrement…",
    saved: "Vos paramètres ont été enregistrés.",
    failed: "Vos paramètres n’ont pas pu être enregistrés. Réessayez dans un instant.",
    languageHeading: "Préférences d’affichage",
    language: "Langue",
    languageHint: "Change la langue du portail immédiatement, sur tous vos appareils, ainsi que celle de vos courriels.",
    languageChanged: "Le portail est maintenant en français.",
  },
});

type Viewer = NonNullable<MySettingsQuery["viewer"]>;

export function Settings() {
  const t = useMessages(strings);
  const labels = useLabels();
  const [{ data, error }] = useQuery({ query: MySettingsDocument });
  const viewer = data?.viewer;
  if (!viewer) return <Page title={t.title}><Loading error={error} /></Page>;
  return (
    <Page title={t.title}>
      <p class="subtitle">{t.signedInAs(viewer.email, labels.of(viewer.role))}</p>
      <SettingsForm viewer={viewer} />
      <TwoStepSignIn />
      <Passkeys />
      <Sessions />
      <LanguageChoice />
    </Page>
  );
}

function SettingsForm({ viewer }: { viewer: Viewer }) {
  const t = useMessages(strings);
  const form = useRef<HTMLFormElement>(null);
  // The checkbox is written here rather than with components/form's Checkbox, to tie its hint to it.
  const id = useId();
  const [name, setName] = useState(viewer.name);
  const [timeZone, setTimeZone] = useState(viewer.timeZone);
  const [notifications, setNotifications] = useState(viewer.billingNotifications);
  const [errors, setErrors] = useState<readonly UserErrorLike[]>([]);
  const [failed, setFailed] = useState(false);
  const [saved, setSaved] = useState(false);
  const [{ fetching }, updateUser] = useMutation(UpdateUserDocument);
  useFocusFirstInvalid(form, errors);

  async function submit(event: Event) {
    event.preventDefault();
    // The button stays focusable while busy (aria-disabled), so a second press is ignored here.
    if (fetching) return;
    setSaved(false);
    const result = await updateUser({ id: viewer.id, name: name.trim(), timeZone, billingNotifications: notifications });
    const answer = result.data?.updateUser;
    const userErrors = answer?.userErrors ?? [];
    setFailed(!answer);
    setErrors(userErrors);
    setSaved(Boolean(answer?.user));
  }

  return (
    <form ref={form} class="panel settings-panel" onSubmit={submit} noValidate aria-labelledby="settings-account">
      <h2 id="settings-account">{t.account}</h2>
      <Field label={t.name} value={name} onInput={setName} autoComplete="name" required error={errorFor(errors, "name")} />
      <TimeZoneSelect value={timeZone} onChange={setTimeZone} error={errorFor(errors, "timeZone")} hint={t.timeZoneHint} />
      <div class="field checkbox">
        <input id={`${id}-notifications`} type="checkbox" checked={notifications} aria-describedby={`${id}-notifications-hint`} onChange={(event) => setNotifications(event.currentTarget.checked)} />
        <label for={`${id}-notifications`}>{t.billingNotifications}</label>
      </div>
      <p id={`${id}-notifications-hint`} class="hint settings-hint">
        {t.notificationsHint}
      </p>
      <Alert>{failed ? t.failed : errorsWithoutField(errors, ["name", "timeZone"])}</Alert>
      <Status>{saved ? t.saved : null}</Status>
      <button type="submit" aria-disabled={fetching ? "true" : undefined}>
        {fetching ? t.saving : t.save}
      </button>
    </form>
  );
}

/** The language select: applied as soon as it changes, announced in the new language. */
function LanguageChoice() {
  const t = useMessages(strings);
  const { locale, setLocale } = useLocale();
  const id = useId();
  const [changed, setChanged] = useState(false);
  return (
    <section class="panel settings-panel" aria-labelledby={`${id}-heading`}>
      <h2 id={`${id}-heading`}>{t.languageHeading}</h2>
      <div class="field">
        <label for={id}>{t.language}</label>
        <div id={`${id}-hint`} class="hint">
          {t.languageHint}
        </div>
        <select
          id={id}
          value={locale}
          aria-describedby={`${id}-hint`}
          onChange={(event) => {
            setLocale(event.currentTarget.value as Locale);
            setChanged(true);
          }}
        >
          {LOCALES.map((option) => (
            <option key={option} value={option} lang={option}>
              {LANGUAGE_NAMES[option]}
            </option>
          ))}
        </select>
      </div>
      <Status>{changed ? t.languageChanged : null}</Status>
    </section>
  );
}
