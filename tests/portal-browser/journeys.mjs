// The Billing Portal as its people use it, in Debian's chromium: every journey of issue 18, axe-core
// on every page, a screenshot of every page at 1280 and 320 px. Run by tests/api/portal_browser.rs,
// which serves the app as http://portal.test (its PUBLIC_URL, so emailed links open as they are)
// and answers what only the world outside the browser knows, one JSON line each way:
//   → {"ask": {"email": "to@…", "nth": 2}}  ← {"subject", "text"}   (their second email)
//   → {"ask": {"settle": "succeeded"}}       ← {"status"}           (a signed webhook settles the PAD debit)
//   → {"ask": {"end_sessions": "who@…"}}     ← {}                   (their sessions end, as elsewhere)
//   → {"fact": {...}}                                               (what was seen, for the test to check)
import { ask, fact, inspect, logIn, MANAGER, MEMBER, ORIGIN, person, run, statusText, step } from './browser.mjs';

const INVITEE = 'new.hygienist@maple-dental.example';
const CHOSEN = 'Granite57Harbour83Lilac';
const RESET = 'Meadow29Lantern64Quartz';

async function balanceShown(page) {
  await page.goto(`${ORIGIN}/`);
  const tile = page.getByRole('region', { name: 'Current Balance' });
  await tile.getByRole('heading', { name: 'Current Balance' }).waitFor();
  return (await tile.locator('.figure').innerText()).trim();
}

await run(async () => {
  const manager = await person();

  await step('an emailed link to /pay asks to log in, then opens /pay', async () => {
    await manager.goto(`${ORIGIN}/pay`);
    await manager.waitForURL(/\/login\?next=%2Fpay$/);
    await inspect(manager, 'login');
    await logIn(manager, MANAGER, '/pay');
    await manager.getByRole('heading', { level: 1 }).waitFor();
  });

  await step('the dashboard shows the guide six sections in order', async () => {
    await manager.goto(`${ORIGIN}/`);
    await manager.getByRole('heading', { name: 'Transaction History' }).waitFor();
    const headings = await manager.getByRole('heading', { level: 2 }).allInnerTexts();
    fact({ dashboard_headings: headings });
    await manager.getByRole('link', { name: 'Make a Payment' }).first().waitFor();
    await manager.getByRole('link', { name: 'Edit Profile' }).waitFor();
    await inspect(manager, 'dashboard');
  });

  await step('a partial payment, clicked twice, charges once and lowers the balance', async () => {
    const before = await balanceShown(manager);
    await manager.getByRole('link', { name: 'Make a Payment' }).first().click();
    await manager.waitForURL(`${ORIGIN}/pay`);
    await manager.getByLabel('Amount').fill('10.00');
    await inspect(manager, 'pay');
    await manager.getByRole('button', { name: 'Pay' }).dblclick();
    await manager.getByRole('status').filter({ hasText: /\$10\.00/ }).waitFor();
    const outcome = await statusText(manager);
    // Back inside the portal (no reload): the dashboard shows the new balance and last payment,
    // read again because the payment changed the account.
    await manager.getByRole('link', { name: 'Back to the dashboard' }).click();
    // (Shown from the cache at once, then from the server: wait for this payment to be the last.)
    const lastPaymentTile = manager.getByRole('region', { name: 'Last Payment' }).locator('.figure');
    await lastPaymentTile.filter({ hasText: '$10.00' }).waitFor();
    const lastPayment = (await lastPaymentTile.innerText()).trim();
    const inApp = (await manager.getByRole('region', { name: 'Current Balance' }).locator('.figure').innerText()).trim();
    const after = await balanceShown(manager);
    fact({ payment: { before, after, in_app: inApp, last_payment_in_app: lastPayment, outcome } });
  });

  await step('a PAD debit stays processing, then settles live after a signed webhook', async () => {
    await manager.goto(`${ORIGIN}/pay`);
    await manager.getByLabel('Amount').fill('5.00');
    const method = manager.getByLabel('Payment method');
    const padOption = await method.locator('option').filter({ hasText: /debit|PAD/i }).first().getAttribute('value');
    await method.selectOption(padOption);
    await manager.getByRole('button', { name: 'Pay' }).click();
    await manager.getByRole('status').filter({ hasText: /process/i }).waitFor();
    const processing = await statusText(manager);
    const settled = await ask({ settle: 'succeeded' });
    await manager.getByRole('status').filter({ hasText: /succeeded|received|paid/i }).waitFor();
    fact({ pad: { processing, webhook: settled.status, settled: await statusText(manager) } });
  });

  await step('a card that needs 3-D Secure asks the bank, then pays', async () => {
    await manager.goto(`${ORIGIN}/pay`);
    await manager.getByLabel('Amount').fill('2.00');
    await manager.getByLabel('Payment method').selectOption('pm_card_authenticationRequired');
    await manager.getByRole('button', { name: 'Pay' }).click();
    await manager.getByRole('button', { name: 'Complete authentication' }).waitFor();
    const challenged = await statusText(manager);
    await inspect(manager, 'pay-3-d-secure');
    await manager.getByRole('button', { name: 'Complete authentication' }).click();
    await manager.getByRole('status').filter({ hasText: /\$2\.00/ }).filter({ hasText: /succeeded|received|paid/i }).waitFor();
    fact({ three_d_secure: { challenged, outcome: await statusText(manager) } });
  });

  await step('the pages an office manager reads', async () => {
    for (const [path, heading] of [
      ['/payments', null],
      ['/transactions', null],
      ['/invoices', null],
      ['/auto-pay', null],
      ['/payment-methods', null],
      ['/profile', null],
      ['/call-history', null],
      ['/activity', null],
      ['/settings', null],
    ]) {
      await manager.goto(`${ORIGIN}${path}`);
      await manager.getByRole('heading', { level: 1 }).waitFor();
      await manager.waitForLoadState('networkidle');
      await inspect(manager, path.slice(1));
    }
    await manager.goto(`${ORIGIN}/payments`);
    await manager.getByRole('table', { name: 'Payments' }).waitFor();
    await manager.goto(`${ORIGIN}/transactions`);
    await manager.getByRole('table', { name: 'Transaction History' }).waitFor();
    fact({ pdf_links: await manager.getByRole('link', { name: 'Download PDF' }).count() });
    await manager.goto(`${ORIGIN}/invoices`);
    await manager.getByRole('link', { name: 'Download PDF' }).first().waitFor();
    await manager.locator('a[href^="/invoices/"]').first().click();
    await manager.getByRole('link', { name: 'Download call records (CSV)' }).waitFor();
    await manager.waitForLoadState('networkidle');
    await inspect(manager, 'invoice');
    const pdf = await manager.getByRole('link', { name: 'Download PDF' }).getAttribute('href');
    // Fetched by the page itself: the link works from the portal's origin, with no other credential.
    const response = await manager.evaluate(async (url) => {
      const answer = await fetch(url);
      return { status: answer.status, type: answer.headers.get('content-type') };
    }, pdf);
    fact({ invoice_pdf: response });
    await manager.goto(`${ORIGIN}/no-such-page`);
    await manager.getByRole('heading', { name: 'Page not found' }).waitFor();
    await inspect(manager, 'not-found');
  });

  await step('an invitation read back from the SMTP server, a first login and the forced new password', async () => {
    await manager.goto(`${ORIGIN}/users`);
    await manager.getByRole('table', { name: 'Users' }).waitFor();
    await inspect(manager, 'users');
    await manager.getByRole('button', { name: 'Invite user' }).click();
    await manager.getByLabel('Email').fill(INVITEE);
    await manager.getByLabel('Name').fill('Noor Haddad');
    await manager.getByLabel('Role').selectOption({ label: 'Member' });
    await manager.getByRole('button', { name: 'Send invitation' }).click();
    await manager.getByRole('status').filter({ hasText: INVITEE }).waitFor();
    const invitation = await ask({ email: INVITEE, nth: 1 });
    const temporary = invitation.text.match(/[Tt]emporary password:\s*(\S+)/)?.[1];
    const invitee = await person();
    await invitee.goto(`${ORIGIN}/login`);
    await logIn(invitee, [INVITEE, temporary]);
    await invitee.getByRole('heading', { name: 'Choose a new password' }).waitFor();
    await invitee.locator('#password-rules li').first().waitFor();
    const rules = await invitee.locator('#password-rules li').allInnerTexts();
    await invitee.getByLabel('New password', { exact: true }).fill('short1');
    await invitee.locator('#password-rules li.unmet').first().waitFor();
    const unmet = await invitee.locator('#password-rules li.unmet').count();
    await inspect(invitee, 'choose-password');
    await invitee.getByLabel('New password', { exact: true }).fill(CHOSEN);
    await invitee.getByLabel('Confirm new password').fill(CHOSEN);
    await invitee.getByRole('button', { name: 'Save password' }).click();
    await invitee.getByRole('heading', { name: 'Current Balance' }).waitFor();
    fact({ invitation: { temporary: Boolean(temporary), rules, unmet_while_short: unmet } });
    await invitee.context().close();
  });

  await step('a member sees no Manage Users, and is told it is for office managers if they go there', async () => {
    const member = await person();
    await member.goto(`${ORIGIN}/login`);
    await logIn(member, MEMBER);
    const nav = member.getByRole('navigation', { name: 'Main' });
    await nav.getByRole('link', { name: 'Make a Payment' }).waitFor();
    const links = await nav.getByRole('link').allInnerTexts();
    await member.goto(`${ORIGIN}/users`);
    await member.getByRole('alert').waitFor();
    fact({ member: { nav: links, users_page: await member.getByRole('alert').innerText() } });
    await member.context().close();
  });

  await step('a reset link from the email sets a new password', async () => {
    const forgetful = await person();
    await forgetful.goto(`${ORIGIN}/login`);
    await forgetful.getByRole('link', { name: 'Forgot password?' }).click();
    await forgetful.getByLabel('Email').fill(INVITEE);
    await forgetful.getByRole('button', { name: 'Send reset link' }).click();
    await forgetful.getByRole('status').filter({ hasText: INVITEE }).waitFor();
    await inspect(forgetful, 'forgot-password');
    const email = await ask({ email: INVITEE, nth: 2 });
    const link = email.text.match(/https?:\/\/\S*reset-password\?token=\S+/)?.[0];
    await forgetful.goto(link);
    await inspect(forgetful, 'reset-password');
    await forgetful.getByLabel('New password', { exact: true }).fill(RESET);
    await forgetful.getByLabel('Confirm new password').fill(RESET);
    await forgetful.getByRole('button', { name: 'Save password' }).click();
    await forgetful.getByRole('status').filter({ hasText: /saved/i }).waitFor();
    await forgetful.goto(`${ORIGIN}/login`);
    await logIn(forgetful, [INVITEE, RESET]);
    fact({ reset: { link_origin: new URL(link).origin, logged_in: true } });
    await forgetful.context().close();
  });

  await step('with the keyboard alone: log in, land on the dashboard, reach Make a Payment', async () => {
    const typist = await person();
    await typist.goto(`${ORIGIN}/login`);
    const focused = () => typist.evaluate(() => {
      const element = document.activeElement;
      return { tag: element?.tagName ?? '', name: element?.getAttribute('aria-label') || element?.labels?.[0]?.textContent || element?.textContent?.trim() || '' };
    });
    /** Tab until the focused element is the one named `name`; answers how many presses it took. */
    async function tabTo(name) {
      for (let presses = 1; presses <= 40; presses++) {
        await typist.keyboard.press('Tab');
        if ((await focused()).name === name) return presses;
      }
      throw new Error(`${name} is not reachable with Tab`);
    }
    await tabTo('Email');
    await typist.keyboard.type(MEMBER[0]);
    await tabTo('Password');
    await typist.keyboard.type(MEMBER[1]);
    await typist.keyboard.press('Enter');
    await typist.getByRole('heading', { name: 'Current Balance' }).waitFor();
    const afterLogin = await focused();
    await tabTo('Make a Payment');
    await typist.keyboard.press('Enter');
    await typist.waitForURL(`${ORIGIN}/pay`);
    await typist.getByLabel('Amount').waitFor();
    const afterRoute = await focused();
    fact({ keyboard: { after_login: afterLogin, after_route: afterRoute } });
    await typist.context().close();
  });

  await step('French, chosen once, is remembered', async () => {
    await manager.goto(`${ORIGIN}/`);
    await manager.getByRole('button', { name: 'Français' }).click();
    await manager.getByRole('heading', { name: 'Tableau de bord du compte' }).waitFor();
    await manager.reload();
    await manager.getByRole('heading', { name: 'Tableau de bord du compte' }).waitFor();
    const balance = (await manager.locator('.figure').first().innerText()).trim();
    fact({ french: { lang: await manager.evaluate(() => document.documentElement.lang), balance } });
    await inspect(manager, 'dashboard-fr');
    // Chosen while logged in, it is the person's: another browser, in English, opens in French once
    // they log in (and their emails follow).
    const elsewhere = await person();
    await elsewhere.goto(`${ORIGIN}/login`);
    await logIn(elsewhere, MANAGER);
    await elsewhere.getByRole('heading', { name: 'Tableau de bord du compte' }).waitFor();
    fact({ french_elsewhere: await elsewhere.evaluate(() => document.documentElement.lang) });
    await elsewhere.context().close();
    await manager.getByRole('button', { name: 'English' }).click();
    await manager.getByRole('heading', { name: 'Account Dashboard' }).waitFor();
    // Before login, a French browser reads the server's own refusals in French.
    const visitor = await person({ locale: 'fr-CA' });
    await visitor.goto(`${ORIGIN}/login`);
    await visitor.getByLabel('Courriel').fill(MANAGER[0]);
    await visitor.getByLabel('Mot de passe', { exact: true }).fill('not the password');
    await visitor.getByRole('button', { name: 'Se connecter', exact: true }).click();
    // Shown under the field it is about, as the field's description.
    const refusal = visitor.locator('p.error');
    await refusal.waitFor();
    fact({ french_refusal: (await refusal.innerText()).trim() });
    await visitor.context().close();
  });

  await step('two-step sign-in: set up in My settings, asked at the next login, turned off', async () => {
    await manager.goto(`${ORIGIN}/settings`);
    await manager.getByRole('button', { name: 'Set up an authenticator app' }).click();
    const secret = (await manager.locator('code.totp-secret').innerText()).trim();
    await inspect(manager, 'two-factor-setup');
    await manager.getByLabel('Code from the app').fill(await ask({ totp: secret }));
    await manager.getByRole('button', { name: 'Turn on two-step sign-in' }).click();
    await manager.getByRole('heading', { name: 'Your recovery codes' }).waitFor();
    const recoveryCodes = await manager.locator('.recovery-codes li').count();
    await manager.getByRole('button', { name: 'Log out' }).click();
    await manager.waitForURL(/\/login/);
    await manager.getByLabel('Email').fill(MANAGER[0]);
    await manager.getByLabel('Password', { exact: true }).fill(MANAGER[1]);
    await manager.getByRole('button', { name: 'Log in', exact: true }).click();
    // The code the setup used cannot be used again: the app's next one.
    await manager.getByLabel('Authentication code').fill(await ask({ totp: secret, ahead: 1 }));
    await inspect(manager, 'login-second-step');
    await manager.getByRole('button', { name: 'Continue' }).click();
    await manager.getByRole('button', { name: 'Log out' }).waitFor();
    await manager.goto(`${ORIGIN}/settings`);
    await manager.getByLabel('Your password').fill(MANAGER[1]);
    await manager.getByRole('button', { name: 'Turn off two-step sign-in' }).click();
    await manager.getByText('Off: your password alone logs you in.').waitFor();
    fact({ two_factor: { recovery_codes: recoveryCodes } });
  });

  await step('a session ended elsewhere lands on the login page with the reason', async () => {
    await ask({ end_sessions: MANAGER[0] });
    await manager.goto(`${ORIGIN}/payments`);
    await manager.waitForURL(/\/login/);
    await manager.getByRole('status').filter({ hasText: /session has ended/ }).waitFor();
    await logIn(manager, MANAGER, '/payments');
    await manager.getByRole('button', { name: 'Log out' }).click();
    await manager.waitForURL(/\/login/);
    fact({ ended: { logged_out: await statusText(manager) } });
  });
});
