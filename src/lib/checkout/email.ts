/**
 * The e-mail a visitor declares on this site before paying: the proof of who owns a subscription.
 * Checkout shows it locked, so it must read exactly as the person it belongs to reads their own
 * address: no invisible characters, no look-alike letters from another script, and nothing Stripe
 * would refuse after the visitor has already been sent on.
 */

/** Stripe's `email` parameters take up to 512 characters (API reference); RFC 5321 §4.5.3.1 caps 64 local / 254 in all: the stricter wins. */
const MAX_LOCAL_LENGTH = 64;
const MAX_EMAIL_LENGTH = 254;
/** RFC 1035 §2.3.4: 253 characters for a domain name written without its trailing dot, 63 per label. */
const MAX_DOMAIN_LENGTH = 253;
/** Inputs beyond this are refused before any normalisation work (a form field is never this long). */
const MAX_INPUT_LENGTH = 1024;

/** RFC 5321 §4.1.2 Dot-string: atoms of atext (RFC 5322 §3.2.3) joined by single dots. ASCII only: Stripe refuses others. */
const DOT_ATOM = /^[A-Za-z0-9!#$%&'*+/=?^_`{|}~-]+(?:\.[A-Za-z0-9!#$%&'*+/=?^_`{|}~-]+)*$/;
/** Format (zero-width, bidi controls), separators (every space) and controls: invisible or misleading anywhere. */
const INVISIBLE = /[\p{Cf}\p{Z}\p{Cc}]/u;
/** What a domain may be typed with before IDNA: letters, marks and digits of any script, dots, hyphens. */
const DOMAIN_CHARACTERS = /^[\p{L}\p{M}\p{N}.-]+$/u;
/** RFC 5890 §2.3.1 LDH label (an A-label is one too): 1–63 of [a-z0-9-], no hyphen at either end. */
const LDH_LABEL = /^(?!-)[a-z0-9-]{1,63}(?<!-)$/;

/** Why an address was refused; the pages show `Strings.emailRefusal[reason]`. */
export type EmailRefusal =
  /** Not one `local@domain` (no @, two @, an empty side). */
  | 'format'
  /** Over 64 characters before the @ or 254 in all. */
  | 'too_long'
  /** A space, a zero-width or other invisible character, or a control character. */
  | 'invisible'
  /** A character before the @ that RFC 5321 does not allow there (quotes, <, >, a doubled dot …). */
  | 'local_part'
  /** A non-ASCII character before the @: Stripe refuses those (RFC 6531 addresses are not accepted). */
  | 'non_ascii_local_part'
  /** The part after the @ is not a valid (internationalised) domain name with at least two labels. */
  | 'domain'
  /** The domain mixes scripts (a Cyrillic а among Latin letters) or uses one this shop cannot check. */
  | 'mixed_script';

export type DeclaredEmail =
  { kind: 'missing' } | { kind: 'malformed'; value: string; reason: EmailRefusal } | { kind: 'valid'; email: string };

// ------------------------------------------------------------------ scripts (UTS #39)

/** Scripts told apart; a letter of any other script is refused (Cherokee, for one, looks like Latin). */
const SCRIPTS = [
  'Latin',
  'Greek',
  'Cyrillic',
  'Armenian',
  'Georgian',
  'Hebrew',
  'Arabic',
  'Thaana',
  'Devanagari',
  'Bengali',
  'Gurmukhi',
  'Gujarati',
  'Oriya',
  'Tamil',
  'Telugu',
  'Kannada',
  'Malayalam',
  'Sinhala',
  'Thai',
  'Lao',
  'Tibetan',
  'Myanmar',
  'Khmer',
  'Ethiopic',
  'Hangul',
  'Han',
  'Hiragana',
  'Katakana',
  'Bopomofo',
] as const;
type Script = (typeof SCRIPTS)[number];
const SCRIPT_PATTERNS = SCRIPTS.map((name) => [name, new RegExp(`^\\p{Script=${name}}$`, 'u')] as const);
/** Digits, hyphens, the prolonged sound mark ー and combining marks belong to no one script. */
const SHARED = /^[\p{Script=Common}\p{Script=Inherited}]$/u;

/**
 * UTS #39 §5.2 "Highly Restrictive": one script, or Latin with Han + Hiragana + Katakana (Japanese),
 * Han + Bopomofo (Chinese) or Han + Hangul (Korean). So `例え.jp` passes and `pаypal.com` (Cyrillic а) does not.
 */
const ALLOWED_COMBINATIONS: ReadonlyArray<ReadonlySet<Script>> = [
  new Set(['Latin', 'Han', 'Hiragana', 'Katakana']),
  new Set(['Latin', 'Han', 'Bopomofo']),
  new Set(['Latin', 'Han', 'Hangul']),
];

function isHighlyRestrictive(text: string): boolean {
  const seen = new Set<Script>();
  for (const char of text) {
    if (SHARED.test(char)) continue;
    const script = SCRIPT_PATTERNS.find(([, pattern]) => pattern.test(char))?.[0];
    if (!script) return false;
    seen.add(script);
  }
  if (seen.size <= 1) return true;
  return ALLOWED_COMBINATIONS.some((allowed) => [...seen].every((script) => allowed.has(script)));
}

// ------------------------------------------------------------------ IDNA

/** RFC 3492 §6.2 Punycode decoding, so an A-label can be shown (and checked) as the person reads it. */
function decodePunycode(input: string): string | null {
  const base = 36;
  const [tMin, tMax, skew, damp] = [1, 26, 38, 700];
  const adapt = (delta: number, points: number, first: boolean): number => {
    let d = first ? Math.floor(delta / damp) : delta >> 1;
    d += Math.floor(d / points);
    let k = 0;
    for (; d > ((base - tMin) * tMax) >> 1; k += base) d = Math.floor(d / (base - tMin));
    return k + Math.floor(((base - tMin + 1) * d) / (d + skew));
  };
  const digit = (code: number): number =>
    code >= 0x30 && code <= 0x39 ? code - 22 : code >= 0x61 && code <= 0x7a ? code - 0x61 : base;
  const separator = input.lastIndexOf('-');
  const output = [...(separator > 0 ? input.slice(0, separator) : '')].map((char) => char.codePointAt(0) ?? 0);
  let [n, bias, i] = [0x80, 72, 0];
  for (let index = separator > 0 ? separator + 1 : 0; index < input.length;) {
    const oldI = i;
    for (let w = 1, k = base; ; k += base) {
      if (index >= input.length) return null;
      const value = digit(input.charCodeAt(index++));
      if (value >= base) return null;
      i += value * w;
      const t = k <= bias ? tMin : k >= bias + tMax ? tMax : k - bias;
      if (value < t) break;
      w *= base - t;
      if (i > 0x10ffff * 64) return null;
    }
    bias = adapt(i - oldI, output.length + 1, oldI === 0);
    n += Math.floor(i / (output.length + 1));
    i %= output.length + 1;
    if (n > 0x10ffff) return null;
    output.splice(i++, 0, n);
  }
  return String.fromCodePoint(...output);
}

/**
 * A domain as IDNA A-labels and as the Unicode a person reads, or null when it is not a valid
 * host name. WHATWG URL does the UTS #46 ToASCII mapping (in workerd and Node alike).
 */
function toDomain(typed: string): { ascii: string; unicode: string } | null {
  if (!DOMAIN_CHARACTERS.test(typed)) return null;
  let ascii: string;
  try {
    ascii = new URL(`http://${typed}`).hostname;
  } catch {
    return null;
  }
  const labels = ascii.split('.');
  if (ascii.length > MAX_DOMAIN_LENGTH || labels.length < 2 || !labels.every((label) => LDH_LABEL.test(label)))
    return null;
  // A top-level domain is never all digits (RFC 3696 §2), which also keeps IPv4 literals out.
  if (/^\d+$/.test(labels.at(-1) ?? '')) return null;
  const unicode: string[] = [];
  for (const label of labels) {
    const decoded = label.startsWith('xn--') ? decodePunycode(label.slice(4)) : label;
    if (decoded === null || decoded === '') return null;
    unicode.push(decoded);
  }
  return { ascii, unicode: unicode.join('.') };
}

// ------------------------------------------------------------------ the address

/**
 * Parses a posted e-mail field before any Stripe call: trimmed, NFKC-normalised and lower-cased;
 * an ASCII dot-atom before the @ and a valid, single-script domain after it, kept in its Unicode
 * form (an A-label typed as such is shown decoded).
 */
export function parseDeclaredEmail(value: unknown): DeclaredEmail {
  if (typeof value !== 'string' || value.trim() === '') return { kind: 'missing' };
  const trimmed = value.trim();
  const refuse = (reason: EmailRefusal): DeclaredEmail => ({
    kind: 'malformed',
    value: trimmed.slice(0, MAX_EMAIL_LENGTH),
    reason,
  });
  if (trimmed.length > MAX_INPUT_LENGTH) return refuse('too_long');
  if (INVISIBLE.test(trimmed)) return refuse('invisible');
  // NFKC folds what an IME types (full-width ｂｏｂ＠ｅｘａｍｐｌｅ．ｃｏｍ) into what the person meant.
  const normalised = trimmed.normalize('NFKC').toLowerCase();
  if (INVISIBLE.test(normalised)) return refuse('invisible');
  const parts = normalised.split('@');
  const [local = '', typedDomain = ''] = parts;
  if (parts.length !== 2 || local === '' || typedDomain === '') return refuse('format');
  if (local.length > MAX_LOCAL_LENGTH || normalised.length > MAX_EMAIL_LENGTH) return refuse('too_long');
  // Stripe refuses non-ASCII local parts (RFC 6531); its docs list no accepted characters (exact rule not confirmed).
  if (/[^\x21-\x7e]/.test(local)) return refuse('non_ascii_local_part');
  if (!DOT_ATOM.test(local)) return refuse('local_part');
  const domain = toDomain(typedDomain);
  if (!domain) return refuse('domain');
  if (`${local}@${domain.ascii}`.length > MAX_EMAIL_LENGTH) return refuse('too_long');
  if (INVISIBLE.test(domain.unicode)) return refuse('invisible');
  if (!isHighlyRestrictive(domain.unicode)) return refuse('mixed_script');
  return { kind: 'valid', email: `${local}@${domain.unicode}` };
}

/** The form two spellings of one address share (A-labels or Unicode, any case); the plain lower-cased text otherwise. */
function canonical(email: string): string {
  const parsed = parseDeclaredEmail(email);
  return parsed.kind === 'valid' ? parsed.email : email.trim().toLowerCase();
}

/**
 * Compares a Stripe customer's e-mail with a declared one: case-insensitively, and the same address
 * whether Stripe kept its domain as A-labels (`xn--r8jz45g.jp`) or in Unicode (`例え.jp`).
 */
export function sameEmail(customerEmail: string | null | undefined, declared: string): boolean {
  return typeof customerEmail === 'string' && canonical(customerEmail) === canonical(declared);
}
