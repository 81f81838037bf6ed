/** /admin behind Cloudflare Access: 404 without it, 403 for any bad token, never a row; the demo's stand-in on loopback only. */
import { exportSPKI, generateKeyPair, SignJWT } from 'jose';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { fakeStripeSecret } from '../support/fake-secrets.ts';
import { startWorker, useStack, type RunningWorker, type WorkerVars } from '../support/stack.ts';
import { shipment } from '../unit/shipments/fixtures.ts';

const TEAM = 'integration-test-team.cloudflareaccess.com';
const AUD = 'a'.repeat(64);
const ADMIN_PATHS = ['/admin', '/admin/shipments', '/admin/shipments?view=history', '/admin/labels'];
/** The parcel every stack here holds: its name must never reach a refused request. */
const PARCEL = shipment({ id: 'in_1AccessSecretParcel', shipTo: { ...shipment().shipTo, name: '秘密 花子' } });

const unsigned = (payload: object) =>
  `${Buffer.from(JSON.stringify({ alg: 'none', typ: 'JWT' })).toString('base64url')}.${Buffer.from(JSON.stringify(payload)).toString('base64url')}.`;

async function badTokens(): Promise<Record<string, string>> {
  const now = Math.floor(Date.now() / 1000);
  const claims = { email: 'owner@example.com', iss: `https://${TEAM}`, aud: [AUD], iat: now, exp: now + 600 };
  const { publicKey } = await generateKeyPair('RS256', { extractable: true });
  // The classic confusion: HS256 with the (public) RSA key as the shared secret.
  const hs256 = await new SignJWT(claims)
    .setProtectedHeader({ alg: 'HS256' })
    .sign(new TextEncoder().encode(await exportSPKI(publicKey)));
  return { garbage: 'not-a-token', empty: '', 'alg none': unsigned(claims), 'HS256 with the public key': hs256 };
}

describe('/admin without Access configured', () => {
  const ctx = useStack({ SHIPPING_COUNTRIES: 'JP' });
  beforeAll(() => ctx.arrange.shipment(PARCEL));

  it('answers 404 everywhere (fail closed), no-store, with no prefixed twin, whatever the token', async () => {
    for (const path of [...ADMIN_PATHS, '/admin/labels?download=spreadsheet', '/en/admin', '/en/admin/shipments']) {
      const response = await fetch(`${ctx.stack.url}${path}`, { headers: { 'cf-access-jwt-assertion': 'x.y.z' } });
      expect(response.status, path).toBe(404);
      expect(await response.text()).not.toContain('秘密');
    }
    const post = await fetch(`${ctx.stack.url}/admin/shipments`, {
      method: 'POST',
      headers: { 'content-type': 'application/x-www-form-urlencoded', origin: ctx.stack.url },
      body: `carrier=yamato&shipments=${PARCEL.id}&tracking:${PARCEL.id}=123456789012`,
    });
    expect(post.status).toBe(404);
    expect((await ctx.inspect.shipments())[0]?.status).toBe('to_ship');
  });
});

describe('/admin with Access configured', () => {
  const ctx = useStack({ SHIPPING_COUNTRIES: 'JP', ACCESS_TEAM_DOMAIN: TEAM, ACCESS_AUD: AUD });
  beforeAll(() => ctx.arrange.shipment(PARCEL));

  it('refuses a missing header and every bad token with 403, shows no row, and logs only the reason', async () => {
    const tokens = { missing: undefined, ...(await badTokens()) };
    for (const path of ADMIN_PATHS) {
      for (const [name, token] of Object.entries(tokens)) {
        const headers: Record<string, string> = token === undefined ? {} : { 'cf-access-jwt-assertion': token };
        const response = await fetch(`${ctx.stack.url}${path}`, { headers });
        expect(response.status, `${name} ${path}`).toBe(403);
        expect(response.headers.get('cache-control')).toBe('no-store');
        const body = await response.text();
        expect(body).not.toContain('秘密');
        expect(body).not.toContain(PARCEL.id);
      }
    }
    // A stranger can send these by the thousand: the first 5 a minute get a line each (the first path's).
    const reasons = ctx.stack.worker
      .jsonLogs()
      .filter((line) => line.msg === 'admin refused')
      .map((line) => line.reason);
    expect(reasons).toEqual(['missing', 'malformed', 'missing', 'algorithm', 'algorithm']);
    expect(ctx.stack.worker.logs.join('\n')).not.toContain('owner@example.com');
  });

  it('never lets the demo stand-in in once Access is configured, even with DEMO_MODE', async () => {
    const worker = await startWorker({
      vars: { DEMO_MODE: 'true', ACCESS_TEAM_DOMAIN: TEAM, ACCESS_AUD: AUD, SHIPPING_COUNTRIES: 'JP' },
    });
    try {
      expect((await fetch(`${worker.url}/admin`)).status).toBe(403);
    } finally {
      await worker.stop();
    }
  });
});

describe('the demo stand-in', () => {
  let workers: RunningWorker[] = [];
  const start = async (vars: WorkerVars) => {
    const worker = await startWorker({ vars: { SHIPPING_COUNTRIES: 'JP', ...vars } });
    workers.push(worker);
    return worker;
  };
  afterAll(async () => {
    await Promise.all(workers.map((worker) => worker.stop()));
    workers = [];
  });

  it('opens /admin on loopback in DEMO_MODE, says so on the page, never framed nor stored', async () => {
    const worker = await start({ DEMO_MODE: 'true' });
    const response = await fetch(`${worker.url}/admin`, { headers: { 'accept-language': 'en' } });
    expect(response.status).toBe(200);
    expect(response.headers.get('cache-control')).toBe('no-store');
    expect(response.headers.get('x-frame-options')).toBe('DENY');
    expect(response.headers.get('content-security-policy')).toContain("frame-ancestors 'none'");
    const html = await response.text();
    expect(html).toContain('data-testid="demo-stand-in"');
    expect(html).toContain('owner@localhost');
    // A token the stand-in did not sign is refused, in the demo too.
    const forged = await fetch(`${worker.url}/admin`, { headers: { 'cf-access-jwt-assertion': 'x.y.z' } });
    expect(forged.status).toBe(403);
  });

  it('is impossible without DEMO_MODE, with a live key, or with a SITE_URL that is not loopback', async () => {
    for (const vars of [
      {},
      { DEMO_MODE: 'true', STRIPE_API_KEY: fakeStripeSecret('sk_live') },
      { DEMO_MODE: 'true', SITE_URL: 'https://shop.example.com' },
    ]) {
      const worker = await start(vars);
      expect((await fetch(`${worker.url}/admin`)).status, JSON.stringify(Object.keys(vars))).toBe(404);
    }
  });
});
