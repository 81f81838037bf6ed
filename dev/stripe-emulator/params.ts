/**
 * Reading /v1 parameters the way Stripe does (strings in bracket notation, `''` unsets, unknown
 * names refused), `expand`, and list pagination. Resource files state their own rules with these.
 */
import type Stripe from 'stripe';
import { invalidRequest, missingParam, noSuch, StripeApiError } from './errors.ts';
import { listObject } from './objects.ts';
import type { EmulatorState } from './state.ts';

/** Query string and form body of one request, parsed (values are strings, objects and arrays). */
export type Params = Record<string, unknown>;

/**
 * The `locale` values the site sends (src/lib/i18n.ts `Language`) and Stripe's default `auto`:
 * Checkout and the portal accept many more; the emulator refuses what nobody here sends.
 */
export const LOCALES = ['auto', 'en', 'ja'] as const;

/** Rejects parameters outside `allowed`, like Stripe does ("Received unknown parameter: X"). */
export function allowOnly(params: Params, allowed: readonly string[], prefix?: string): void {
  for (const key of Object.keys(params)) {
    const name = prefix === undefined ? key : `${prefix}[${key}]`;
    if (!allowed.includes(key)) throw invalidRequest(`Received unknown parameter: ${name}`, name);
  }
}

/** A string parameter; `''` counts as absent (Stripe's way of unsetting). */
export function optionalString(params: Params, name: string, label = name): string | undefined {
  const value = params[name];
  if (value === undefined || value === '') return undefined;
  if (typeof value !== 'string') throw invalidRequest(`Invalid string: ${label} must be a string.`, label);
  return value;
}

export function requiredString(params: Params, name: string, label = name): string {
  const value = optionalString(params, name, label);
  if (value === undefined) throw missingParam(label);
  return value;
}

/**
 * A string parameter that cannot be unset: `''` is refused with Stripe's parameter_invalid_empty (wording as Stripe
 * answers it, quoted in public issues: "You passed an empty string for 'x'. We assume empty values are an attempt to
 * unset a parameter; however 'x' cannot be unset. …").
 */
export function settableString(params: Params, name: string, label = name): string | undefined {
  if (params[name] === '') {
    throw invalidRequest(
      `You passed an empty string for '${label}'. We assume empty values are an attempt to unset a parameter; however '${label}' cannot be unset. You should remove '${label}' from your request or supply a non-empty value.`,
      label,
      'parameter_invalid_empty',
    );
  }
  return optionalString(params, name, label);
}

/** A string parameter that may be unset (Stripe's `Emptyable<string>`): `''` is null, absent is undefined. */
export function emptyableString(params: Params, name: string, label = name): string | null | undefined {
  return params[name] === '' ? null : optionalString(params, name, label);
}

export function optionalBoolean(params: Params, name: string, label = name): boolean | undefined {
  const value = optionalString(params, name, label);
  if (value === undefined) return undefined;
  if (value === 'true') return true;
  if (value === 'false') return false;
  throw invalidRequest(`Invalid boolean: ${value}`, label);
}

export function optionalInteger(
  params: Params,
  name: string,
  min: number,
  max: number,
  label = name,
): number | undefined {
  const value = optionalString(params, name, label);
  if (value === undefined) return undefined;
  if (!/^-?\d+$/.test(value)) throw invalidRequest(`Invalid integer: ${value}`, label);
  const number = Number(value);
  if (number < min) throw invalidRequest(`This value must be greater than or equal to ${min}.`, label);
  if (number > max) throw invalidRequest(`This value must be less than or equal to ${max}.`, label);
  return number;
}

export function optionalEnum<T extends string>(
  params: Params,
  name: string,
  values: readonly T[],
  label = name,
): T | undefined {
  const value = optionalString(params, name, label);
  if (value === undefined) return undefined;
  const match = values.find((candidate) => candidate === value);
  if (match === undefined) throw invalidRequest(`Invalid ${label}: must be one of ${values.join(', ')}`, label);
  return match;
}

export function optionalObject(params: Params, name: string, label = name): Params | undefined {
  const value = params[name];
  if (value === undefined || value === '') return undefined;
  if (typeof value !== 'object' || value === null || Array.isArray(value))
    throw invalidRequest('Invalid object', label);
  return value as Params;
}

/** An array of objects (`a[0][b]=x`); `''` or absent is undefined. */
export function optionalObjectArray(params: Params, name: string): Params[] | undefined {
  const value = params[name];
  if (value === undefined || value === '') return undefined;
  if (!Array.isArray(value)) throw invalidRequest('Invalid array', name);
  return value.map((entry: unknown, index) => optionalObject({ entry }, 'entry', `${name}[${index}]`) ?? {});
}

/** A list parameter (`a[0]=x` or `a[]=x`); a lone string counts as one item. */
export function optionalStringArray(params: Params, name: string): string[] | undefined {
  const value = params[name];
  if (value === undefined || value === '') return undefined;
  const items = typeof value === 'string' ? [value] : value;
  if (!Array.isArray(items) || !items.every((item): item is string => typeof item === 'string')) {
    throw invalidRequest('Invalid array', name);
  }
  return items;
}

/**
 * A timestamp filter (Stripe.RangeQueryParam | number, e.g. `created`): an exact time or `[gt|gte|lt|lte]` bounds,
 * as a test of a value; undefined when absent.
 */
export function optionalTimeRange(params: Params, name: string): ((value: number) => boolean) | undefined {
  const value = params[name];
  if (value === undefined || value === '') return undefined;
  if (typeof value === 'string') {
    const exact = optionalInteger(params, name, 0, Number.MAX_SAFE_INTEGER);
    return (candidate) => candidate === exact;
  }
  const range = optionalObject(params, name) ?? {};
  allowOnly(range, ['gt', 'gte', 'lt', 'lte'], name);
  const bound = (key: string) => optionalInteger(range, key, 0, Number.MAX_SAFE_INTEGER, `${name}[${key}]`);
  const [gt, gte, lt, lte] = [bound('gt'), bound('gte'), bound('lt'), bound('lte')];
  return (candidate) =>
    (gt === undefined || candidate > gt) &&
    (gte === undefined || candidate >= gte) &&
    (lt === undefined || candidate < lt) &&
    (lte === undefined || candidate <= lte);
}

export function optionalUrl(params: Params, name: string, label = name): string | undefined {
  const value = optionalString(params, name, label);
  if (value === undefined) return undefined;
  let url: URL;
  try {
    url = new URL(value);
  } catch {
    throw invalidRequest('Not a valid URL', label, 'url_invalid');
  }
  if (url.protocol !== 'http:' && url.protocol !== 'https:')
    throw invalidRequest('Not a valid URL', label, 'url_invalid');
  return value;
}

/**
 * docs.stripe.com/metadata: "up to 50 keys, with key names up to 40 characters long and values up to 500 characters
 * long", and keys "can't contain square brackets" (the emulator's wording for these refusals; Stripe's not confirmed).
 */
const METADATA_LIMITS = { keys: 50, keyLength: 40, valueLength: 500 } as const;

/**
 * `metadata[key]=value` (`''` unsets a key, `metadata=` all of them), as Stripe.MetadataParam: the change to apply to
 * an object's metadata, checked before anything changes; undefined when absent.
 */
export function metadataChange(params: Params): ((metadata: Stripe.Metadata) => Stripe.Metadata) | undefined {
  if (params['metadata'] === undefined) return undefined;
  const entries = Object.entries(optionalObject(params, 'metadata') ?? {});
  for (const [key, value] of entries) {
    const label = `metadata[${key}]`;
    if (typeof value !== 'string') throw invalidRequest('Invalid string', label);
    if (key.length > METADATA_LIMITS.keyLength || /[[\]]/.test(key))
      throw invalidRequest(
        `Metadata keys can be up to ${METADATA_LIMITS.keyLength} characters long and cannot contain square brackets.`,
        label,
      );
    if (value.length > METADATA_LIMITS.valueLength)
      throw invalidRequest(`Metadata values can be up to ${METADATA_LIMITS.valueLength} characters long.`, label);
  }
  if (entries.length === 0) return () => ({});
  return (metadata) => {
    const next = { ...metadata };
    for (const [key, value] of entries) {
      if (value === '') delete next[key];
      else next[key] = String(value);
    }
    if (Object.keys(next).length > METADATA_LIMITS.keys)
      throw invalidRequest(`Metadata can have up to ${METADATA_LIMITS.keys} keys.`, 'metadata');
    return next;
  };
}

const EMAIL_PATTERN = /^[^\s@]+@[^\s@.]+(\.[^\s@.]+)+$/;

/** Loose e-mail check in the spirit of Stripe's (something@domain.tld). */
export function isEmail(value: string): boolean {
  return value.length <= 512 && EMAIL_PATTERN.test(value);
}

// ---------------------------------------------------------------- expand

function cannotExpand(path: string): StripeApiError {
  return invalidRequest(`This property cannot be expanded (${path}).`, 'expand');
}

/**
 * Fields that exist only when expanded: a Checkout Session's `line_items`, a tiered price's `tiers`, an invoice's
 * `payments` (Stripe.Invoice.payments) and a charge's `refunds` (Stripe.Charge.refunds).
 */
function includable(state: EmulatorState, object: Record<string, unknown>, key: string): (() => unknown) | undefined {
  const id = String(object['id']);
  const items = state.checkoutLineItems.get(id);
  if (object['object'] === 'checkout.session' && key === 'line_items')
    return () => listObject(items ?? [], `/v1/checkout/sessions/${id}/line_items`);
  if (object['object'] === 'invoice' && key === 'payments') {
    const payments = [...state.invoicePayments.values()].filter((payment) => payment.invoice === id);
    return () => listObject(payments.reverse(), `/v1/invoices/${id}/payments`);
  }
  if (object['object'] === 'charge' && key === 'refunds') {
    const refunds = [...state.refunds.values()].filter((refund) => refund.charge === id);
    return () => listObject(refunds.reverse(), `/v1/charges/${id}/refunds`);
  }
  // Stripe.Price `tiers`: "requires billing_scheme tiered"; returned when expanded
  const tiers = state.priceTiers.get(id);
  if (object['object'] === 'price' && key === 'tiers' && tiers) return () => tiers;
  return undefined;
}

function expandValue(state: EmulatorState, value: unknown, rest: string[], path: string): unknown {
  if (Array.isArray(value)) return value.map((item: unknown) => expandValue(state, item, rest, path));
  let current = value;
  if (typeof current === 'string') {
    // Any stored id, whatever its prefix (legacy Plan ids are merchant-chosen).
    current = state.find(current);
    if (current === undefined) throw cannotExpand(path);
  }
  if (rest.length === 0 || current === null) return current;
  if (typeof current !== 'object') throw cannotExpand(path);
  return expandField(state, current, rest, path);
}

function expandField(state: EmulatorState, object: object, segments: string[], path: string): Record<string, unknown> {
  const [key, ...rest] = segments;
  // A shallow copy, so the stored object is untouched.
  const copy: Record<string, unknown> = { ...(object as Record<string, unknown>) };
  const include = key === undefined || key in copy ? undefined : includable(state, copy, key);
  if (include && key !== undefined) copy[key] = include();
  if (key === undefined || !(key in copy)) throw cannotExpand(path);
  const value = copy[key];
  if (value !== null && value !== undefined) copy[key] = expandValue(state, value, rest, path);
  return copy;
}

/** Applies the `expand` parameter to an object (or list); docs.stripe.com/expand: at most 4 levels. */
export function expand(state: EmulatorState, object: object, params: Params): unknown {
  let result: object = object;
  for (const path of optionalStringArray(params, 'expand') ?? []) {
    const segments = path.split('.');
    if (segments.length > 4)
      throw invalidRequest(`You cannot expand more than 4 levels of a property (${path}).`, 'expand');
    result = expandField(state, result, segments, path);
  }
  return result;
}

// ---------------------------------------------------------------- lists

/** The parameters every list accepts (stripe-node's auto-pagination sends `starting_after`). */
export const PAGE_PARAMS = ['limit', 'starting_after', 'expand'] as const;

/** One page of `all` (newest first) after filtering: `limit` (1–100, default 10) items after `starting_after`. */
export function paginate<T extends { id: string }>(
  all: readonly T[],
  keep: (item: T) => boolean,
  params: Params,
  url: string,
  kind: string,
): Stripe.ApiList<T> {
  const limit = optionalInteger(params, 'limit', 1, 100) ?? 10;
  const cursor = optionalString(params, 'starting_after');
  const position = cursor === undefined ? -1 : all.findIndex((item) => item.id === cursor);
  if (cursor !== undefined && position === -1) throw noSuch(kind, cursor, 'starting_after');
  const candidates = all.slice(position + 1).filter(keep);
  return listObject(candidates.slice(0, limit), url, candidates.length > limit);
}

/** A map's values, newest first (maps keep insertion order). */
export function newestFirst<T>(map: Map<string, T>): T[] {
  return [...map.values()].reverse();
}
