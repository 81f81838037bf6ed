import type { APIRoute } from 'astro';
import { handleWebhook } from '../lib/webhook/handler.ts';
import { site } from '../site.ts';

/** POST /webhook (and every other method, which gets 405): Stripe's event deliveries. */
export const ALL: APIRoute = ({ request }) => {
  const { config, tables, log, events, ownerTables } = site();
  return handleWebhook(request, {
    secret: config.webhookSecret,
    processedEvents: tables.processedEvents,
    log,
    plan: events.plan,
    run: events.run,
    onFailure: async (event) => (await ownerTables()).activity.webhookFailed(event.type),
  });
};
