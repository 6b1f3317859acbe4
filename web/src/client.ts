// The GraphQL client: urql with graphcache, its normalized cache. Why urql: a normalized cache
// (an object seen anywhere, a payment in a subscription or an account in a mutation's payload,
// updates every page that shows it), a small footprint (core + graphcache ≈ 20 KB gzipped where
// Apollo Client 4 alone is over 40 KB), first-class Preact bindings and graphql-ws subscriptions.
// Graphcache is given the schema (generated from schema.graphql) so it knows which types are
// embedded values and how interfaces resolve.
import { Client, fetchExchange, mapExchange, subscriptionExchange } from "@urql/core";
import { cacheExchange, type KeyingConfig } from "@urql/exchange-graphcache";
import { persistedExchange } from "@urql/exchange-persisted";
import type { TypedDocumentNode } from "@graphql-typed-document-node/core";
import { createClient as createWsClient } from "graphql-ws";

import schema from "./generated/schema";
import { acceptLanguage } from "./i18n";

/** Types without an `id` of their own are values inside their parent, never looked up alone. */
function embeddedTypes(): KeyingConfig {
  const keys: KeyingConfig = {};
  for (const type of schema.__schema.types) {
    if (type.kind === "OBJECT" && !("fields" in type && type.fields.some((field) => field.name === "id"))) {
      keys[type.name] = () => null;
    }
  }
  return keys;
}

/** The SHA-256 codegen gave the operation: the server holds the portal's operations by it. */
function hashOfDocument(document: unknown): string {
  const hash = (document as { __meta__?: { hash?: string } }).__meta__?.hash;
  if (!hash) throw new Error("an operation without its codegen hash");
  return hash.replace(/^sha256:/, "");
}

async function hashOf(_query: string, document: unknown): Promise<string> {
  return hashOfDocument(document);
}

/** Runs a query outside the client and its cache: for answers no page should keep in memory (a
 *  password's check holds the password in its arguments). Answers its data, or null. */
export async function queryUncached<Data, Variables>(
  document: TypedDocumentNode<Data, Variables>,
  operationName: string,
  variables: Variables,
  token: string | null,
  signal: AbortSignal,
): Promise<Data | null> {
  const response = await fetch("/graphql", {
    method: "POST",
    headers: {
      "content-type": "application/json",
      ...acceptLanguage(),
      ...(token ? { Authorization: `Bearer ${token}` } : {}),
    },
    body: JSON.stringify({
      operationName,
      variables,
      extensions: { persistedQuery: { version: 1, sha256Hash: hashOfDocument(document) } },
    }),
    signal,
  });
  const answer = (await response.json()) as { data?: Data | null };
  return answer.data ?? null;
}

/** Mutations that change what the account's lists and balance show: the pages on screen read
 *  the account again. (Pages read what they show from the cache at once and from the server
 *  beside it, `cache-and-network`, so one reached later is never stale either.) */
const changesTheAccount = [
  "makePayment",
  "addPaymentMethod",
  "removePaymentMethod",
  "setAutoPay",
  "updateProfile",
  "inviteUser",
  "updateUser",
  "deleteUser",
  "resendInvitation",
];

/** The client, and what to do when the session it was made for is over. */
export interface SessionClient {
  client: Client;
  /** Closes its live connection (a logout, or a new session). */
  dispose: () => void;
}

export function makeClient(token: string | null, onSessionEnded: () => void): SessionClient {
  const authorization = token ? { Authorization: `Bearer ${token}` } : undefined;
  const websocket = token
    ? createWsClient({
        url: `${location.protocol === "https:" ? "wss" : "ws"}://${location.host}/graphql`,
        connectionParams: authorization,
        // The server ends idle connections after a minute without a ping.
        keepAlive: 20_000,
        lazy: true,
        on: {
          closed: (event) => {
            // 4403: the session behind this connection has ended (idle, logged out, password changed).
            if ((event as CloseEvent).code === 4403) onSessionEnded();
          },
        },
      })
    : null;

  const client = new Client({
    url: "/graphql",
    preferGetMethod: false,
    requestPolicy: "cache-and-network",
    fetchOptions: () => ({ headers: { ...authorization, ...acceptLanguage() } }),
    exchanges: [
      mapExchange({
        onResult(result) {
          if (result.error?.graphQLErrors.some((error) => error.extensions?.code === "UNAUTHENTICATED")) {
            onSessionEnded();
          }
          return result;
        },
      }),
      cacheExchange({
        schema,
        keys: embeddedTypes(),
        updates: {
          Mutation: Object.fromEntries(
            changesTheAccount.map((field) => [field, (_result, _args, cache) => cache.invalidate("Query", "account")]),
          ),
        },
      }),
      // Every operation by its hash alone: the server trusts the portal's own operations (its build
      // lists them), so the portal runs where only listed operations do, and sends less.
      persistedExchange({
        generateHash: hashOf,
        // POST: the server runs no operation from a GET (no CSRF).
        preferGetForPersistedQueries: false,
        // `npm run dev` beside a server built before an operation changed: unknown hashes fall back
        // to the text there; the built portal's operations are always listed, by hash only.
        enforcePersistedQueries: !import.meta.env.DEV,
        enableForMutation: true,
        enableForSubscriptions: true,
      }),
      fetchExchange,
      ...(websocket
        ? [
            subscriptionExchange({
              forwardSubscription(request) {
                const input = { ...request, query: request.query || "" };
                return {
                  subscribe(sink) {
                    const unsubscribe = websocket.subscribe(input, sink);
                    return { unsubscribe };
                  },
                };
              },
            }),
          ]
        : []),
    ],
  });
  return { client, dispose: () => void websocket?.dispose() };
}
