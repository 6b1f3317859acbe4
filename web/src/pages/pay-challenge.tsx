// 3-D Secure: the bank asks the person to confirm a payment. With the mock gateway this panel
// stands in for the bank's test page (as Stripe's test mode does): it tells the mock's endpoint
// to complete or fail the authentication, and the settled payment then arrives through the
// PaymentUpdated subscription. With Stripe it is Stripe.js's handleNextAction: the bank's own page
// in Stripe's frame, after which Stripe's webhook settles the payment the same way.
import { useEffect, useRef, useState } from "preact/hooks";

import { Alert } from "../components/form";
import { messages, useMessages } from "../i18n";
import { loadStripe } from "../stripe";
import type { GatewayKind } from "../components/gateway";

const strings = messages({
  "en-CA": {
    heading: "Your bank asks you to confirm this payment",
    mockExplained: "This stands in for your bank’s confirmation page (test payment gateway).",
    complete: "Complete authentication",
    fail: "Fail authentication",
    sent: "Answer sent. Waiting for the bank’s decision…",
    notReady: "The test bank’s confirmation is not available on this server yet. The payment is canceled after 30 minutes; you can then pay with another method.",
    refused: (status: number) => `The test bank did not accept the answer (error ${status}). Try again in a moment.`,
    unreachable: "The test bank could not be reached. Check your connection and try again.",
    stripeOpening: "Your bank’s confirmation opens in Stripe’s secure window…",
    stripeFailed: (why: string) => `The confirmation did not go through: ${why} The payment is canceled after 30 minutes if it is not confirmed; you can then pay with another method.`,
  },
  "fr-CA": {
    heading: "Votre banque vous demande de confirmer ce paiement",
    mockExplained: "Ceci remplace la page de confirmation de votre banque (passerelle de paiement de test).",
    complete: "Terminer l’authentification",
    fail: "Faire échouer l’authentification",
    sent: "Réponse envoyée. En attente de la décision de la banque…",
    notReady: "La confirmation de la banque de test n’est pas encore offerte sur ce serveur. Le paiement est annulé après 30 minutes; vous pourrez alors payer avec un autre mode.",
    refused: (status: number) => `La banque de test n’a pas accepté la réponse (erreur ${status}). Réessayez dans un instant.`,
    unreachable: "La banque de test est injoignable. Vérifiez votre connexion et réessayez.",
    stripeOpening: "La confirmation de votre banque s’ouvre dans la fenêtre sécurisée de Stripe…",
    stripeFailed: (why: string) => `La confirmation n’a pas abouti : ${why} Le paiement est annulé après 30 minutes s’il n’est pas confirmé; vous pourrez alors payer avec un autre mode.`,
  },
});

type Outcome = "complete" | "fail";

interface BankChallengeProps {
  clientSecret: string;
  gateway: { kind: GatewayKind; publishableKey: string | null };
  /** The answer reached the mock: read the payment again in case its update came before us. */
  onAnswered: () => void;
}

export function BankChallenge({ clientSecret, gateway, onAnswered }: BankChallengeProps) {
  const mock = gateway.kind === "mock";
  const t = useMessages(strings);
  const heading = useRef<HTMLHeadingElement>(null);
  const [sending, setSending] = useState(false);
  const [sent, setSent] = useState(false);
  const [problem, setProblem] = useState<string | null>(null);

  // The challenge appears after Pay: bring keyboard and screen reader users to it.
  useEffect(() => heading.current?.focus(), []);

  // With Stripe, Stripe.js shows the bank's page at once.
  useEffect(() => {
    if (gateway.kind !== "stripe" || !gateway.publishableKey) return;
    loadStripe(gateway.publishableKey)
      .then((stripe) => stripe.handleNextAction({ clientSecret }))
      .then((done) => (done.error ? setProblem(t.stripeFailed(done.error.message ?? "")) : onAnswered()))
      .catch((error: Error) => setProblem(t.stripeFailed(error.message)));
  }, [gateway.kind, clientSecret]);

  async function answer(outcome: Outcome) {
    setSending(true);
    setProblem(null);
    try {
      const response = await fetch(`/mock-gateway/3ds/${encodeURIComponent(clientSecret)}`, {
        method: "POST",
        headers: { "content-type": "application/json" },
        body: JSON.stringify({ outcome }),
      });
      if (response.ok) {
        setSent(true);
        onAnswered();
      } else {
        setProblem(response.status === 404 ? t.notReady : t.refused(response.status));
      }
    } catch {
      setProblem(t.unreachable);
    } finally {
      setSending(false);
    }
  }

  return (
    <section class="panel pay-challenge" aria-labelledby="bank-challenge">
      <h2 id="bank-challenge" tabIndex={-1} ref={heading}>
        {t.heading}
      </h2>
      {mock ? (
        <>
          <p>{t.mockExplained}</p>
          <Alert>{problem}</Alert>
          {sent ? (
            <p>{t.sent}</p>
          ) : (
            <div class="actions">
              <button type="button" disabled={sending} onClick={() => answer("complete")}>
                {t.complete}
              </button>
              <button type="button" class="danger" disabled={sending} onClick={() => answer("fail")}>
                {t.fail}
              </button>
            </div>
          )}
        </>
      ) : (
        <>
          <p aria-busy={!problem}>{t.stripeOpening}</p>
          <Alert>{problem}</Alert>
        </>
      )}
    </section>
  );
}
