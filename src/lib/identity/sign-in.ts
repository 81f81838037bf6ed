/**
 * E-mail you can prove: a sign-in link. Asking for one answers the same way whether or not the
 * address has a subscription (the lookup and the e-mail happen after the answer); opening it binds
 * the browser that opens it to the customer with that e-mail: the one with a live subscription,
 * else the newest. A link remembers the browser that asked for it: opened anywhere else, or in a
 * browser bound to another account, it first says whose account it opens (decision 007), so a link
 * an attacker asked for cannot quietly sign a victim's browser in to the attacker's account.
 */
import type Stripe from 'stripe';
import type { Language } from '../language/languages.ts';
import type { Logger } from '../log/log.ts';
import type { SubscriptionRecords } from '../subscriptions/records.ts';
import type { Binding, Bindings } from '../visitor/bindings.ts';
import { SIGN_IN_TTL_MS, type PendingSignIn, type SignInTokens } from './sign-in-tokens.ts';
import { isLive } from '../subscriptions/record.ts';
import { syncCustomer, type SyncDeps } from '../subscriptions/sync.ts';
import { describeError } from '../log/log.ts';
import { signInMessage } from './message.ts';
import { customersByEmail } from './customer-lookup.ts';
import { maskEmail } from './masked-email.ts';
import type { SiteUrl } from '../language/paths.ts';

/** 32 random bytes: 256 bits. */
const TOKEN_BYTES = 32;
const TOKEN_PATTERN = /^[A-Za-z0-9_-]{43}$/;
/** Where a signed-in browser may be sent: never a URL from the request. */
export const SIGN_IN_DESTINATIONS = { mypage: '/mypage', members: '/members' } as const;
export type SignInNext = keyof typeof SIGN_IN_DESTINATIONS;

export function parseSignInNext(value: string | undefined): SignInNext {
  return value === 'members' ? 'members' : 'mypage';
}

function base64url(bytes: Uint8Array): string {
  let binary = '';
  for (const byte of bytes) binary += String.fromCharCode(byte);
  return btoa(binary).replaceAll('+', '-').replaceAll('/', '_').replace(/=+$/, '');
}

/** The token if it has the shape this site issues; anything else is never looked up. */
export function parseSignInToken(value: string | null | undefined): string | undefined {
  return value && TOKEN_PATTERN.test(value) ? value : undefined;
}

/** Only the SHA-256 of a token is stored: a copy of the database opens nothing. */
export async function hashSignInToken(token: string): Promise<string> {
  return base64url(new Uint8Array(await crypto.subtle.digest('SHA-256', new TextEncoder().encode(token))));
}

export interface SignInSender {
  email: SendEmail;
  /** SIGN_IN_EMAIL_FROM */
  from: string;
  shopName: string;
}

export interface SignInRequest {
  email: string;
  /** The visitor reference of the browser asking: the link remembers it. */
  requesterRef: string;
  next: SignInNext;
  lang: Language;
  /** Absolute URLs in the e-mail's language, from SITE_URL or a loopback origin (never the Host header). */
  siteUrl: SiteUrl;
}

/**
 * The part of a sign-in request that runs after the answer (waitUntil): looks the address up in
 * Stripe and, only if it names a customer, stores a token and sends the link. Failures are logged
 * with no address in them; the visitor already saw the same page as everyone else.
 */
export async function sendSignInLink(
  deps: { stripe: Stripe; signInTokens: SignInTokens; log: Logger; sender: SignInSender },
  request: SignInRequest,
): Promise<'sent' | 'no-customer'> {
  try {
    const customers = await customersByEmail(deps.stripe, request.email, 1);
    if (customers.length === 0) {
      deps.log.info({ msg: 'sign-in: no customer for the address; nothing sent' });
      return 'no-customer';
    }
    const token = base64url(crypto.getRandomValues(new Uint8Array(TOKEN_BYTES)));
    await deps.signInTokens.put(
      await hashSignInToken(token),
      { email: request.email, next: request.next, requesterRef: request.requesterRef },
      SIGN_IN_TTL_MS,
    );
    const link = request.siteUrl(`/sign-in/confirm?token=${token}`);
    const message = signInMessage({ lang: request.lang, shopName: deps.sender.shopName, link });
    await deps.sender.email.send({
      from: { email: deps.sender.from, name: deps.sender.shopName },
      to: request.email,
      subject: message.subject,
      text: message.text,
      html: message.html,
    });
    deps.log.info({ msg: 'sign-in: link sent' });
    return 'sent';
  } catch (error) {
    deps.log.error({ msg: 'sign-in: could not send the link', error: describeError(error) });
    throw error;
  }
}

/**
 * What the confirmation page must say before a link may be used in this browser:
 * - `other-browser`: the link was asked for from another browser (or before links remembered it):
 *   whoever sent it would own what this browser does next;
 * - `leaves-account`: this browser is signed in to another e-mail address, which it would leave.
 */
export type SignInNotice = 'other-browser' | 'leaves-account';

/** The confirmation page's view of a link: whose account it opens (masked) and what must be said first. */
export interface SignInPreview {
  /** The link's e-mail address, masked (`ta•••@example.com`). */
  maskedEmail: string;
  notices: SignInNotice[];
  /** For `leaves-account`: the masked address this browser is signed in with; '' when unknown (an old binding). */
  leavingEmail: string;
}

/** What opening a link in this browser means. Pure: the caller reads the token and the binding. */
export function previewSignIn(
  link: PendingSignIn,
  browser: { visitorRef: string | undefined; binding: Binding | null },
): SignInPreview {
  const notices: SignInNotice[] = [];
  if (!browser.visitorRef || link.requesterRef !== browser.visitorRef) notices.push('other-browser');
  const bound = browser.binding;
  if (bound && bound.email !== link.email) notices.push('leaves-account');
  return {
    maskedEmail: maskEmail(link.email),
    notices,
    leavingEmail: bound?.email ? maskEmail(bound.email) : '',
  };
}

/** The notices of `preview` the visitor has not acknowledged (the form echoes the ones it showed). */
export function unacknowledged(preview: SignInPreview, acknowledged: readonly string[]): SignInNotice[] {
  return preview.notices.filter((notice) => !acknowledged.includes(notice));
}

export type SignInOutcome =
  | { kind: 'signed-in'; customerId: string; next: SignInNext }
  /** Used, expired, or never issued: the page offers to ask again. */
  | { kind: 'invalid' }
  /** The address no longer names a customer (deleted since). */
  | { kind: 'no-customer' };

/**
 * Uses a token (atomically, once) and binds this browser to the customer of its e-mail. The caller
 * has shown and had acknowledged every notice of `previewSignIn` first. Stripe and D1 errors
 * propagate (the page answers 5xx; the token is spent, the visitor asks again).
 */
export async function confirmSignIn(
  deps: SyncDeps & { signInTokens: SignInTokens; bindings: Bindings; log: Logger },
  input: { token: string; visitorRef: () => Promise<string> },
): Promise<SignInOutcome> {
  const used = await deps.signInTokens.use(await hashSignInToken(input.token));
  if (!used) return { kind: 'invalid' };
  const customerId = await chooseCustomer(deps, await customersByEmail(deps.stripe, used.email, 10));
  if (!customerId) return { kind: 'no-customer' };
  await deps.bindings.bind(await input.visitorRef(), customerId, { via: 'sign-in', email: used.email });
  deps.log.info({ msg: 'sign-in: browser bound' });
  return { kind: 'signed-in', customerId, next: parseSignInNext(used.next) };
}

/** The customer with a live subscription (the newest such), else the newest customer. */
async function chooseCustomer(
  deps: SyncDeps & { records: SubscriptionRecords },
  customers: readonly Stripe.Customer[],
): Promise<string | undefined> {
  const newestFirst = [...customers].sort((a, b) => b.created - a.created);
  for (const customer of newestFirst) {
    let record = await deps.records.get(customer.id);
    if (!record) {
      const synced = await syncCustomer(deps, customer.id);
      record = synced.kind === 'synced' ? synced.record : null;
    }
    if (record && isLive(record.status)) return customer.id;
  }
  return newestFirst[0]?.id;
}

/**
 * True while an e-mail address may receive another sign-in link (the `EMAIL_RATE_LIMITER` binding,
 * keyed by a hash of the address, so no address reaches the limiter's keys).
 */
export async function withinEmailLimit(limiter: RateLimit, emailHash: string): Promise<boolean> {
  return (await limiter.limit({ key: `sign-in:email:${emailHash}` })).success;
}
