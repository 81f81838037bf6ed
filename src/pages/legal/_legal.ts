/** What the three legal pages share (the leading underscore keeps this file from being a route). */
import { getEntry } from 'astro:content';
import { legalHeaders } from '../../lib/legal/page';
import type { ShopProfile } from '../../lib/legal/profile';

/**
 * Sets the page's caching headers and returns the shop profile, which the content layer validated
 * at build time (src/content.config.ts) and the built worker carries.
 */
export async function legalPage(page: { response: { headers: Headers }; locals: App.Locals }): Promise<ShopProfile> {
  for (const [name, value] of Object.entries(legalHeaders(page.locals.visitor.ref !== undefined)))
    page.response.headers.set(name, value);
  const entry = await getEntry('shop', 'profile');
  if (!entry) throw new Error('src/content/shop/profile.json has no "profile" entry');
  return entry.data;
}
