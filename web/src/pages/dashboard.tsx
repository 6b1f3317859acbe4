// The Account Dashboard: the carrier's guide's six sections, in its order.
import { useQuery } from "@urql/preact";

import { useLabels } from "../components/labels";
import { Loading, Page } from "../components/page";
import { TransactionTable } from "../components/transaction-table";
import { DashboardDocument } from "../generated/graphql";
import { messages, useFormat, useMessages } from "../i18n";

const strings = messages({
  "en-CA": {
    title: "Account Dashboard",
    account: (name: string, number: string) => `${name} · account ${number}`,
    currentBalance: "Current Balance",
    due: (date: string) => `Due ${date}`,
    credit: "Your account has a credit, applied to your next invoices.",
    nothingDue: "Nothing is due.",
    makePayment: "Make a Payment",
    lastPayment: "Last Payment",
    noPayment: "No payment yet.",
    autoPayStatus: "Auto Pay Status",
    autoPayOn: "Auto Pay is on.",
    autoPayOff: "Auto Pay is off.",
    nextCharge: (date: string) => `Next charge: ${date}`,
    autoPayMethod: "Automatic Payment Method",
    noAutoPayMethod: "No payment method is set for Auto Pay.",
    manageAutoPay: "Manage Auto Pay",
    billingAddress: "Billing Address",
    editProfile: "Edit Profile",
    transactionHistory: "Transaction History",
    allTransactions: "All transactions",
  },
  "fr-CA": {
    title: "Tableau de bord du compte",
    account: (name: string, number: string) => `${name} · compte ${number}`,
    currentBalance: "Solde actuel",
    due: (date: string) => `Échéance\u00a0: ${date}`,
    credit: "Votre compte a un crédit, appliqué à vos prochaines factures.",
    nothingDue: "Rien n’est dû.",
    makePayment: "Faire un paiement",
    lastPayment: "Dernier paiement",
    noPayment: "Aucun paiement pour l’instant.",
    autoPayStatus: "État du paiement automatique",
    autoPayOn: "Le paiement automatique est activé.",
    autoPayOff: "Le paiement automatique est désactivé.",
    nextCharge: (date: string) => `Prochain prélèvement\u00a0: ${date}`,
    autoPayMethod: "Mode de paiement automatique",
    noAutoPayMethod: "Aucun mode de paiement n’est choisi pour le paiement automatique.",
    manageAutoPay: "Gérer le paiement automatique",
    billingAddress: "Adresse de facturation",
    editProfile: "Modifier le profil",
    transactionHistory: "Historique des transactions",
    allTransactions: "Toutes les transactions",
  },
});

export function Dashboard() {
  const t = useMessages(strings);
  const format = useFormat();
  const labels = useLabels();
  const [{ data, error }] = useQuery({ query: DashboardDocument });
  if (!data) return <Page title={t.title}><Loading error={error} /></Page>;
  const { account } = data;
  const balance = account.currentBalance;
  const address = account.billingAddress;

  return (
    <Page title={t.title}>
      <p class="subtitle">{t.account(account.name, account.number)}</p>
      <div class="tiles">
        <section class="tile" aria-labelledby="current-balance">
          <h2 id="current-balance">{t.currentBalance}</h2>
          <p class="figure">{format.money(balance.amount)}</p>
          <p>{balance.isCredit ? t.credit : balance.dueDate ? t.due(format.date(balance.dueDate)) : t.nothingDue}</p>
          <a class="button" href="/pay">
            {t.makePayment}
          </a>
        </section>
        <section class="tile" aria-labelledby="last-payment">
          <h2 id="last-payment">{t.lastPayment}</h2>
          {account.lastPayment ? (
            <>
              <p class="figure">{format.money(account.lastPayment.amount)}</p>
              {account.lastPayment.paidAt && <p>{format.dateTime(account.lastPayment.paidAt)}</p>}
              <p>{account.lastPayment.methodDescription}</p>
            </>
          ) : (
            <p>{t.noPayment}</p>
          )}
        </section>
        <section class="tile" aria-labelledby="auto-pay-status">
          <h2 id="auto-pay-status">{t.autoPayStatus}</h2>
          <p>{account.autoPay.enabled ? t.autoPayOn : t.autoPayOff}</p>
          {account.autoPay.enabled && account.autoPay.nextChargeOn && <p>{t.nextCharge(format.date(account.autoPay.nextChargeOn))}</p>}
        </section>
        <section class="tile" aria-labelledby="auto-pay-method">
          <h2 id="auto-pay-method">{t.autoPayMethod}</h2>
          <p>{account.autoPay.paymentMethod ? labels.method(account.autoPay.paymentMethod) : t.noAutoPayMethod}</p>
          <a href="/auto-pay">{t.manageAutoPay}</a>
        </section>
        <section class="tile" aria-labelledby="billing-address">
          <h2 id="billing-address">{t.billingAddress}</h2>
          <address>
            {address.line1}
            <br />
            {address.line2 && (
              <>
                {address.line2}
                <br />
              </>
            )}
            {address.city} {address.province} {address.postalCode}
            <br />
            {address.country}
          </address>
          <a href="/profile">{t.editProfile}</a>
        </section>
      </div>
      <section aria-labelledby="transaction-history">
        <h2 id="transaction-history">{t.transactionHistory}</h2>
        <TransactionTable caption={t.transactionHistory} hideCaption rows={account.transactions.edges.map((edge) => edge.node)} />
        <a href="/transactions">{t.allTransactions}</a>
      </section>
    </Page>
  );
}
