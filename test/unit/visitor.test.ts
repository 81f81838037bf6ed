import { describe, expect, it } from 'vitest';
import { ensureVisitorId, newVisitorId, parseVisitorId, readVisitorId, visitorCookieOptions, type CookieJar } from '../../src/lib/visitor';

function jar(initial?: string): CookieJar & { written: Array<{ name: string; value: string; options: unknown }> } {
  const written: Array<{ name: string; value: string; options: unknown }> = [];
  return {
    written,
    get: (name) => (name === 'visitor_id' && initial !== undefined ? { value: initial } : undefined),
    set: (name, value, options) => written.push({ name, value, options }),
  };
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

  it('ensureVisitorId keeps a valid cookie and replaces a tampered one', () => {
    const valid = newVisitorId();
    const kept = jar(valid);
    expect(ensureVisitorId(kept, new URL('https://shop.example/'))).toBe(valid);
    expect(kept.written).toEqual([]);

    const tampered = jar('<script>');
    const fresh = ensureVisitorId(tampered, new URL('https://shop.example/'));
    expect(fresh).not.toBe('<script>');
    expect(tampered.written[0]?.value).toBe(fresh);
    expect(readVisitorId(jar('<script>'))).toBeUndefined();
  });

  it('cookie is HttpOnly, Lax, a year long, Secure only on https', () => {
    expect(visitorCookieOptions(new URL('https://shop.example/'))).toEqual({ httpOnly: true, sameSite: 'lax', secure: true, path: '/', maxAge: 31_536_000 });
    expect(visitorCookieOptions(new URL('http://localhost:4321/')).secure).toBe(false);
  });
});
