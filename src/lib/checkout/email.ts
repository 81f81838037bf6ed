/** The e-mail a visitor declares on this site before paying: the proof of who owns a subscription. */

/** Stripe's customer e-mail limit is 512 characters; RFC 5321 caps a usable address at 254. */
const MAX_EMAIL_LENGTH = 254;
/** One @, no spaces or control characters, a dot in the domain: what Stripe Checkout accepts in practice. */
const EMAIL_PATTERN = /^[^\s@\p{Cc}]{1,64}@[^\s@\p{Cc}.]+(?:\.[^\s@\p{Cc}.]+)+$/u;

export type DeclaredEmail =
  { kind: 'missing' } | { kind: 'malformed'; value: string } | { kind: 'valid'; email: string };

/** Parses a posted e-mail field: trimmed, length-capped, lower-cased for comparison with Stripe's customer e-mail. */
export function parseDeclaredEmail(value: unknown): DeclaredEmail {
  if (typeof value !== 'string' || value.trim() === '') return { kind: 'missing' };
  const trimmed = value.trim();
  if (trimmed.length > MAX_EMAIL_LENGTH || !EMAIL_PATTERN.test(trimmed))
    return { kind: 'malformed', value: trimmed.slice(0, MAX_EMAIL_LENGTH) };
  return { kind: 'valid', email: trimmed.toLowerCase() };
}

/** Case-insensitive comparison of a Stripe customer's e-mail with a declared one. */
export function sameEmail(customerEmail: string | null | undefined, declared: string): boolean {
  return typeof customerEmail === 'string' && customerEmail.trim().toLowerCase() === declared;
}
