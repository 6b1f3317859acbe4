// Subscribes with the graphql-ws client, as a frontend would, and prints what happens as JSON
// lines: {"ready": true} once the connection is acknowledged and the subscriptions sent, then
// {"sub": i, "data": …} / {"sub": i, "errors": …} per message, {"sub": i, "complete": true},
// and {"closed": {code, reason}} when the server closes the connection.
//
//   node subscribe.mjs '{"url": "ws://…/graphql", "token": "…", "subscriptions": [{"query": "…",
//                        "variables": {}}], "seconds": 20}'
import { createClient } from 'graphql-ws';
import WebSocket from 'ws';

const spec = JSON.parse(process.argv[2]);
const say = (line) => process.stdout.write(JSON.stringify(line) + '\n');

const client = createClient({
  url: spec.url,
  webSocketImpl: WebSocket,
  connectionParams: spec.token ? { Authorization: `Bearer ${spec.token}` } : {},
  retryAttempts: 0,
  lazy: false,
  on: {
    connected: () => {
      spec.subscriptions.forEach((subscription, sub) => {
        client.subscribe(subscription, {
          next: (message) => say({ sub, ...message }),
          error: (error) => say({ sub, error: String(error?.message ?? error?.reason ?? JSON.stringify(error)) }),
          complete: () => say({ sub, complete: true }),
        });
      });
      // The server registers a subscription within milliseconds of its message.
      setTimeout(() => say({ ready: true }), 500);
    },
    closed: (event) => {
      say({ closed: { code: event.code, reason: event.reason } });
      process.exit(0);
    },
  },
});

setTimeout(() => {
  say({ timeout: true });
  process.exit(0);
}, (spec.seconds ?? 20) * 1000);
