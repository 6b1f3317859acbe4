// Profile's billing contacts: a repeatable group (name, email, phone) that `updateProfile` saves as a
// whole list. The server's refusals name the field (`billingContacts.email`) but not which contact,
// so they are matched to the contact they quote (`"bad" is not a valid email address.`); one that
// cannot be matched is said for the whole group.
import { useEffect, useState } from "preact/hooks";

import { Field, type UserErrorLike } from "../components/form";
import { messages, useMessages } from "../i18n";

const strings = messages({
  "en-CA": {
    billingContacts: "Billing contacts",
    about: "People emailed about the account’s bills who need not have a login. Up to 10.",
    none: "No billing contacts yet.",
    contact: (n: number) => `Contact ${n}`,
    name: "Name",
    email: "Email",
    phone: "Phone",
    phoneHint: "Optional.",
    add: "Add contact",
    remove: (n: number) => `Remove contact ${n}`,
    full: "The account has the most billing contacts it can have (10).",
    removed: (n: number) => `Contact ${n} removed. Save the profile to keep this change.`,
  },
  "fr-CA": {
    billingContacts: "Contacts de facturation",
    about: "Personnes jointes par courriel au sujet des factures du compte, sans avoir besoin d’un accès. Jusqu’à 10.",
    none: "Aucun contact de facturation pour l’instant.",
    contact: (n: number) => `Contact ${n}`,
    name: "Nom",
    email: "Courriel",
    phone: "Téléphone",
    phoneHint: "Facultatif.",
    add: "Ajouter un contact",
    remove: (n: number) => `Retirer le contact ${n}`,
    full: "Le compte a le nombre maximal de contacts de facturation (10).",
    removed: (n: number) => `Contact ${n} retiré. Enregistrez le profil pour conserver ce changement.`,
  },
});

export const MAX_CONTACTS = 10;

/** A contact being edited; `key` keeps each one's inputs its own when another is removed. */
export interface ContactDraft {
  key: number;
  name: string;
  email: string;
  phone: string;
}

type ContactField = "name" | "email" | "phone";
export type ContactErrors = Map<number, Partial<Record<ContactField, string>>>;

/** The value as the server quotes it in a message, in the quote marks either language uses. */
function quotes(message: string, value: string): boolean {
  return [`"${value}"`, `“${value}”`, `«${value}»`, `« ${value} »`].some((quoted) => message.includes(quoted));
}

/** Ties each `billingContacts.*` refusal to its contact; returns those that fit no contact. */
export function contactErrors(errors: readonly UserErrorLike[], contacts: readonly ContactDraft[]) {
  const byContact: ContactErrors = new Map();
  const unmatched: string[] = [];
  for (const error of errors) {
    if (!error.field?.startsWith("billingContacts")) continue;
    const field = error.field.match(/^billingContacts\.(name|email|phone)$/)?.[1] as ContactField | undefined;
    // A name is refused without being quoted (it may be empty): it is the contacts whose name is.
    const matches = field
      ? contacts.filter((contact) =>
          field === "name" ? contact.name.trim() === "" || contact.name.trim().length > 200 : quotes(error.message, contact[field].trim()),
        )
      : [];
    if (!field || !matches.length) {
      unmatched.push(error.message);
      continue;
    }
    for (const contact of matches) {
      const mine = byContact.get(contact.key) ?? {};
      mine[field] = [mine[field], error.message].filter(Boolean).join(" ");
      byContact.set(contact.key, mine);
    }
  }
  return { byContact, unmatched };
}

interface ContactsEditorProps {
  contacts: ContactDraft[];
  onChange: (contacts: ContactDraft[]) => void;
  errors: ContactErrors;
  /** Said in the page's Status after a removal, so the change is heard, not only seen. */
  onRemoved: (message: string) => void;
}

let nextKey = 1;
export function newContactKey() {
  return nextKey++;
}

export function ContactsEditor({ contacts, onChange, errors, onRemoved }: ContactsEditorProps) {
  const t = useMessages(strings);
  // After adding, typing starts in the new contact; after removing, focus stays in the group.
  const [focusTarget, setFocusTarget] = useState<string | null>(null);
  useEffect(() => {
    if (focusTarget) document.getElementById(focusTarget)?.querySelector<HTMLElement>("input, button")?.focus();
    setFocusTarget(null);
  }, [focusTarget]);

  function update(key: number, changes: Partial<ContactDraft>) {
    onChange(contacts.map((contact) => (contact.key === key ? { ...contact, ...changes } : contact)));
  }
  function add() {
    const key = newContactKey();
    onChange([...contacts, { key, name: "", email: "", phone: "" }]);
    setFocusTarget(`contact-${key}`);
  }
  function remove(index: number) {
    const rest = contacts.filter((_, at) => at !== index);
    onChange(rest);
    onRemoved(t.removed(index + 1));
    const neighbour = rest[index] ?? rest[index - 1];
    setFocusTarget(neighbour ? `contact-${neighbour.key}` : "contacts-add");
  }

  const full = contacts.length >= MAX_CONTACTS;
  return (
    <fieldset class="profile-group" aria-describedby="contacts-about">
      <legend>{t.billingContacts}</legend>
      <p id="contacts-about" class="hint">
        {t.about}
      </p>
      {contacts.length === 0 && <p>{t.none}</p>}
      {contacts.map((contact, index) => {
        const mine = errors.get(contact.key) ?? {};
        return (
          <fieldset key={contact.key} id={`contact-${contact.key}`} class="contact">
            <legend>{t.contact(index + 1)}</legend>
            <Field label={t.name} value={contact.name} onInput={(name) => update(contact.key, { name })} autoComplete="off" required error={mine.name} />
            <Field label={t.email} type="email" value={contact.email} onInput={(email) => update(contact.key, { email })} autoComplete="off" required error={mine.email} />
            <Field label={t.phone} type="tel" value={contact.phone} onInput={(phone) => update(contact.key, { phone })} autoComplete="off" hint={t.phoneHint} error={mine.phone} />
            <button type="button" class="danger" onClick={() => remove(index)}>
              {t.remove(index + 1)}
            </button>
          </fieldset>
        );
      })}
      <div id="contacts-add">
        {full ? <p class="hint">{t.full}</p> : null}
        <button type="button" class="secondary" onClick={add} disabled={full}>
          {t.add}
        </button>
      </div>
    </fieldset>
  );
}
