// A test double of Stripe.js (https://js.stripe.com/v3/), served by the test in its place since
// nothing outside this machine is reachable: the part of Stripe.js's documented API the portal
// uses (Stripe(), elements(), create('payment').mount(), confirmSetup(), handleNextAction()).
// Like the real one, the element is a frame of its own; what the portal asked is kept in
// window.stripeDoubleCalls for the test to read.
(() => {
  const calls = [];
  window.stripeDoubleCalls = calls;
  window.Stripe = (publishableKey) => {
    calls.push({ call: 'Stripe', publishableKey });
    return {
      elements({ clientSecret, locale }) {
        calls.push({ call: 'elements', clientSecret, locale });
        return {
          create(type) {
            calls.push({ call: 'create', type });
            let frame = null;
            return {
              mount(node) {
                frame = document.createElement('iframe');
                frame.title = 'Secure payment input frame';
                node.append(frame);
              },
              destroy() {
                frame?.remove();
              },
            };
          },
        };
      },
      async confirmSetup({ redirect }) {
        calls.push({ call: 'confirmSetup', redirect });
        return { setupIntent: { id: 'seti_double', status: 'succeeded', payment_method: 'PAYMENT_METHOD_ID' } };
      },
      async handleNextAction({ clientSecret }) {
        calls.push({ call: 'handleNextAction', clientSecret });
        return { paymentIntent: { status: 'succeeded' } };
      },
    };
  };
})();
