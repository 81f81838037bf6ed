import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { signInMessage } from '../../../src/lib/identity/message.ts';
import {
  hashSignInToken,
  parseSignInNext,
  parseSignInToken,
  previewSignIn,
  unacknowledged,
} from '../../../src/lib/identity/sign-in.ts';
import { maskEmail } from '../../../src/lib/identity/masked-email.ts';
import { SIGN_IN_TTL_MS, SignInTokens } from '../../../src/lib/identity/sign-in-tokens.ts';
import { clearStorage, createTestStorage, storedState, type TestStorage } from '../../support/storage.ts';

let storage: TestStorage;
beforeAll(async () => {
  storage = await createTestStorage();
});
beforeEach(() => clearStorage(storage));
afterAll(() => storage.dispose());

describe('sign-in tokens', () => {
  it('are used once, within 15 minutes, and stored only as a hash', async () => {
    let clock = 1_000_000;
    const tokens = new SignInTokens(storage.db, () => clock);
    const token = 'T'.repeat(43);
    const hash = await hashSignInToken(token);
    await tokens.put(hash, { email: 'a@example.com', next: 'members', requesterRef: 'R'.repeat(43) }, SIGN_IN_TTL_MS);
    expect(JSON.stringify(await storedState(storage))).not.toContain(token);
    expect(await tokens.peek(hash)).toEqual({
      email: 'a@example.com',
      next: 'members',
      requesterRef: 'R'.repeat(43),
    });
    const [first, second] = await Promise.all([tokens.use(hash), tokens.use(hash)]);
    expect([first, second].filter(Boolean)).toEqual([{ email: 'a@example.com', next: 'members' }]);
    expect(await tokens.peek(hash)).toBeNull();

    const late = await hashSignInToken('L'.repeat(43));
    await tokens.put(late, { email: 'a@example.com', next: 'mypage', requesterRef: 'R'.repeat(43) }, SIGN_IN_TTL_MS);
    clock += SIGN_IN_TTL_MS;
    expect(await tokens.use(late)).toBeNull();
  });

  it('accept only the shape this site issues, and only known destinations', () => {
    expect(parseSignInToken('A'.repeat(43))).toBeDefined();
    for (const bad of ['', 'A'.repeat(42), 'A'.repeat(44), '<script>', null, undefined])
      expect(parseSignInToken(bad)).toBeUndefined();
    expect(parseSignInNext('members')).toBe('members');
    expect(parseSignInNext('https://evil.example/')).toBe('mypage');
  });
});

describe('the sign-in e-mail', () => {
  const link = 'https://shop.example/sign-in/confirm?token=abc';

  it('says what the link does, in Japanese and English, with no images, scripts or tracking', () => {
    const ja = signInMessage({ lang: 'ja', shopName: 'はなまめ珈琲', link });
    expect(ja.subject).toBe('はなまめ珈琲：ログイン用リンク');
    expect(ja.text).toContain(link);
    expect(ja.text).toContain('15分間');
    const en = signInMessage({ lang: 'en', shopName: 'Hanamame Coffee', link });
    expect(en.subject).toBe('Hanamame Coffee: your sign-in link');
    expect(en.html).toContain(`<a href="${link.replace('&', '&amp;')}">Open My Page</a>`);
    for (const html of [ja.html, en.html]) expect(html).not.toMatch(/<img|<script|utm_|pixel/i);
  });

  it('escapes what it puts into HTML', () => {
    const message = signInMessage({ lang: 'en', shopName: '<b>Shop</b>', link: 'https://x/"><script>' });
    expect(message.html).not.toContain('<script>');
    expect(message.html).not.toContain('<b>Shop</b>');
  });
});

describe('opening a link in a browser (login CSRF, decision 007)', () => {
  const asker = 'A'.repeat(43);
  const link = { email: 'taro.yamada@example.com', next: 'mypage', requesterRef: asker };

  it('says nothing more in the browser that asked, unbound or signed in to the same address', () => {
    expect(previewSignIn(link, { visitorRef: asker, binding: null })).toEqual({
      maskedEmail: 'ta•••@example.com',
      notices: [],
      leavingEmail: '',
    });
    const same = { customerId: 'cus_1', via: 'checkout' as const, email: 'taro.yamada@example.com' };
    expect(previewSignIn(link, { visitorRef: asker, binding: same }).notices).toEqual([]);
  });

  it('warns in any other browser, a cookieless one, and for links from before links remembered the asker', () => {
    for (const visitorRef of ['B'.repeat(43), undefined])
      expect(previewSignIn(link, { visitorRef, binding: null }).notices).toEqual(['other-browser']);
    expect(previewSignIn({ ...link, requesterRef: null }, { visitorRef: asker, binding: null }).notices).toEqual([
      'other-browser',
    ]);
  });

  it('says which account a bound browser leaves (or that it leaves one, for a binding from before)', () => {
    const other = { customerId: 'cus_2', via: 'checkout' as const, email: 'hanako@example.jp' };
    expect(previewSignIn(link, { visitorRef: asker, binding: other })).toEqual({
      maskedEmail: 'ta•••@example.com',
      notices: ['leaves-account'],
      leavingEmail: 'ha•••@example.jp',
    });
    const old = { customerId: 'cus_2', via: 'sign-in' as const, email: null };
    expect(previewSignIn(link, { visitorRef: 'B'.repeat(43), binding: old })).toMatchObject({
      notices: ['other-browser', 'leaves-account'],
      leavingEmail: '',
    });
  });

  it('lets the button through only with every notice the page showed', () => {
    const preview = previewSignIn(link, {
      visitorRef: 'B'.repeat(43),
      binding: { customerId: 'cus_2', via: 'checkout', email: 'hanako@example.jp' },
    });
    expect(unacknowledged(preview, [''])).toEqual(['other-browser', 'leaves-account']);
    expect(unacknowledged(preview, ['other-browser'])).toEqual(['leaves-account']);
    expect(unacknowledged(preview, ['other-browser', 'leaves-account'])).toEqual([]);
  });

  it('masks an address to its first characters and its domain', () => {
    expect(maskEmail('taro.yamada@example.com')).toBe('ta•••@example.com');
    expect(maskEmail('abcd@example.com')).toBe('a•••@example.com');
    expect(maskEmail('a@example.co.jp')).toBe('a•••@example.co.jp');
    expect(maskEmail('')).toBe('•••');
    expect(maskEmail('@example.com')).toBe('•••');
  });
});
