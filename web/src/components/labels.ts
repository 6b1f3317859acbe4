// The API's enums and objects as a person reads them, in both languages. Pages share these so a
// payment's status or a card reads the same everywhere.
import type {
  InvoiceStatus,
  PaymentMethodKind,
  PaymentStatus,
  Role,
  TransactionKind,
  UserStatus,
} from "../generated/graphql";
import { messages, useMessages } from "../i18n";

const strings = messages({
  "en-CA": {
    INVOICE: "Invoice",
    PAYMENT: "Payment",
    CREDIT: "Credit",
    REFUND: "Refund",
    PROCESSING: "Processing",
    REQUIRES_ACTION: "Waiting for your bank",
    SUCCEEDED: "Succeeded",
    FAILED: "Failed",
    CANCELED: "Canceled",
    OPEN: "Open",
    PAST_DUE: "Past due",
    PAID: "Paid",
    VOID: "Void",
    OFFICE_MANAGER: "Office manager",
    MEMBER: "Member",
    INVITED: "Invited",
    ACTIVE: "Active",
    DISABLED: "Disabled",
    CARD: "Card",
    BANK_ACCOUNT: "Bank account",
    endingIn: (brand: string, last4: string) => `${brand} ending in ${last4}`,
    expires: (month: number, year: number) => `expires ${String(month).padStart(2, "0")}/${year}`,
    expired: "expired",
  },
  "fr-CA": {
    INVOICE: "Facture",
    PAYMENT: "Paiement",
    CREDIT: "Crédit",
    REFUND: "Remboursement",
    PROCESSING: "En traitement",
    REQUIRES_ACTION: "En attente de votre banque",
    SUCCEEDED: "Réussi",
    FAILED: "Échoué",
    CANCELED: "Annulé",
    OPEN: "Ouverte",
    PAST_DUE: "En souffrance",
    PAID: "Payée",
    VOID: "Annulée",
    OFFICE_MANAGER: "Gestionnaire de bureau",
    MEMBER: "Membre",
    INVITED: "Invitation envoyée",
    ACTIVE: "Actif",
    DISABLED: "Désactivé",
    CARD: "Carte",
    BANK_ACCOUNT: "Compte bancaire",
    endingIn: (brand: string, last4: string) => `${brand} se terminant par ${last4}`,
    expires: (month: number, year: number) => `expire ${String(month).padStart(2, "0")}/${year}`,
    expired: "expirée",
  },
});

type Enum = TransactionKind | PaymentStatus | InvoiceStatus | Role | UserStatus | PaymentMethodKind;

export interface MethodLike {
  kind: PaymentMethodKind;
  brand?: string | null;
  last4: string;
  expMonth?: number | null;
  expYear?: number | null;
  expired: boolean;
}

export function useLabels() {
  const t = useMessages(strings);
  return {
    of: (value: Enum) => t[value],
    /** "Visa ending in 4242, expires 12/2030" */
    method: (method: MethodLike) => {
      const name = t.endingIn(method.brand ? capitalize(method.brand) : t[method.kind], method.last4);
      if (method.expired) return `${name}, ${t.expired}`;
      return method.expMonth && method.expYear ? `${name}, ${t.expires(method.expMonth, method.expYear)}` : name;
    },
  };
}

function capitalize(word: string) {
  return word.charAt(0).toUpperCase() + word.slice(1);
}
