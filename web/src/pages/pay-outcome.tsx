// A payment's outcome as it moves: makePayment's answer, then each change the PaymentUpdated
// subscription reports (a debit settling days later, a 3-D Secure challenge answered), until it is
// final. The payment is also read once more, because the subscription does not replay a change
// that happened before it started; a status only moves forward, so the most advanced one wins.
import { useQuery, useSubscription } from "@urql/preact";
import { useEffect, useRef, useState } from "preact/hooks";

import { PaymentUpdatedDocument, PortalPaymentOutcomeDocument, type PaymentStatus } from "../generated/graphql";
import { messages, useFormat, useMessages, type MoneyValue } from "../i18n";

export interface PaymentOutcome {
  id: string;
  status: PaymentStatus;
  amount: MoneyValue;
  methodDescription?: string | null;
  failureMessage?: string | null;
  nextAction?: { clientSecret: string } | null;
}

const PROGRESS: Record<PaymentStatus, number> = { REQUIRES_ACTION: 0, PROCESSING: 1, SUCCEEDED: 2, FAILED: 2, CANCELED: 2 };

export function isFinal(status: PaymentStatus): boolean {
  return PROGRESS[status] === 2;
}

/** `update` when it is about the same payment and not behind it; it lacks some fields, so merge. */
function advance(base: PaymentOutcome, update: Partial<PaymentOutcome> | null | undefined): PaymentOutcome {
  return update?.id === base.id && update.status && PROGRESS[update.status] >= PROGRESS[base.status]
    ? { ...base, ...update }
    : base;
}

/**
 * The payment `made` as it stands now. `onFinal` runs once when it is (or becomes) final.
 * `reread` asks the server again (after answering the bank's challenge, say).
 */
export function usePaymentOutcome(made: PaymentOutcome | null, onFinal: (payment: PaymentOutcome) => void) {
  const id = made?.id ?? "";
  // Kept once final: the query and subscription are paused then and need not keep their answers.
  const [settled, setSettled] = useState<PaymentOutcome | null>(null);
  const known = settled?.id === id ? settled : null;
  const watching = !!made && !isFinal(made.status) && !known;
  const [read, reread] = useQuery({
    query: PortalPaymentOutcomeDocument,
    variables: { id },
    pause: !watching,
    requestPolicy: "network-only",
  });
  const [live] = useSubscription({ query: PaymentUpdatedDocument, variables: { id }, pause: !watching });
  const current = known ?? (made && advance(advance(made, read.data?.payment), live.data?.paymentUpdated));

  const notified = useRef<string | null>(null);
  useEffect(() => {
    if (current && isFinal(current.status) && notified.current !== current.id) {
      notified.current = current.id;
      setSettled(current);
      onFinal(current);
    }
  }, [current?.id, current?.status]);

  return { payment: current, reread: () => reread({ requestPolicy: "network-only" }) };
}

const strings = messages({
  "en-CA": {
    succeeded: (amount: string, method: string) => `Your payment of ${amount} with ${method} succeeded. Thank you.`,
    succeededNoMethod: (amount: string) => `Your payment of ${amount} succeeded. Thank you.`,
    failed: (amount: string, reason: string) => `Your payment of ${amount} failed: ${reason}`,
    failedNoReason: "it was declined. Try another payment method.",
    processingDebit: (amount: string) =>
      `Your payment of ${amount} is being processed. A bank debit can take a few business days; this message changes as soon as it settles, and the payment is listed under Payments meanwhile.`,
    processing: (amount: string) =>
      `Your payment of ${amount} is being processed. This message changes as soon as the payment gateway confirms it; the payment is listed under Payments meanwhile.`,
    requiresAction: (amount: string) => `Your bank asks you to confirm the payment of ${amount}: answer below.`,
    canceled: (amount: string) => `Your payment of ${amount} was canceled; no money moved.`,
  },
  "fr-CA": {
    succeeded: (amount: string, method: string) => `Votre paiement de ${amount} par ${method} a réussi. Merci.`,
    succeededNoMethod: (amount: string) => `Votre paiement de ${amount} a réussi. Merci.`,
    failed: (amount: string, reason: string) => `Votre paiement de ${amount} a échoué : ${reason}`,
    failedNoReason: "il a été refusé. Essayez un autre mode de paiement.",
    processingDebit: (amount: string) =>
      `Votre paiement de ${amount} est en traitement. Un débit bancaire peut prendre quelques jours ouvrables; ce message change dès qu’il est réglé, et le paiement figure entre-temps dans Paiements.`,
    processing: (amount: string) =>
      `Votre paiement de ${amount} est en traitement. Ce message change dès que la passerelle de paiement le confirme; le paiement figure entre-temps dans Paiements.`,
    requiresAction: (amount: string) => `Votre banque vous demande de confirmer le paiement de ${amount} : répondez ci-dessous.`,
    canceled: (amount: string) => `Votre paiement de ${amount} a été annulé; aucun argent n’a été débité.`,
  },
});

/** The outcome in a sentence, styled by how it went (pay.css). `debit`: paid from a bank account,
 *  which banks take days to settle. */
export function OutcomeMessage({ payment, debit }: { payment: PaymentOutcome; debit: boolean }) {
  const t = useMessages(strings);
  const format = useFormat();
  const amount = format.money(payment.amount);
  switch (payment.status) {
    case "SUCCEEDED":
      return (
        <p class="pay-outcome pay-outcome-good">
          {payment.methodDescription ? t.succeeded(amount, payment.methodDescription) : t.succeededNoMethod(amount)}
        </p>
      );
    case "FAILED":
      return <p class="pay-outcome pay-outcome-bad">{t.failed(amount, payment.failureMessage ?? t.failedNoReason)}</p>;
    case "CANCELED":
      return <p class="pay-outcome pay-outcome-bad">{t.canceled(amount)}</p>;
    case "REQUIRES_ACTION":
      return <p class="pay-outcome pay-outcome-pending">{t.requiresAction(amount)}</p>;
    case "PROCESSING":
      return <p class="pay-outcome pay-outcome-pending">{(debit ? t.processingDebit : t.processing)(amount)}</p>;
  }
}
