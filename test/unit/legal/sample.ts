import { readFileSync } from 'node:fs';
import { parseShopProfile, type ShopProfile } from '../../../src/lib/legal/profile.ts';

/** The demo's profile, as the content collection reads it (src/content.config.ts). */
export function sampleProfile(): ShopProfile {
  const file = JSON.parse(readFileSync(new URL('../../../src/content/shop/profile.json', import.meta.url), 'utf8')) as {
    profile: unknown;
  };
  const parsed = parseShopProfile(file.profile);
  if (!parsed.ok) throw new Error(parsed.error);
  return parsed.profile;
}
