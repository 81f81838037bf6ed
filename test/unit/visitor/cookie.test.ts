import { describe, expect, it } from 'vitest';
import {
  ensureVisitor,
  isVisitorReference,
  newVisitorSecret,
  parseVisitorSecret,
  readVisitorSecret,
  SECURE_VISITOR_COOKIE,
  visitorCookie,
  visitorCookieName,
  visitorCookieOptions,
  visitorReference,
  PLAIN_VISITOR_COOKIE,
  type CookieJar,
} from '../../../src/lib/visitor/cookie.ts';

function jar(): CookieJar & { written: Array<{ name: string; value: string; options: unknown }> } {
  const written: Array<{ name: string; value: string; options: unknown }> = [];
  return { written, set: (name, value, options) => written.push({ name, value, options }) };
}

describe('visitor secrets', () => {
  it('are 256 random bits in base64url and all different', () => {
    const secrets = new Set(Array.from({ length: 1000 }, newVisitorSecret));
    expect(secrets.size).toBe(1000);
    for (const secret of secrets) expect(secret).toMatch(/^[A-Za-z0-9_-]{43}$/);
  });

  it('reject anything not shaped like an issued secret, including the 24-character ids of earlier versions', () => {
    expect(parseVisitorSecret(newVisitorSecret())).toBeDefined();
    for (const bad of [
      '',
      'short',
      'x'.repeat(44),
      'a'.repeat(42) + '!',
      'A'.repeat(24),
      '../../etc/passwd',
      null,
      undefined,
    ]) {
      expect(parseVisitorSecret(bad)).toBeUndefined();
    }
  });
});

describe('visitor references', () => {
  it('are one-way: a reference used as a cookie names another browser', async () => {
    const secret = newVisitorSecret();
    const ref = await visitorReference(secret);
    expect(isVisitorReference(ref)).toBe(true);
    expect(ref).not.toBe(secret);
    expect(await visitorReference(secret)).toBe(ref);
    // Whoever reads a reference (Stripe, D1, a log) and sets it as their cookie gets a different reference.
    expect(await visitorReference(ref)).not.toBe(ref);
    const fromCookie = await visitorCookie(`${SECURE_VISITOR_COOKIE}=${ref}`, new URL('https://shop.example'));
    expect(fromCookie.ref).not.toBe(ref);
  });
});

describe('the visitor cookie', () => {
  it('is __Host- prefixed on https and on loopback hosts, plain elsewhere on http', () => {
    expect(visitorCookieName(new URL('https://shop.example.com'))).toBe(SECURE_VISITOR_COOKIE);
    for (const local of ['http://localhost:4321', 'http://127.0.0.1:8787', 'http://[::1]:4321']) {
      expect(visitorCookieName(new URL(local))).toBe(SECURE_VISITOR_COOKIE);
    }
    expect(visitorCookieName(new URL('http://devbox.lan:4321'))).toBe(PLAIN_VISITOR_COOKIE);
  });

  it('is Secure, HttpOnly, SameSite=Lax, Path=/ and a year long whenever it is __Host-', () => {
    expect(visitorCookieOptions(SECURE_VISITOR_COOKIE, new URL('http://localhost:4321'))).toEqual({
      httpOnly: true,
      sameSite: 'lax',
      secure: true,
      path: '/',
      maxAge: 31_536_000,
    });
    expect(visitorCookieOptions(PLAIN_VISITOR_COOKIE, new URL('http://devbox.lan')).secure).toBe(false);
  });

  it('is read only when sent exactly once with a well-formed secret', () => {
    const secret = newVisitorSecret();
    const other = newVisitorSecret();
    expect(readVisitorSecret(`a=1; ${SECURE_VISITOR_COOKIE}=${secret}; b=2`, SECURE_VISITOR_COOKIE)).toBe(secret);
    // A planted second cookie of the same name makes both worthless.
    expect(
      readVisitorSecret(`${SECURE_VISITOR_COOKIE}=${secret}; ${SECURE_VISITOR_COOKIE}=${other}`, SECURE_VISITOR_COOKIE),
    ).toBeUndefined();
    expect(readVisitorSecret(`${PLAIN_VISITOR_COOKIE}=${secret}`, SECURE_VISITOR_COOKIE)).toBeUndefined();
    expect(readVisitorSecret(`${SECURE_VISITOR_COOKIE}=<script>`, SECURE_VISITOR_COOKIE)).toBeUndefined();
    expect(readVisitorSecret(null, SECURE_VISITOR_COOKIE)).toBeUndefined();
  });

  it('is issued only when the request carries none; the request then knows only its reference', async () => {
    const existing = newVisitorSecret();
    const kept = jar();
    const visitor = await visitorCookie(`${SECURE_VISITOR_COOKIE}=${existing}`, new URL('https://shop.example'));
    expect(await ensureVisitor(kept, visitor)).toBe(await visitorReference(existing));
    expect(kept.written).toEqual([]);

    const fresh = jar();
    const newcomer = await visitorCookie(null, new URL('https://shop.example'));
    const ref = await ensureVisitor(fresh, newcomer);
    expect(newcomer.ref).toBe(ref);
    expect(fresh.written).toEqual([
      {
        name: SECURE_VISITOR_COOKIE,
        value: expect.stringMatching(/^[A-Za-z0-9_-]{43}$/),
        options: expect.objectContaining({ secure: true, httpOnly: true }),
      },
    ]);
    expect(await visitorReference(fresh.written[0]?.value ?? '')).toBe(ref);
  });
});
