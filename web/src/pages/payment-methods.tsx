// Payment methods: the cards and bank accounts on file. Office managers add and remove them
// (removing asks first); members see the list. The server refuses removing the method Auto Pay
// charges while Auto Pay is on, and says why.
import type { CombinedError } from "@urql/core";
import { useQuery } from "@urql/preact";
import { useEffect, useId, useRef, useState } from "preact/hooks";

import { Alert, Status } from "../components/form";
import { useLabels } from "../components/labels";
import { Loading, Page } from "../components/page";
import { PaymentMethodsDocument, RemovePaymentMethodDocument, type PaymentMethodSummaryFragment } from "../generated/graphql";
import { messages, useMessages } from "../i18n";
import { useSession } from "../session-context";
import { AddPaymentMethod } from "./payment-methods-add";
import "./payment-methods.css";
import { useGuardedMutation } from "../components/confirm-identity";

const strings = messages({
  "en-CA": {
    title: "Payment methods",
    onFile: "On file",
    none: "No payment method is on file.",
    membersOnly: "Only office managers can add or remove payment methods.",
    autoPay: "Auto Pay",
    expired: "Expired",
    remove: "Remove",
    confirm: (method: string) => `Remove ${method}? It can no longer be used for payments.`,
    confirmRemove: "Confirm removal",
    keep: "Keep it",
    removed: (method: string) => `${method} was removed.`,
    added: (method: string) => `${method} was added.`,
    addedForAutoPay: (method: string) => `${method} was added, and Auto Pay now charges it.`,
    failed: "The payment method could not be removed. Check your connection and try again.",
    forbidden: "Only office managers can remove payment methods.",
  },
  "fr-CA": {
    title: "Modes de paiement",
    onFile: "Enregistrés",
    none: "Aucun mode de paiement n’est enregistré.",
    membersOnly: "Seuls les gestionnaires de bureau peuvent ajouter ou retirer des modes de paiement.",
    autoPay: "Paiement automatique",
    expired: "Expirée",
    remove: "Retirer",
    confirm: (method: string) => `Retirer ${method}? Ce mode ne pourra plus servir aux paiements.`,
    confirmRemove: "Confirmer le retrait",
    keep: "Le garder",
    removed: (method: string) => `${method} a été retiré.`,
    added: (method: string) => `${method} a été ajouté.`,
    addedForAutoPay: (method: string) => `${method} a été ajouté, et le paiement automatique le débite désormais.`,
    failed: "Le mode de paiement n’a pas pu être retiré. Vérifiez votre connexion et réessayez.",
    forbidden: "Seuls les gestionnaires de bureau peuvent retirer des modes de paiement.",
  },
});

export function PaymentMethods() {
  const t = useMessages(strings);
  const labels = useLabels();
  const manager = useSession().role === "OFFICE_MANAGER";
  const [{ data, error }] = useQuery({ query: PaymentMethodsDocument });
  const [, removeMethod] = useGuardedMutation(RemovePaymentMethodDocument);
  const [outcome, setOutcome] = useState<string | null>(null);
  const [refusal, setRefusal] = useState<{ id: string; message: string } | null>(null);
  const listHeading = useRef<HTMLHeadingElement>(null);

  function failure(error?: CombinedError) {
    return error?.graphQLErrors.some((e) => e.extensions?.code === "FORBIDDEN") ? t.forbidden : t.failed;
  }

  async function remove(method: PaymentMethodSummaryFragment) {
    setOutcome(null);
    setRefusal(null);
    const result = await removeMethod({ id: method.id });
    const answer = result.data?.removePaymentMethod;
    const refused = !answer ? failure(result.error) : answer.userErrors.map((e) => e.message).join(" ") || null;
    if (refused) {
      setRefusal({ id: method.id, message: refused });
      return false;
    }
    setOutcome(t.removed(labels.method(method)));
    // Its row goes, and focus with it: go back to the top of the list.
    listHeading.current?.focus();
    return true;
  }

  if (!data) {
    return (
      <Page title={t.title}>
        <Loading error={error} />
      </Page>
    );
  }
  const methods = data.account.paymentMethods;

  return (
    <Page title={t.title}>
      <Status>{outcome}</Status>
      {manager ? (
        <AddPaymentMethod
          onAdded={(method) => {
            setRefusal(null);
            setOutcome((method.isAutoPay ? t.addedForAutoPay : t.added)(labels.method(method)));
          }}
        />
      ) : (
        <p>{t.membersOnly}</p>
      )}
      <h2 tabIndex={-1} ref={listHeading} class="pm-heading">
        {t.onFile}
      </h2>
      {methods.length === 0 ? (
        <p>{t.none}</p>
      ) : (
        <ul class="pm-list">
          {methods.map((method) => (
            <MethodItem
              key={method.id}
              method={method}
              canRemove={manager}
              refusal={refusal?.id === method.id ? refusal.message : null}
              onRemove={() => remove(method)}
            />
          ))}
        </ul>
      )}
    </Page>
  );
}

interface MethodItemProps {
  method: PaymentMethodSummaryFragment;
  canRemove: boolean;
  refusal: string | null;
  /** True once removed (the row then leaves with the list's next answer). */
  onRemove: () => Promise<boolean>;
}

function MethodItem({ method, canRemove, refusal, onRemove }: MethodItemProps) {
  const t = useMessages(strings);
  const labels = useLabels();
  const id = useId();
  const [confirming, setConfirming] = useState(false);
  const [removing, setRemoving] = useState(false);
  const removeButton = useRef<HTMLButtonElement>(null);
  const confirmButton = useRef<HTMLButtonElement>(null);
  const name = labels.method(method);

  useEffect(() => {
    if (confirming) confirmButton.current?.focus();
  }, [confirming]);

  function keep() {
    setConfirming(false);
    // After the confirmation closes, the button it replaced is back: return there.
    requestAnimationFrame(() => removeButton.current?.focus());
  }

  async function confirm() {
    setRemoving(true);
    if (await onRemove()) return;
    setRemoving(false);
    keep();
  }

  return (
    <li class="panel pm-item">
      <div class="pm-details">
        <p id={`${id}-name`} class="pm-name">
          {name}
        </p>
        <p class="pm-kind">{labels.of(method.kind)}</p>
        {(method.isAutoPay || method.expired) && (
          <p class="pm-badges">
            {method.isAutoPay && <span class="pm-badge">{t.autoPay}</span>}
            {method.expired && <span class="pm-badge pm-badge-bad">{t.expired}</span>}
          </p>
        )}
        <Alert>{refusal}</Alert>
      </div>
      {canRemove &&
        (confirming ? (
          <div class="pm-confirm">
            <p id={`${id}-confirm`}>{t.confirm(name)}</p>
            <div class="actions">
              <button type="button" class="danger" ref={confirmButton} disabled={removing} aria-describedby={`${id}-confirm`} onClick={confirm}>
                {t.confirmRemove}
              </button>
              <button type="button" class="secondary" onClick={keep}>
                {t.keep}
              </button>
            </div>
          </div>
        ) : (
          <button type="button" class="danger" ref={removeButton} aria-describedby={`${id}-name`} onClick={() => setConfirming(true)}>
            {t.remove}
          </button>
        ))}
    </li>
  );
}
