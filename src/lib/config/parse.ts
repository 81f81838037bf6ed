/**
 * Parsers for the site's variables: each turns a trimmed, non-empty raw value into its typed value,
 * or undefined when it is malformed (the caller records a problem naming the variable, never the value).
 */
import { isLoopbackHost } from '../http/origin.ts';
import { isStripeId } from '../stripe/ids.ts';

/** A variable's parser: the value, or undefined when malformed. */
export type Parser<T> = (raw: string) => T | undefined;

/** A Stripe id or key of one kind (`isStripeId`). */
export function stripeId(kind: Parameters<typeof isStripeId>[0]): Parser<string> {
  return (raw) => (isStripeId(kind, raw) ? raw : undefined);
}

/** `true` or `false`, nothing else. */
export const boolean: Parser<boolean> = (raw) => (raw === 'true' ? true : raw === 'false' ? false : undefined);

/** A whole number from `min` to `max`. */
export function integerIn(min: number, max: number): Parser<number> {
  return (raw) => {
    if (!/^\d+$/.test(raw)) return undefined;
    const number = Number(raw);
    return number >= min && number <= max ? number : undefined;
  };
}

/** An http(s) URL, or https only. */
export function httpUrl(requiredProtocol?: 'https:'): Parser<URL> {
  return (raw) => {
    try {
      const url = new URL(raw);
      if (requiredProtocol ? url.protocol !== requiredProtocol : !['http:', 'https:'].includes(url.protocol))
        return undefined;
      return url;
    } catch {
      return undefined;
    }
  };
}

/** An origin (no path, query or credentials), https unless it names this machine. */
export const siteOrigin: Parser<string> = (raw) => {
  const url = httpUrl()(raw);
  if (!url || url.pathname !== '/' || url.search || url.hash || url.username || url.password) return undefined;
  if (url.protocol !== 'https:' && !isLoopbackHost(url.hostname)) return undefined;
  return url.origin;
};

/** A plain sender address on a domain (no display name). */
export const senderAddress: Parser<string> = (raw) =>
  /^[A-Za-z0-9._%+-]{1,64}@[A-Za-z0-9.-]{1,253}\.[A-Za-z]{2,63}$/.test(raw) ? raw : undefined;

/** One of a fixed list of words. */
export function oneOf<const T extends string>(values: readonly T[]): Parser<T> {
  return (raw) => values.find((value) => value === raw);
}

/** Two-letter country codes separated by commas (Stripe's ShippingAddressCollection.AllowedCountry), upper-cased, unique. */
export const countryCodes: Parser<string[]> = (raw) => {
  const codes = raw.split(',').map((code) => code.trim().toUpperCase());
  return codes.every((code) => /^[A-Z]{2}$/.test(code)) ? [...new Set(codes)] : undefined;
};

/** A Cloudflare Zero Trust team domain, `myteam.cloudflareaccess.com` (with or without `https://` and a slash). */
export const accessTeamDomain: Parser<string> = (raw) => {
  const host = raw
    .replace(/^https:\/\//i, '')
    .replace(/\/+$/, '')
    .toLowerCase();
  return /^[a-z0-9](?:[a-z0-9-]{0,61}[a-z0-9])?\.cloudflareaccess\.com$/.test(host) ? host : undefined;
};

/** An Access application's Application Audience (AUD) tag: 64 hexadecimal characters. */
export const accessAudience: Parser<string> = (raw) => (/^[0-9a-f]{64}$/i.test(raw) ? raw.toLowerCase() : undefined);
