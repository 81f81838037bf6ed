/**
 * What the orchestrator (run.ts) and the load generator (load.ts) exchange: the arguments as one
 * JSON command-line argument, the result as one JSON line on stdout.
 */

/** One load run against one target. */
export interface LoadArgs {
  /** Shown in errors only. */
  title: string;
  /** Origin of the site, e.g. http://127.0.0.1:40123 */
  url: string;
  /** `get`: the same GET for every request; `webhook`: a freshly signed `customer.subscription.updated` event per request. */
  kind: 'get' | 'webhook';
  path: string;
  connections: number;
  /** Seconds. */
  duration: number;
  /** Statuses that count as success (anything else is an error). */
  okStatus: number[];
  /** Extra request headers (e.g. the visitor cookie). */
  headers?: Record<string, string>;
  /** whsec_... (kind `webhook` only). */
  webhookSecret?: string;
  /** cus_... the events name (kind `webhook` only): the site re-reads this customer's subscriptions. */
  customerId?: string;
  /** sub_... of that customer, for the event's snapshot (kind `webhook` only; the site does not trust it). */
  subscriptionId?: string;
}

/** The numbers of one load run. */
export interface LoadResult {
  title: string;
  /** Responses received (any status). */
  responses: number;
  /** Requests sent, including those still unanswered when the run stopped. */
  sent: number;
  /** Seconds the run lasted, as measured by autocannon. */
  durationSeconds: number;
  /** Mean of autocannon's per-second request counts. */
  requestsPerSecond: number;
  /** Latency percentiles in ms, from each response's own timing (sub-millisecond precision). */
  p50Ms: number;
  p99Ms: number;
  /** Responses with a status outside `okStatus`, plus socket errors (including timeouts). */
  errors: number;
  socketErrors: number;
  timeouts: number;
  /** Response count per status code. */
  statusCounts: Record<string, number>;
  /** The first few errors: "<status> <start of body>" or "socket: <message>". */
  errorSamples: string[];
}

/** Reads load.ts's JSON argument, throwing on anything malformed. */
export function parseLoadArgs(text: string | undefined): LoadArgs {
  if (!text) throw new Error("usage: node bench/load.ts '<json args>'");
  const args = JSON.parse(text) as Partial<LoadArgs>;
  const positive = (value: unknown) => typeof value === 'number' && Number.isFinite(value) && value > 0;
  if (typeof args.url !== 'string' || typeof args.path !== 'string') throw new Error('url and path are required');
  if (args.kind !== 'get' && args.kind !== 'webhook') throw new Error('kind must be "get" or "webhook"');
  if (!positive(args.connections) || !positive(args.duration))
    throw new Error('connections and duration must be positive');
  if (!Array.isArray(args.okStatus) || args.okStatus.length === 0)
    throw new Error('okStatus must list at least one status');
  if (args.kind === 'webhook' && (!args.webhookSecret || !args.customerId || !args.subscriptionId)) {
    throw new Error('webhook runs need webhookSecret, customerId and subscriptionId');
  }
  return args as LoadArgs;
}
