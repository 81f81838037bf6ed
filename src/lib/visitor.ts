/** Per-browser visitor identity: a random bearer id in an HttpOnly cookie that other sites cannot plant. */
import { isLoopbackHost } from './config';

/**
 * `__Host-` cookies must be Secure, Path=/ and carry no Domain, so neither a sibling subdomain nor
 * a plain-http page can set one (RFC 6265bis "Cookie Name Prefixes"). Browsers treat localhost as
 * secure, so only other plain-http development hosts fall back to the unprefixed name.
 */
export const SECURE_VISITOR_COOKIE = '__Host-visitor_id';
export const PLAIN_VISITOR_COOKIE = 'visitor_id';

/** 18 random bytes = 144 bits, base64url without padding = 24 characters. */
const VISITOR_ID_BYTES = 18;
const VISITOR_ID_PATTERN = /^[A-Za-z0-9_-]{24}$/;
const ONE_YEAR_SECONDS = 365 * 24 * 60 * 60;

/** A fresh, unguessable visitor id. */
export function newVisitorId(): string {
  const bytes = crypto.getRandomValues(new Uint8Array(VISITOR_ID_BYTES));
  let binary = '';
  for (const byte of bytes) binary += String.fromCharCode(byte);
  return btoa(binary).replaceAll('+', '-').replaceAll('/', '_');
}

/** The id if it has exactly the shape this site issues; anything else counts as no cookie. */
export function parseVisitorId(value: string | undefined | null): string | undefined {
  return value && VISITOR_ID_PATTERN.test(value) ? value : undefined;
}

/** The cookie this origin uses: `__Host-visitor_id` on https and localhost, `visitor_id` elsewhere. */
export function visitorCookieName(origin: URL): string {
  return origin.protocol === 'https:' || isLoopbackHost(origin.hostname) ? SECURE_VISITOR_COOKIE : PLAIN_VISITOR_COOKIE;
}

/**
 * The visitor id from a Cookie header. A name sent twice counts as none: one of the two was
 * planted (e.g. by a subdomain with a wider Path or Domain), and we cannot tell which.
 */
export function readVisitorId(cookieHeader: string | null, cookieName: string): string | undefined {
  if (!cookieHeader) return undefined;
  const values = cookieHeader
    .split(';')
    .map((pair) => pair.trim())
    .filter((pair) => pair.slice(0, pair.indexOf('=')) === cookieName)
    .map((pair) => pair.slice(pair.indexOf('=') + 1));
  return values.length === 1 ? parseVisitorId(values[0]) : undefined;
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

/** This request's visitor cookie: its name and origin (computed once per request) and the id it carries. */
export interface VisitorCookie {
  cookieName: string;
  /** The origin the cookie belongs to: SITE_URL, else the request's own. */
  origin: URL;
  id: string | undefined;
}

/** The visitor cookie of a request, read once by the middleware. */
export function visitorCookie(cookieHeader: string | null, origin: URL): VisitorCookie {
  const cookieName = visitorCookieName(origin);
  return { cookieName, origin, id: readVisitorId(cookieHeader, cookieName) };
}

/** This browser's visitor id, issuing (and setting) a new one when the request carries none. */
export function ensureVisitorId(cookies: CookieJar, visitor: VisitorCookie): string {
  if (visitor.id) return visitor.id;
  const id = newVisitorId();
  cookies.set(visitor.cookieName, id, visitorCookieOptions(visitor.cookieName, visitor.origin));
  visitor.id = id;
  return id;
}
