import { describe, expect, it } from 'vitest';
import {
  ensureVisitorId,
  newVisitorId,
  parseVisitorId,
  readVisitorId,
  SECURE_VISITOR_COOKIE,
  visitorCookie,
  visitorCookieName,
  visitorCookieOptions,
  PLAIN_VISITOR_COOKIE,
  type CookieJar,
} from '../../src/lib/visitor';

function jar(): CookieJar & { written: Array<{ name: string; value: string; options: unknown }> } {
  const written: Array<{ name: string; value: string; options: unknown }> = [];
  return { written, set: (name, value, options) => written.push({ name, value, options }) };
}

describe('visitor ids', () => {
  it('are 144 random bits in base64url and all different', () => {
    const ids = new Set(Array.from({ length: 1000 }, newVisitorId));
    expect(ids.size).toBe(1000);
    for (const id of ids) expect(id).toMatch(/^[A-Za-z0-9_-]{24}$/);
  });

  it('reject anything not shaped like an issued id', () => {
    expect(parseVisitorId(newVisitorId())).toBeDefined();
    for (const bad of ['', 'short', 'x'.repeat(25), 'a'.repeat(23) + '!', '../../etc/passwd', null, undefined]) {
      expect(parseVisitorId(bad)).toBeUndefined();
    }
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

  it('is read only when sent exactly once with a well-formed id', () => {
    const id = newVisitorId();
    const other = newVisitorId();
    expect(readVisitorId(`a=1; ${SECURE_VISITOR_COOKIE}=${id}; b=2`, SECURE_VISITOR_COOKIE)).toBe(id);
    // A planted second cookie of the same name makes both worthless.
    expect(
      readVisitorId(`${SECURE_VISITOR_COOKIE}=${id}; ${SECURE_VISITOR_COOKIE}=${other}`, SECURE_VISITOR_COOKIE),
    ).toBeUndefined();
    // The unprefixed name never counts where the __Host- one is expected.
    expect(readVisitorId(`${PLAIN_VISITOR_COOKIE}=${id}`, SECURE_VISITOR_COOKIE)).toBeUndefined();
    expect(readVisitorId(`${SECURE_VISITOR_COOKIE}=<script>`, SECURE_VISITOR_COOKIE)).toBeUndefined();
    expect(readVisitorId(null, SECURE_VISITOR_COOKIE)).toBeUndefined();
  });

  it('is issued only when the request carries none', () => {
    const existing = newVisitorId();
    const kept = jar();
    expect(
      ensureVisitorId(kept, visitorCookie(`${SECURE_VISITOR_COOKIE}=${existing}`, new URL('https://shop.example'))),
    ).toBe(existing);
    expect(kept.written).toEqual([]);

    const fresh = jar();
    const visitor = visitorCookie(null, new URL('https://shop.example'));
    const id = ensureVisitorId(fresh, visitor);
    expect(parseVisitorId(id)).toBe(id);
    expect(visitor.id).toBe(id);
    expect(fresh.written).toEqual([
      { name: SECURE_VISITOR_COOKIE, value: id, options: expect.objectContaining({ secure: true, httpOnly: true }) },
    ]);
  });
});
