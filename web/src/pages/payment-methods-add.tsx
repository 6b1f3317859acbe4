// "Add payment method" (office managers): opens a small form. With the mock gateway the new
// method is one of its test methods; with Stripe it is Stripe's element (payment-methods-stripe.tsx).
import type { CombinedError } from "@urql/core";
import { useEffect, useRef, useState } from "preact/hooks";

import { Alert, Checkbox, errorFor, errorsWithoutField, Select, type UserErrorLike } from "../components/form";
import { AddPaymentMethodDocument, type PaymentMethodSummaryFragment } from "../generated/graphql";
import { messages, useMessages } from "../i18n";
import { TEST_METHODS, useGateway, useTestMethodOptions, type TestMethod } from "../components/gateway";
import { StripeMethodForm } from "./payment-methods-stripe";
import { useGuardedMutation } from "../components/confirm-identity";

const strings = messages({
  "en-CA": {
    add: "Add payment method",
    heading: "New payment method",
    testMethod: "Test payment method",
    testExplained: "The test payment gateway stands in for a card form: choose how the new method behaves.",
    useForAutoPay: "Use for Auto Pay",
    save: "Save payment method",
    saving: "Saving…",
    cancel: "Cancel",
    asking: "Preparing the payment gateway…",
    failed: "The payment method could not be saved. Check your connection and try again.",
    forbidden: "Only office managers can add payment methods.",
    noKey: "Stripe is not set up on this server (no publishable key).",
  },
  "fr-CA": {
    add: "Ajouter un mode de paiement",
    heading: "Nouveau mode de paiement",
    testMethod: "Mode de paiement de test",
    testExplained: "La passerelle de paiement de test remplace le formulaire de carte\u00a0: choisissez le comportement du nouveau mode.",
    useForAutoPay: "Utiliser pour le paiement automatique",
    save: "Enregistrer le mode de paiement",
    saving: "Enregistrement…",
    cancel: "Annuler",
    asking: "Préparation de la passerelle de paiement…",
    failed: "Le mode de paiement n’a pas pu être enregistré. Vérifiez votre connexion et réessayez.",
    forbidden: "Seuls les gestionnaires de bureau peuvent ajouter des modes de paiement.",
    noKey: "Stripe n’est pas configuré sur ce serveur (aucune clé publiable).",
  },
});

export function AddPaymentMethod({ onAdded }: { onAdded: (method: PaymentMethodSummaryFragment) => void }) {
  const t = useMessages(strings);
  const testOptions = useTestMethodOptions();
  const gateway = useGateway();
  const [open, setOpen] = useState(false);
  const [chosen, setChosen] = useState<TestMethod>(TEST_METHODS[0]);
  const [forAutoPay, setForAutoPay] = useState(false);
  const [errors, setErrors] = useState<readonly UserErrorLike[]>([]);
  const [failed, setFailed] = useState<string | null>(null);
  const [{ fetching }, addMethod] = useGuardedMutation(AddPaymentMethodDocument);
  const toggle = useRef<HTMLButtonElement>(null);
  const heading = useRef<HTMLHeadingElement>(null);

  // Opened: the form's heading takes focus, so the next Tab reaches its first control.
  useEffect(() => {
    if (open) heading.current?.focus();
  }, [open]);

  function close() {
    setOpen(false);
    setErrors([]);
    setFailed(null);
    toggle.current?.focus();
  }

  function failure(error?: CombinedError) {
    return error?.graphQLErrors.some((e) => e.extensions?.code === "FORBIDDEN") ? t.forbidden : t.failed;
  }

  /** Puts the gateway's method on file; answers why not, or null when it is. */
  async function keep(gatewayPaymentMethodId: string, useForAutoPay: boolean): Promise<string | null> {
    setFailed(null);
    const result = await addMethod({ gatewayPaymentMethodId, useForAutoPay });
    const answer = result.data?.addPaymentMethod;
    if (!answer) {
      const why = failure(result.error);
      setFailed(why);
      return why;
    }
    setErrors(answer.userErrors);
    if (answer.paymentMethod) {
      onAdded(answer.paymentMethod);
      setForAutoPay(false);
      close();
    }
    return answer.userErrors.map((error) => error.message).join(" ") || null;
  }

  async function save(event: Event) {
    event.preventDefault();
    // The button stays focusable while busy (aria-disabled), so a second press is ignored here.
    if (fetching) return;
    await keep(chosen, forAutoPay);
  }

  return (
    <div class="pm-add">
      <button
        type="button"
        ref={toggle}
        aria-expanded={open}
        onClick={() => {
          if (open) return close();
          setOpen(true);
        }}
      >
        {t.add}
      </button>
      {open && (
        <section class="panel pm-add-panel" aria-labelledby="add-method-heading">
          <h2 id="add-method-heading" tabIndex={-1} ref={heading}>
            {t.heading}
          </h2>
          {gateway.kind === "mock" ? (
            <form onSubmit={save} noValidate>
              <p class="hint">{t.testExplained}</p>
              <Select
                label={t.testMethod}
                value={chosen}
                onChange={(value) => setChosen(value as TestMethod)}
                options={testOptions}
                error={errorFor(errors, "gatewayPaymentMethodId")}
              />
              <Checkbox label={t.useForAutoPay} checked={forAutoPay} onChange={setForAutoPay} />
              <Alert>{failed ?? errorsWithoutField(errors, ["gatewayPaymentMethodId"])}</Alert>
              <div class="actions">
                <button type="submit" aria-disabled={fetching ? "true" : undefined}>
                  {fetching ? t.saving : t.save}
                </button>
                <button type="button" class="secondary" onClick={close}>
                  {t.cancel}
                </button>
              </div>
            </form>
          ) : gateway.kind === "stripe" && gateway.publishableKey ? (
            <StripeMethodForm publishableKey={gateway.publishableKey} keep={keep} cancel={close} />
          ) : (
            <>
              <p aria-busy={gateway.kind === null}>{gateway.kind === null ? t.asking : t.noKey}</p>
              <button type="button" class="secondary" onClick={close}>
                {t.cancel}
              </button>
            </>
          )}
        </section>
      )}
    </div>
  );
}
