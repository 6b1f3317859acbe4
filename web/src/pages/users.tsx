// Manage Users (office managers): everyone with a login to the account; invite, edit name and role,
// resend an invitation, delete. One panel is open at a time, so its `Name` and `Role` are the only
// ones on the page; when it closes, focus goes back to the button that opened it.
import { useMutation, useQuery } from "@urql/preact";
import { CombinedError } from "@urql/core";
import { useEffect, useState } from "preact/hooks";

import { Alert, Status } from "../components/form";
import { useLabels } from "../components/labels";
import { Loading, Page } from "../components/page";
import { OrganizationUsersDocument, ResendInvitationDocument, ShellDocument, type OrganizationUsersQuery } from "../generated/graphql";
import { messages, useFormat, useMessages } from "../i18n";
import { useSession } from "../session-context";
import { DeleteUserPanel, EditUserForm, InviteForm, useFailureMessage, type UserRow } from "./users-panels";
import "./users.css";

const strings = messages({
  "en-CA": {
    title: "Manage Users",
    about: "Office managers manage everything; members view the account and make one-off payments.",
    inviteUser: "Invite user",
    users: "Users",
    name: "Name",
    email: "Email",
    role: "Role",
    status: "Status",
    lastLogin: "Last login",
    actions: "Actions",
    never: "Never",
    you: "(you)",
    edit: "Edit",
    editLabel: (name: string) => `Edit ${name}`,
    delete: "Delete",
    deleteLabel: (name: string) => `Delete ${name}`,
    resend: "Resend invitation",
    resendLabel: (name: string) => `Resend invitation to ${name}`,
    resent: (email: string) => `A new invitation was sent to ${email}. The previous temporary password no longer works.`,
  },
  "fr-CA": {
    title: "Gérer les utilisateurs",
    about: "Les gestionnaires de bureau gèrent tout; les membres consultent le compte et font des paiements ponctuels.",
    inviteUser: "Inviter un utilisateur",
    users: "Utilisateurs",
    name: "Nom",
    email: "Courriel",
    role: "Rôle",
    status: "État",
    lastLogin: "Dernière connexion",
    actions: "Actions",
    never: "Jamais",
    you: "(vous)",
    edit: "Modifier",
    editLabel: (name: string) => `Modifier ${name}`,
    delete: "Supprimer",
    deleteLabel: (name: string) => `Supprimer ${name}`,
    resend: "Renvoyer l’invitation",
    resendLabel: (name: string) => `Renvoyer l’invitation à ${name}`,
    resent: (email: string) => `Une nouvelle invitation a été envoyée à ${email}. L’ancien mot de passe temporaire ne fonctionne plus.`,
  },
});

type User = OrganizationUsersQuery["account"]["users"][number];

/** The panel open under the toolbar, if any (one at a time). */
type Panel = { kind: "invite" } | { kind: "edit"; user: UserRow } | { kind: "delete"; user: UserRow };

/** The same answer the server gives members on office managers' pages, said the same way. */
const FORBIDDEN = new CombinedError({ graphQLErrors: [{ message: "Forbidden", extensions: { code: "FORBIDDEN" } }] });

export function Users() {
  const t = useMessages(strings);
  const { role } = useSession();
  // Members may read the list through the API, but this page is office managers' (PORTAL.md).
  const isMember = role === "MEMBER";
  const [{ data, error }] = useQuery({ query: OrganizationUsersDocument, pause: isMember });
  if (isMember || !data) return <Page title={t.title}><Loading error={isMember ? FORBIDDEN : error} /></Page>;
  return (
    <Page title={t.title}>
      <ManageUsers users={data.account.users} />
    </Page>
  );
}

function ManageUsers({ users }: { users: readonly User[] }) {
  const t = useMessages(strings);
  const [panel, setPanel] = useState<Panel | null>(null);
  const [outcome, setOutcome] = useState<string | null>(null);
  const [refusal, setRefusal] = useState<string | null>(null);
  const [returnFocusTo, setReturnFocusTo] = useState<string | null>(null);

  useEffect(() => {
    if (returnFocusTo) document.getElementById(returnFocusTo)?.focus();
  }, [returnFocusTo]);

  function open(next: Panel) {
    setOutcome(null);
    setRefusal(null);
    setReturnFocusTo(null);
    setPanel(next);
  }
  function close(result: string | null) {
    const closing = panel;
    setPanel(null);
    if (result) setOutcome(result);
    // A deleted user's buttons are gone: the list itself is the next thing to read.
    const target = !closing || closing.kind === "invite" ? "invite-user" : closing.kind === "delete" && result ? "users-table" : `${closing.kind}-${closing.user.id}`;
    setReturnFocusTo(target);
  }

  return (
    <>
      <p class="subtitle">{t.about}</p>
      <div class="actions toolbar">
        <button
          type="button"
          id="invite-user"
          aria-expanded={panel?.kind === "invite"}
          aria-controls={panel?.kind === "invite" ? "invite-form" : undefined}
          onClick={() => (panel?.kind === "invite" ? close(null) : open({ kind: "invite" }))}
        >
          {t.inviteUser}
        </button>
      </div>
      {panel?.kind === "invite" && <InviteForm onClose={close} />}
      {panel?.kind === "edit" && <EditUserForm key={panel.user.id} user={panel.user} onClose={close} />}
      {panel?.kind === "delete" && <DeleteUserPanel key={panel.user.id} user={panel.user} onClose={close} />}
      <Status>{outcome}</Status>
      <Alert>{refusal}</Alert>
      <UsersTable users={users} onOpen={open} onOutcome={setOutcome} onRefusal={setRefusal} />
    </>
  );
}

interface UsersTableProps {
  users: readonly User[];
  onOpen: (panel: Panel) => void;
  onOutcome: (message: string | null) => void;
  onRefusal: (message: string | null) => void;
}

function UsersTable({ users, onOpen, onOutcome, onRefusal }: UsersTableProps) {
  const t = useMessages(strings);
  const labels = useLabels();
  const format = useFormat();
  const failureMessage = useFailureMessage();
  const [{ data: shell }] = useQuery({ query: ShellDocument });
  const [{ fetching: resending }, resend] = useMutation(ResendInvitationDocument);

  async function resendTo(user: User) {
    // The button stays focusable while busy (aria-disabled), so a second press is ignored here.
    if (resending) return;
    onOutcome(null);
    onRefusal(null);
    const result = await resend({ id: user.id });
    const answer = result.data?.resendInvitation;
    const refused = answer?.userErrors.map((error) => error.message).join(" ");
    if (!answer) onRefusal(failureMessage(result.error));
    else if (refused) onRefusal(refused);
    else onOutcome(t.resent(user.email));
  }

  return (
    <div class="table-scroll" id="users-table" tabIndex={0} role="region" aria-labelledby="users-caption">
      <table>
        <caption id="users-caption">{t.users}</caption>
        <thead>
          <tr>
            <th scope="col">{t.name}</th>
            <th scope="col">{t.email}</th>
            <th scope="col">{t.role}</th>
            <th scope="col">{t.status}</th>
            <th scope="col">{t.lastLogin}</th>
            <th scope="col">{t.actions}</th>
          </tr>
        </thead>
        <tbody>
          {users.map((user) => (
            <tr key={user.id}>
              <th scope="row">
                {user.name} {user.id === shell?.viewer?.id && <span class="hint">{t.you}</span>}
              </th>
              <td>
                <BreakableEmail email={user.email} />
              </td>
              <td>{labels.of(user.role)}</td>
              <td>{labels.of(user.status)}</td>
              <td>{user.lastLoginAt ? format.dateTime(user.lastLoginAt) : t.never}</td>
              <td>
                <div class="actions row-actions">
                  <button type="button" class="secondary" id={`edit-${user.id}`} aria-label={t.editLabel(user.name)} onClick={() => onOpen({ kind: "edit", user })}>
                    {t.edit}
                  </button>
                  {user.status === "INVITED" && (
                    <button type="button" class="secondary" aria-label={t.resendLabel(user.name)} aria-disabled={resending ? "true" : undefined} onClick={() => resendTo(user)}>
                      {t.resend}
                    </button>
                  )}
                  {/* No one deletes themselves (the server refuses it too): no button to press for nothing. */}
                  {user.id !== shell?.viewer?.id && (
                    <button type="button" class="danger" id={`delete-${user.id}`} aria-label={t.deleteLabel(user.name)} onClick={() => onOpen({ kind: "delete", user })}>
                      {t.delete}
                    </button>
                  )}
                </div>
              </td>
            </tr>
          ))}
        </tbody>
      </table>
    </div>
  );
}

/** An address may wrap after its `@` (never mid-word), so a long one does not push the buttons off. */
function BreakableEmail({ email }: { email: string }) {
  const at = email.lastIndexOf("@");
  if (at < 0) return <>{email}</>;
  return (
    <>
      {email.slice(0, at + 1)}
      <wbr />
      {email.slice(at + 1)}
    </>
  );
}
