/**
 * GET /language?to=en&next=/mypage: the header's language switch. Records the choice in the
 * `lang` cookie (so `/` opens in it from now on) and answers 303 to `next` in that language;
 * `next` is checked to be a path of this site (safeNextPath), so the route is no open redirect.
 */
import type { APIRoute } from 'astro';
import { plainText } from '../lib/http/responses.ts';
import { LANGUAGE_COOKIE, languageCookieOptions } from '../lib/language/choice.ts';
import { parseLanguage } from '../lib/language/languages.ts';
import { localePath, safeNextPath } from '../lib/language/paths.ts';
import { siteConfig } from '../site.ts';

export const GET: APIRoute = ({ url, cookies, locals }) => {
  const primary = siteConfig().shopLanguage;
  const to = parseLanguage(url.searchParams.get('to'));
  if (!to) return plainText(400, 'Unknown language.');
  cookies.set(LANGUAGE_COOKIE, to, languageCookieOptions(locals.visitor.origin.protocol === 'https:'));
  // A path, never a URL from the request (the worker entry makes every redirect no-store).
  const location = localePath(to, safeNextPath(url.searchParams.get('next'), primary), primary);
  return new Response(null, { status: 303, headers: { location } });
};
