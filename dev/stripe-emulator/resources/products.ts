/**
 * Products: POST /v1/products, POST /v1/products/:id, GET /v1/products (`active`, `ids[]`), GET /v1/products/:id,
 * as a setup script keeps the catalog file's products in step with an account (`product.created`,
 * `product.updated`). The catalog itself is seeded by seed.ts.
 */
import type Stripe from 'stripe';
import { invalidRequest, missingParam, noSuch } from '../errors.ts';
import { productObject } from '../objects.ts';
import {
  allowOnly,
  emptyableString,
  expand,
  metadataChange,
  newestFirst,
  optionalBoolean,
  optionalStringArray,
  optionalUrl,
  paginate,
  PAGE_PARAMS,
  settableString,
  type Params,
} from '../params.ts';
import { ok, type Handler } from '../api.ts';
import { type EmulatorState, ID_PREFIX, idOf, newId, nowSeconds, snapshot } from '../state.ts';

/** Stripe.ProductCreateParams.images: "A list of up to 8 URLs of images for this product". */
const MAX_IMAGES = 8;

/** A stored product, or Stripe's 404. */
function productOrThrow(state: EmulatorState, id: string): Stripe.Product {
  const product = state.products.get(id);
  if (!product) throw noSuch('product', id);
  return product;
}

/** `images[]`: up to 8 absolute http(s) URLs (`images=` clears them on update: Stripe.ProductUpdateParams.images is Emptyable). */
function imagesParam(params: Params): string[] | undefined {
  if (params['images'] === '') return [];
  const images = optionalStringArray(params, 'images');
  if (images === undefined) return undefined;
  // wording not confirmed
  if (images.length > MAX_IMAGES) throw invalidRequest(`A product can have at most ${MAX_IMAGES} images.`, 'images');
  return images.map((url, index) => optionalUrl({ url }, 'url', `images[${index}]`) ?? url);
}

/**
 * `tax_code`: a tax code id (docs.stripe.com/tax/tax-codes: every code is `txcd_` and 8 digits). The emulator does not
 * know Stripe's list, so any code of that form is taken; the refusal's wording is not confirmed.
 */
function taxCodeParam(params: Params): string | null | undefined {
  const code = emptyableString(params, 'tax_code');
  if (code && !/^txcd_\d{8}$/.test(code)) throw noSuch('tax_code', code, 'tax_code');
  return code;
}

/** POST /v1/products: `name` (required), `description`, `images[]`, `metadata`, `active`, `tax_code`; `product.created`. */
export const create: Handler = ({ state, events }, { params }) => {
  allowOnly(params, ['active', 'description', 'expand', 'images', 'metadata', 'name', 'tax_code']);
  const name = settableString(params, 'name');
  if (name === undefined) throw missingParam('name');
  const metadata = metadataChange(params);
  const created = nowSeconds();
  const product = productObject({
    id: newId(ID_PREFIX.product),
    created,
    name,
    active: optionalBoolean(params, 'active') ?? true,
    description: settableString(params, 'description') ?? null,
    images: imagesParam(params) ?? [],
    metadata: metadata ? metadata({}) : {},
    tax_code: taxCodeParam(params) ?? null,
  });
  state.products.set(product.id, product);
  return ok(expand(state, product, params), [state.createEvent('product.created', product, events)]);
};

/**
 * POST /v1/products/:id: `name`, `description`, `images`, `metadata`, `active`, `tax_code`, `default_price` (a price of
 * this product: Stripe.ProductUpdateParams.default_price, "The ID of the Price object that is the default price for this
 * product"); `product.updated` with the changed fields, none when nothing changed.
 */
export const update: Handler = ({ state, events }, { params }, [id = '']) => {
  allowOnly(params, ['active', 'default_price', 'description', 'expand', 'images', 'metadata', 'name', 'tax_code']);
  const product = productOrThrow(state, id);
  const name = settableString(params, 'name');
  const description = emptyableString(params, 'description');
  const images = imagesParam(params);
  const metadata = metadataChange(params);
  const taxCode = taxCodeParam(params);
  const active = optionalBoolean(params, 'active');
  const defaultPriceId = settableString(params, 'default_price');
  if (defaultPriceId !== undefined) {
    const price = state.prices.get(defaultPriceId);
    if (!price) throw noSuch('price', defaultPriceId, 'default_price');
    // wording not confirmed: a product's default price is one of its own prices
    if (idOf(price.product) !== product.id)
      throw invalidRequest(
        `The price \`${defaultPriceId}\` does not belong to the product \`${product.id}\`.`,
        'default_price',
      );
  }
  const next: Partial<Stripe.Product> = {
    ...(name !== undefined && { name }),
    ...(description !== undefined && { description }),
    ...(images !== undefined && { images }),
    ...(metadata && { metadata: metadata(product.metadata) }),
    ...(taxCode !== undefined && { tax_code: taxCode }),
    ...(active !== undefined && { active }),
    ...(defaultPriceId !== undefined && { default_price: defaultPriceId }),
  };
  const previous: Record<string, unknown> = {};
  for (const [key, value] of Object.entries(next)) {
    const field = key as keyof Stripe.Product;
    if (JSON.stringify(product[field]) !== JSON.stringify(value)) previous[key] = snapshot(product[field]);
  }
  if (Object.keys(previous).length === 0) return ok(expand(state, product, params));
  Object.assign(product, next, { updated: nowSeconds() });
  // docs.stripe.com/api/events/object: previous_attributes holds "the previous values of the attributes that changed"
  const event = state.createEvent('product.updated', product, events, previous);
  return ok(expand(state, product, params), [event]);
};

/**
 * GET /v1/products: `active`, `ids[]` (Stripe.ProductListParams.ids: "Only return products with the given IDs. Cannot
 * be used with starting_after or ending_before."; the refusal's wording is not confirmed), newest first.
 */
export const list: Handler = ({ state }, { params }) => {
  allowOnly(params, [...PAGE_PARAMS, 'active', 'ids']);
  const active = optionalBoolean(params, 'active');
  const ids = optionalStringArray(params, 'ids');
  if (ids && params['starting_after'] !== undefined)
    throw invalidRequest('You cannot use `ids` with `starting_after`.', 'ids');
  const page = paginate(
    newestFirst(state.products),
    (product) => (active === undefined || product.active === active) && (ids === undefined || ids.includes(product.id)),
    params,
    '/v1/products',
    'product',
  );
  return ok(expand(state, page, params));
};

/** GET /v1/products/:id */
export const retrieve: Handler = ({ state }, { params }, [id = '']) => {
  allowOnly(params, ['expand']);
  return ok(expand(state, productOrThrow(state, id), params));
};
