// Manage Users' panels: invite someone, edit a user's name and role, confirm a deletion. Each takes
// focus when it opens (so keyboard and screen reader users land in it) and hands back a sentence for
// the page's Status when it is done; refusals stay in the panel, tied to their field.
import { useQuery } from "@urql/preact";
import type { CombinedError } from "@urql/core";
import { useEffect, useRef, useState } from "preact/hooks";

import { useFocusFirstInvalid } from "../components/focus-first-invalid";
import { Alert, errorFor, errorsWithoutField, Field, Select, type UserErrorLike } from "../components/form";
import { useLabels } from "../components/labels";
import {
  DeleteUserDocument,
  InviteUserDocument,
  PortalResetSecondFactorDocument,
  ShellDocument,
  UpdateUserDocument,
  type Role,
} from "../generated/graphql";
import { messages, useMessages } from "../i18n";
import { useGuardedMutation } from "../components/confirm-identity";

const strings = messages({
  "en-CA": {
    invite: "Invite a user",
    inviteAbout: "They get an email with a temporary password, valid 7 days.",
    email: "Email",
    name: "Name",
    role: "Role",
    send: "Send invitation",
    sending: "Sending…",
    sent: (email: string) => `Invitation sent to ${email}.`,
    edit: (name: string) => `Edit ${name}`,
    saveChanges: "Save changes",
    saving: "Saving…",
    saved: (name: string) => `Changes to ${name} were saved.`,
    ownRole: "You can’t change your own role; another office manager can.",
    confirmDelete: (name: string) => `Delete ${name}?`,
    deleteAbout: (email: string) => `${email} will lose access to the portal at once. What they did stays in the account’s activity.`,
    deleteUser: (name: string) => `Yes, delete ${name}`,
    deleting: "Deleting…",
    deleted: (name: string) => `${name} was deleted.`,
    cancel: "Cancel",
    forbidden: "Only office managers can manage users.",
    failed: "This could not be done. Try again in a moment.",
    resetAbout: "Lost their phone or passkey? Resetting takes away their authenticator app, recovery codes and passkeys and logs them out; their password alone then logs them in, to set it up again.",
    reset: "Reset two-step sign-in",
    resetDone: (name: string) => `Two-step sign-in of ${name} was reset. They were emailed.`,
  },
  "fr-CA": {
    invite: "Inviter un utilisateur",
    inviteAbout: "La personne reçoit un courriel avec un mot de passe temporaire, valide 7 jours.",
    email: "Courriel",
    name: "Nom",
    role: "Rôle",
    send: "Envoyer l’invitation",
    sending: "Envoi…",
    sent: (email: string) => `Invitation envoyée à ${email}.`,
    edit: (name: string) => `Modifier ${name}`,
    saveChanges: "Enregistrer les modifications",
    saving: "Enregistrement…",
    saved: (name: string) => `Les modifications de ${name} ont été enregistrées.`,
    ownRole: "Vous ne pouvez pas changer votre propre rôle; un autre gestionnaire de bureau peut le faire.",
    confirmDelete: (name: string) => `Supprimer ${name}?`,
    deleteAbout: (email: string) => `${email} perdra l’accès au portail immédiatement. Ses actions restent dans l’activité du compte.`,
    deleteUser: (name: string) => `Oui, supprimer ${name}`,
    deleting: "Suppression…",
    deleted: (name: string) => `Le compte de ${name} a été supprimé.`,
    cancel: "Annuler",
    forbidden: "Seuls les gestionnaires de bureau peuvent gérer les utilisateurs.",
    failed: "L’opération n’a pas pu être effectuée. Réessayez dans un instant.",
    resetAbout: "Téléphone ou clé d’accès perdu? La réinitialisation retire l’application d’authentification, les codes de récupération et les clés d’accès, et ferme les sessions; le mot de passe seul permet ensuite de se connecter, pour tout configurer de nouveau.",
    reset: "Réinitialiser la connexion en deux étapes",
    resetDone: (name: string) => `La connexion en deux étapes de ${name} a été réinitialisée. La personne a été avisée par courriel.`,
  },
});

export interface UserRow {
  id: string;
  email: string;
  name: string;
  role: Role;
}

interface PanelProps {
  /** Done: the sentence to announce; null when canceled. */
  onClose: (outcome: string | null) => void;
}

/** Why a mutation gave no answer: a role taken away mid-session, or the network. */
export function useFailureMessage() {
  const t = useMessages(strings);
  return (error: CombinedError | undefined) =>
    error?.graphQLErrors.some((e) => e.extensions?.code === "FORBIDDEN") ? t.forbidden : t.failed;
}

/** Moves focus into a panel when it opens: its first field, or its heading. */
function useFocusOnOpen<T extends HTMLElement>() {
  const panel = useRef<T>(null);
  useEffect(() => {
    (panel.current?.querySelector("input") ?? panel.current?.querySelector("h2"))?.focus();
  }, []);
  return panel;
}

function useRoleOptions() {
  const labels = useLabels();
  return (["MEMBER", "OFFICE_MANAGER"] as const).map((role) => ({ value: role, label: labels.of(role) }));
}

export function InviteForm({ onClose }: PanelProps) {
  const t = useMessages(strings);
  const failureMessage = useFailureMessage();
  const roleOptions = useRoleOptions();
  const panel = useFocusOnOpen<HTMLFormElement>();
  const [email, setEmail] = useState("");
  const [name, setName] = useState("");
  const [role, setRole] = useState<Role>("MEMBER");
  const [errors, setErrors] = useState<readonly UserErrorLike[]>([]);
  const [failure, setFailure] = useState<string | null>(null);
  const [{ fetching }, invite] = useGuardedMutation(InviteUserDocument);
  useFocusFirstInvalid(panel, errors);

  async function submit(event: Event) {
    event.preventDefault();
    // The button stays focusable while busy (aria-disabled), so a second press is ignored here.
    if (fetching) return;
    const result = await invite({ email: email.trim(), name: name.trim(), role });
    const answer = result.data?.inviteUser;
    setFailure(answer ? null : failureMessage(result.error));
    setErrors(answer?.userErrors ?? []);
    if (answer?.user) onClose(t.sent(answer.user.email));
  }

  return (
    <form ref={panel} id="invite-form" class="panel user-panel" onSubmit={submit} noValidate aria-labelledby="invite-heading">
      <h2 id="invite-heading">{t.invite}</h2>
      <p class="hint">{t.inviteAbout}</p>
      <Field label={t.email} type="email" value={email} onInput={setEmail} autoComplete="off" required error={errorFor(errors, "email")} />
      <Field label={t.name} value={name} onInput={setName} autoComplete="off" required error={errorFor(errors, "name")} />
      <Select label={t.role} value={role} onChange={(chosen) => setRole(chosen as Role)} options={roleOptions} error={errorFor(errors, "role")} />
      <Alert>{failure ?? errorsWithoutField(errors, ["email", "name", "role"])}</Alert>
      <div class="actions">
        <button type="submit" aria-disabled={fetching ? "true" : undefined}>
          {fetching ? t.sending : t.send}
        </button>
        <button type="button" class="secondary" onClick={() => onClose(null)}>
          {t.cancel}
        </button>
      </div>
    </form>
  );
}

export function EditUserForm({ user, onClose }: PanelProps & { user: UserRow }) {
  const t = useMessages(strings);
  const failureMessage = useFailureMessage();
  const labels = useLabels();
  const roleOptions = useRoleOptions();
  const panel = useFocusOnOpen<HTMLFormElement>();
  const [{ data: shell }] = useQuery({ query: ShellDocument });
  // The server refuses any change of one's own role: on one's own row the role is only shown.
  const own = user.id === shell?.viewer?.id;
  const [name, setName] = useState(user.name);
  const [role, setRole] = useState<Role>(user.role);
  const [errors, setErrors] = useState<readonly UserErrorLike[]>([]);
  const [failure, setFailure] = useState<string | null>(null);
  const [{ fetching }, update] = useGuardedMutation(UpdateUserDocument);
  const [{ fetching: resetting }, resetSecondFactor] = useGuardedMutation(PortalResetSecondFactorDocument);
  useFocusFirstInvalid(panel, errors);

  async function reset() {
    if (resetting) return;
    const result = await resetSecondFactor({ id: user.id });
    const answer = result.data?.resetSecondFactor;
    setFailure(answer ? null : failureMessage(result.error));
    setErrors(answer?.userErrors ?? []);
    if (answer?.user) onClose(t.resetDone(user.name));
  }

  async function submit(event: Event) {
    event.preventDefault();
    // The button stays focusable while busy (aria-disabled), so a second press is ignored here.
    if (fetching) return;
    // The role is sent only when it changes: the server refuses any role for yourself, even your own.
    const result = await update({ id: user.id, name: name.trim(), role: role === user.role ? null : role });
    const answer = result.data?.updateUser;
    setFailure(answer ? null : failureMessage(result.error));
    setErrors(answer?.userErrors ?? []);
    if (answer?.user) onClose(t.saved(answer.user.name));
  }

  return (
    <form ref={panel} class="panel user-panel" onSubmit={submit} noValidate aria-labelledby="edit-heading">
      <h2 id="edit-heading">{t.edit(user.name)}</h2>
      <Field label={t.name} value={name} onInput={setName} autoComplete="off" required error={errorFor(errors, "name")} />
      {own ? (
        <div class="field">
          <span class="label">{t.role}</span>
          <span>{labels.of(user.role)}</span>
          <span class="hint">{t.ownRole}</span>
        </div>
      ) : (
        <Select label={t.role} value={role} onChange={(chosen) => setRole(chosen as Role)} options={roleOptions} error={errorFor(errors, "role")} />
      )}
      <Alert>{failure ?? errorsWithoutField(errors, own ? ["name"] : ["name", "role"])}</Alert>
      <div class="actions">
        <button type="submit" aria-disabled={fetching ? "true" : undefined}>
          {fetching ? t.saving : t.saveChanges}
        </button>
        <button type="button" class="secondary" onClick={() => onClose(null)}>
          {t.cancel}
        </button>
      </div>
      {!own && (
        <div class="reset-second-factor">
          <p class="hint">{t.resetAbout}</p>
          <button type="button" class="secondary" onClick={reset} aria-disabled={resetting ? "true" : undefined}>
            {t.reset}
          </button>
        </div>
      )}
    </form>
  );
}

export function DeleteUserPanel({ user, onClose }: PanelProps & { user: UserRow }) {
  const t = useMessages(strings);
  const failureMessage = useFailureMessage();
  const panel = useFocusOnOpen<HTMLElement>();
  const [refusal, setRefusal] = useState<string | null>(null);
  const [{ fetching }, deleteUser] = useGuardedMutation(DeleteUserDocument);

  async function confirm() {
    // The button stays focusable while busy (aria-disabled), so a second press is ignored here.
    if (fetching) return;
    const result = await deleteUser({ id: user.id });
    const answer = result.data?.deleteUser;
    // CANNOT_DELETE_SELF and LAST_OFFICE_MANAGER come back as the server's own sentence.
    const refused = answer?.userErrors.map((error) => error.message).join(" ");
    setRefusal(answer ? refused || null : failureMessage(result.error));
    if (answer?.deletedId) onClose(t.deleted(user.name));
  }

  return (
    <section ref={panel} class="panel user-panel" aria-labelledby="delete-heading">
      <h2 id="delete-heading" tabIndex={-1}>
        {t.confirmDelete(user.name)}
      </h2>
      <p>{t.deleteAbout(user.email)}</p>
      <Alert>{refusal}</Alert>
      <div class="actions">
        <button type="button" class="danger" onClick={confirm} aria-disabled={fetching ? "true" : undefined}>
          {fetching ? t.deleting : t.deleteUser(user.name)}
        </button>
        <button type="button" class="secondary" onClick={() => onClose(null)}>
          {t.cancel}
        </button>
      </div>
    </section>
  );
}
