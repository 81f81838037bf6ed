/**
 * A stand-in for Cloudflare Access in the offline demo, on loopback hosts only (the caller decides
 * that): one RS256 key pair per process, its key set as Access serves it, and an owner token for
 * `owner@localhost` that verifyAccessToken accepts exactly as it accepts Access's own.
 */
import { createLocalJWKSet, exportJWK, generateKeyPair, SignJWT, type JSONWebKeySet, type JWTVerifyGetKey } from 'jose';

/** The made-up team and application the local tokens name (never a real team's). */
export const LOCAL_ACCESS = { teamDomain: 'access.localhost', audience: 'local-demo-admin' } as const;
export const LOCAL_OWNER_EMAIL = 'owner@localhost';

/** How long a minted token lasts: Access's own application tokens last as long as the session. */
const TOKEN_LIFETIME_S = 60 * 60;
const KEY_ID = 'local-demo';

interface LocalKeys {
  privateKey: CryptoKey;
  jwks: JSONWebKeySet;
}

let localKeys: Promise<LocalKeys> | undefined;

/** The process's key pair, made on first use (Workers allow no key generation at module scope). */
function keys(): Promise<LocalKeys> {
  localKeys ??= (async () => {
    const { publicKey, privateKey } = await generateKeyPair('RS256');
    const jwk = { ...(await exportJWK(publicKey)), kid: KEY_ID, alg: 'RS256', use: 'sig' };
    return { privateKey, jwks: { keys: [jwk] } };
  })();
  return localKeys;
}

/** The key set, as Access serves it at /cdn-cgi/access/certs (`keys`; public parts only). */
export async function localAccessKeySet(): Promise<JSONWebKeySet> {
  return (await keys()).jwks;
}

/** The key getter to hand verifyAccessToken in the demo. */
export async function localAccessKeys(): Promise<JWTVerifyGetKey> {
  return createLocalJWKSet(await localAccessKeySet());
}

/** A token for the demo's owner, as Access would issue it for LOCAL_ACCESS's application. */
export async function mintLocalOwnerToken(nowMs: number = Date.now()): Promise<string> {
  const issuedAt = Math.floor(nowMs / 1000);
  return new SignJWT({ email: LOCAL_OWNER_EMAIL, type: 'app' })
    .setProtectedHeader({ alg: 'RS256', kid: KEY_ID })
    .setIssuer(`https://${LOCAL_ACCESS.teamDomain}`)
    .setAudience([LOCAL_ACCESS.audience])
    .setSubject(LOCAL_OWNER_EMAIL)
    .setIssuedAt(issuedAt)
    .setNotBefore(issuedAt)
    .setExpirationTime(issuedAt + TOKEN_LIFETIME_S)
    .sign((await keys()).privateKey);
}
