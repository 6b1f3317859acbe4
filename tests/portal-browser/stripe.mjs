// The portal with Stripe: a new card is typed into Stripe's element (Stripe.js, here its test
// double, stripe-double.js, served by the test at Stripe's address) and put on file. Run by
// tests/api/portal_stripe.rs with the Stripe payment method id its double of Stripe's API knows.
import { readFileSync } from 'node:fs';

import { fact, inspect, logIn, MANAGER, ORIGIN, person, run, step } from './browser.mjs';

const paymentMethod = process.argv[4];
const stripeJs = {
  contentType: 'text/javascript',
  body: readFileSync(new URL('stripe-double.js', import.meta.url), 'utf8').replace('PAYMENT_METHOD_ID', paymentMethod),
};

await run(async () => {
  const manager = await person({ fulfil: { 'https://js.stripe.com/v3/': stripeJs } });
  await step("a new card is saved through Stripe's element and put on file", async () => {
    await manager.goto(`${ORIGIN}/login`);
    await logIn(manager, MANAGER);
    await manager.goto(`${ORIGIN}/payment-methods`);
    await manager.getByRole('button', { name: 'Add payment method' }).waitFor();
    const remove = manager.getByRole('button', { name: /^Remove/ });
    const before = await remove.count();
    await manager.getByRole('button', { name: 'Add payment method' }).click();
    await manager.locator('.stripe-frame iframe').waitFor();
    await manager.getByRole('button', { name: 'Save payment method' }).waitFor();
    await inspect(manager, 'payment-methods-stripe');
    await manager.getByRole('button', { name: 'Save payment method' }).click();
    for (let waited = 0; (await remove.count()) <= before; waited += 100) {
      if (waited > 10_000) throw new Error('the saved method never appeared in the list');
      await manager.waitForTimeout(100);
    }
    const after = await remove.count();
    fact({ stripe: { before, after, calls: await manager.evaluate(() => window.stripeDoubleCalls) } });
  });
});
