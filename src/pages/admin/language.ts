/**
 * GET /admin/language?to=en&next=/admin/shipments: the owner's pages' language switch. They have
 * no prefixed twin, so the choice is the `lang` cookie (as GET /language sets it), and the answer
 * goes back to an owner page, never anywhere else.
 */
import type { APIRoute } from 'astro';
import { plainText } from '../../lib/http/responses.ts';
import { LANGUAGE_COOKIE, languageCookieOptions } from '../../lib/language/choice.ts';
import { parseLanguage } from '../../lib/language/languages.ts';
import { isOwnerPath } from '../../lib/language/paths.ts';

export const GET: APIRoute = ({ url, cookies, locals }) => {
  const to = parseLanguage(url.searchParams.get('to'));
  if (!to) return plainText(400, 'Unknown language.');
  cookies.set(LANGUAGE_COOKIE, to, languageCookieOptions(locals.visitor.origin.protocol === 'https:'));
  const next = url.searchParams.get('next') ?? '';
  // A path of the owner's pages only (letters, digits, slashes and hyphens), never a URL from the request.
  const location = /^\/admin(?:\/[a-z0-9-]+)*$/.test(next) && isOwnerPath(next) ? next : '/admin';
  return new Response(null, { status: 303, headers: { location } });
};
