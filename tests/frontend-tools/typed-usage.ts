// What a frontend writes on top of the generated types; `tsc --strict` must accept it. It would
// not if a scalar were typed `unknown`/`any`, a non-null field nullable, or an enum widened.
import type { DashboardQuery, NodeQuery, PaymentUpdatedSubscription, TransactionKind } from './.generated/gql/graphql';

export function balance(data: DashboardQuery): string {
  // Decimal is text: never a float.
  const amount: string = data.account.currentBalance.amount.amount;
  const due: string | null | undefined = data.account.currentBalance.dueDate;
  return `${amount} ${data.account.currentBalance.amount.currencyCode}${due ? ` due ${due}` : ''}`;
}

export function status(update: PaymentUpdatedSubscription): 'done' | 'waiting' | 'failed' {
  switch (update.paymentUpdated.status) {
    case 'SUCCEEDED':
      return 'done';
    case 'PROCESSING':
    case 'REQUIRES_ACTION':
      return 'waiting';
    case 'FAILED':
    case 'CANCELED':
      return 'failed';
  }
}

export function nodeLabel(data: NodeQuery): string {
  const node = data.node;
  if (!node) return 'not found';
  switch (node.__typename) {
    case 'Account':
      return node.number;
    case 'Invoice':
      return `${node.number} ${node.invoiceStatus}`;
    default:
      return node.id;
  }
}

export const kinds: TransactionKind[] = ['INVOICE', 'PAYMENT', 'CREDIT', 'REFUND'];
