/** What the three legal pages share (the leading underscore keeps this file from being a route). */
import { shopProfile } from '../../lib/legal/content.ts';
import { legalHeaders } from '../../lib/legal/page.ts';
import type { ShopProfile } from '../../lib/legal/profile.ts';

/**
 * Sets the page's caching headers and returns the shop profile.
 */
export async function legalPage(page: { response: { headers: Headers }; locals: App.Locals }): Promise<ShopProfile> {
  for (const [name, value] of Object.entries(legalHeaders(page.locals.visitor.ref !== undefined)))
    page.response.headers.set(name, value);
  return shopProfile();
}
