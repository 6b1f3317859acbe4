// Adding a payment method (Make a Payment and Payment methods share this). Cards never reach our
// server: the gateway collects them and hands back an id (`pm_…`) that addPaymentMethod attaches.
// With the mock gateway (development, demo) "a new card" is one of its test methods, which stand in
// for what a person would type; with Stripe it is Stripe's own element (payment-methods-stripe.tsx).
import { useQuery } from "@urql/preact";

import { BeginPaymentMethodSetupDocument, PortalPaymentGatewayDocument } from "../generated/graphql";
import { messages, useMessages } from "../i18n";
import { useGuardedMutation } from "./confirm-identity";

/** The mock gateway's test payment methods (Stripe's test ids, plus the mock's own two). */
export const TEST_METHODS = [
  "pm_card_visa",
  "pm_card_mastercard",
  "pm_card_chargeDeclined",
  "pm_card_chargeDeclinedInsufficientFunds",
  "pm_card_authenticationRequired",
  "pm_mock_pad",
  "pm_mock_timeout",
] as const;
export type TestMethod = (typeof TEST_METHODS)[number];

export function isTestMethod(value: string): value is TestMethod {
  return (TEST_METHODS as readonly string[]).includes(value);
}

const strings = messages({
  "en-CA": {
    pm_card_visa: "Visa 4242 (succeeds)",
    pm_card_mastercard: "Mastercard 4444 (succeeds)",
    pm_card_chargeDeclined: "Visa 0002 (declined)",
    pm_card_chargeDeclinedInsufficientFunds: "Visa 9995 (declined: insufficient funds)",
    pm_card_authenticationRequired: "Visa 3184 (asks for 3-D Secure)",
    pm_mock_pad: "Bank account 6789, pre-authorized debit (settles later)",
    pm_mock_timeout: "Visa 0077 (the gateway’s answer is lost)",
    stripeNewCard: "To pay with a new card, add it under Payment methods first.",
  },
  "fr-CA": {
    pm_card_visa: "Visa 4242 (acceptée)",
    pm_card_mastercard: "Mastercard 4444 (acceptée)",
    pm_card_chargeDeclined: "Visa 0002 (refusée)",
    pm_card_chargeDeclinedInsufficientFunds: "Visa 9995 (refusée\u00a0: fonds insuffisants)",
    pm_card_authenticationRequired: "Visa 3184 (demande 3-D Secure)",
    pm_mock_pad: "Compte bancaire 6789, débit préautorisé (réglé plus tard)",
    pm_mock_timeout: "Visa 0077 (la réponse de la passerelle se perd)",
    stripeNewCard: "Pour payer avec une nouvelle carte, ajoutez-la d’abord dans Modes de paiement.",
  },
});

export function useNewMethodStrings() {
  return useMessages(strings);
}

/** The test methods as options of a select, in the reader's language. */
export function useTestMethodOptions(): { value: TestMethod; label: string }[] {
  const t = useMessages(strings);
  return TEST_METHODS.map((id) => ({ value: id, label: t[id] }));
}

/** Which gateway collects a new method: "mock" or "stripe", or null until the server said. */
export type GatewayKind = "mock" | "stripe" | null;

/** The gateway, as the server says to anyone (paymentGateway), with its script's publishable key. */
export function useGateway(): { kind: GatewayKind; publishableKey: string | null } {
  const [{ data }] = useQuery({ query: PortalPaymentGatewayDocument });
  const gateway = data?.paymentGateway;
  const kind: GatewayKind = !gateway ? null : gateway.name === "stripe" ? "stripe" : "mock";
  return { kind, publishableKey: gateway?.publishableKey ?? null };
}

/** Office managers: a SetupIntent's client secret, for Stripe's element to save a card under. */
export function useSetupSecret() {
  const [{ fetching }, beginSetup] = useGuardedMutation(BeginPaymentMethodSetupDocument);
  async function begin(): Promise<string | null> {
    const result = await beginSetup({});
    return result.data?.beginPaymentMethodSetup.setup?.clientSecret ?? null;
  }
  return { asking: fetching, begin };
}
