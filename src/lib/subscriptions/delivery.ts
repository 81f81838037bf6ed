/** Where a subscriber's beans go: the Stripe customer's shipping name and address, and how to show them. */
import type Stripe from 'stripe';
import type { Language } from '../language/languages.ts';

/** An address as Stripe keeps it (every part optional), in the record's own names. */
export interface DeliveryAddress {
  postalCode: string | null;
  /** Prefecture (都道府県) for Japan; state, province or region elsewhere. */
  state: string | null;
  city: string | null;
  line1: string | null;
  line2: string | null;
  /** Two-letter ISO country code. */
  country: string | null;
}

/** The delivery name and address; the phone stays in Stripe (docs/storage.md#the-subscription-record). */
export interface Delivery {
  name: string;
  address: DeliveryAddress;
}

function part(value: string | null | undefined): string | null {
  const trimmed = value?.trim();
  return trimmed ? trimmed : null;
}

/** Stripe.Customer.Shipping, read as if any part could be missing. */
interface ShippingLike {
  name?: string | null;
  address?: Partial<Stripe.Address> | null;
  /** Never kept (see Delivery). */
  phone?: string | null;
}

/** The delivery from a customer's `shipping` (Stripe.Customer.shipping); null when there is none to show. */
export function deliveryFromShipping(shipping: ShippingLike | null | undefined): Delivery | null {
  if (!shipping) return null;
  const address: Partial<Stripe.Address> = shipping.address ?? {};
  const delivery: Delivery = {
    name: part(shipping.name) ?? '',
    address: {
      postalCode: part(address.postal_code),
      state: part(address.state),
      city: part(address.city),
      line1: part(address.line1),
      line2: part(address.line2),
      country: part(address.country)?.toUpperCase() ?? null,
    },
  };
  const empty = delivery.name === '' && Object.values(delivery.address).every((value) => value === null);
  return empty ? null : delivery;
}

/** A country's name in the visitor's language (the code itself if the runtime does not know it). */
function countryName(code: string, language: Language): string {
  try {
    return new Intl.DisplayNames([language], { type: 'region' }).of(code) ?? code;
  } catch {
    return code;
  }
}

const ASCII = /^[\x20-\x7e]$/;

/** Joins Japanese address parts: no space between two Japanese parts (東京都渋谷区), one next to Latin text or digits. */
function joinJapanese(parts: readonly (string | null)[]): string {
  let joined = '';
  for (const next of parts) {
    if (!next) continue;
    const glue = joined && (ASCII.test(joined.slice(-1)) || ASCII.test(next.charAt(0))) ? ' ' : '';
    joined += glue + next;
  }
  return joined;
}

/** 〒150-0001: a seven-digit Japanese postal code gets its hyphen. */
function japanesePostalCode(code: string): string {
  return /^\d{7}$/.test(code) ? `${code.slice(0, 3)}-${code.slice(3)}` : code;
}

/**
 * The address as display lines. A Japanese address goes from large to small, as on a Japanese
 * envelope: 〒postal code, then prefecture, city, line1, line2 ("Japan" added for English readers).
 * Elsewhere: line1, line2, "city, state postal code", country.
 */
export function addressLines(address: DeliveryAddress, language: Language): string[] {
  if (address.country === 'JP') {
    const street = joinJapanese([address.state, address.city, address.line1, address.line2]);
    return [
      address.postalCode ? `〒${japanesePostalCode(address.postalCode)}` : '',
      street,
      language === 'ja' ? '' : countryName('JP', language),
    ].filter(Boolean);
  }
  const region = [address.state, address.postalCode].filter(Boolean).join(' ');
  return [
    address.line1,
    address.line2,
    [address.city, region].filter(Boolean).join(', '),
    address.country ? countryName(address.country, language) : '',
  ].filter((line): line is string => Boolean(line));
}
