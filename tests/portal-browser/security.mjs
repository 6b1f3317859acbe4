// Account security in the portal, in Debian's chromium with its virtual authenticator (a passkey
// device as the browser's WebAuthn sees one): a passkey added in My settings, a login with it and
// no password, "Confirm it's you" before removing it once the sign-in is old, logging out the
// other sessions, and an office manager resetting a colleague's two-step sign-in. Run by tests/api/portal_security.rs, which answers:
//   → {"ask": {"age_sessions": "who@…"}}     ← {}   (their sign-ins become 16 minutes old)
import { ask, fact, inspect, logIn, MANAGER, ORIGIN, person, run, statusText, step } from './browser.mjs';

/** A platform authenticator with user verification, as a laptop's fingerprint reader is. */
async function withAuthenticator(page) {
  const cdp = await page.context().newCDPSession(page);
  await cdp.send('WebAuthn.enable', { enableUI: false });
  const { authenticatorId } = await cdp.send('WebAuthn.addVirtualAuthenticator', {
    options: {
      protocol: 'ctap2',
      ctap2Version: 'ctap2_1',
      transport: 'internal',
      hasResidentKey: true,
      hasUserVerification: true,
      isUserVerified: true,
      automaticPresenceSimulation: true,
    },
  });
  return async () => (await cdp.send('WebAuthn.getCredentials', { authenticatorId })).credentials;
}

await run(async () => {
  const manager = await person();
  const credentials = await withAuthenticator(manager);

  await step('a passkey is added in My settings', async () => {
    await manager.goto(`${ORIGIN}/login`);
    await logIn(manager, MANAGER);
    await manager.goto(`${ORIGIN}/settings`);
    await manager.getByRole('heading', { name: 'Passkeys' }).waitFor();
    await manager.getByLabel('Passkey name').fill('Work laptop');
    await manager.getByRole('button', { name: 'Add a passkey' }).click();
    await manager.getByRole('status').filter({ hasText: 'The passkey “Work laptop” was added.' }).waitFor();
    await manager.getByText('Work laptop').first().waitFor();
    const stored = await credentials();
    fact({ passkey_added: { resident: stored.every((c) => c.isResidentCredential), count: stored.length } });
    await inspect(manager, 'settings-security');
  });

  await step('a login with the passkey and no password', async () => {
    await manager.getByRole('button', { name: 'Log out', exact: true }).click();
    await manager.waitForURL(/\/login/);
    await manager.getByRole('button', { name: 'Use a passkey instead' }).click();
    // Back where they logged out from, logged in.
    await manager.waitForURL((url) => !url.pathname.startsWith('/login'));
    await manager.getByRole('heading', { name: 'My settings', level: 1 }).waitFor();
    await manager.getByRole('button', { name: 'Log out', exact: true }).waitFor();
    fact({ passkey_login: true });
  });

  await step('removing it, an hour-old sign-in is asked to confirm it is you', async () => {
    await ask({ age_sessions: MANAGER[0] });
    await manager.goto(`${ORIGIN}/settings`);
    await manager.getByRole('button', { name: 'Remove the passkey Work laptop' }).click();
    const dialog = manager.getByRole('dialog', { name: 'Confirm it’s you' });
    await dialog.waitFor();
    await inspect(manager, 'confirm-identity');
    await dialog.getByLabel('Password').fill('not my password');
    await dialog.getByRole('button', { name: 'Confirm' }).click();
    await dialog.getByText('The current password is incorrect.').waitFor();
    await dialog.getByLabel('Password').fill(MANAGER[1]);
    await dialog.getByRole('button', { name: 'Confirm' }).click();
    await manager.getByRole('status').filter({ hasText: 'The passkey was removed.' }).waitFor();
    await manager.getByText('You have no passkeys.').waitFor();
    fact({ passkey_removed: true });
  });

  await step('the other sessions are listed and logged out', async () => {
    const elsewhere = await person();
    await elsewhere.goto(`${ORIGIN}/login`);
    await logIn(elsewhere, MANAGER);
    await manager.goto(`${ORIGIN}/settings`);
    const table = manager.getByRole('table', { name: 'Where you are logged in' });
    await table.getByText('(This device)').waitFor();
    // The list is refreshed from the server after the cached one shows: the other browser's row.
    await table.getByRole('row').nth(2).waitFor();
    const rows = await table.getByRole('row').count();
    await manager.getByRole('button', { name: 'End all other sessions' }).click();
    const said = await manager.getByRole('status').filter({ hasText: /other session/ }).innerText();
    await elsewhere.goto(`${ORIGIN}/`);
    await elsewhere.waitForURL(/\/login/);
    fact({ sessions: { rows, said: said.trim(), elsewhere_logged_out: true } });
    await elsewhere.context().close();
  });

  await step('an office manager resets the two-step sign-in of someone who lost their phone', async () => {
    await manager.goto(`${ORIGIN}/users`);
    await manager.getByRole('button', { name: 'Edit Sam Okafor' }).click();
    await inspect(manager, 'users-edit');
    await manager.getByRole('button', { name: 'Reset two-step sign-in' }).click();
    await manager.getByRole('status').filter({ hasText: 'Two-step sign-in of Sam Okafor was reset.' }).waitFor();
    fact({ second_factor_reset: true });
  });
});
