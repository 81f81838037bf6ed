/** Per-browser visitor identity: a random bearer id in an HttpOnly cookie. */

export const VISITOR_COOKIE = 'visitor_id';
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

export interface VisitorCookieOptions {
  httpOnly: true;
  sameSite: 'lax';
  secure: boolean;
  path: '/';
  maxAge: number;
}

/** Cookie attributes: HttpOnly, SameSite=Lax (sent on the top-level return from Stripe), Secure on https. */
export function visitorCookieOptions(requestUrl: URL): VisitorCookieOptions {
  return { httpOnly: true, sameSite: 'lax', secure: requestUrl.protocol === 'https:', path: '/', maxAge: ONE_YEAR_SECONDS };
}

/** Minimal cookie access the pages give us (Astro's AstroCookies fits). */
export interface CookieJar {
  get(name: string): { value: string } | undefined;
  set(name: string, value: string, options: VisitorCookieOptions): void;
}

/** The visitor's id from the cookie, or undefined when absent or malformed. */
export function readVisitorId(cookies: CookieJar): string | undefined {
  return parseVisitorId(cookies.get(VISITOR_COOKIE)?.value);
}

/** The visitor's id, issuing (and setting) a new one when the cookie is absent or malformed. */
export function ensureVisitorId(cookies: CookieJar, requestUrl: URL): string {
  const existing = readVisitorId(cookies);
  if (existing) return existing;
  const id = newVisitorId();
  cookies.set(VISITOR_COOKIE, id, visitorCookieOptions(requestUrl));
  return id;
}
