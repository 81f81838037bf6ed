/** The shop profile as the content layer validated it at build time (src/content.config.ts). */
import { getEntry } from 'astro:content';
import type { ShopProfile } from './profile.ts';

export async function shopProfile(): Promise<ShopProfile> {
  const entry = await getEntry('shop', 'profile');
  if (!entry) throw new Error('src/content/shop/profile.json has no "profile" entry');
  return entry.data;
}
