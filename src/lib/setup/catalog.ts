/**
 * The shop's catalog file (src/content/shop/catalog.json) against a Stripe account: what must be
 * created, changed or archived so the account sells exactly the file's products and prices. Products
 * are matched by `metadata.catalog_key` (Stripe gives products no lookup key), prices by `lookup_key`.
 * Pure: the setup CLI fetches the objects and carries the actions out.
 */
import type Stripe from 'stripe';

/** The metadata key that ties a Stripe product to its entry in the catalog file. */
export const CATALOG_KEY = 'catalog_key';

type Interval = Stripe.PriceCreateParams.Recurring.Interval;

/** One price of the catalog file. Prices are immutable at Stripe: a change makes a new price. */
interface CatalogPrice {
  lookup_key: string;
  unit_amount: number;
  currency: string;
  interval: Interval;
  interval_count: number;
  tax_behavior: 'inclusive' | 'exclusive' | 'unspecified';
}

/** One product of the catalog file: its words in the shop's language, the other language in metadata. */
export interface CatalogProduct {
  key: string;
  name: string;
  description: string;
  metadata: Record<string, string>;
  /** The first is the product's default price. */
  prices: CatalogPrice[];
  /**
   * `"shipping": true`: the shipping (送料) product, not a plan: its first price is SHIPPING_PRICE, a line on
   * every subscription (a price per plan currency and cycle), and the portal offers no switch to it.
   */
  shipping: boolean;
}

const INTERVALS: readonly Interval[] = ['day', 'week', 'month', 'year'];
const TAX_BEHAVIORS: ReadonlyArray<CatalogPrice['tax_behavior']> = ['inclusive', 'exclusive', 'unspecified'];

/** Reads the catalog file's JSON; answers the products or an error naming the first field that is wrong. */
export function parseCatalog(data: unknown): { ok: true; products: CatalogProduct[] } | { ok: false; error: string } {
  class Invalid extends Error {}
  const fail = (message: string): never => {
    throw new Invalid(message);
  };
  const record = (value: unknown, path: string): Record<string, unknown> =>
    value !== null && typeof value === 'object' && !Array.isArray(value)
      ? (value as Record<string, unknown>)
      : fail(`${path} must be an object`);
  const text = (value: unknown, path: string): string =>
    typeof value === 'string' && value.trim() !== '' ? value : fail(`${path} must be a non-empty string`);
  const count = (value: unknown, path: string, min: number): number =>
    Number.isInteger(value) && (value as number) >= min
      ? (value as number)
      : fail(`${path} must be an integer ≥ ${min}`);
  const oneOf = <T extends string>(value: unknown, values: readonly T[], path: string): T =>
    values.find((candidate) => candidate === value) ?? fail(`${path} must be one of ${values.join(', ')}`);
  const list = (value: unknown, path: string): unknown[] =>
    Array.isArray(value) && value.length > 0 ? value : fail(`${path} must be a non-empty array`);
  try {
    const products = list(record(data, 'the file').products, 'products').map((item, index): CatalogProduct => {
      const path = `products[${index}]`;
      const product = record(item, path);
      const metadata = record(product.metadata ?? {}, `${path}.metadata`);
      if (CATALOG_KEY in metadata) fail(`${path}.metadata.${CATALOG_KEY} is set by setup from ${path}.key`);
      if (product.shipping !== undefined && typeof product.shipping !== 'boolean')
        fail(`${path}.shipping must be true or false`);
      return {
        key: text(product.key, `${path}.key`),
        name: text(product.name, `${path}.name`),
        description: text(product.description, `${path}.description`),
        metadata: Object.fromEntries(
          Object.entries(metadata).map(([name, value]) => [name, text(value, `${path}.metadata.${name}`)]),
        ),
        prices: list(product.prices, `${path}.prices`).map((entry, priceIndex) => {
          const at = `${path}.prices[${priceIndex}]`;
          const price = record(entry, at);
          return {
            lookup_key: text(price.lookup_key, `${at}.lookup_key`),
            unit_amount: count(price.unit_amount, `${at}.unit_amount`, 0),
            currency: text(price.currency, `${at}.currency`).toLowerCase(),
            interval: oneOf(price.interval, INTERVALS, `${at}.interval`),
            interval_count: count(price.interval_count, `${at}.interval_count`, 1),
            tax_behavior: oneOf(price.tax_behavior, TAX_BEHAVIORS, `${at}.tax_behavior`),
          };
        }),
        shipping: product.shipping === true,
      };
    });
    const keys = products.map((product) => product.key);
    const lookupKeys = products.flatMap((product) => product.prices.map((price) => price.lookup_key));
    const twice = (values: string[]) => values.find((value, index) => values.indexOf(value) !== index);
    const repeatedKey = twice(keys);
    if (repeatedKey) fail(`the product key ${repeatedKey} is used twice`);
    const repeatedLookupKey = twice(lookupKeys);
    if (repeatedLookupKey) fail(`the lookup_key ${repeatedLookupKey} is used twice`);
    if (products.filter((product) => product.shipping).length > 1) fail('only one product can be the shipping');
    return { ok: true, products };
  } catch (error) {
    if (error instanceof Invalid) return { ok: false, error: `Invalid catalog file: ${error.message}` };
    throw error;
  }
}

/**
 * One step of bringing the account in line with the file. A product not created yet is named by
 * its catalog key (`productKey`); the CLI keeps the ids Stripe answers and resolves them in order.
 */
export type CatalogAction =
  | { kind: 'create-product'; productKey: string; params: Stripe.ProductCreateParams }
  | { kind: 'update-product'; productKey: string; productId: string; params: Stripe.ProductUpdateParams }
  | {
      kind: 'create-price';
      productKey: string;
      lookupKey: string;
      /** Without `product`: the CLI adds the product's id. */
      params: Omit<Stripe.PriceCreateParams, 'product'>;
      /** The price that holds the lookup key now (different terms): archived once the new price holds the key. */
      replaces?: string;
    }
  | { kind: 'reactivate-price'; lookupKey: string; priceId: string }
  /** The product's default price is the file's first price (the storefront's first card choice). */
  | { kind: 'set-default-price'; productKey: string; lookupKey: string }
  | { kind: 'archive-price'; lookupKey: string; priceId: string };

const idOf = (value: string | { id: string } | null | undefined): string | undefined =>
  typeof value === 'string' ? value : value?.id;

/** The product's metadata as the file wants it: Stripe unsets a key given as '' (Stripe.MetadataParam). */
function metadataChange(wanted: Record<string, string>, current: Stripe.Metadata): Record<string, string> | undefined {
  const change: Record<string, string> = {};
  for (const [name, value] of Object.entries(wanted)) if (current[name] !== value) change[name] = value;
  for (const name of Object.keys(current)) if (!(name in wanted)) change[name] = '';
  return Object.keys(change).length > 0 ? change : undefined;
}

/** True when a Stripe price bills exactly what the file's price says (the terms Stripe never lets change). */
function sameTerms(price: Stripe.Price, productId: string, wanted: CatalogPrice): boolean {
  return (
    idOf(price.product) === productId &&
    price.unit_amount === wanted.unit_amount &&
    price.currency === wanted.currency &&
    price.billing_scheme === 'per_unit' &&
    price.recurring?.interval === wanted.interval &&
    price.recurring.interval_count === wanted.interval_count &&
    price.recurring.usage_type === 'licensed' &&
    (price.tax_behavior ?? 'unspecified') === wanted.tax_behavior
  );
}

/** The price to create for the file's price (the product is added by the CLI). */
function priceParams(price: CatalogPrice, transfer: boolean): Omit<Stripe.PriceCreateParams, 'product'> {
  return {
    currency: price.currency,
    unit_amount: price.unit_amount,
    recurring: { interval: price.interval, interval_count: price.interval_count },
    tax_behavior: price.tax_behavior,
    lookup_key: price.lookup_key,
    // docs.stripe.com/api/prices/create#create_price-transfer_lookup_key: moves the key from the price that holds it.
    ...(transfer && { transfer_lookup_key: true }),
  };
}

/**
 * What to do so the account holds the file's catalog: `products` are the account's products (active
 * and archived), `prices` at least every price holding one of the file's lookup keys. A second run
 * after carrying the actions out answers none. Products and prices the file does not name are left alone.
 */
export function planCatalog(
  file: readonly CatalogProduct[],
  products: readonly Stripe.Product[],
  prices: readonly Stripe.Price[],
): CatalogAction[] {
  const actions: CatalogAction[] = [];
  for (const item of file) {
    const wantedMetadata = { ...item.metadata, [CATALOG_KEY]: item.key };
    const existing = products.find((product) => product.metadata[CATALOG_KEY] === item.key);
    if (!existing) {
      actions.push({
        kind: 'create-product',
        productKey: item.key,
        params: { name: item.name, description: item.description, metadata: wantedMetadata },
      });
    } else {
      const params: Stripe.ProductUpdateParams = {
        ...(existing.name !== item.name && { name: item.name }),
        ...(existing.description !== item.description && { description: item.description }),
        ...(!existing.active && { active: true }),
      };
      const metadata = metadataChange(wantedMetadata, existing.metadata);
      if (metadata) params.metadata = metadata;
      if (Object.keys(params).length > 0)
        actions.push({ kind: 'update-product', productKey: item.key, productId: existing.id, params });
    }

    const archive: CatalogAction[] = [];
    let defaultChanges = !existing;
    item.prices.forEach((wanted, index) => {
      const holder = prices.find((price) => price.lookup_key === wanted.lookup_key);
      const isDefault = index === 0;
      if (existing && holder && sameTerms(holder, existing.id, wanted)) {
        if (!holder.active)
          actions.push({ kind: 'reactivate-price', lookupKey: wanted.lookup_key, priceId: holder.id });
        if (isDefault && idOf(existing.default_price) !== holder.id) defaultChanges = true;
        return;
      }
      actions.push({
        kind: 'create-price',
        productKey: item.key,
        lookupKey: wanted.lookup_key,
        params: priceParams(wanted, holder !== undefined),
        ...(holder && { replaces: holder.id }),
      });
      if (isDefault) defaultChanges = true;
      // The old price stays for the subscriptions already on it, archived so nobody new buys it.
      if (holder?.active) archive.push({ kind: 'archive-price', lookupKey: wanted.lookup_key, priceId: holder.id });
    });
    const first = item.prices[0];
    // Before archiving: Stripe refuses to archive a product's default price.
    if (defaultChanges && first)
      actions.push({ kind: 'set-default-price', productKey: item.key, lookupKey: first.lookup_key });
    actions.push(...archive);
  }
  return actions;
}

/** One line per action, for the CLI's report. */
export function describeCatalogAction(action: CatalogAction): string {
  switch (action.kind) {
    case 'create-product':
      return `create product ${action.productKey}`;
    case 'update-product':
      return `update product ${action.productKey} (${Object.keys(action.params).join(', ')})`;
    case 'create-price':
      return action.replaces
        ? `create price ${action.lookupKey} (its terms changed) and move the lookup key from ${action.replaces}`
        : `create price ${action.lookupKey}`;
    case 'reactivate-price':
      return `reactivate price ${action.lookupKey} (${action.priceId})`;
    case 'set-default-price':
      return `make ${action.lookupKey} the default price of ${action.productKey}`;
    case 'archive-price':
      return `archive the old price ${action.priceId} (was ${action.lookupKey})`;
  }
}
