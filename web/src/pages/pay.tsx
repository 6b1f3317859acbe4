// Make a Payment: all or part of the balance with a method on file or (office managers) a new one.
// The outcome is announced in the Status region and followed live until it is final (a debit that
// settles days later, a 3-D Secure challenge). Each attempt has one idempotency key, kept for a
// repeat of the same attempt (a double click, a retry after a lost answer) so the server charges
// once, and replaced only once the attempt is over or the person changed what they pay.
import type { CombinedError } from "@urql/core";
import { useQuery } from "@urql/preact";
import { useRef, useState } from "preact/hooks";

import { Alert, Checkbox, errorFor, errorsWithoutField, Field, Status, type UserErrorLike } from "../components/form";
import { useLabels } from "../components/labels";
import { Loading, Page } from "../components/page";
import {
  AddPaymentMethodDocument,
  MakePaymentDocument,
  PortalPayFormDocument,
  type PaymentMethodSummaryFragment,
} from "../generated/graphql";
import { messages, useFormat, useMessages } from "../i18n";
import { newIdempotencyKey } from "../session";
import { useSession } from "../session-context";
import { BankChallenge } from "./pay-challenge";
import { MethodSelect } from "./pay-method-select";
import { OutcomeMessage, usePaymentOutcome, type PaymentOutcome } from "./pay-outcome";
import { isTestMethod, useGateway, useNewMethodStrings, useTestMethodOptions } from "../components/gateway";
import "./pay.css";
import { useGuardedMutation } from "../components/confirm-identity";

/** One attempt to pay: its idempotency key and what it pays (the methods: the one chosen, and
 *  the one saved from it when a new test method was chosen). */
interface Attempt {
  key: string;
  amount: string;
  methods: string[];
  forAutoPay: boolean;
}

const strings = messages({
  "en-CA": {
    title: "Make a Payment",
    amount: "Amount",
    amountHint: (balance: string, due: string) => `Balance: ${balance}, due ${due}. You may pay all of it or part of it.`,
    amountHintNoDate: (balance: string) => `Balance: ${balance}. You may pay all of it or part of it.`,
    method: "Payment method",
    onFile: "On file",
    newTest: "New test payment method",
    autoPayMark: "Auto Pay",
    useForAutoPay: "Use for Auto Pay",
    pay: "Pay",
    sending: "Sending your payment…",
    nothingDue: "Nothing is due: there is nothing to pay right now.",
    credit: (amount: string) => `Your account has a credit of ${amount}, applied to your next invoices. Nothing is due.`,
    noMethodsMember: "No payment method is on file. An office manager can add one.",
    noMethodsManager: "No payment method is on file.",
    addOne: "Add a payment method",
    invalidAmount: "Enter the amount in dollars and cents, for example 125.50.",
    zeroAmount: "Enter an amount above zero.",
    chooseMethod: "Choose a payment method.",
    failed: "The payment could not be sent. Check your connection and select Pay again: you will not be charged twice.",
    forbidden: "Only office managers can add a payment method or use one for Auto Pay.",
    backToDashboard: "Back to the dashboard",
  },
  "fr-CA": {
    title: "Faire un paiement",
    amount: "Montant",
    amountHint: (balance: string, due: string) => `Solde : ${balance}, échéance le ${due}. Vous pouvez en payer la totalité ou une partie.`,
    amountHintNoDate: (balance: string) => `Solde : ${balance}. Vous pouvez en payer la totalité ou une partie.`,
    method: "Mode de paiement",
    onFile: "Enregistrés",
    newTest: "Nouveau mode de paiement de test",
    autoPayMark: "Paiement automatique",
    useForAutoPay: "Utiliser pour le paiement automatique",
    pay: "Payer",
    sending: "Envoi de votre paiement…",
    nothingDue: "Rien n’est dû : il n’y a rien à payer pour l’instant.",
    credit: (amount: string) => `Votre compte a un crédit de ${amount}, appliqué à vos prochaines factures. Rien n’est dû.`,
    noMethodsMember: "Aucun mode de paiement n’est enregistré. Un gestionnaire de bureau peut en ajouter un.",
    noMethodsManager: "Aucun mode de paiement n’est enregistré.",
    addOne: "Ajouter un mode de paiement",
    invalidAmount: "Entrez le montant en dollars et en cents, par exemple 125,50.",
    zeroAmount: "Entrez un montant supérieur à zéro.",
    chooseMethod: "Choisissez un mode de paiement.",
    failed: "Le paiement n’a pas pu être envoyé. Vérifiez votre connexion et choisissez Payer de nouveau : vous ne serez pas débité deux fois.",
    forbidden: "Seuls les gestionnaires de bureau peuvent ajouter un mode de paiement ou l’utiliser pour le paiement automatique.",
    backToDashboard: "Retour au tableau de bord",
  },
});

/** What a person typed as a Decimal ("1,234.50", "125,50 $" → "1234.50", "125.50"); null if it is not one. */
function toDecimal(typed: string): string | null {
  let text = typed.replace(/[\s\u00a0\u202f$]/g, "");
  // A comma is French's decimal mark when it ends the number ("125,5"), else a thousands separator.
  text = !text.includes(".") && /^\d+,\d{1,2}$/.test(text) ? text.replace(",", ".") : text.replace(/,/g, "");
  return /^\d+(\.\d{1,2})?$/.test(text) ? text : null;
}

export function Pay() {
  const t = useMessages(strings);
  const format = useFormat();
  const labels = useLabels();
  const newMethod = useNewMethodStrings();
  const testOptions = useTestMethodOptions();
  const manager = useSession().role === "OFFICE_MANAGER";
  const gateway = useGateway();
  const [{ data, error }, refetch] = useQuery({ query: PortalPayFormDocument });
  const [, addMethod] = useGuardedMutation(AddPaymentMethodDocument);
  const [, makePayment] = useGuardedMutation(MakePaymentDocument);

  const [typedAmount, setTypedAmount] = useState<string | null>(null);
  const [chosenMethod, setChosenMethod] = useState<string | null>(null);
  const [forAutoPay, setForAutoPay] = useState(false);
  const [attached, setAttached] = useState<PaymentMethodSummaryFragment[]>([]);
  const [amountProblem, setAmountProblem] = useState<string | null>(null);
  const [errors, setErrors] = useState<readonly UserErrorLike[]>([]);
  const [failed, setFailed] = useState<string | null>(null);
  const [busy, setBusy] = useState(false);
  const [made, setMade] = useState<PaymentOutcome | null>(null);
  const [madeByDebit, setMadeByDebit] = useState(false);
  const inFlight = useRef(false);
  const attempt = useRef<Attempt | null>(null);

  const { payment, reread } = usePaymentOutcome(made, (settled) => {
    attempt.current = null;
    refetch({ requestPolicy: "network-only" }); // the balance it paid (a debit may settle days later)
    if (settled.status === "SUCCEEDED") setTypedAmount(null); // prefill what is still owed
  });

  if (!data) {
    return (
      <Page title={t.title}>
        <Loading error={error} />
      </Page>
    );
  }

  const { currentBalance: balance, autoPay } = data.account;
  const owed = !balance.isCredit && Number(balance.amount.amount) > 0;
  const methods = [...data.account.paymentMethods, ...attached.filter((a) => !data.account.paymentMethods.some((m) => m.id === a.id))];
  const onFile = methods.map((m) => ({ value: m.id, label: m.isAutoPay ? `${labels.method(m)} (${t.autoPayMark})` : labels.method(m) }));
  const fresh = manager && gateway.kind === "mock" ? testOptions : [];
  const usable = methods.filter((m) => !m.expired);
  const preferred = usable.find((m) => autoPay.enabled && m.id === autoPay.paymentMethod?.id) ?? usable[0] ?? methods[0];
  const choices = [...onFile, ...fresh].map((option) => option.value);
  const method = chosenMethod && choices.includes(chosenMethod) ? chosenMethod : (preferred?.id ?? choices[0] ?? "");
  const amount = typedAmount ?? balance.amount.amount;

  /** The key of this attempt: the last one's while the person pays the same amount with the same
   *  method (a retry after a lost answer is charged once), a new one for anything else. */
  function keyFor(amountSent: string, methodChosen: string): string {
    const last = attempt.current;
    const same = last && last.amount === amountSent && last.methods.includes(methodChosen) && last.forAutoPay === forAutoPay;
    if (same) return last.key;
    setMade(null); // the last attempt's outcome is not this one's
    attempt.current = { key: newIdempotencyKey(), amount: amountSent, methods: [methodChosen], forAutoPay };
    return attempt.current.key;
  }

  function failure(error?: CombinedError) {
    return error?.graphQLErrors.some((e) => e.extensions?.code === "FORBIDDEN") ? t.forbidden : t.failed;
  }

  async function pay(event: Event) {
    event.preventDefault();
    if (inFlight.current) return; // a second click of the same attempt
    const decimal = toDecimal(amount);
    const amountError = decimal === null ? t.invalidAmount : Number(decimal) <= 0 ? t.zeroAmount : null;
    setAmountProblem(amountError);
    setErrors([]);
    setFailed(null);
    if (amountError || decimal === null || !method) return;

    inFlight.current = true;
    setBusy(true);
    const key = keyFor(decimal, method);
    try {
      let paymentMethodId = method;
      let kind = methods.find((m) => m.id === method)?.kind;
      if (isTestMethod(method)) {
        const added = await addMethod({ gatewayPaymentMethodId: method, useForAutoPay: false });
        const answer = added.data?.addPaymentMethod;
        if (!answer) return setFailed(failure(added.error));
        if (!answer.paymentMethod) {
          attempt.current = null;
          return setErrors(answer.userErrors);
        }
        const saved = answer.paymentMethod;
        paymentMethodId = saved.id;
        kind = saved.kind;
        // A retry of this attempt pays with the method just saved instead of saving another copy.
        setAttached((list) => [...list, saved]);
        setChosenMethod(saved.id);
        attempt.current?.methods.push(saved.id);
      }
      const result = await makePayment({
        amount: decimal,
        paymentMethodId,
        idempotencyKey: key,
        useForAutoPay: manager && forAutoPay,
      });
      const answer = result.data?.makePayment;
      // No answer: the payment may or may not have been made; Pay again sends the same key.
      if (!answer) return setFailed(failure(result.error));
      setErrors(answer.userErrors);
      if (answer.payment) {
        setMade(answer.payment);
        setMadeByDebit(kind === "BANK_ACCOUNT");
      } else {
        attempt.current = null;
      }
    } finally {
      inFlight.current = false;
      setBusy(false);
    }
  }

  const methodError =
    [method ? null : t.chooseMethod, errorFor(errors, "paymentMethodId"), errorFor(errors, "gatewayPaymentMethodId")]
      .filter(Boolean)
      .join(" ") || null;
  const noMethods = choices.length === 0;

  return (
    <Page title={t.title}>
      {!owed ? (
        // A credit is a negative balance, said as the amount the account has.
        <p>{balance.isCredit ? t.credit(format.money({ ...balance.amount, amount: balance.amount.amount.replace("-", "") })) : t.nothingDue}</p>
      ) : noMethods ? (
        <p>
          {manager ? t.noMethodsManager : t.noMethodsMember} {manager && <a href="/payment-methods">{t.addOne}</a>}
        </p>
      ) : (
        <form class="pay-form" onSubmit={pay} noValidate>
          <Field
            label={t.amount}
            value={amount}
            onInput={setTypedAmount}
            inputMode="decimal"
            autoComplete="off"
            required
            hint={balance.dueDate ? t.amountHint(format.money(balance.amount), format.date(balance.dueDate)) : t.amountHintNoDate(format.money(balance.amount))}
            error={amountProblem ?? errorFor(errors, "amount")}
          />
          <MethodSelect
            label={t.method}
            value={method}
            onChange={setChosenMethod}
            onFile={{ label: t.onFile, options: onFile }}
            fresh={{ label: t.newTest, options: fresh }}
            hint={manager && gateway.kind === "stripe" ? newMethod.stripeNewCard : undefined}
            error={methodError}
          />
          {manager && <Checkbox label={t.useForAutoPay} checked={forAutoPay} onChange={setForAutoPay} />}
          <Alert>{failed ?? errorsWithoutField(errors, ["amount", "paymentMethodId", "gatewayPaymentMethodId"])}</Alert>
          <button type="submit" disabled={busy} aria-busy={busy}>
            {t.pay}
          </button>
        </form>
      )}
      <Status>{busy ? t.sending : payment && <OutcomeMessage payment={payment} debit={madeByDebit} />}</Status>
      {payment?.status === "REQUIRES_ACTION" && payment.nextAction && (
        <BankChallenge
          key={payment.id}
          clientSecret={payment.nextAction.clientSecret}
          gateway={gateway}
          onAnswered={reread}
        />
      )}
      {payment?.status === "SUCCEEDED" && (
        <p>
          <a href="/">{t.backToDashboard}</a>
        </p>
      )}
    </Page>
  );
}
