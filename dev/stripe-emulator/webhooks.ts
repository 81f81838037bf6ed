/**
 * Webhook delivery like Stripe's: a signed JSON POST per event and endpoint, each signed with that endpoint's own
 * secret; the first attempts are awaited, failures (non-2xx, redirects, network errors) are retried in the background
 * with backoff. The endpoints are the test handle's target (`setWebhook`) and those made through the API
 * (resources/webhook-endpoints.ts).
 */
import { request as httpRequest } from 'node:http';
import { request as httpsRequest } from 'node:https';
import Stripe from 'stripe';

/** One delivery attempt. */
export interface DeliveryRecord {
  eventId: string;
  type: string;
  /** The API's webhook endpoint (`we_…`) it went to; null for the test handle's target. */
  endpoint: string | null;
  /** 1 for the first attempt. */
  attempt: number;
  url: string;
  /** HTTP status, or null when the request failed (connection refused, timeout). */
  status: number | null;
  /** True for a 2xx answer. */
  ok: boolean;
  /** Network error message, when there was no HTTP answer. */
  error?: string;
  /** The first 500 characters of the response body. */
  responseBody?: string;
  /** Epoch milliseconds when the attempt started. */
  at: number;
  durationMs: number;
}

/** Default waits (ms) before retries 1..7: eight attempts in all, about 64 s from first to last. */
const DEFAULT_RETRY_SCHEDULE: readonly number[] = [500, 1000, 2000, 4000, 8000, 16000, 32000];
/** Stripe gives up on an endpoint that has not answered in time; so do we. */
const ATTEMPT_TIMEOUT_MS = 10_000;
const USER_AGENT = 'Stripe/1.0 (+https://stripe.com/docs/webhooks)';

/** Where and how one endpoint gets events. */
export interface WebhookTarget {
  url: string;
  secret: string;
  /** The version events are labelled with (the endpoint's `api_version`); null for the emulator's own. */
  apiVersion: string | null;
}

/** The API's webhook endpoints, as the dispatcher asks for them. */
export interface WebhookEndpoints {
  /** The ids of the endpoints an event of this type goes to now. */
  subscribed(type: string): string[];
  /** An endpoint's target as it is now, or null once it is deleted or disabled (its retries stop). */
  target(id: string): WebhookTarget | null;
}

export interface WebhookDispatcherOptions {
  url?: string;
  secret?: string;
  endpoints?: WebhookEndpoints;
  retrySchedule?: readonly number[];
  /** Called with a one-line description of each attempt. */
  log?: (line: string) => void;
}

/** The test handle's target, as opposed to an API endpoint's id. */
const HANDLE_TARGET = null;
type TargetKey = string | typeof HANDLE_TARGET;

/**
 * One POST with node:http(s) rather than fetch: fetch refuses some ports (6000, 10080, ...) that a
 * test may well be given for its webhook receiver.
 */
function post(url: string, body: string, headers: Record<string, string>): Promise<{ status: number; body: string }> {
  return new Promise((resolve, reject) => {
    const target = new URL(url);
    const send = target.protocol === 'https:' ? httpsRequest : httpRequest;
    const req = send(
      target,
      {
        method: 'POST',
        headers: { ...headers, 'content-length': String(Buffer.byteLength(body)) },
        timeout: ATTEMPT_TIMEOUT_MS,
      },
      (res) => {
        const chunks: Buffer[] = [];
        let size = 0;
        res.on('data', (chunk: Buffer) => {
          size += chunk.length;
          if (size <= 64 * 1024) chunks.push(chunk); // only the start is kept for the record
        });
        res.on('end', () => resolve({ status: res.statusCode ?? 0, body: Buffer.concat(chunks).toString('utf8') }));
        res.on('error', reject);
      },
    );
    req.on('timeout', () => req.destroy(new Error(`no answer within ${ATTEMPT_TIMEOUT_MS} ms`)));
    req.on('error', reject);
    req.end(body);
  });
}

/** Sends events to the configured endpoint and records every attempt. */
export class WebhookDispatcher {
  /** Every attempt, in order. Cleared in place by `clear()`, so references stay valid. */
  readonly deliveries: DeliveryRecord[] = [];
  private url: string | undefined;
  private secret: string | undefined;
  private readonly endpoints: WebhookEndpoints | undefined;
  private readonly retrySchedule: readonly number[];
  private readonly log: (line: string) => void;
  private readonly pending = new Set<Promise<void>>();
  private readonly timers = new Set<{ timer: NodeJS.Timeout; resolve: () => void }>();
  private closed = false;
  /** While paused, first attempts wait here, in order (see `pause`). */
  private paused = false;
  private readonly queue: Stripe.Event[] = [];

  constructor(options: WebhookDispatcherOptions = {}) {
    this.url = options.url;
    this.secret = options.secret;
    this.endpoints = options.endpoints;
    this.retrySchedule = options.retrySchedule ?? DEFAULT_RETRY_SCHEDULE;
    this.log = options.log ?? (() => {});
  }

  /** Points the test handle's deliveries at another endpoint (takes effect for the next attempt, retries included). */
  configure(url: string | undefined, secret: string | undefined): void {
    this.url = url || undefined;
    this.secret = secret || undefined;
  }

  /** True when the test handle's target is set (both a URL and a secret). */
  get handleTargetSet(): boolean {
    return Boolean(this.url && this.secret) && !this.closed;
  }

  /**
   * Delivers events in order: awaits each first attempt, leaves retries running in the
   * background (see `settle()`). Without an endpoint it does nothing (the events stay in state).
   */
  async deliverAll(events: readonly Stripe.Event[]): Promise<void> {
    for (const event of events) await this.deliver(event);
  }

  /** Like deliverAll, without waiting: for events caused by API calls, which Stripe sends later. */
  deliverInBackground(events: readonly Stripe.Event[]): void {
    if (this.closed || events.length === 0) return;
    this.track(this.deliverAll(events));
  }

  /**
   * Delivers one event to each endpoint it goes to (the handle's target first, then the API's endpoints, oldest
   * first): awaits each first attempt; schedules retries on failure. Queues it while paused.
   */
  async deliver(event: Stripe.Event): Promise<void> {
    if (this.closed) return;
    const keys: TargetKey[] = [
      ...(this.handleTargetSet ? [HANDLE_TARGET] : []),
      ...(this.endpoints?.subscribed(event.type) ?? []),
    ];
    if (keys.length === 0) return;
    if (this.paused) {
      this.queue.push(event);
      return;
    }
    for (const key of keys) {
      const ok = await this.attempt(event, key, 1);
      if (!ok) this.track(this.retry(event, key));
    }
  }

  /** Resolves once no delivery or retry is pending (including retries scheduled meanwhile). */
  async settle(): Promise<void> {
    while (this.pending.size > 0) await Promise.allSettled([...this.pending]);
  }

  /** Holds first attempts back (in order) until `resume`, so a test can reach a page before its webhook. */
  pause(): void {
    this.paused = true;
  }

  /** Delivers what was held back, in order, awaiting each first attempt. */
  async resume(): Promise<void> {
    this.paused = false;
    for (let event = this.queue.shift(); event; event = this.queue.shift()) await this.deliver(event);
  }

  /** Forgets the recorded attempts and anything held back by `pause`, and stops pausing. */
  clear(): void {
    this.deliveries.length = 0;
    this.queue.length = 0;
    this.paused = false;
  }

  /** Stops all retries; pending waits end at once. */
  close(): void {
    this.closed = true;
    for (const { timer, resolve } of this.timers) {
      clearTimeout(timer);
      resolve();
    }
    this.timers.clear();
  }

  private track(promise: Promise<void>): void {
    const tracked = promise.catch(() => {}).finally(() => this.pending.delete(tracked));
    this.pending.add(tracked);
  }

  private wait(ms: number): Promise<void> {
    return new Promise((resolve) => {
      const entry = {
        timer: setTimeout(() => {
          this.timers.delete(entry);
          resolve();
        }, ms),
        resolve,
      };
      // A pending retry must not keep a test process or the CLI alive.
      entry.timer.unref();
      this.timers.add(entry);
    });
  }

  private async retry(event: Stripe.Event, key: TargetKey): Promise<void> {
    for (let index = 0; index < this.retrySchedule.length; index++) {
      await this.wait(this.retrySchedule[index] ?? 0);
      if (this.closed || !this.targetOf(key)) return;
      if (await this.attempt(event, key, index + 2)) return;
    }
  }

  /** Where `key` delivers now: the handle's target, or an API endpoint unless it was deleted or disabled. */
  private targetOf(key: TargetKey): WebhookTarget | null {
    if (key !== HANDLE_TARGET) return this.endpoints?.target(key) ?? null;
    return this.url && this.secret ? { url: this.url, secret: this.secret, apiVersion: null } : null;
  }

  private async attempt(event: Stripe.Event, key: TargetKey, attempt: number): Promise<boolean> {
    const target = this.targetOf(key);
    if (!target) return false;
    const { url, secret, apiVersion } = target;
    // docs.stripe.com/api/webhook_endpoints/object#webhook_endpoint_object-api_version: "The API version events are
    // rendered as for this webhook endpoint". The emulator renders one version; another is only the label it carries.
    const payload = JSON.stringify(apiVersion ? { ...event, api_version: apiVersion } : event, null, 2);
    const at = Date.now();
    const record: DeliveryRecord = {
      eventId: event.id,
      type: event.type,
      endpoint: key,
      attempt,
      url,
      status: null,
      ok: false,
      at,
      durationMs: 0,
    };
    try {
      // Signed anew for every attempt, with the current timestamp, as Stripe does.
      const signature = Stripe.webhooks.generateTestHeaderString({ payload, secret });
      const response = await post(url, payload, {
        'content-type': 'application/json; charset=utf-8',
        'stripe-signature': signature,
        'user-agent': USER_AGENT,
        accept: '*/*; q=0.5, application/xml',
        'cache-control': 'no-cache',
      });
      record.status = response.status;
      // Redirects count as failures: Stripe does not follow them.
      record.ok = response.status >= 200 && response.status < 300;
      record.responseBody = response.body.slice(0, 500);
    } catch (error) {
      record.error = error instanceof Error ? error.message : String(error);
    }
    record.durationMs = Date.now() - at;
    this.deliveries.push(record);
    this.log(
      `webhook ${event.type} ${event.id} attempt ${attempt} → ${record.status ?? record.error ?? 'failed'} ${record.durationMs}ms`,
    );
    return record.ok;
  }
}
