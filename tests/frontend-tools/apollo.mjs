// Apollo Client, as a frontend runs it, against the API: log in, read the Dashboard, page the
// transaction history with relayStylePagination, pay and see the cached balance change without a
// refetch, with Automatic Persisted Queries; then two queries batched into one request with
// BatchHttpLink. Prints one JSON line of what it saw.
//
//   node apollo.mjs '{"url": "http://…/graphql", "email": "…", "password": "…", "operations": "…"}'
import { createHash } from 'node:crypto';
import { ApolloClient, ApolloLink, HttpLink, InMemoryCache, gql } from '@apollo/client';
import { BatchHttpLink } from '@apollo/client/link/batch-http';
import { SetContextLink } from '@apollo/client/link/context';
import { PersistedQueryLink } from '@apollo/client/link/persisted-queries';
import { relayStylePagination } from '@apollo/client/utilities';
import { visit } from 'graphql';

const spec = JSON.parse(process.argv[2]);
// The contract's operations, one document with their fragments (as a codegen setup would).
const operations = spec.operations;
const definitions = gql(operations).definitions;
const doc = (name) => {
  const wanted = definitions.find((d) => d.kind === 'OperationDefinition' && d.name.value === name);
  // The operation and the fragments it spreads, however deep.
  const fragments = new Map();
  const spreadsOf = (node) => {
    visit(node, {
      FragmentSpread(spread) {
        const name = spread.name.value;
        if (fragments.has(name)) return;
        const fragment = definitions.find((d) => d.kind === 'FragmentDefinition' && d.name.value === name);
        fragments.set(name, fragment);
        spreadsOf(fragment);
      },
    });
  };
  spreadsOf(wanted);
  return { kind: 'Document', definitions: [wanted, ...fragments.values()] };
};

const requests = [];
const counting = (input, init) => {
  requests.push(JSON.parse(init.body));
  return fetch(input, init);
};

let token = null;
const auth = new SetContextLink((prev) => ({
  headers: { ...prev.headers, ...(token ? { Authorization: `Bearer ${token}` } : {}) },
}));
const cache = () =>
  new InMemoryCache({ typePolicies: { Account: { fields: { transactions: relayStylePagination(['kinds']) } } } });
const sha256 = (text) => createHash('sha256').update(text).digest('hex');

const client = new ApolloClient({
  cache: cache(),
  link: ApolloLink.from([auth, new PersistedQueryLink({ sha256 }), new HttpLink({ uri: spec.url, fetch: counting })]),
});

const seen = {};
const login = await client.mutate({ mutation: doc('Login'), variables: { email: spec.email, password: spec.password } });
token = login.data.login.token;

const dashboard = doc('Dashboard');
const first = await client.query({ query: dashboard });
seen.balanceBefore = first.data.account.currentBalance.amount.amount;

// The same query again, from the network: this time by its hash alone.
const before = requests.length;
await client.query({ query: dashboard, fetchPolicy: 'network-only' });
seen.repeatSentText = requests.slice(before).some((body) => typeof body.query === 'string');
seen.apqNotFoundThenText = requests.some((b) => b.query === undefined && b.extensions?.persistedQuery)
  && requests.some((b) => typeof b.query === 'string' && b.extensions?.persistedQuery);

// Two pages, merged by relayStylePagination into one list in the cache.
const history = doc('TransactionHistory');
const page1 = await client.query({ query: history, variables: { first: 2 } });
const after = page1.data.account.transactions.pageInfo.endCursor;
seen.totalCount = page1.data.account.transactions.totalCount;
// A page the cache cannot answer (its read function shows the merged list for any cursor).
await client.query({ query: history, variables: { first: 2, after }, fetchPolicy: "network-only" });
const merged = client.readQuery({ query: history, variables: { first: 2 } });
seen.mergedEdges = merged.account.transactions.edges.length;
seen.distinctIds = new Set(merged.account.transactions.edges.map((e) => e.node.id)).size;

// Pay: the mutation answers the account, and the cached Dashboard shows the new balance.
const methods = await client.query({ query: doc('PaymentMethods') });
const method = methods.data.account.paymentMethods[0].id;
const pay = gql`
  mutation Pay($amount: Decimal!, $method: ID!, $key: String!) {
    makePayment(input: { amount: $amount, paymentMethodId: $method, idempotencyKey: $key }) {
      payment { id status }
      account { id currentBalance { amount { amount currencyCode } dueDate isCredit } }
      userErrors { code message }
    }
  }`;
const paid = await client.mutate({ mutation: pay, variables: { amount: '10.00', method, key: `apollo-${Date.now()}` } });
seen.paymentStatus = paid.data.makePayment.payment?.status;
const cached = client.readQuery({ query: dashboard });
seen.balanceAfterFromCache = cached.account.currentBalance.amount.amount;

// BatchHttpLink: two queries asked together travel in one request.
const batched = [];
const batchClient = new ApolloClient({
  cache: cache(),
  link: ApolloLink.from([
    auth,
    new BatchHttpLink({ uri: spec.url, batchMax: 10, batchInterval: 20, fetch: (i, init) => (batched.push(JSON.parse(init.body)), fetch(i, init)) }),
  ]),
});
const [a, b] = await Promise.all([
  batchClient.query({ query: doc('Dashboard') }),
  batchClient.query({ query: doc('PaymentMethods') }),
]);
seen.batchRequests = batched.length;
seen.batchSize = Array.isArray(batched[0]) ? batched[0].length : 1;
seen.batchAnswered = Boolean(a.data.account.id && b.data.account.paymentMethods.length);
process.stdout.write(JSON.stringify(seen) + '\n');
