/**
 * The owner's identity behind Cloudflare Access: the `Cf-Access-Jwt-Assertion` header, an RS256
 * JWT signed with the team's key, verified as Cloudflare's "Validate JWTs" page does it for Workers
 * (developers.cloudflare.com/cloudflare-one/…/authorization-cookie/validating-json): the keys from
 * `https://<team>.cloudflareaccess.com/cdn-cgi/access/certs`, the issuer `https://<team domain>`,
 * the application's AUD tag as audience. Anything else fails closed.
 */
import { createRemoteJWKSet, errors, jwtVerify, type JWTVerifyGetKey } from 'jose';

/** The header Access adds to every request it lets through (preferred over the CF_Authorization cookie). */
export const ACCESS_JWT_HEADER = 'Cf-Access-Jwt-Assertion';

export type AccessFailure =
  /** No token: the request did not come through Access. */
  | 'missing'
  /** Not a JWS at all. */
  | 'malformed'
  /** Signed with anything but RS256 (`none`, HS256 with the public key as secret, …). */
  | 'algorithm'
  /** Its key id is not one of the team's keys. */
  | 'unknown_key'
  | 'bad_signature'
  | 'expired'
  | 'not_yet_valid'
  | 'wrong_audience'
  | 'wrong_issuer'
  /** A service token or a token without an e-mail: not a person. */
  | 'no_email'
  /** The team's keys could not be fetched: refuse rather than guess. */
  | 'keys_unavailable';

export type AccessResult = { ok: true; email: string } | { ok: false; reason: AccessFailure };

/** `myteam.cloudflareaccess.com`, with or without `https://` and a trailing slash, as the issuer Access writes. */
export function accessIssuer(teamDomain: string): string {
  return `https://${teamDomain
    .trim()
    .replace(/^https?:\/\//, '')
    .replace(/\/+$/, '')}`;
}

const remoteKeySets = new Map<string, JWTVerifyGetKey>();

/**
 * The team's public keys, fetched on first use and cached by jose (a key id it has not seen
 * refetches, at most once per cooldown): one set per team per isolate, so the cache lasts.
 */
export function accessKeys(teamDomain: string): JWTVerifyGetKey {
  const issuer = accessIssuer(teamDomain);
  let keys = remoteKeySets.get(issuer);
  if (!keys) {
    keys = createRemoteJWKSet(new URL(`${issuer}/cdn-cgi/access/certs`));
    remoteKeySets.set(issuer, keys);
  }
  return keys;
}

/** A jose error as the reason the page logs. */
function failure(error: unknown): AccessFailure {
  if (error instanceof errors.JWTExpired) return 'expired';
  if (error instanceof errors.JWTClaimValidationFailed) {
    if (error.claim === 'aud') return 'wrong_audience';
    if (error.claim === 'iss') return 'wrong_issuer';
    if (error.claim === 'nbf' || error.claim === 'iat') return 'not_yet_valid';
    return 'malformed';
  }
  if (error instanceof errors.JOSEAlgNotAllowed) return 'algorithm';
  if (error instanceof errors.JWKSNoMatchingKey) return 'unknown_key';
  if (error instanceof errors.JWSSignatureVerificationFailed) return 'bad_signature';
  if (error instanceof errors.JWKSTimeout || error instanceof errors.JWKSInvalid) return 'keys_unavailable';
  if (error instanceof errors.JOSEError) return 'malformed';
  // Not jose's own: the key set's fetch failed (network, DNS).
  return 'keys_unavailable';
}

/**
 * Verifies an Access token (the `Cf-Access-Jwt-Assertion` header's value): RS256 only, signed by
 * one of `keys` (accessKeys(teamDomain) in production, a local set in tests and the demo), issued
 * by the team for `audience`, within its validity, for a person's e-mail.
 */
export async function verifyAccessToken(
  token: string | null | undefined,
  options: { teamDomain: string; audience: string; keys: JWTVerifyGetKey },
): Promise<AccessResult> {
  if (!token) return { ok: false, reason: 'missing' };
  try {
    const { payload } = await jwtVerify(token, options.keys, {
      issuer: accessIssuer(options.teamDomain),
      audience: options.audience,
      algorithms: ['RS256'],
    });
    const email = typeof payload.email === 'string' ? payload.email.trim() : '';
    return email ? { ok: true, email } : { ok: false, reason: 'no_email' };
  } catch (error) {
    return { ok: false, reason: failure(error) };
  }
}
