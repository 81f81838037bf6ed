import type Stripe from 'stripe';
import { readBodyLimited } from './body';
import type { CatalogCache } from './catalog-cache';
import { planEvent } from './event-handlers';
import { describeError, type Logger } from './log';
import type { Store } from './store';

/** Stripe's event payloads are far smaller; anything bigger is not from Stripe. */
export const MAX_WEBHOOK_BODY_BYTES = 1024 * 1024;
/** Stripe sends one v1 signature per active secret (two while rolling); cap the work per request. */
const MAX_SIGNATURE_HEADER_LENGTH = 1024;
const MAX_SIGNATURES = 8;
/** Stripe's default tolerance for the signed timestamp, in seconds. */
export const SIGNATURE_TOLERANCE_SECONDS = 300;

export interface WebhookDeps {
  store: Store;
  /** Absent when no Stripe key is configured (the catalog then cannot be refreshed). */
  catalog?: CatalogCache;
  /** STRIPE_WEBHOOK_SECRET; undefined when not configured. */
  secret: string | undefined;
  webhooks: Stripe['webhooks'];
  cryptoProvider: Stripe.CryptoProvider;
  log: Logger;
  now?: () => number;
}

export interface WebhookResponse {
  status: number;
  body: string;
  headers: Record<string, string>;
}

type Outcome = 'processed' | 'duplicate' | 'ignored' | 'rejected' | 'failed';

const RECEIVED = JSON.stringify({ received: true });

function text(status: number, body: string, headers: Record<string, string> = {}): WebhookResponse {
  return { status, body, headers: { 'content-type': 'text/plain; charset=utf-8', ...headers } };
}

function received(): WebhookResponse {
  return { status: 200, body: RECEIVED, headers: { 'content-type': 'application/json' } };
}

function isJsonContentType(value: string | null): boolean {
  return value !== null && value.split(';')[0]?.trim().toLowerCase() === 'application/json';
}

/** A verified payload is only acted on when it has the shape of a Stripe event. */
function isStripeEvent(value: unknown): value is Stripe.Event {
  if (typeof value !== 'object' || value === null) return false;
  const event = value as Partial<Stripe.Event>;
  return (
    event.object === 'event' &&
    typeof event.id === 'string' &&
    /^evt_\w{1,250}$/.test(event.id) &&
    typeof event.type === 'string' &&
    typeof event.created === 'number' &&
    typeof event.data === 'object' &&
    event.data !== null &&
    typeof event.data.object === 'object' &&
    event.data.object !== null
  );
}

/**
 * Handles one POST /webhook: verifies the signature on the raw body, applies the event once,
 * and answers as Stripe expects (2xx received, 4xx bad input, 5xx retry later).
 */
export async function handleWebhook(request: Request, deps: WebhookDeps): Promise<WebhookResponse> {
  const now = deps.now ?? Date.now;
  const started = now();
  const logLine = (outcome: Outcome, fields: { reason?: string; event?: Stripe.Event; error?: string } = {}) =>
    (outcome === 'failed' ? deps.log.error : deps.log.info)({
      msg: 'webhook',
      outcome,
      reason: fields.reason,
      event_id: fields.event?.id,
      type: fields.event?.type,
      error: fields.error,
      ms: now() - started,
    });
  const reject = (status: number, reason: string, message: string, headers?: Record<string, string>) => {
    logLine('rejected', { reason });
    return text(status, message, headers);
  };

  if (request.method !== 'POST') return reject(405, 'method', 'Method not allowed. Use POST.', { allow: 'POST' });
  if (!isJsonContentType(request.headers.get('content-type'))) {
    return reject(415, 'content_type', 'Content-Type must be application/json.');
  }

  const body = await readBodyLimited(request, MAX_WEBHOOK_BODY_BYTES);
  if (!body.ok) {
    return body.reason === 'too_large'
      ? reject(413, 'too_large', 'Payload too large.')
      : reject(400, 'unreadable', 'Body could not be read as UTF-8.');
  }

  if (!deps.secret) {
    deps.log.error({ msg: 'webhook', outcome: 'rejected', reason: 'STRIPE_WEBHOOK_SECRET is not set; refusing all events' });
    return text(500, 'Webhook endpoint is not configured.');
  }

  const signature = request.headers.get('stripe-signature');
  if (!signature) return reject(400, 'no_signature', 'Missing Stripe-Signature header.');
  if (signature.length > MAX_SIGNATURE_HEADER_LENGTH || signature.split(',').length > MAX_SIGNATURES + 1) {
    return reject(400, 'signature_header', 'Malformed Stripe-Signature header.');
  }

  let parsed: unknown;
  try {
    parsed = await deps.webhooks.constructEventAsync(
      body.text,
      signature,
      deps.secret,
      SIGNATURE_TOLERANCE_SECONDS,
      deps.cryptoProvider,
      now(),
    );
  } catch (error) {
    const message = error instanceof Error ? error.message : '';
    if (/tolerance/i.test(message)) return reject(400, 'expired', 'Timestamp outside the tolerance zone.');
    if (error instanceof SyntaxError) return reject(400, 'not_json', 'Body is not a Stripe event.');
    return reject(400, 'bad_signature', 'Signature verification failed.');
  }
  if (!isStripeEvent(parsed)) return reject(400, 'not_event', 'Body is not a Stripe event.');
  const event = parsed;

  try {
    const plan = planEvent(event, deps.catalog);
    if (plan.kind === 'ignore') {
      logLine('ignored', { event });
      return received();
    }
    // Both paths mark the event only after its work succeeded, so a failed attempt is redone on retry.
    const outcome =
      plan.kind === 'ordered-write'
        ? await deps.store.applyOrderedEvent(event.id, plan.key, plan.value, event.created)
        : await deps.store.applyOnce(event.id, () => plan.catalog.refreshAfterChange());
    logLine(outcome === 'duplicate' ? 'duplicate' : 'processed', { event });
    return received();
  } catch (error) {
    logLine('failed', { event, error: describeError(error) });
    return text(500, 'Temporary failure. Please retry.');
  }
}
