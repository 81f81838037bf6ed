/**
 * One URL per language: the shop's primary language (SHOP_LANGUAGE) is served unprefixed (`/mypage`),
 * the other under its prefix (`/en/mypage`, home `/en/`). Pure functions of a path and the primary.
 */
import { LANGUAGES, parseLanguage, type Language } from './languages.ts';

/** Routes that only exist unprefixed: Stripe's webhook, the browser's CSP reports, the switch itself. */
const UNPREFIXED_ONLY = new Set(['/webhook', '/csp-report', '/language']);
/** The owner's pages: unprefixed only, in the language the owner chose (there is no `/en/admin`). */
const OWNER_AREA = '/admin';

/** True for `/admin` and every path under it. */
export function isOwnerPath(path: string): boolean {
  return path === OWNER_AREA || path.startsWith(`${OWNER_AREA}/`);
}

/** True for a route that exists unprefixed only, whatever the language. */
export function isUnprefixedOnly(path: string): boolean {
  return UNPREFIXED_ONLY.has(path) || isOwnerPath(path);
}

/** The path prefix of a language: `''` for the primary, `/en` (or `/ja`) for the other. */
export function languagePrefix(language: Language, primary: Language): string {
  return language === primary ? '' : `/${language}`;
}

/**
 * The URL path of a site path (`/mypage`, `/thanks?session_id=…`, `/`) in a language:
 * `/mypage` → `/en/mypage`, `/` → `/en/`.
 */
export function localePath(language: Language, path: string, primary: Language): string {
  return `${languagePrefix(language, primary)}${path}`;
}

/** An absolute URL of a site path (`/thanks?…`) in one language: what Stripe and e-mails link to. */
export type SiteUrl = (sitePath: string) => string;

/** SiteUrl from the configured origin (SITE_URL, or a loopback request's own: never the Host header). */
export function siteUrlIn(origin: string, language: Language, primary: Language): SiteUrl {
  return (sitePath) => `${origin}${localePath(language, sitePath, primary)}`;
}

/** A request path read as a language and the site path it names. */
export interface LocatedPath {
  language: Language;
  /** The unprefixed path, the route Astro renders (`/en/mypage` → `/mypage`, `/en/` → `/`). */
  path: string;
  prefixed: boolean;
}

/**
 * Which language and route a request path names, or undefined when the path is no canonical URL:
 * the bare prefix (`/en`, the home is `/en/`), the primary's own prefix (`/ja/…` while `ja` is
 * primary), or a prefixed route that exists unprefixed only (`/en/webhook`).
 */
export function locatePath(pathname: string, primary: Language): LocatedPath | undefined {
  const [, first = '', ...rest] = pathname.split('/');
  const language = parseLanguage(first);
  if (!language) return { language: primary, path: pathname, prefixed: false };
  if (language === primary || rest.length === 0) return undefined;
  const path = `/${rest.join('/')}`;
  if (isUnprefixedOnly(path)) return undefined;
  return { language, path, prefixed: true };
}

/** The home page in every language (`/` and `/en/`): the paths the edge cache keeps. */
export function homePaths(primary: Language): string[] {
  return LANGUAGES.map((language) => localePath(language, '/', primary));
}

/** The home paths under either primary (`/`, `/en/`, `/ja/`): what a purge deletes after SHOP_LANGUAGE changed. */
export function everyHomePath(): string[] {
  return [...new Set(LANGUAGES.flatMap((primary) => homePaths(primary)))];
}

const MAX_NEXT_LENGTH = 512;
// eslint-disable-next-line no-control-regex -- control characters are exactly what is refused
const UNSAFE_CHARACTERS = /[\u0000-\u0020\u007f\\]/;
const PROBE_ORIGIN = 'https://site.invalid';

/**
 * A `next` parameter as a site path of this site (with its query), or `/`: it must start with one
 * `/` (not `//`, a scheme-relative URL), hold no backslash (browsers read `/\` as `//`), no control
 * character or space, and resolve to this origin with a path that, once its dot segments are
 * resolved, still starts with one `/` only. A language prefix is dropped (the target language
 * is chosen separately), so is a route that has no page.
 */
export function safeNextPath(next: string | null | undefined, primary: Language): string {
  if (!next || next.length > MAX_NEXT_LENGTH || !next.startsWith('/') || next.startsWith('//')) return '/';
  if (UNSAFE_CHARACTERS.test(next)) return '/';
  let url: URL;
  try {
    url = new URL(next, PROBE_ORIGIN);
  } catch {
    return '/';
  }
  // Judged after normalisation: `/..//evil.example` resolves to the scheme-relative `//evil.example`.
  if (url.origin !== PROBE_ORIGIN || /^\/[/\\]/.test(url.pathname)) return '/';
  const located = locatePath(url.pathname, primary);
  if (!located || isUnprefixedOnly(located.path)) return '/';
  return `${located.path}${url.search}`;
}

/** The header switch's link: GET /language records the choice, then opens `next` in `to`. */
export function languageSwitchPath(to: Language, next: string): string {
  return `/language?${new URLSearchParams({ to, next }).toString()}`;
}

/**
 * The `<link rel="alternate" hreflang>` set of a site path: the page in each language, and
 * `x-default` (for a visitor who reads neither) at the primary's unprefixed URL. Absolute, from
 * the configured origin (never the Host header).
 */
export function languageAlternates(
  path: string,
  primary: Language,
  origin: URL,
): Array<{ hreflang: Language | 'x-default'; href: string }> {
  const absolute = (language: Language) => new URL(localePath(language, path, primary), origin).href;
  return [
    ...LANGUAGES.map((language) => ({ hreflang: language, href: absolute(language) })),
    { hreflang: 'x-default' as const, href: absolute(primary) },
  ];
}
