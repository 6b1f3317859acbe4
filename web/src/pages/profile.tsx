// Profile: the account's billing address, time zone and billing contacts. Office managers change
// them (`updateProfile` replaces the address and the whole contact list at once); members read them.
import { useMutation, useQuery } from "@urql/preact";
import { useRef, useState } from "preact/hooks";

import { useFocusFirstInvalid } from "../components/focus-first-invalid";
import { Alert, errorFor, errorsWithoutField, Status, type UserErrorLike } from "../components/form";
import { Loading, Page } from "../components/page";
import { ProfileDocument, UpdateProfileDocument, type ProfileQuery } from "../generated/graphql";
import { messages, useLocale, useMessages } from "../i18n";
import { useSession } from "../session-context";
import { AddressFields, countryName, useAddressStrings, useProvinceName, type AddressValues } from "./profile-address";
import { contactErrors, ContactsEditor, newContactKey, type ContactDraft, type ContactErrors } from "./profile-contacts";
import { TimeZoneSelect, useZoneName } from "../components/time-zone-select";
import "./profile.css";

const strings = messages({
  "en-CA": {
    title: "Profile",
    account: (name: string) => `The billing details of ${name}, as its invoices show them.`,
    timeZoneHint: "The account’s time zone: due dates and Auto Pay charges follow it.",
    save: "Save profile",
    saving: "Saving…",
    saved: "The profile was saved.",
    failed: "The profile could not be saved. Try again in a moment.",
    forbidden: "Only office managers can change the profile.",
    readOnly: "Only office managers can change the profile. Ask one of them if something here is wrong.",
    timeZone: "Time zone",
    billingContacts: "Billing contacts",
    noContacts: "No billing contacts.",
    phone: (phone: string) => `Phone: ${phone}`,
  },
  "fr-CA": {
    title: "Profil",
    account: (name: string) => `Les coordonnées de facturation de ${name}, telles que ses factures les affichent.`,
    timeZoneHint: "Le fuseau horaire du compte\u00a0: les échéances et les prélèvements automatiques le suivent.",
    save: "Enregistrer le profil",
    saving: "Enregistrement…",
    saved: "Le profil a été enregistré.",
    failed: "Le profil n’a pas pu être enregistré. Réessayez dans un instant.",
    forbidden: "Seuls les gestionnaires de bureau peuvent modifier le profil.",
    readOnly: "Seuls les gestionnaires de bureau peuvent modifier le profil. Demandez-leur si quelque chose est inexact.",
    timeZone: "Fuseau horaire",
    billingContacts: "Contacts de facturation",
    noContacts: "Aucun contact de facturation.",
    phone: (phone: string) => `Téléphone\u00a0: ${phone}`,
  },
});

type Account = ProfileQuery["account"];
type AddressField = keyof AddressValues;

/** The fields this form ties refusals to; any other refusal is said in the Alert. */
const ADDRESS_FIELDS: AddressField[] = ["line1", "line2", "city", "province", "postalCode", "country"];
const TIED_FIELDS = [...ADDRESS_FIELDS.map((field) => `billingAddress.${field}`), "timeZone"];

export function Profile() {
  const t = useMessages(strings);
  const { role } = useSession();
  const [{ data, error }] = useQuery({ query: ProfileDocument });
  if (!data) return <Page title={t.title}><Loading error={error} /></Page>;
  return (
    <Page title={t.title}>
      <p class="subtitle">{t.account(data.account.name)}</p>
      {role === "OFFICE_MANAGER" ? <ProfileForm account={data.account} /> : <ProfileView account={data.account} />}
    </Page>
  );
}

/** What a member sees: the same details, as text. */
function ProfileView({ account }: { account: Account }) {
  const t = useMessages(strings);
  const address = useAddressStrings();
  const provinceName = useProvinceName();
  const zoneName = useZoneName();
  const { locale } = useLocale();
  const { billingAddress: where } = account;
  return (
    <>
      <p class="hint">{t.readOnly}</p>
      <section class="panel profile-section" aria-labelledby="profile-address">
        <h2 id="profile-address">{address.billingAddress}</h2>
        <address>
          {where.line1}
          <br />
          {where.line2 && (
            <>
              {where.line2}
              <br />
            </>
          )}
          {where.city}, {provinceName(where.province)} {where.postalCode}
          <br />
          {countryName(where.country, locale)}
        </address>
      </section>
      <section class="panel profile-section" aria-labelledby="profile-time-zone">
        <h2 id="profile-time-zone">{t.timeZone}</h2>
        <p>{zoneName(account.timeZone)}</p>
      </section>
      <section class="panel profile-section" aria-labelledby="profile-contacts">
        <h2 id="profile-contacts">{t.billingContacts}</h2>
        {account.billingContacts.length === 0 ? (
          <p>{t.noContacts}</p>
        ) : (
          <ul class="contact-list">
            {account.billingContacts.map((contact) => (
              <li key={contact.id}>
                <strong>{contact.name}</strong>
                <br />
                <a href={`mailto:${contact.email}`}>{contact.email}</a>
                {contact.phone && (
                  <>
                    <br />
                    {t.phone(contact.phone)}
                  </>
                )}
              </li>
            ))}
          </ul>
        )}
      </section>
    </>
  );
}

function draftsOf(account: Account): ContactDraft[] {
  return account.billingContacts.map((contact) => ({ key: newContactKey(), name: contact.name, email: contact.email, phone: contact.phone ?? "" }));
}

/** An office manager's form; it starts from the saved profile and keeps what was typed after a refusal. */
function ProfileForm({ account }: { account: Account }) {
  const t = useMessages(strings);
  const form = useRef<HTMLFormElement>(null);
  const [address, setAddress] = useState<AddressValues>(() => ({ ...account.billingAddress, line2: account.billingAddress.line2 ?? "" }));
  const [timeZone, setTimeZone] = useState(account.timeZone);
  const [contacts, setContacts] = useState<ContactDraft[]>(() => draftsOf(account));
  const [errors, setErrors] = useState<readonly UserErrorLike[]>([]);
  const [contactRefusals, setContactRefusals] = useState<{ byContact: ContactErrors; unmatched: string[] }>({ byContact: new Map(), unmatched: [] });
  const [outcome, setOutcome] = useState<string | null>(null);
  const [failure, setFailure] = useState<string | null>(null);
  const [{ fetching }, updateProfile] = useMutation(UpdateProfileDocument);
  useFocusFirstInvalid(form, errors);

  async function submit(event: Event) {
    event.preventDefault();
    // The button stays focusable while busy (aria-disabled), so a second press is ignored here.
    if (fetching) return;
    setOutcome(null);
    const submitted = contacts.map((contact) => ({ ...contact, name: contact.name.trim(), email: contact.email.trim(), phone: contact.phone.trim() }));
    const result = await updateProfile({
      input: {
        billingAddress: {
          line1: address.line1.trim(),
          line2: address.line2.trim() || null,
          city: address.city.trim(),
          province: address.province.trim(),
          postalCode: address.postalCode.trim(),
          country: address.country.trim(),
        },
        timeZone,
        billingContacts: submitted.map(({ name, email, phone }) => ({ name, email, phone: phone || null })),
      },
    });
    const answer = result.data?.updateProfile;
    const forbidden = result.error?.graphQLErrors.some((e) => e.extensions?.code === "FORBIDDEN");
    setFailure(answer ? null : forbidden ? t.forbidden : t.failed);
    const userErrors = answer?.userErrors ?? [];
    setErrors(userErrors);
    // Matched against what was sent, so the errors stay on their contact while it is corrected.
    setContactRefusals(contactErrors(userErrors, submitted));
    if (answer && userErrors.length === 0) setOutcome(t.saved);
  }

  const errorOf = (field: AddressField) => errorFor(errors, `billingAddress.${field}`);
  const otherRefusals = [errorsWithoutField(errors.filter((e) => !e.field?.startsWith("billingContacts")), TIED_FIELDS), ...contactRefusals.unmatched]
    .filter(Boolean)
    .join(" ");

  return (
    <form ref={form} onSubmit={submit} noValidate class="profile-form">
      <AddressFields value={address} onChange={(changes) => setAddress({ ...address, ...changes })} errorOf={errorOf} />
      <div class="profile-group">
        <TimeZoneSelect value={timeZone} onChange={setTimeZone} error={errorFor(errors, "timeZone")} hint={t.timeZoneHint} />
      </div>
      <ContactsEditor contacts={contacts} onChange={setContacts} errors={contactRefusals.byContact} onRemoved={setOutcome} />
      <Alert>{failure ?? (otherRefusals || null)}</Alert>
      <Status>{outcome}</Status>
      <button type="submit" aria-disabled={fetching ? "true" : undefined}>
        {fetching ? t.saving : t.save}
      </button>
    </form>
  );
}
