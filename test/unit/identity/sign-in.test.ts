import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { signInMessage } from '../../../src/lib/identity/message';
import { hashSignInToken, parseSignInNext, parseSignInToken, SIGN_IN_TTL_MS } from '../../../src/lib/identity/sign-in';
import { Store } from '../../../src/lib/store';
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
    const store = new Store(storage.kv, storage.db, () => clock);
    const token = 'T'.repeat(43);
    const hash = await hashSignInToken(token);
    await store.putSignInToken(hash, 'a@example.com', 'members', SIGN_IN_TTL_MS);
    expect(JSON.stringify(await storedState(storage))).not.toContain(token);
    expect(await store.isSignInTokenUsable(hash)).toBe(true);
    const [first, second] = await Promise.all([store.useSignInToken(hash), store.useSignInToken(hash)]);
    expect([first, second].filter(Boolean)).toEqual([{ email: 'a@example.com', next: 'members' }]);
    expect(await store.isSignInTokenUsable(hash)).toBe(false);

    const late = await hashSignInToken('L'.repeat(43));
    await store.putSignInToken(late, 'a@example.com', 'mypage', SIGN_IN_TTL_MS);
    clock += SIGN_IN_TTL_MS;
    expect(await store.useSignInToken(late)).toBeNull();
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
