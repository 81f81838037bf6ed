import type Stripe from 'stripe';
import { BufferPool, decodeUtf8, readBodyBytes } from '../http/body.ts';
import type { EventAction } from './events.ts';
import { plainText } from '../http/responses.ts';
import { describeError, type LogFields, type Logger } from '../log/log.ts';
import { createFloodLog, type FloodLog } from '../log/flood.ts';
import type { ProcessedEvents } from './processed-events.ts';
import { STRIPE_API_VERSION } from '../stripe/client.ts';
import { isStripeId } from '../stripe/ids.ts';
import { MAX_WEBHOOK_BODY_BYTES } from './limits.ts';
import { parseSignatureHeader, signedPrefix, verifySignature } from './signature.ts';

/** Room for the signed `<t>.` prefix (parseSignatureHeader allows up to 12 digits). */
const MAX_PREFIX_BYTES = 13;
// Per isolate: every body is read into one of these, so a flood of forged deliveries reuses
// memory instead of leaving a buffer per request for the garbage collector.
const bodyPool = new BufferPool(MAX_PREFIX_BYTES + MAX_WEBHOOK_BODY_BYTES + 1, 32);

/** Stripe's default tolerance for the signed timestamp, in seconds (stripe-node Webhook.DEFAULT_TOLERANCE). */
const SIGNATURE_TOLERANCE_SECONDS = 300;
/** Thin events are small; only bodies up to this size are inspected to explain a refusal. */
const THIN_EVENT_PEEK_BYTES = 16 * 1024;

export interface WebhookDeps {
  /** STRIPE_WEBHOOK_SECRET; undefined when not configured. */
  secret: string | undefined;
  processedEvents: ProcessedEvents;
  log: Logger;
  /** What a verified event asks of the site (pure). */
  plan: (event: Stripe.Event) => EventAction;
  /** Does it: re-reads Stripe, writes D1. Throws to make Stripe retry. */
  run: (action: EventAction) => Promise<void>;
  /** Hears of an event whose work failed (the owner's page shows the last one); its own errors are ignored. */
  onFailure?: (event: Stripe.Event) => Promise<void>;
  now?: () => number;
  /** Where rejection lines go; default one counter per isolate and logger (`rejectionLog`). */
  rejections?: FloodLog;
}

type Outcome = 'processed' | 'duplicate' | 'in-progress' | 'ignored' | 'rejected' | 'failed';

// Once per isolate: a mismatched endpoint version is a setup problem, not news on every event.
let warnedApiVersion: string | undefined;

const rejectionLogs = new WeakMap<Logger, FloodLog>();

/**
 * Rejections are what a stranger can send by the thousand (forged signatures, junk bodies): per
 * isolate, the first 5 a minute are logged one by one, the rest as one aggregate line of counts
 * by reason. Processed, duplicate, ignored and failed events stay one line each.
 */
function rejectionLog(log: Logger, now: () => number): FloodLog {
  let flood = rejectionLogs.get(log);
  if (!flood) {
    flood = createFloodLog({ log, kind: 'webhook_rejected', msg: 'webhook rejected (aggregate)', now });
    rejectionLogs.set(log, flood);
  }
  return flood;
}

function isJsonContentType(value: string | null): boolean {
  return value !== null && value.split(';')[0]?.trim().toLowerCase() === 'application/json';
}

/** A verified payload is only acted on when it has the shape of a Stripe snapshot event. */
function isStripeEvent(value: unknown): value is Stripe.Event {
  if (typeof value !== 'object' || value === null) return false;
  const event = value as Partial<Stripe.Event>;
  return (
    event.object === 'event' &&
    typeof event.id === 'string' &&
    isStripeId('event', event.id) &&
    typeof event.type === 'string' &&
    typeof event.created === 'number' &&
    typeof event.data === 'object' &&
    event.data !== null &&
    typeof event.data.object === 'object' &&
    event.data.object !== null
  );
}

/** Thin events (`object: 'v2.core.event'`) carry no snapshot; this endpoint needs snapshot events. */
function isThinEvent(value: unknown): boolean {
  return typeof value === 'object' && value !== null && (value as { object?: unknown }).object === 'v2.core.event';
}

function parseJson(text: string): unknown {
  try {
    return JSON.parse(text) as unknown;
  } catch {
    return undefined;
  }
}

async function discardBody(request: Request): Promise<void> {
  await request.body?.cancel().catch(() => undefined);
}

const THIN_EVENT_MESSAGE =
  'Thin events (v2.core.event) are not supported: point a snapshot-event destination at this endpoint.';

/**
 * Handles one POST /webhook: verifies the signature on the raw body, applies the event once, and
 * answers as Stripe expects (2xx received, 4xx bad input that a retry cannot fix, 5xx retry later).
 */
export async function handleWebhook(request: Request, deps: WebhookDeps): Promise<Response> {
  const now = deps.now ?? Date.now;
  const started = now();
  const lineFields = (
    outcome: Outcome,
    fields: { reason?: string; event?: Stripe.Event; error?: string } = {},
  ): LogFields => ({
    msg: 'webhook',
    outcome,
    reason: fields.reason,
    event_id: fields.event?.id,
    type: fields.event?.type,
    error: fields.error,
    ms: now() - started,
  });
  const logLine = (outcome: Outcome, fields: { reason?: string; event?: Stripe.Event; error?: string } = {}) =>
    deps.log[outcome === 'failed' ? 'error' : 'info'](lineFields(outcome, fields));
  const reject = (status: number, reason: string, message: string, headers?: Record<string, string>) => {
    (deps.rejections ?? rejectionLog(deps.log, now)).record(reason, lineFields('rejected', { reason }));
    return plainText(status, message, headers);
  };

  if (request.method !== 'POST') return reject(405, 'method', 'Method not allowed. Use POST.', { allow: 'POST' });
  if (!isJsonContentType(request.headers.get('content-type'))) {
    await discardBody(request);
    return reject(415, 'content_type', 'Content-Type must be application/json.');
  }
  if (!deps.secret) {
    await discardBody(request);
    deps.log.error({
      msg: 'webhook',
      outcome: 'rejected',
      reason: 'STRIPE_WEBHOOK_SECRET is not set; refusing all events',
    });
    return plainText(500, 'Webhook endpoint is not configured.');
  }

  // Header-only checks first: a missing, malformed or expired signature costs no body read.
  const rawHeader = request.headers.get('stripe-signature');
  const header = parseSignatureHeader(rawHeader);
  if (!header) {
    await discardBody(request);
    return rawHeader
      ? reject(400, 'signature_header', 'Malformed Stripe-Signature header.')
      : reject(400, 'no_signature', 'Missing Stripe-Signature header.');
  }
  if (Math.abs(Math.floor(now() / 1000) - header.timestamp) > SIGNATURE_TOLERANCE_SECONDS) {
    await discardBody(request);
    return reject(400, 'expired', 'Timestamp outside the tolerance zone.');
  }

  // One buffer: the signed `<t>.` prefix, then the body as it arrives.
  const prefix = signedPrefix(header.timestamp);
  const body = await readBodyBytes(request, MAX_WEBHOOK_BODY_BYTES, prefix.byteLength, bodyPool);
  if (!body.ok) {
    return body.reason === 'too_large'
      ? reject(413, 'too_large', 'Payload too large.')
      : reject(400, 'unreadable', 'Body could not be read.');
  }
  let text: string | undefined;
  try {
    body.bytes.set(prefix, 0);
    const payload = body.bytes.subarray(prefix.byteLength);
    if (!(await verifySignature(deps.secret, header, body.bytes))) {
      // Explain a thin event (its destination has its own secret) rather than blaming the signature.
      const peek = payload.byteLength <= THIN_EVENT_PEEK_BYTES ? decodeUtf8(payload) : undefined;
      if (peek !== undefined && isThinEvent(parseJson(peek))) return reject(400, 'thin_event', THIN_EVENT_MESSAGE);
      return reject(400, 'bad_signature', 'Signature verification failed.');
    }
    text = decodeUtf8(payload);
  } finally {
    body.release();
  }
  if (text === undefined) return reject(400, 'not_utf8', 'Body is not UTF-8.');
  const parsed = parseJson(text);
  if (isThinEvent(parsed)) return reject(400, 'thin_event', THIN_EVENT_MESSAGE);
  if (!isStripeEvent(parsed)) return reject(400, 'not_event', 'Body is not a Stripe event.');
  const event = parsed;

  if (event.api_version && event.api_version !== STRIPE_API_VERSION && warnedApiVersion !== event.api_version) {
    warnedApiVersion = event.api_version;
    deps.log.warn({
      msg: 'webhook: endpoint API version differs from the SDK',
      event_api_version: event.api_version,
      sdk_api_version: STRIPE_API_VERSION,
      fix: 'Set the webhook endpoint’s API version to the SDK’s (see docs/setup.md, Stripe Dashboard).',
    });
  }

  const action = deps.plan(event);
  if (action.kind === 'ignore') {
    logLine('ignored', { event, reason: action.reason });
    return received();
  }
  try {
    // The event becomes processed only after the work succeeded, so a failed attempt is redone on retry.
    const outcome = await deps.processedEvents.applyOnce(event.id, event.type, () => deps.run(action));
    logLine(outcome, { event });
    // Another delivery of this event is applying it now: acknowledging this one could lose it if that one fails.
    if (outcome === 'in-progress') return plainText(503, 'This event is being processed. Please retry.');
    return received();
  } catch (error) {
    logLine('failed', { event, error: describeError(error) });
    await deps.onFailure?.(event).catch(() => undefined);
    return plainText(500, 'Temporary failure. Please retry.');
  }
}

function received(): Response {
  return new Response(JSON.stringify({ received: true }), {
    status: 200,
    headers: { 'content-type': 'application/json' },
  });
}
