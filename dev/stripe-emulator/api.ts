/**
 * The contract between the /v1 router (router.ts) and the resource files: what a handler gets,
 * and what it answers. Handlers are synchronous and throw StripeApiError for what Stripe refuses.
 */
import type Stripe from 'stripe';
import type { Params } from './params.ts';
import type { EmulatorState, EventContext } from './state.ts';

/** One parsed API request. */
export interface ApiRequest {
  method: string;
  /** Path without the query string, e.g. `/v1/prices`. */
  path: string;
  /** Query string and form body, parsed (the body wins on a clash). */
  params: Params;
  requestId: string;
  idempotencyKey: string | null;
}

/** What a handler needs besides the request. */
export interface ApiContext {
  state: EmulatorState;
  /** Base of the URLs handed to browsers (hosted pages). */
  publicUrl: string;
  /** Copied into the events the request causes. */
  events: EventContext;
}

/** A handler's answer; `events` are delivered after the response, as Stripe does for API calls. */
export interface ApiResponse {
  status: number;
  body: unknown;
  events: Stripe.Event[];
}

/** Runs one route; `ids` are the decoded path segments its pattern captured. */
export type Handler = (ctx: ApiContext, req: ApiRequest, ids: string[]) => ApiResponse;

export function ok(body: unknown, events: Stripe.Event[] = []): ApiResponse {
  return { status: 200, body, events };
}
