// Adding a payment method (Make a Payment and Payment methods share this). Cards never reach our
// server: the gateway collects them and hands back an id (`pm_…`) that addPaymentMethod attaches.
// With the mock gateway (development, demo) "a new card" is one of its test methods, which stand in
// for what a person would type; with Stripe it is Stripe's card element, not offered here yet.
import { useMutation } from "@urql/preact";
import { useState } from "preact/hooks";

import { BeginPaymentMethodSetupDocument } from "../generated/graphql";
import { messages, useMessages } from "../i18n";

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
    stripeNotYet:
      "Adding a new card needs Stripe’s card element, which this portal does not offer yet. Use a payment method on file.",
    unavailable: "New payment methods cannot be added right now. Try again in a moment.",
  },
  "fr-CA": {
    pm_card_visa: "Visa 4242 (acceptée)",
    pm_card_mastercard: "Mastercard 4444 (acceptée)",
    pm_card_chargeDeclined: "Visa 0002 (refusée)",
    pm_card_chargeDeclinedInsufficientFunds: "Visa 9995 (refusée : fonds insuffisants)",
    pm_card_authenticationRequired: "Visa 3184 (demande 3-D Secure)",
    pm_mock_pad: "Compte bancaire 6789, débit préautorisé (réglé plus tard)",
    pm_mock_timeout: "Visa 0077 (la réponse de la passerelle se perd)",
    stripeNotYet:
      "L’ajout d’une nouvelle carte nécessite le formulaire de carte de Stripe, que ce portail n’offre pas encore. Utilisez un mode de paiement enregistré.",
    unavailable: "Impossible d’ajouter un mode de paiement pour l’instant. Réessayez dans un instant.",
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

/** Which gateway collects a new method: "mock", "stripe", "unavailable" (the call failed), or null
 *  until asked. Only office managers may ask (beginPaymentMethodSetup), so members never do. */
export type GatewayKind = "mock" | "stripe" | "unavailable" | null;

export function useGatewaySetup() {
  const [gateway, setGateway] = useState<GatewayKind>(null);
  const [{ fetching }, beginSetup] = useMutation(BeginPaymentMethodSetupDocument);

  async function begin(): Promise<GatewayKind> {
    if (gateway === "mock" || gateway === "stripe") return gateway;
    const result = await beginSetup({});
    const setup = result.data?.beginPaymentMethodSetup.setup;
    const kind: GatewayKind = !setup ? "unavailable" : setup.gateway === "mock" ? "mock" : "stripe";
    setGateway(kind);
    return kind;
  }

  return { gateway, asking: fetching, begin };
}
