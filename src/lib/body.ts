/** Reading request bodies into one buffer with a hard size cap, whatever Content-Length claims. */

export type BodyBytes = { ok: true; bytes: Uint8Array<ArrayBuffer> } | { ok: false; reason: 'too_large' | 'unreadable' };
export type BodyText = { ok: true; text: string } | { ok: false; reason: 'too_large' | 'unreadable' };

/**
 * An oversized body is still read and discarded up to this many bytes before answering, so a
 * client that is still uploading receives the 413 instead of a reset. Beyond it, the stream is
 * cancelled. Discarded chunks are not kept, so this costs time, not memory.
 */
const DRAIN_LIMIT_BYTES = 2 * 1024 * 1024;

async function drain(reader: ReadableStreamDefaultReader<Uint8Array>, alreadyRead: number): Promise<void> {
  let total = alreadyRead;
  try {
    while (total <= DRAIN_LIMIT_BYTES) {
      const { done, value } = await reader.read();
      if (done) return;
      total += value.byteLength;
    }
    await reader.cancel();
  } catch {
    // the client went away: nothing left to protect
  }
}

/**
 * Reads the body into a single buffer of `reserve + length` bytes, refusing it as soon as more
 * than `maxBytes` arrive. The first `reserve` bytes are left for the caller (the webhook writes
 * the signed timestamp there, so the HMAC runs over the buffer without another copy).
 * A declared Content-Length sizes the buffer up front; without one, chunks are joined once at the end.
 */
export async function readBodyBytes(request: Request, maxBytes: number, reserve = 0): Promise<BodyBytes> {
  const declaredHeader = request.headers.get('content-length');
  const reader = request.body?.getReader();
  const declared = declaredHeader === null ? undefined : /^\d{1,15}$/.test(declaredHeader) ? Number(declaredHeader) : NaN;
  if (declared !== undefined && !(declared <= maxBytes)) {
    if (reader) await drain(reader, 0);
    return { ok: false, reason: 'too_large' };
  }
  if (!reader) return { ok: true, bytes: new Uint8Array(reserve) };

  if (declared !== undefined) {
    const bytes = new Uint8Array(reserve + declared);
    let offset = reserve;
    try {
      for (;;) {
        const { done, value } = await reader.read();
        if (done) break;
        if (offset + value.byteLength > bytes.byteLength) {
          await drain(reader, offset - reserve + value.byteLength);
          return { ok: false, reason: 'unreadable' };
        }
        bytes.set(value, offset);
        offset += value.byteLength;
      }
    } catch {
      return { ok: false, reason: 'unreadable' };
    }
    return offset === bytes.byteLength ? { ok: true, bytes } : { ok: false, reason: 'unreadable' };
  }

  const chunks: Uint8Array[] = [];
  let total = 0;
  try {
    for (;;) {
      const { done, value } = await reader.read();
      if (done) break;
      total += value.byteLength;
      if (total > maxBytes) {
        chunks.length = 0;
        await drain(reader, total);
        return { ok: false, reason: 'too_large' };
      }
      chunks.push(value);
    }
  } catch {
    return { ok: false, reason: 'unreadable' };
  }
  const bytes = new Uint8Array(reserve + total);
  let offset = reserve;
  for (const chunk of chunks) {
    bytes.set(chunk, offset);
    offset += chunk.byteLength;
  }
  return { ok: true, bytes };
}

/** Strict UTF-8 decoding: undefined for invalid bytes instead of replacement characters. */
export function decodeUtf8(bytes: Uint8Array): string | undefined {
  try {
    return new TextDecoder('utf-8', { fatal: true }).decode(bytes);
  } catch {
    return undefined;
  }
}

/** Reads a small body (a form, a CSP report) as UTF-8 text with a size cap. */
export async function readBodyText(request: Request, maxBytes: number): Promise<BodyText> {
  const body = await readBodyBytes(request, maxBytes);
  if (!body.ok) return body;
  const text = decodeUtf8(body.bytes);
  return text === undefined ? { ok: false, reason: 'unreadable' } : { ok: true, text };
}
