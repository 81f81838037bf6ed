/** The webhook's body cap, on its own so the benchmark (plain Node, no bundler) can import it. */

/**
 * Stripe publishes no maximum event size; real events are a few KiB to a few tens of KiB (a
 * busy invoice event is the largest). 256 KiB leaves five to ten times that while bounding what a
 * forged delivery can make the isolate hold: one pooled buffer of at most this size per request.
 */
export const MAX_WEBHOOK_BODY_BYTES = 256 * 1024;
