import { createLocalJWKSet, exportJWK, exportSPKI, generateKeyPair, SignJWT, type JWTPayload } from 'jose';
import { beforeAll, describe, expect, it } from 'vitest';
import { accessIssuer, verifyAccessToken, type AccessResult } from '../../../src/lib/admin/access.ts';
import {
  LOCAL_ACCESS,
  LOCAL_OWNER_EMAIL,
  localAccessKeys,
  localAccessKeySet,
  mintLocalOwnerToken,
} from '../../../src/lib/admin/local-access.ts';

const TEAM = 'hanamame.cloudflareaccess.com';
const AUD = 'a'.repeat(64);
const NOW_S = Math.floor(Date.now() / 1000);

let teamKey: CryptoKey;
let otherKey: CryptoKey;
let options: Parameters<typeof verifyAccessToken>[1];
let publicPem: string;

beforeAll(async () => {
  const team = await generateKeyPair('RS256');
  const other = await generateKeyPair('RS256');
  teamKey = team.privateKey;
  otherKey = other.privateKey;
  publicPem = await exportSPKI(team.publicKey);
  const jwk = { ...(await exportJWK(team.publicKey)), kid: 'team-key', alg: 'RS256' };
  options = { teamDomain: TEAM, audience: AUD, keys: createLocalJWKSet({ keys: [jwk] }) };
});

/** A token as Access issues it, with `claims` changed (undefined removes one). */
function token(claims: Partial<JWTPayload> = {}, sign: { key?: CryptoKey; kid?: string } = {}): Promise<string> {
  const payload: JWTPayload = {
    email: 'owner@example.com',
    type: 'app',
    iss: `https://${TEAM}`,
    aud: [AUD],
    sub: 'user-1',
    iat: NOW_S - 60,
    nbf: NOW_S - 60,
    exp: NOW_S + 3600,
    ...claims,
  };
  return new SignJWT(payload)
    .setProtectedHeader({ alg: 'RS256', kid: sign.kid ?? 'team-key' })
    .sign(sign.key ?? teamKey);
}

const base64url = (value: unknown) => Buffer.from(JSON.stringify(value)).toString('base64url');

describe('verifyAccessToken', () => {
  const cases: Array<[string, () => string | undefined | Promise<string>, AccessResult]> = [
    ['a valid token', () => token(), { ok: true, email: 'owner@example.com' }],
    ['no token', () => undefined, { ok: false, reason: 'missing' }],
    ['an empty header', () => '', { ok: false, reason: 'missing' }],
    ['garbage', () => 'not-a-jwt', { ok: false, reason: 'malformed' }],
    ['three garbage parts', () => 'a.b.c', { ok: false, reason: 'malformed' }],
    [
      'alg: none',
      () =>
        `${base64url({ alg: 'none', kid: 'team-key' })}.${base64url({ email: 'owner@example.com', iss: `https://${TEAM}`, aud: AUD, exp: NOW_S + 60 })}.`,
      { ok: false, reason: 'algorithm' },
    ],
    [
      "HS256 signed with the public key's bytes",
      () =>
        new SignJWT({ email: 'owner@example.com', iss: `https://${TEAM}`, aud: AUD, exp: NOW_S + 60 })
          .setProtectedHeader({ alg: 'HS256', kid: 'team-key' })
          .sign(new TextEncoder().encode(publicPem)),
      { ok: false, reason: 'algorithm' },
    ],
    [
      'an unknown key id',
      () => token({}, { key: otherKey, kid: 'someone-else' }),
      { ok: false, reason: 'unknown_key' },
    ],
    ["another key under the team's key id", () => token({}, { key: otherKey }), { ok: false, reason: 'bad_signature' }],
    ['an expired token', () => token({ exp: NOW_S - 10 }), { ok: false, reason: 'expired' }],
    ['a token not yet valid', () => token({ nbf: NOW_S + 600 }), { ok: false, reason: 'not_yet_valid' }],
    ['another application', () => token({ aud: ['b'.repeat(64)] }), { ok: false, reason: 'wrong_audience' }],
    ['another team', () => token({ iss: 'https://evil.cloudflareaccess.com' }), { ok: false, reason: 'wrong_issuer' }],
    [
      'a service token (no e-mail)',
      () => token({ email: undefined, common_name: 'ci' }),
      { ok: false, reason: 'no_email' },
    ],
  ];

  it.each(cases)('%s', async (_, make, expected) => {
    expect(await verifyAccessToken(await make(), options)).toEqual(expected);
  });

  it('fails closed when the keys cannot be had', async () => {
    const unreachable = () => Promise.reject(new TypeError('fetch failed'));
    expect(await verifyAccessToken(await token(), { ...options, keys: unreachable })).toEqual({
      ok: false,
      reason: 'keys_unavailable',
    });
  });

  it('takes the team domain with or without its scheme', () => {
    expect(accessIssuer('https://hanamame.cloudflareaccess.com/')).toBe('https://hanamame.cloudflareaccess.com');
    expect(accessIssuer(' hanamame.cloudflareaccess.com ')).toBe('https://hanamame.cloudflareaccess.com');
  });
});

describe('the local stand-in', () => {
  it("mints an owner token the verifier accepts with the process's key set", async () => {
    const keys = await localAccessKeys();
    const result = await verifyAccessToken(await mintLocalOwnerToken(), { ...LOCAL_ACCESS, keys });
    expect(result).toEqual({ ok: true, email: LOCAL_OWNER_EMAIL });
  });

  it('serves one public key, the same all along, with no private part', async () => {
    const first = await localAccessKeySet();
    expect(first.keys).toHaveLength(1);
    expect(first.keys[0]).toMatchObject({ kty: 'RSA', alg: 'RS256', kid: 'local-demo' });
    expect(first.keys[0]).not.toHaveProperty('d');
    expect(await localAccessKeySet()).toBe(first);
  });

  it('mints tokens that expire, and that a real team would refuse', async () => {
    const keys = await localAccessKeys();
    const old = await mintLocalOwnerToken(Date.now() - 2 * 60 * 60 * 1000);
    expect(await verifyAccessToken(old, { ...LOCAL_ACCESS, keys })).toEqual({ ok: false, reason: 'expired' });
    expect(await verifyAccessToken(await mintLocalOwnerToken(), { ...options, keys })).toEqual({
      ok: false,
      reason: 'wrong_issuer',
    });
  });
});
