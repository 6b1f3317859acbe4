// Stripe.js, in Stripe mode only: Stripe's card element collects the card in Stripe's own frame, so
// a card number never passes through this page or our server (PCI SAQ A). It is the one script
// the portal loads from elsewhere; the server's Content-Security-Policy allows it only in Stripe
// mode. The types below are the part of Stripe.js's documented API the portal uses.
export interface StripeElement {
  mount(into: HTMLElement): void;
  destroy(): void;
}

export interface StripeElements {
  create(type: "payment"): StripeElement;
}

interface StripeError {
  message?: string;
}

export interface Stripe {
  elements(options: { clientSecret: string; locale?: string }): StripeElements;
  confirmSetup(options: {
    elements: StripeElements;
    redirect: "if_required";
  }): Promise<{ setupIntent?: { payment_method: string | { id: string } | null }; error?: StripeError }>;
  handleNextAction(options: { clientSecret: string }): Promise<{ error?: StripeError }>;
}

declare global {
  interface Window {
    Stripe?: (publishableKey: string) => Stripe;
  }
}

const STRIPE_JS = "https://js.stripe.com/v3/";
let loading: Promise<Stripe> | null = null;

/** Stripe.js for `publishableKey`, loaded once per page. */
export function loadStripe(publishableKey: string): Promise<Stripe> {
  loading ??= new Promise<Stripe>((resolve, reject) => {
    const script = document.createElement("script");
    script.src = STRIPE_JS;
    script.onload = () => (window.Stripe ? resolve(window.Stripe(publishableKey)) : reject(new Error("Stripe.js did not start")));
    script.onerror = () => {
      loading = null;
      reject(new Error("Stripe.js could not be loaded"));
    };
    document.head.append(script);
  });
  return loading;
}

/** The id of the method a confirmed setup saved. */
export function savedMethodId(saved: string | { id: string } | null | undefined): string | null {
  if (!saved) return null;
  return typeof saved === "string" ? saved : saved.id;
}
