import { describe, expect, it } from 'vitest';
import { parseDeclaredEmail, sameEmail } from '../../../src/lib/checkout/email.ts';

/** The refusal reason for a value that must be malformed (fails the test otherwise). */
const reasonFor = (value: string) => {
  const parsed = parseDeclaredEmail(value);
  expect(parsed.kind, value).toBe('malformed');
  return parsed.kind === 'malformed' ? parsed.reason : undefined;
};

/** An address of exactly `length` characters: 60 before the @, a valid domain of three long labels and .com. */
const addressOfLength = (length: number) => {
  const local = 'a'.repeat(60);
  const last = length - local.length - 1 - (63 + 1 + 63 + 1) - 4;
  return `${local}@${'b'.repeat(63)}.${'c'.repeat(63)}.${'d'.repeat(last)}.com`;
};

describe('declared e-mail', () => {
  it('accepts an address, trimmed and lower-cased', () => {
    expect(parseDeclaredEmail('  Coffee.Lover+beans@Example.CO.jp ')).toEqual({
      kind: 'valid',
      email: 'coffee.lover+beans@example.co.jp',
    });
  });

  it('tells a missing field from a malformed one', () => {
    expect(parseDeclaredEmail(undefined)).toEqual({ kind: 'missing' });
    expect(parseDeclaredEmail('   ')).toEqual({ kind: 'missing' });
    for (const bad of [
      'name',
      'name@',
      '@example.com',
      'a b@example.com',
      'a@b',
      'a@@b.com',
      'a@b..com',
      `${'x'.repeat(250)}@example.com`,
      'a\u0000@b.com',
    ]) {
      expect(parseDeclaredEmail(bad).kind).toBe('malformed');
    }
  });

  it('keeps what was typed (trimmed) for the form and says why it was refused', () => {
    expect(parseDeclaredEmail(' nope ')).toEqual({ kind: 'malformed', value: 'nope', reason: 'format' });
    for (const [value, reason] of [
      ['name', 'format'],
      ['name@', 'format'],
      ['@example.com', 'format'],
      ['a@@b.com', 'format'],
      ['a b@example.com', 'invisible'],
      ['a\u0000@b.com', 'invisible'],
      ['a@b', 'domain'],
      ['a@b..com', 'domain'],
      [`${'x'.repeat(250)}@example.com`, 'too_long'],
    ] as const) {
      expect(reasonFor(value), value).toBe(reason);
    }
  });

  it('refuses invisible characters anywhere: zero-width, bidi controls, no-break and ideographic spaces', () => {
    for (const value of [
      'bob\u200B@example.com',
      'bob@exa\u200Bmple.com',
      'bob\u200D@example.com',
      'bob@example.com\u202E',
      '\u2066bob@example.com',
      'bob\u00A0@example.com',
      'bob@example\u3000.com',
      'bob\uFEFF@example.com',
      'bob@exam\u00ADple.com',
      'bob\t@example.com',
    ]) {
      expect(reasonFor(value), JSON.stringify(value)).toBe('invisible');
    }
  });

  it('allows only RFC 5321 dot-atom characters before the @', () => {
    expect(reasonFor('"><script>@x.io')).toBe('local_part');
    for (const value of ['a.@example.com', '.a@example.com', 'a..b@example.com', '"a"@example.com', 'a(b)@example.com'])
      expect(reasonFor(value), value).toBe('local_part');
    expect(parseDeclaredEmail("o'brien!#$%&*+/=?^_`{|}~-x@example.com")).toEqual({
      kind: 'valid',
      email: "o'brien!#$%&*+/=?^_`{|}~-x@example.com",
    });
  });

  it('refuses a non-ASCII local part, which Stripe does not accept', () => {
    expect(reasonFor('пётр@почта.рф')).toBe('non_ascii_local_part');
    expect(reasonFor('josé@example.com')).toBe('non_ascii_local_part');
    expect(reasonFor('太郎@例え.jp')).toBe('non_ascii_local_part');
  });

  it('refuses a domain mixing scripts, such as a Cyrillic а in paypal', () => {
    expect(reasonFor('bob@p\u0430ypal.com')).toBe('mixed_script');
    // The same domain typed as its A-label is decoded and refused too.
    expect(reasonFor('bob@xn--pypal-4ve.com')).toBe('mixed_script');
    // A Cyrillic label under a Latin top-level domain is mixed as a whole (UTS #39 highly restrictive).
    expect(reasonFor('bob@\u0430\u0441\u0435.com')).toBe('mixed_script');
    // Greek omicron among Latin letters; Cherokee (a script of Latin look-alikes) is not checked, so refused.
    expect(reasonFor('bob@g\u03BFogle.com')).toBe('mixed_script');
    expect(reasonFor('bob@\u13F4\u13AC\u13AA.com')).toBe('mixed_script');
  });

  it('accepts a single-script internationalised domain, kept in the Unicode form a person reads', () => {
    expect(parseDeclaredEmail('taro@例え.jp')).toEqual({ kind: 'valid', email: 'taro@例え.jp' });
    expect(parseDeclaredEmail('taro@ドメイン名例.jp')).toEqual({ kind: 'valid', email: 'taro@ドメイン名例.jp' });
    expect(parseDeclaredEmail('petr@почта.рф')).toEqual({ kind: 'valid', email: 'petr@почта.рф' });
    expect(parseDeclaredEmail('Anna@Bücher.DE')).toEqual({ kind: 'valid', email: 'anna@bücher.de' });
    // Typed as A-labels, shown decoded.
    expect(parseDeclaredEmail('taro@xn--r8jz45g.jp')).toEqual({ kind: 'valid', email: 'taro@例え.jp' });
  });

  it('folds what an IME types (full-width letters, ＠ and ．) with NFKC, and upper case to lower case', () => {
    expect(parseDeclaredEmail('ＢＯＢ＠ｅｘａｍｐｌｅ．ｃｏｍ')).toEqual({ kind: 'valid', email: 'bob@example.com' });
    expect(parseDeclaredEmail('BOB@EXAMPLE.COM')).toEqual({ kind: 'valid', email: 'bob@example.com' });
  });

  it('caps the local part at 64 characters and the address at 254 (RFC 5321)', () => {
    expect(parseDeclaredEmail(`${'x'.repeat(64)}@example.com`).kind).toBe('valid');
    expect(reasonFor(`${'x'.repeat(65)}@example.com`)).toBe('too_long');
    expect(addressOfLength(254)).toHaveLength(254);
    expect(parseDeclaredEmail(addressOfLength(254)).kind).toBe('valid');
    expect(addressOfLength(255)).toHaveLength(255);
    expect(reasonFor(addressOfLength(255))).toBe('too_long');
    // The A-label form counts: 12 kanji are 12 characters in Unicode but 40 as xn--…
    const kanji = '日本語東京都大阪府京都市';
    const idn = `${'a'.repeat(60)}@${Array(5).fill(kanji).join('.')}.jp`;
    expect(idn.length).toBeLessThan(254);
    expect(reasonFor(idn)).toBe('too_long');
    expect(reasonFor(`a@${kanji.repeat(2)}.jp`)).toBe('domain');
    expect(reasonFor('x'.repeat(5000))).toBe('too_long');
  });

  it('wants a host name with at least two LDH labels and a top-level domain that is not a number', () => {
    for (const value of [
      'a@example.com.',
      'a@.example.com',
      'a@b',
      'a@1.2.3.4',
      'a@[127.0.0.1]',
      'a@-example.com',
      'a@example-.com',
      'a@ex_ample.com',
      'a@example.com/path',
      'a@example.com:25',
      'a@exa%6dple.com',
      'a@xn--zz.com',
      `a@${'b'.repeat(64)}.com`,
    ]) {
      expect(reasonFor(value), value).toBe('domain');
    }
    expect(parseDeclaredEmail(`a@${'b'.repeat(63)}.com`).kind).toBe('valid');
    expect(parseDeclaredEmail('a@123.example.com').kind).toBe('valid');
  });

  it('compares with Stripe’s customer e-mail case-insensitively', () => {
    expect(sameEmail('Coffee@Example.com', 'coffee@example.com')).toBe(true);
    expect(sameEmail('other@example.com', 'coffee@example.com')).toBe(false);
    expect(sameEmail(null, 'coffee@example.com')).toBe(false);
  });

  it('treats a domain’s A-label and Unicode spellings as the same address, and nothing else', () => {
    expect(sameEmail('taro@xn--r8jz45g.jp', 'taro@例え.jp')).toBe(true);
    expect(sameEmail('Taro@例え.JP', 'taro@例え.jp')).toBe(true);
    expect(sameEmail('jiro@例え.jp', 'taro@例え.jp')).toBe(false);
    // An address this site would refuse is compared as plain text: an invisible character is never ignored.
    expect(sameEmail('coffee\u200B@example.com', 'coffee@example.com')).toBe(false);
    expect(sameEmail('coffee@exa\u200Bmple.com', 'coffee@example.com')).toBe(false);
  });
});
