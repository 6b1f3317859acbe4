// Auto Pay: whether it is on, the method it charges (and when that card expires), the next charge.
// Office managers turn it on or off and choose its method; members see it without the form.
import type { CombinedError } from "@urql/core";
import { useQuery } from "@urql/preact";
import { useState } from "preact/hooks";

import { Alert, Checkbox, errorFor, errorsWithoutField, Select, Status, type UserErrorLike } from "../components/form";
import { useLabels } from "../components/labels";
import { Loading, Page } from "../components/page";
import { PortalAutoPayDocument, SetAutoPayDocument } from "../generated/graphql";
import { messages, useFormat, useMessages } from "../i18n";
import { useSession } from "../session-context";
import "./auto-pay.css";
import { useGuardedMutation } from "../components/confirm-identity";

const strings = messages({
  "en-CA": {
    title: "Auto Pay",
    current: "Current setting",
    state: "Auto Pay",
    on: "On",
    off: "Off",
    method: "Payment method",
    noMethod: "None chosen",
    nextCharge: "Next charge",
    noCharge: "None scheduled",
    noChargeWhy: "Nothing is owed, a charge is in progress, or retries have stopped: pay from Make a Payment.",
    expiredWarning: "This card has expired: Auto Pay cannot charge it. Choose another payment method.",
    change: "Change Auto Pay",
    turnOnHint: "Turning Auto Pay on charges anything already overdue at once; after that, each invoice is charged on its due date.",
    autoPay: "Auto Pay",
    choose: "Choose a payment method",
    save: "Save",
    savedOn: (method: string) => `Saved. Auto Pay is on and charges ${method}.`,
    savedOff: "Saved. Auto Pay is off.",
    membersOnly: "Only office managers can change Auto Pay.",
    manageMethods: "Manage payment methods",
    seeMethods: "See the payment methods on file",
    failed: "Auto Pay could not be saved. Check your connection and try again.",
    forbidden: "Only office managers can change Auto Pay.",
  },
  "fr-CA": {
    title: "Paiement automatique",
    current: "Réglage actuel",
    state: "Paiement automatique",
    on: "Activé",
    off: "Désactivé",
    method: "Mode de paiement",
    noMethod: "Aucun choisi",
    nextCharge: "Prochain prélèvement",
    noCharge: "Aucun prévu",
    noChargeWhy: "Rien n’est dû, un prélèvement est en cours ou les nouvelles tentatives ont cessé\u00a0: payez depuis Faire un paiement.",
    expiredWarning: "Cette carte est expirée\u00a0: le paiement automatique ne peut pas la débiter. Choisissez un autre mode de paiement.",
    change: "Modifier le paiement automatique",
    turnOnHint: "Activer le paiement automatique débite aussitôt tout montant déjà en souffrance; ensuite, chaque facture est débitée à son échéance.",
    autoPay: "Paiement automatique",
    choose: "Choisissez un mode de paiement",
    save: "Enregistrer",
    savedOn: (method: string) => `Enregistré. Le paiement automatique est activé et débite ${method}.`,
    savedOff: "Enregistré. Le paiement automatique est désactivé.",
    membersOnly: "Seuls les gestionnaires de bureau peuvent modifier le paiement automatique.",
    manageMethods: "Gérer les modes de paiement",
    seeMethods: "Voir les modes de paiement enregistrés",
    failed: "Le paiement automatique n’a pas pu être enregistré. Vérifiez votre connexion et réessayez.",
    forbidden: "Seuls les gestionnaires de bureau peuvent modifier le paiement automatique.",
  },
});

export function AutoPay() {
  const t = useMessages(strings);
  const format = useFormat();
  const labels = useLabels();
  const manager = useSession().role === "OFFICE_MANAGER";
  const [{ data, error }] = useQuery({ query: PortalAutoPayDocument });
  const [{ fetching }, setAutoPay] = useGuardedMutation(SetAutoPayDocument);
  // What the person changed; the rest shows the setting as the server has it.
  const [edits, setEdits] = useState<{ enabled?: boolean; methodId?: string }>({});
  const [errors, setErrors] = useState<readonly UserErrorLike[]>([]);
  const [failed, setFailed] = useState<string | null>(null);
  const [outcome, setOutcome] = useState<string | null>(null);

  if (!data) {
    return (
      <Page title={t.title}>
        <Loading error={error} />
      </Page>
    );
  }
  const { autoPay, paymentMethods } = data.account;
  const enabled = edits.enabled ?? autoPay.enabled;
  const methodId = edits.methodId ?? autoPay.paymentMethod?.id ?? "";
  const options = [
    ...(paymentMethods.some((method) => method.id === methodId) ? [] : [{ value: "", label: t.choose }]),
    ...paymentMethods.map((method) => ({ value: method.id, label: labels.method(method) })),
  ];

  function failure(error?: CombinedError) {
    return error?.graphQLErrors.some((e) => e.extensions?.code === "FORBIDDEN") ? t.forbidden : t.failed;
  }

  async function save(event: Event) {
    event.preventDefault();
    // The button stays focusable while busy (aria-disabled), so a second press is ignored here.
    if (fetching) return;
    setFailed(null);
    setOutcome(null);
    const result = await setAutoPay({ enabled, paymentMethodId: methodId || null });
    const answer = result.data?.setAutoPay;
    if (!answer) return setFailed(failure(result.error));
    setErrors(answer.userErrors);
    const saved = answer.autoPay;
    if (saved && answer.userErrors.length === 0) {
      setOutcome(saved.enabled && saved.paymentMethod ? t.savedOn(labels.method(saved.paymentMethod)) : t.savedOff);
    }
  }

  return (
    <Page title={t.title}>
      <section class="panel auto-pay-current" aria-labelledby="auto-pay-current">
        <h2 id="auto-pay-current">{t.current}</h2>
        <dl class="auto-pay-facts">
          <dt>{t.state}</dt>
          <dd>{autoPay.enabled ? t.on : t.off}</dd>
          <dt>{t.method}</dt>
          <dd>{autoPay.paymentMethod ? labels.method(autoPay.paymentMethod) : t.noMethod}</dd>
          {autoPay.enabled && (
            <>
              <dt>{t.nextCharge}</dt>
              <dd>
                {autoPay.nextChargeOn ? format.date(autoPay.nextChargeOn) : t.noCharge}
                {!autoPay.nextChargeOn && <span class="hint"> {t.noChargeWhy}</span>}
              </dd>
            </>
          )}
        </dl>
        {autoPay.paymentMethod?.expired && <p class="error">{t.expiredWarning}</p>}
      </section>

      <Status>{outcome}</Status>
      {manager ? (
        <section aria-labelledby="auto-pay-change">
          <h2 id="auto-pay-change">{t.change}</h2>
          <form onSubmit={save} noValidate>
            <p class="hint">{t.turnOnHint}</p>
            <Checkbox label={t.autoPay} checked={enabled} onChange={(checked) => setEdits({ ...edits, enabled: checked })} />
            <Select
              label={t.method}
              value={methodId}
              onChange={(value) => setEdits({ ...edits, methodId: value })}
              options={options}
              error={errorFor(errors, "paymentMethodId")}
            />
            <Alert>{failed ?? errorsWithoutField(errors, ["paymentMethodId"])}</Alert>
            <button type="submit" aria-disabled={fetching ? "true" : undefined} aria-busy={fetching}>
              {t.save}
            </button>
          </form>
        </section>
      ) : (
        <p>{t.membersOnly}</p>
      )}
      <p>
        <a href="/payment-methods">{manager ? t.manageMethods : t.seeMethods}</a>
      </p>
    </Page>
  );
}
