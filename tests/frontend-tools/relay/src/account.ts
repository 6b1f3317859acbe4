// Fragments as a Relay app writes them over the committed schema: refetchable (which needs the
// `Node` interface and `node(id:)`) and a paginated connection. relay-compiler must accept them.
import { graphql } from 'relay-runtime';

export const accountHeader = graphql`
  fragment accountHeader_account on Account @refetchable(queryName: "AccountHeaderRefetchQuery") {
    number
    name
    currentBalance { amount { amount currencyCode } dueDate }
  }
`;

export const accountTransactions = graphql`
  fragment accountTransactions_account on Account
  @refetchable(queryName: "AccountTransactionsPaginationQuery")
  @argumentDefinitions(first: { type: "Int", defaultValue: 20 }, after: { type: "String" }) {
    transactions(first: $first, after: $after) @connection(key: "accountTransactions_transactions") {
      edges { node { id kind description amount { amount } invoice { id number } } }
    }
  }
`;

export const paymentStatus = graphql`
  fragment accountPayment_payment on Payment @refetchable(queryName: "PaymentRefetchQuery") {
    status
    failureMessage
  }
`;
