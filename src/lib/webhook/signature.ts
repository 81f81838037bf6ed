/**
 * Stripe's webhook signature scheme (docs.stripe.com/webhooks#verify-manually): the header holds
 * `t=<unix seconds>` and one `v1=<hex HMAC-SHA256>` per active signing secret; the signed bytes are
 * `<t>.` followed by the raw body.
 *
 * Verified with WebCrypto directly rather than through stripe-node's constructEventAsync, which
 * decodes the body to a string and builds `${t}.${body}` before hashing: three copies of every
 * body, forged ones included. Here the caller reads the body once into a buffer that starts with
 * the `<t>.` prefix and `crypto.subtle.verify` (constant-time) runs over that buffer. Tests sign
 * with the SDK's own generateTestHeaderString, so both sides follow Stripe's scheme.
 */

/** Stripe sends one v1 signature per active secret (two while a secret is being rolled); bound the work. */
const MAX_SIGNATURES = 8;
const MAX_HEADER_LENGTH = 1024;

interface SignatureHeader {
  timestamp: number;
  /** The `v1` signatures, decoded from hex (32 bytes each). */
  signatures: Uint8Array<ArrayBuffer>[];
}

/** Parses `Stripe-Signature`; undefined when it is malformed or has no usable v1 signature. */
export function parseSignatureHeader(header: string | null): SignatureHeader | undefined {
  if (!header || header.length > MAX_HEADER_LENGTH) return undefined;
  let timestamp: number | undefined;
  const signatures: Uint8Array<ArrayBuffer>[] = [];
  for (const part of header.split(',')) {
    const [key, value = ''] = part.trim().split('=', 2);
    if (key === 't' && /^\d{1,12}$/.test(value)) timestamp = Number(value);
    if (key === 'v1' && /^[0-9a-f]{64}$/.test(value)) signatures.push(hexToBytes(value));
  }
  if (timestamp === undefined || signatures.length === 0 || signatures.length > MAX_SIGNATURES) return undefined;
  return { timestamp, signatures };
}

function hexToBytes(hex: string): Uint8Array<ArrayBuffer> {
  const bytes = new Uint8Array(hex.length / 2);
  for (let i = 0; i < bytes.length; i++) bytes[i] = parseInt(hex.slice(i * 2, i * 2 + 2), 16);
  return bytes;
}

/** The `<t>.` prefix that precedes the body in the signed bytes. */
export function signedPrefix(timestamp: number): Uint8Array {
  return new TextEncoder().encode(`${timestamp}.`);
}

// One imported key per isolate (secrets change only with a redeploy, which starts new isolates).
// The key itself is cached, never a promise: workerd refuses to let one request await another's.
let cachedKey: { secret: string; key: CryptoKey } | undefined;

async function hmacKey(secret: string): Promise<CryptoKey> {
  if (cachedKey?.secret === secret) return cachedKey.key;
  const key = await crypto.subtle.importKey(
    'raw',
    new TextEncoder().encode(secret),
    { name: 'HMAC', hash: 'SHA-256' },
    false,
    ['verify'],
  );
  cachedKey = { secret, key };
  return key;
}

/** True when one of the header's signatures is the HMAC of `signedBytes` (prefix + body) under `secret`. */
export async function verifySignature(
  secret: string,
  header: SignatureHeader,
  signedBytes: Uint8Array<ArrayBuffer>,
): Promise<boolean> {
  const key = await hmacKey(secret);
  for (const signature of header.signatures) {
    if (await crypto.subtle.verify('HMAC', key, signature, signedBytes)) return true;
  }
  return false;
}
