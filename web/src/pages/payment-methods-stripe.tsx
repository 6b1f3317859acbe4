// A new card or bank account with Stripe: Stripe's Payment Element, in Stripe's frame, saves it
// under a SetupIntent (confirmSetup); the portal then puts the saved method's id on file
// (addPaymentMethod). The card number is typed into Stripe's frame and goes to Stripe only.
import { useEffect, useRef, useState } from "preact/hooks";

import { Alert, Checkbox } from "../components/form";
import { messages, useLocale, useMessages } from "../i18n";
import { loadStripe, savedMethodId, type Stripe, type StripeElement, type StripeElements } from "../stripe";
import { useSetupSecret } from "../components/gateway";

const strings = messages({
  "en-CA": {
    card: "Card or bank account details",
    loading: "Loading Stripe’s secure form…",
    unavailable: "Stripe’s secure form could not be loaded. Check your connection and try again.",
    useForAutoPay: "Use for Auto Pay",
    save: "Save payment method",
    saving: "Saving…",
    cancel: "Cancel",
    declined: "Stripe could not save this payment method.",
  },
  "fr-CA": {
    card: "Coordonnées de la carte ou du compte bancaire",
    loading: "Chargement du formulaire sécurisé de Stripe…",
    unavailable: "Le formulaire sécurisé de Stripe n’a pas pu être chargé. Vérifiez votre connexion et réessayez.",
    useForAutoPay: "Utiliser pour le paiement automatique",
    save: "Enregistrer le mode de paiement",
    saving: "Enregistrement…",
    cancel: "Annuler",
    declined: "Stripe n’a pas pu enregistrer ce mode de paiement.",
  },
});

interface Props {
  publishableKey: string;
  /** Puts the method Stripe saved on file; answers a refusal to show, or null. */
  keep: (gatewayPaymentMethodId: string, useForAutoPay: boolean) => Promise<string | null>;
  cancel: () => void;
}

export function StripeMethodForm({ publishableKey, keep, cancel }: Props) {
  const t = useMessages(strings);
  const { locale } = useLocale();
  const setup = useSetupSecret();
  const frame = useRef<HTMLDivElement>(null);
  const stripe = useRef<{ stripe: Stripe; elements: StripeElements } | null>(null);
  const [ready, setReady] = useState(false);
  const [forAutoPay, setForAutoPay] = useState(false);
  const [problem, setProblem] = useState<string | null>(null);
  const [saving, setSaving] = useState(false);

  useEffect(() => {
    let mounted: StripeElement | null = null;
    let cancelled = false; // closed while Stripe was still loading: mount nothing
    (async () => {
      const clientSecret = await setup.begin();
      if (cancelled) return;
      if (!clientSecret || !frame.current) return setProblem(t.unavailable);
      const loaded = await loadStripe(publishableKey);
      if (cancelled || !frame.current) return;
      const elements = loaded.elements({ clientSecret, locale: locale.slice(0, 2) });
      const element = elements.create("payment");
      element.mount(frame.current);
      mounted = element;
      stripe.current = { stripe: loaded, elements };
      setReady(true);
    })().catch(() => setProblem(t.unavailable));
    return () => {
      cancelled = true;
      mounted?.destroy();
    };
  }, [publishableKey]);

  async function save(event: Event) {
    event.preventDefault();
    if (!stripe.current) return;
    setSaving(true);
    setProblem(null);
    const { stripe: loaded, elements } = stripe.current;
    const confirmed = await loaded.confirmSetup({ elements, redirect: "if_required" });
    const method = savedMethodId(confirmed.setupIntent?.payment_method);
    setProblem(method ? await keep(method, forAutoPay) : (confirmed.error?.message ?? t.declined));
    setSaving(false);
  }

  return (
    <form onSubmit={save} noValidate>
      <div class="field">
        <span class="label" id="stripe-card-label">
          {t.card}
        </span>
        <div ref={frame} class="stripe-frame" role="group" aria-labelledby="stripe-card-label" />
        {!ready && !problem && <p aria-busy="true">{t.loading}</p>}
      </div>
      <Checkbox label={t.useForAutoPay} checked={forAutoPay} onChange={setForAutoPay} />
      <Alert>{problem}</Alert>
      <div class="actions">
        <button type="submit" disabled={!ready || saving}>
          {saving ? t.saving : t.save}
        </button>
        <button type="button" class="secondary" onClick={cancel}>
          {t.cancel}
        </button>
      </div>
    </form>
  );
}
