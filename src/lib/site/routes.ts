/**
 * The routes that cost Stripe calls, D1 writes or e-mails, each rate limited under its own name
 * (http/rate-limit.ts counts per visitor and per client address; docs/security.md#rate-limits).
 */
export type LimitedRoute =
  | 'checkout'
  | 'declare-email'
  | 'thanks'
  | 'mypage'
  | 'csp-report'
  | 'sign-in'
  | 'sign-in-confirm'
  /** A subscriber's skip, pause, resume or frequency change (Stripe reads and writes, an e-mail). */
  | 'subscription-change'
  /** An embed storefront for a bound visitor (it may cost a Customer Session). */
  | 'storefront-embed'
  /** The owner marking parcels shipped (D1 writes, shipping notices). */
  | 'admin-write'
  /** The owner uploading a carrier's results file (up to 1 MiB parsed). */
  | 'admin-import';
