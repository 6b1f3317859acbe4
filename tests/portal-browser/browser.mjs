// What every portal journey shares: the browser (Debian's chromium, reaching nothing but
// http://portal.test, the server under test), a person's own context, axe-core and screenshots,
// and the line protocol with the Rust test (one JSON line each way: `ask`, answered; `fact`, kept).
import { mkdirSync, readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import readline from 'node:readline';
import { chromium } from 'playwright-core';

export const [address, artifacts] = process.argv.slice(2);
if (!address || !artifacts) {
  console.error('usage: node <journeys>.mjs <server address> <artifact dir>');
  process.exit(2);
}
mkdirSync(artifacts, { recursive: true });
export const ORIGIN = 'http://portal.test';
const STEP_MS = 20_000;
export const MANAGER = ['manager@maple-dental.example', 'Juniper42Canoe17Velvet'];
export const MEMBER = ['frontdesk@maple-dental.example', 'Copper88Lagoon31Thistle'];
const axeSource = readFileSync(createRequire(import.meta.url).resolve('axe-core/axe.min.js'), 'utf8');

// One line each way with the test.
const input = readline.createInterface({ input: process.stdin })[Symbol.asyncIterator]();
export async function ask(question) {
  process.stdout.write(`${JSON.stringify({ ask: question })}\n`);
  const { value } = await input.next();
  return JSON.parse(value);
}
export function fact(seen) {
  process.stdout.write(`${JSON.stringify({ fact: seen })}\n`);
}

const port = new URL(address).port;
const browser = await chromium.launch({
  executablePath: process.env.CHROMIUM || '/usr/bin/chromium',
  args: [
    '--no-sandbox',
    '--disable-gpu',
    '--no-first-run',
    '--disable-background-networking',
    '--disable-component-update',
    // portal.test is this server; every other name resolves nowhere.
    `--host-resolver-rules=MAP portal.test:80 127.0.0.1:${port}, MAP * ~NOTFOUND`,
    // A secure context, as the deployed portal's https is: passkeys (WebAuthn) exist only there.
    `--unsafely-treat-insecure-origin-as-secure=${ORIGIN}`,
  ],
});
const blocked = [];
const consoleErrors = [];

/** A person's own browser: English (Canada), nothing but the portal reachable, and `fulfil`
 *  ({url: {contentType, body}}) answered by the test in place of another origin. */
export async function person({ locale = 'en-CA', fulfil = {} } = {}) {
  const context = await browser.newContext({ locale, viewport: { width: 1280, height: 900 }, acceptDownloads: true });
  context.setDefaultTimeout(STEP_MS);
  await context.route('**/*', (route) => {
    const url = route.request().url();
    if (fulfil[url]) return route.fulfill(fulfil[url]);
    if (url.startsWith(`${ORIGIN}/`) || url.startsWith('ws://portal.test/') || url.startsWith('data:')) return route.continue();
    blocked.push(url);
    return route.abort('blockedbyclient');
  });
  await context.addInitScript(() => {
    document.addEventListener('securitypolicyviolation', (event) => {
      console.error(`CSP violation: ${event.violatedDirective} blocked ${event.blockedURI || '(inline)'}`);
    });
  });
  const page = await context.newPage();
  page.on('pageerror', (error) => consoleErrors.push(`pageerror: ${error.message}`));
  page.on('console', (message) => {
    // A refused request (a 404 on purpose) is the browser's log, not the page's error; so is the
    // note that Cross-Origin-Opener-Policy needs https, which the test's http://portal.test lacks.
    const text = message.text();
    const browsersOwn = text.startsWith('Failed to load resource') || text.startsWith('The Cross-Origin-Opener-Policy header has been ignored');
    if (message.type() === 'error' && !browsersOwn) consoleErrors.push(text);
  });
  return page;
}

/** axe-core's serious and critical findings on the page as it is now, and its screenshots. */
export async function inspect(page, name) {
  await page.evaluate(axeSource);
  const results = await page.evaluate(() =>
    window.axe.run(document, { runOnly: { type: 'tag', values: ['wcag2a', 'wcag2aa', 'wcag21a', 'wcag21aa'] } }),
  );
  const violations = results.violations
    .filter((violation) => violation.impact === 'serious' || violation.impact === 'critical')
    .map((violation) => ({ id: violation.id, impact: violation.impact, nodes: violation.nodes.map((node) => node.target.join(' ')).slice(0, 5) }));
  fact({ axe: name, passes: results.passes.length, violations });
  await page.screenshot({ path: `${artifacts}/${name}-1280.png`, fullPage: true });
  await page.setViewportSize({ width: 320, height: 640 });
  const overflow = await page.evaluate(() => document.documentElement.scrollWidth - document.documentElement.clientWidth);
  fact({ narrow: name, overflow });
  await page.screenshot({ path: `${artifacts}/${name}-320.png`, fullPage: true });
  await page.setViewportSize({ width: 1280, height: 900 });
}

export async function logIn(page, [email, password], expectPath = '/') {
  await page.getByLabel('Email').fill(email);
  await page.getByLabel('Password', { exact: true }).fill(password);
  await page.getByRole('button', { name: 'Log in', exact: true }).click();
  await page.waitForURL(`${ORIGIN}${expectPath}`);
}

export async function statusText(page) {
  return (await page.getByRole('status').allInnerTexts()).join(' ').trim();
}

export async function step(name, run) {
  try {
    await run();
    fact({ step: name, ok: true });
  } catch (error) {
    fact({ step: name, ok: false, error: String(error?.message ?? error).slice(0, 1500) });
    throw error;
  }
}

/** Runs the journeys, then reports what the browser saw besides the portal, and exits. */
export async function run(journeys) {
  let failed = false;
  try {
    await journeys();
  } catch (error) {
    failed = true;
    console.error(error);
    // What each open page showed when it failed.
    let shot = 0;
    for (const context of browser.contexts()) {
      for (const page of context.pages()) {
        await page.screenshot({ path: `${artifacts}/failure-${++shot}.png`, fullPage: true }).catch(() => {});
      }
    }
    if (shot) console.error(`the pages as they were: ${artifacts}/failure-*.png`);
  } finally {
    fact({ blocked, console_errors: consoleErrors });
    await browser.close();
  }
  process.exit(failed ? 1 : 0);
}
