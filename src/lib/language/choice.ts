/**
 * The visitor's language: an explicit choice (the `lang` cookie the header's switch sets through
 * GET /language) wins; Accept-Language only sends a first visit to the other language's URL.
 */
import { pickLanguage } from './accept-language.ts';
import type { Language } from './languages.ts';
import { cookiePairs, cookieValues } from '../http/cookies.ts';
import { parseLanguage } from './languages.ts';
import { isUnprefixedOnly, locatePath, localePath } from './paths.ts';

export const LANGUAGE_COOKIE = 'lang';
const ONE_YEAR_SECONDS = 365 * 24 * 60 * 60;

/** The language a Cookie header's `lang` names; undefined without one, or when two disagree. */
export function readLanguageCookie(cookieHeader: string | null): Language | undefined {
  if (!cookieHeader) return undefined;
  const values = new Set(cookieValues(cookieHeader, LANGUAGE_COOKIE));
  return values.size === 1 ? parseLanguage([...values][0]) : undefined;
}

/** True when every cookie in the header is the language cookie: such a request is as anonymous as one without. */
export function onlyLanguageCookie(cookieHeader: string): boolean {
  return cookiePairs(cookieHeader).every((pair) => pair.name === LANGUAGE_COOKIE);
}

/** Not HttpOnly: it holds a preference, nothing secret. SameSite=Lax like the visitor cookie. */
export function languageCookieOptions(https: boolean) {
  return { path: '/', sameSite: 'lax', secure: https, maxAge: ONE_YEAR_SECONDS } as const;
}

interface FirstVisitInput {
  method: string;
  url: URL;
  cookie: string | null;
  acceptLanguage: string | null;
  primary: Language;
}

/**
 * Where an unprefixed page request goes instead, or undefined to render it: the cookie's language,
 * else (a first visit) the one Accept-Language prefers, when that is not the primary. Only GET and
 * HEAD of a page; never a prefixed URL (it always renders its language), a route that exists
 * unprefixed only (the webhook, CSP reports, the switch) or a file.
 */
export function firstVisitRedirect(input: FirstVisitInput): string | undefined {
  const path = negotiatedPath(input.method, input.url.pathname, input.primary);
  if (path === undefined) return undefined;
  const wanted = readLanguageCookie(input.cookie) ?? pickLanguage(input.acceptLanguage, input.primary);
  return wanted === input.primary ? undefined : localePath(wanted, `${path}${input.url.search}`, input.primary);
}

/**
 * True when the answer to this request depends on the `lang` cookie and Accept-Language (an
 * unprefixed page: rendered, or sent to the other language's URL): it must say `Vary: Accept-Language,
 * Cookie`, or a shared cache in front of the shop could serve one language's answer to the other.
 */
export function negotiatesLanguage(method: string, pathname: string, primary: Language): boolean {
  return negotiatedPath(method, pathname, primary) !== undefined;
}

/** The site path of an unprefixed page request whose language is negotiated; undefined for anything else. */
function negotiatedPath(method: string, pathname: string, primary: Language): string | undefined {
  if (method !== 'GET' && method !== 'HEAD') return undefined;
  if (isUnprefixedOnly(pathname)) return undefined;
  // Files (`/favicon.svg`, `/_astro/…`) and paths that answer 404 anyway keep their answer.
  if (pathname.startsWith('/_') || pathname.includes('.') || (pathname !== '/' && pathname.endsWith('/'))) {
    return undefined;
  }
  const located = locatePath(pathname, primary);
  return located && !located.prefixed ? located.path : undefined;
}
