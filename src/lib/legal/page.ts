import { describeError, type Logger } from '../log/log.ts';
import type { Plan } from '../stripe/catalog.ts';

/**
 * The legal pages' caching headers. The page itself is the same for everyone, but the layout
 * shows the viewer's status chip when the browser has a visitor cookie, so only a cookieless view
 * may be cached publicly (as the storefront, lib/storefront/headers.ts).
 */
export function legalHeaders(hasVisitorCookie: boolean): Record<string, string> {
  return {
    vary: 'Accept-Language, Cookie',
    'cache-control': hasVisitorCookie ? 'private, no-store' : 'public, max-age=300',
  };
}

/**
 * The plans whose prices the disclosure lists, or undefined when there is no catalog (no Stripe
 * key) or it fails: the page then says the prices are on the storefront rather than failing.
 */
export async function disclosurePlans(
  catalog: { get(): Promise<Plan[]> } | undefined,
  log: Logger,
): Promise<Plan[] | undefined> {
  if (!catalog) return undefined;
  try {
    return await catalog.get();
  } catch (error) {
    log.error({ msg: 'legal: plans unavailable', error: describeError(error) });
    return undefined;
  }
}
