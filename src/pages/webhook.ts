import type { APIRoute } from 'astro';
import { site } from '../site';
import { stripeWebhooks, webCryptoProvider } from '../lib/stripe';
import { handleWebhook } from '../lib/webhook';

/** POST /webhook (and every other method, which gets 405): Stripe's event deliveries. */
export const ALL: APIRoute = async ({ request }) => {
  const { config, store, catalog, log } = site();
  const result = await handleWebhook(request, {
    store,
    catalog,
    secret: config.webhookSecret,
    webhooks: stripeWebhooks,
    cryptoProvider: webCryptoProvider,
    log,
  });
  return new Response(result.body, { status: result.status, headers: result.headers });
};
