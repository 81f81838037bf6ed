import { describe, expect, it } from 'vitest';
import { checkOwner, standInAllowed, type OwnerSettings } from '../../../src/lib/admin/owner.ts';
import { fakeStripeSecret } from '../../support/fake-secrets.ts';

const LOCAL = new URL('http://127.0.0.1:4321/admin');
const DEMO: OwnerSettings = { demoMode: true, stripeApiKey: fakeStripeSecret('rk_test') };

describe('the demo’s Access stand-in', () => {
  it('answers only in DEMO_MODE, on loopback, with no live key, no foreign SITE_URL and no Access configured', () => {
    expect(standInAllowed(DEMO, LOCAL)).toBe(true);
    expect(standInAllowed({ demoMode: true }, new URL('http://localhost:4321/admin'))).toBe(true);
    expect(standInAllowed({ ...DEMO, demoMode: false }, LOCAL)).toBe(false);
    expect(standInAllowed(DEMO, new URL('https://shop.example.com/admin'))).toBe(false);
    expect(standInAllowed({ ...DEMO, stripeApiKey: fakeStripeSecret('sk_live') }, LOCAL)).toBe(false);
    expect(standInAllowed({ ...DEMO, siteOrigin: 'https://shop.example.com' }, LOCAL)).toBe(false);
    expect(standInAllowed({ ...DEMO, siteOrigin: 'http://localhost:4321' }, LOCAL)).toBe(true);
    expect(standInAllowed({ ...DEMO, accessTeamDomain: 'team.cloudflareaccess.com' }, LOCAL)).toBe(false);
  });

  it('signs the owner in with a token it verifies like Access’s own, and refuses any other token', async () => {
    const request = (token?: string) =>
      new Request(LOCAL, { headers: token === undefined ? {} : { 'cf-access-jwt-assertion': token } });
    expect(await checkOwner(request(), DEMO)).toEqual({ ok: true, email: 'owner@localhost', demo: true });
    expect(await checkOwner(request('x.y.z'), DEMO)).toEqual({ ok: false, status: 403, reason: 'malformed' });
    expect(await checkOwner(request(), { demoMode: false })).toEqual({
      ok: false,
      status: 404,
      reason: 'not_configured',
    });
  });
});
