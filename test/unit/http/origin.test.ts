import { describe, expect, it } from 'vitest';
import { trustedSiteOrigin } from '../../../src/lib/http/origin.ts';

describe('the origin for Stripe’s redirects', () => {
  it('is SITE_URL whatever the request says', () => {
    expect(trustedSiteOrigin('https://shop.example.com', new URL('https://evil.example/checkout'))).toBe(
      'https://shop.example.com',
    );
  });

  it('falls back to the request only on loopback hosts', () => {
    expect(trustedSiteOrigin(undefined, new URL('http://localhost:4321/checkout'))).toBe('http://localhost:4321');
    expect(trustedSiteOrigin(undefined, new URL('http://127.0.0.1:8787/checkout'))).toBe('http://127.0.0.1:8787');
    expect(trustedSiteOrigin(undefined, new URL('https://shop.example.com/checkout'))).toBeUndefined();
  });
});
