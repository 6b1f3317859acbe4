// Drives GET /graphql's GraphiQL in Debian's chromium with the network cut off from everything but
// the server under test: logs in with the demo office manager, runs the Dashboard query with the
// token in the Headers editor, opens the Docs explorer (the schema, read by introspection), and runs
// a subscription that shows a change made meanwhile.
//
//   node tests/graphiql-browser/drive.mjs <base_url> <screenshot_path>
//
// Prints one line of JSON to stdout:
//   {"ok":true,"token_ok":true,"account":"…","balance":"…","currency":"…","blocked":[…],"console_errors":[…]}
// and exits 0 only if both steps worked, no request left the server's origin, and the page reported
// no error (page errors, console errors, CSP violations). Otherwise exits 1 with the reason on stderr
// (the JSON line is printed all the same, with "ok":false and "error").
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { chromium } from 'playwright-core';

const STEP_MS = 30_000;
const EMAIL = 'manager@maple-dental.example';
const PASSWORD = 'Juniper42Canoe17Velvet';
const LOGIN = `mutation Login($email: String!, $password: String!) {
  login(input: { email: $email, password: $password }) {
    token
    viewer { email role }
    userErrors { field message code }
  }
}`;
const DASHBOARD = `query Dashboard {
  account {
    name
    currentBalance { amount { amount currencyCode } isCredit }
  }
}`;

const [baseArg, screenshotPath] = process.argv.slice(2);
if (!baseArg || !screenshotPath) {
  console.error('usage: node drive.mjs <base_url> <screenshot_path>');
  process.exit(2);
}
const base = new URL(baseArg);
const origin = base.origin;
// The page reads its editors' contents from the fragment, which never reaches the server.
const graphiqlUrl = (params) => `${origin}/graphql#${new URLSearchParams(params)}`;

const result = { ok: false, token_ok: false, account: null, balance: null, currency: null, docs_root_types: [], docs_types: 0, subscription_auto_pay: null, blocked: [], console_errors: [] };

// Even traffic that page routing does not see (workers, the browser's own) cannot resolve any name
// but the server's.
const hostRules = ['MAP * ~NOTFOUND', 'EXCLUDE 127.0.0.1'];
if (base.hostname !== '127.0.0.1') hostRules.push(`EXCLUDE ${base.hostname.replace(/^\[|\]$/g, '')}`);

// Console messages can quote whole data: URLs.
const clip = (text) => (text.length > 300 ? `${text.slice(0, 300)}…` : text);

function withTimeout(name, promise) {
  let timer;
  const timeout = new Promise((_, reject) => {
    timer = setTimeout(() => reject(new Error(`${name}: timed out after ${STEP_MS / 1000} s`)), STEP_MS);
  });
  return Promise.race([promise, timeout]).finally(() => clearTimeout(timer));
}

// GraphiQL 3's response pane is a read-only CodeMirror 5 editor inside `.result-window`; its
// wrapper element carries the editor instance as `.CodeMirror` (falls back to the rendered lines).
// Runs in the page; returns the text once it contains `expected` or an "errors" key, else false.
function resultPaneOnceItHas(expected) {
  const wrapper = document.querySelector('.result-window .CodeMirror');
  if (!wrapper) return false;
  const text = wrapper.CodeMirror && typeof wrapper.CodeMirror.getValue === 'function'
    ? wrapper.CodeMirror.getValue()
    : Array.from(wrapper.querySelectorAll('.CodeMirror-line'), (line) => line.textContent).join('\n');
  return text.includes(expected) || text.includes('"errors"') ? text : false;
}

// Opens GraphiQL with the given URL parameters, runs the (single) operation and returns the parsed
// response once it contains `expected` (or an `"errors"` key).
async function runInGraphiQL(page, name, params, expected) {
  return withTimeout(name, (async () => {
    // Via a blank page: from /graphql#a to /graphql#b would only change the fragment, not reload.
    await page.goto('about:blank');
    await page.goto(graphiqlUrl(params), { waitUntil: 'load', timeout: STEP_MS });
    const button = page.locator('.graphiql-execute-button');
    await button.waitFor({ state: 'visible', timeout: STEP_MS });
    await button.click();
    const handle = await page.waitForFunction(resultPaneOnceItHas, expected, { timeout: STEP_MS, polling: 100 });
    const text = await handle.jsonValue();
    let response;
    try {
      response = JSON.parse(text);
    } catch {
      throw new Error(`${name}: the result pane does not hold JSON: ${text.slice(0, 300)}`);
    }
    if (response.errors) throw new Error(`${name}: the server answered errors: ${JSON.stringify(response.errors)}`);
    return response;
  })());
}

const userDataDir = mkdtempSync(join(tmpdir(), 'graphiql-browser-'));
let context;
let page;
let screenshotTaken = false;
try {
  context = await chromium.launchPersistentContext(userDataDir, {
    executablePath: process.env.CHROMIUM || '/usr/bin/chromium',
    headless: true,
    viewport: { width: 1400, height: 900 },
    timeout: STEP_MS,
    args: [
      '--no-sandbox',
      '--disable-gpu',
      '--disable-quic',
      '--no-first-run',
      '--disable-background-networking',
      '--disable-component-update',
      '--disable-sync',
      `--host-resolver-rules=${hostRules.join(', ')}`,
    ],
  });
  await context.route('**/*', (route) => {
    const url = route.request().url();
    let requestOrigin = null;
    try {
      requestOrigin = new URL(url).origin;
    } catch {}
    if (requestOrigin === origin || url.startsWith('data:')) return route.continue();
    result.blocked.push(url);
    return route.abort('blockedbyclient');
  });
  // CSP violations also reach the console, but say so explicitly (the listener is installed by
  // the browser, not by the page, so the page's CSP does not apply to it).
  await context.addInitScript(() => {
    document.addEventListener('securitypolicyviolation', (e) => {
      console.error(`CSP violation: ${e.violatedDirective} blocked ${e.blockedURI || '(inline)'} at ${e.sourceFile || '?'}:${e.lineNumber || '?'}`);
    });
  });

  page = context.pages()[0] ?? (await context.newPage());
  page.on('pageerror', (err) => result.console_errors.push(clip(`pageerror: ${err.message}`)));
  page.on('console', (msg) => {
    if (msg.type() === 'error') result.console_errors.push(clip(msg.text()));
  });

  const login = await runInGraphiQL(
    page,
    'step 1 (Login)',
    { query: LOGIN, variables: JSON.stringify({ email: EMAIL, password: PASSWORD }) },
    '"token"',
  );
  const token = login?.data?.login?.token;
  if (typeof token !== 'string' || token === '') {
    throw new Error(`step 1 (Login): no token in the response: ${JSON.stringify(login)}`);
  }
  result.token_ok = true;

  const dashboard = await runInGraphiQL(
    page,
    'step 2 (Dashboard)',
    { query: DASHBOARD, headers: JSON.stringify({ Authorization: `Bearer ${token}` }) },
    '"currentBalance"',
  );
  const account = dashboard?.data?.account;
  if (!account?.currentBalance?.amount) {
    throw new Error(`step 2 (Dashboard): no account balance in the response: ${JSON.stringify(dashboard)}`);
  }
  result.account = account.name;
  result.balance = account.currentBalance.amount.amount;
  result.currency = account.currentBalance.amount.currencyCode;

  // Step 3: the Docs explorer shows the schema, which GraphiQL read by introspection.
  await withTimeout('step 3 (Docs)', (async () => {
    await page.click('.graphiql-sidebar button[aria-label="Show Documentation Explorer"]');
    const docs = page.locator('.graphiql-doc-explorer');
    await docs.getByText('All Schema Types').waitFor({ state: 'visible', timeout: STEP_MS });
    const text = await docs.innerText();
    result.docs_root_types = ['query: Query', 'mutation: Mutation', 'subscription: Subscription'].filter((t) => text.includes(t));
    result.docs_types = text.split('\n').filter((line) => /^[A-Z][A-Za-z]+$/.test(line.trim())).length;
  })());

  // Step 4: a subscription runs in GraphiQL, over WebSocket, and shows the change it hears of.
  await withTimeout('step 4 (Subscription)', (async () => {
    const headers = JSON.stringify({ Authorization: `Bearer ${token}` });
    await page.goto('about:blank');
    await page.goto(graphiqlUrl({ query: 'subscription { accountUpdated { id autoPay { enabled } } }', headers }), { waitUntil: 'load' });
    const button = page.locator('.graphiql-execute-button');
    await button.waitFor({ state: 'visible', timeout: STEP_MS });
    await button.click();
    await page.waitForTimeout(1_000);
    // Someone changes the account: Auto Pay off.
    const changed = await fetch(`${origin}/graphql`, {
      method: 'POST',
      headers: { 'content-type': 'application/json', authorization: `Bearer ${token}` },
      body: JSON.stringify({ query: 'mutation { setAutoPay(input: { enabled: false }) { userErrors { code } } }' }),
    });
    if (!changed.ok) throw new Error(`step 4: turning Auto Pay off answered ${changed.status}`);
    const handle = await page.waitForFunction(resultPaneOnceItHas, '"accountUpdated"', { timeout: STEP_MS, polling: 100 });
    const pushed = JSON.parse(await handle.jsonValue());
    result.subscription_auto_pay = pushed?.data?.accountUpdated?.autoPay?.enabled ?? null;
  })());

  await withTimeout('screenshot', page.screenshot({ path: screenshotPath, fullPage: true }));
  screenshotTaken = true;

  const problems = [];
  if (result.blocked.length) problems.push(`requests left the server's origin: ${result.blocked.join(', ')}`);
  if (result.console_errors.length) problems.push(`the page reported errors: ${result.console_errors.join(' | ')}`);
  if (problems.length) throw new Error(problems.join('; '));
  result.ok = true;
} catch (err) {
  result.error = err.message;
  console.error(`graphiql-browser: ${err.message}`);
  if (page && !screenshotTaken) {
    // A picture of where it stopped helps more than nothing.
    await page.screenshot({ path: screenshotPath, fullPage: true, timeout: 5_000 }).catch(() => {});
  }
} finally {
  await context?.close().catch(() => {});
  rmSync(userDataDir, { recursive: true, force: true });
}
console.log(JSON.stringify(result));
process.exit(result.ok ? 0 : 1);
