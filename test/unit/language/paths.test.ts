import { describe, expect, it } from 'vitest';
import {
  homePaths,
  languageAlternates,
  languagePrefix,
  languageSwitchPath,
  localePath,
  locatePath,
  safeNextPath,
  siteUrlIn,
} from '../../../src/lib/language/paths.ts';

describe('localePath', () => {
  it('leaves the primary unprefixed and puts the other language under its prefix', () => {
    expect(localePath('ja', '/mypage', 'ja')).toBe('/mypage');
    expect(localePath('en', '/mypage', 'ja')).toBe('/en/mypage');
    expect(localePath('en', '/', 'ja')).toBe('/en/');
    expect(localePath('en', '/mypage?flow=subscription_update', 'ja')).toBe('/en/mypage?flow=subscription_update');
    expect(localePath('ja', '/legal/terms', 'en')).toBe('/ja/legal/terms');
    expect(localePath('en', '/', 'en')).toBe('/');
  });

  it('has the prefix the return URLs sent to Stripe and in e-mails use', () => {
    expect(languagePrefix('ja', 'ja')).toBe('');
    expect(languagePrefix('en', 'ja')).toBe('/en');
    expect(`${languagePrefix('en', 'ja')}/`).toBe('/en/');
  });
});

describe('siteUrlIn', () => {
  it('builds the absolute URLs sent to Stripe and in e-mails, in the page language, from the configured origin', () => {
    const english = siteUrlIn('https://shop.example', 'en', 'ja');
    expect(english('/thanks?session_id={CHECKOUT_SESSION_ID}')).toBe(
      'https://shop.example/en/thanks?session_id={CHECKOUT_SESSION_ID}',
    );
    expect(english('/')).toBe('https://shop.example/en/');
    expect(siteUrlIn('https://shop.example', 'ja', 'ja')('/legal/terms')).toBe('https://shop.example/legal/terms');
  });
});

describe('locatePath', () => {
  it('reads the prefix as the language and the rest as the route', () => {
    expect(locatePath('/', 'ja')).toEqual({ language: 'ja', path: '/', prefixed: false });
    expect(locatePath('/mypage', 'ja')).toEqual({ language: 'ja', path: '/mypage', prefixed: false });
    expect(locatePath('/en/', 'ja')).toEqual({ language: 'en', path: '/', prefixed: true });
    expect(locatePath('/en/legal/tokushoho', 'ja')).toEqual({
      language: 'en',
      path: '/legal/tokushoho',
      prefixed: true,
    });
    expect(locatePath('/ja/checkout', 'en')).toEqual({ language: 'ja', path: '/checkout', prefixed: true });
    // A route that merely starts like a language is no prefix.
    expect(locatePath('/english', 'ja')).toEqual({ language: 'ja', path: '/english', prefixed: false });
  });

  it('has one canonical URL per page: the bare prefix, the primary prefix and unprefixed-only routes are none', () => {
    expect(locatePath('/en', 'ja')).toBeUndefined();
    expect(locatePath('/ja/', 'ja')).toBeUndefined();
    expect(locatePath('/ja/mypage', 'ja')).toBeUndefined();
    expect(locatePath('/en/webhook', 'ja')).toBeUndefined();
    expect(locatePath('/en/csp-report', 'ja')).toBeUndefined();
    expect(locatePath('/en/language', 'ja')).toBeUndefined();
    // The owner's pages have no prefixed twin: their language is the owner's choice.
    expect(locatePath('/en/admin', 'ja')).toBeUndefined();
    expect(locatePath('/en/admin/shipments', 'ja')).toBeUndefined();
    expect(locatePath('/admin/shipments', 'ja')).toEqual({ language: 'ja', path: '/admin/shipments', prefixed: false });
  });

  it('keeps a trailing slash in the route for the caller to refuse', () => {
    expect(locatePath('/en/mypage/', 'ja')?.path).toBe('/mypage/');
  });
});

describe('safeNextPath', () => {
  it('keeps a path of this site, with its query, without a language prefix', () => {
    expect(safeNextPath('/mypage', 'ja')).toBe('/mypage');
    expect(safeNextPath('/thanks?session_id=cs_test_1', 'ja')).toBe('/thanks?session_id=cs_test_1');
    expect(safeNextPath('/en/legal/terms', 'ja')).toBe('/legal/terms');
    expect(safeNextPath('/', 'ja')).toBe('/');
  });

  it.each([
    null,
    '',
    'mypage',
    '//evil.example',
    '//evil.example/mypage',
    '/\\evil.example',
    '\\\\evil.example',
    'https://evil.example/',
    'javascript:alert(1)',
    '/\tevil',
    '/ /evil.example',
    '/\n/evil.example',
    '/webhook',
    '/language?to=en',
    '/en',
    `/${'a'.repeat(600)}`,
    // Dot segments that normalise to a scheme-relative path (the second attack review).
    '/..//evil.example/login',
    '/.//evil.example',
    '/%2e%2e//evil.example',
    '/%2E%2E//evil.example',
    '/./..//evil.example',
    '/a/../..//evil.example',
    '/en/..//evil.example',
    '/..\\evil.example',
    '%2F%2Fevil.example',
    '%5Cevil.example',
    '/\u0009/evil.example',
    'https:evil.example',
    'http://localhost/mypage',
  ])('answers / for %j', (next) => {
    expect(safeNextPath(next, 'ja')).toBe('/');
    expect(safeNextPath(next, 'en')).toBe('/');
  });

  it.each([
    '/..%2f/evil.example',
    '/%09/evil.example',
    '/%5Cevil.example',
    '/%2F%2Fevil.example',
    '/\u3000/evil.example',
    '/\uff0f\uff0fevil.example',
    '/caf\u00e9',
    '/%E3%83%9E%E3%82%A4',
  ])('keeps %j on this site: one leading slash, never `//` or `/\\`', (next) => {
    const path = safeNextPath(next, 'ja');
    expect(path.startsWith('/')).toBe(true);
    expect(path).not.toMatch(/^\/[/\\]/);
    expect(new URL(path, 'https://shop.example').origin).toBe('https://shop.example');
  });

  it('keeps encoded slashes inside the site', () => {
    expect(safeNextPath('/%2F%2Fevil.example', 'ja')).toBe('/%2F%2Fevil.example');
    expect(
      new URL(localePath('en', safeNextPath('/%2F%2Fevil.example', 'ja'), 'ja'), 'https://shop.example').host,
    ).toBe('shop.example');
  });
});

describe('languageSwitchPath', () => {
  it('goes through /language with the target and the page, encoded', () => {
    expect(languageSwitchPath('en', '/thanks?session_id=cs_1')).toBe(
      '/language?to=en&next=%2Fthanks%3Fsession_id%3Dcs_1',
    );
  });
});

describe('languageAlternates', () => {
  it('lists each language and x-default at the primary, absolute from the configured origin', () => {
    expect(languageAlternates('/legal/terms', 'ja', new URL('https://shop.example'))).toEqual([
      { hreflang: 'ja', href: 'https://shop.example/legal/terms' },
      { hreflang: 'en', href: 'https://shop.example/en/legal/terms' },
      { hreflang: 'x-default', href: 'https://shop.example/legal/terms' },
    ]);
    expect(languageAlternates('/', 'en', new URL('https://shop.example'))).toEqual([
      { hreflang: 'ja', href: 'https://shop.example/ja/' },
      { hreflang: 'en', href: 'https://shop.example/' },
      { hreflang: 'x-default', href: 'https://shop.example/' },
    ]);
  });
});

describe('homePaths', () => {
  it('is the home page in each language', () => {
    expect(homePaths('ja')).toEqual(['/', '/en/']);
    expect(homePaths('en')).toEqual(['/ja/', '/']);
  });
});
