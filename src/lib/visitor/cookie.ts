/**
 * Per-browser identity. The cookie holds a secret (256 random bits) that only the browser and this
 * Worker ever see. Everything else (Stripe's client_reference_id, embed attributes, storage keys,
 * log lines) uses the visitor reference: SHA-256 of the secret. The reference is one-way, so a
 * value Stripe, D1 or a log shows never works as a cookie.
 *
 * SHA-256 rather than HMAC: the secret already has 256 bits of entropy, so no one can search for a
 * preimage, and a server key would add a secret to keep, rotate and never lose (losing it would
 * unbind every browser) without making the reference any harder to reverse.
 */
import { isLoopbackHost } from '../http/origin.ts';
import { cookieValues } from '../http/cookies.ts';

/**
 * `__Host-` cookies must be Secure, Path=/ and carry no Domain, so neither a sibling subdomain nor
 * a plain-http page can set one (RFC 6265bis "Cookie Name Prefixes"). Browsers treat localhost as
 * secure, so only other plain-http development hosts fall back to the unprefixed name.
 */
export const SECURE_VISITOR_COOKIE = '__Host-visitor_id';
export const PLAIN_VISITOR_COOKIE = 'visitor_id';

/** 32 random bytes = 256 bits, base64url without padding = 43 characters. */
const SECRET_BYTES = 32;
const SECRET_PATTERN = /^[A-Za-z0-9_-]{43}$/;
/** A reference is the same shape (SHA-256 is 32 bytes); only a secret is accepted as a cookie. */
const REFERENCE_PATTERN = SECRET_PATTERN;
const REFERENCE_PREFIX = 'visitor-ref:v1:';
const ONE_YEAR_SECONDS = 365 * 24 * 60 * 60;

function base64url(bytes: Uint8Array): string {
  let binary = '';
  for (const byte of bytes) binary += String.fromCharCode(byte);
  return btoa(binary).replaceAll('+', '-').replaceAll('/', '_').replace(/=+$/, '');
}

/** A fresh, unguessable visitor secret (the cookie's value). */
export function newVisitorSecret(): string {
  return base64url(crypto.getRandomValues(new Uint8Array(SECRET_BYTES)));
}

/**
 * The secret if it has exactly the shape this site issues; anything else (including the 24-character
 * ids of earlier versions, which Stripe and storage saw) counts as no cookie.
 */
export function parseVisitorSecret(value: string | undefined | null): string | undefined {
  return value && SECRET_PATTERN.test(value) ? value : undefined;
}

/** The one-way reference of a secret: what Stripe, storage and logs see. */
export async function visitorReference(secret: string): Promise<string> {
  const digest = await crypto.subtle.digest('SHA-256', new TextEncoder().encode(REFERENCE_PREFIX + secret));
  return base64url(new Uint8Array(digest));
}

/** True for a value shaped like a visitor reference (e.g. a session's client_reference_id). */
export function isVisitorReference(value: unknown): value is string {
  return typeof value === 'string' && REFERENCE_PATTERN.test(value);
}

/** The cookie this origin uses: `__Host-visitor_id` on https and localhost, `visitor_id` elsewhere. */
export function visitorCookieName(origin: URL): string {
  return origin.protocol === 'https:' || isLoopbackHost(origin.hostname) ? SECURE_VISITOR_COOKIE : PLAIN_VISITOR_COOKIE;
}

/**
 * The visitor secret from a Cookie header. A name sent twice counts as none: one of the two was
 * planted (e.g. by a subdomain with a wider Path or Domain), and we cannot tell which.
 */
export function readVisitorSecret(cookieHeader: string | null, cookieName: string): string | undefined {
  if (!cookieHeader) return undefined;
  const values = cookieValues(cookieHeader, cookieName);
  return values.length === 1 ? parseVisitorSecret(values[0]) : undefined;
}

interface VisitorCookieOptions {
  httpOnly: true;
  sameSite: 'lax';
  secure: boolean;
  path: '/';
  maxAge: number;
}

/** HttpOnly, SameSite=Lax (sent on the top-level return from Stripe), Path=/, Secure whenever the name is `__Host-`. */
export function visitorCookieOptions(cookieName: string, origin: URL): VisitorCookieOptions {
  return {
    httpOnly: true,
    sameSite: 'lax',
    secure: cookieName === SECURE_VISITOR_COOKIE || origin.protocol === 'https:',
    path: '/',
    maxAge: ONE_YEAR_SECONDS,
  };
}

/** Minimal cookie access the pages give us (Astro's AstroCookies fits). */
export interface CookieJar {
  set(name: string, value: string, options: VisitorCookieOptions): void;
}

/** This request's visitor: the cookie's name and origin (computed once per request) and its reference. */
export interface VisitorCookie {
  cookieName: string;
  /** The origin the cookie belongs to: SITE_URL, else the request's own. */
  origin: URL;
  /** SHA-256 of the cookie's secret; undefined without a (well-formed, single) cookie. The secret itself is not kept. */
  ref: string | undefined;
}

/** The visitor cookie of a request, read once by the middleware. */
export async function visitorCookie(cookieHeader: string | null, origin: URL): Promise<VisitorCookie> {
  const cookieName = visitorCookieName(origin);
  const secret = readVisitorSecret(cookieHeader, cookieName);
  return { cookieName, origin, ref: secret ? await visitorReference(secret) : undefined };
}

/** This browser's visitor reference, issuing (and setting) a new secret when the request carries none. */
export async function ensureVisitor(cookies: CookieJar, visitor: VisitorCookie): Promise<string> {
  if (visitor.ref) return visitor.ref;
  const secret = newVisitorSecret();
  cookies.set(visitor.cookieName, secret, visitorCookieOptions(visitor.cookieName, visitor.origin));
  visitor.ref = await visitorReference(secret);
  return visitor.ref;
}
