import type { Plan } from '../stripe/catalog.ts';
import type { CatalogCache } from '../stripe/catalog-cache.ts';
import type { SiteConfig } from '../config/read.ts';
import type { VariableName } from '../config/settings.ts';
import { describeError, type Logger } from '../log/log.ts';

/** What the storefront shows, decided from configuration (embeds win over the native catalog). */
export type Storefront =
  | { kind: 'pricing-table'; pricingTableId: string; publishableKey: string }
  | { kind: 'buy-button'; buyButtonId: string; publishableKey: string }
  | { kind: 'catalog'; plans: Plan[] }
  | { kind: 'unavailable' }
  | { kind: 'setup'; missing: VariableName[] };

/**
 * Chooses the storefront source: Pricing Table, else Buy Button, else the native catalog,
 * else a setup notice naming the variables to set. A failing catalog gives 'unavailable'.
 */
export async function loadStorefront(
  config: SiteConfig,
  catalog: CatalogCache | undefined,
  log: Logger,
): Promise<Storefront> {
  const { pricingTableId, buyButtonId, publishableKey } = config;
  if ((pricingTableId || buyButtonId) && !publishableKey)
    return { kind: 'setup', missing: ['PUBLIC_STRIPE_PUBLISHABLE_API_KEY'] };
  if (pricingTableId && publishableKey) return { kind: 'pricing-table', pricingTableId, publishableKey };
  if (buyButtonId && publishableKey) return { kind: 'buy-button', buyButtonId, publishableKey };
  if (!catalog) {
    return {
      kind: 'setup',
      missing: ['PUBLIC_STRIPE_PRICING_TABLE_ID', 'PUBLIC_STRIPE_BUY_BUTTON_ID', 'STRIPE_API_KEY'],
    };
  }
  try {
    return { kind: 'catalog', plans: await catalog.get() };
  } catch (error) {
    log.error({ msg: 'storefront: plans unavailable', error: describeError(error) });
    return { kind: 'unavailable' };
  }
}
