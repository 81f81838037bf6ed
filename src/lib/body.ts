/** Reading request bodies with a hard size cap, whatever Content-Length claims. */

export type LimitedBody = { ok: true; text: string } | { ok: false; reason: 'too_large' | 'unreadable' };

/**
 * An oversized body is still read and discarded up to this many bytes before answering, so the
 * client (which is still uploading) receives the 413 instead of a connection reset. Beyond it,
 * the stream is cancelled: nobody gets to make us read without limit.
 */
const DRAIN_LIMIT_BYTES = 8 * 1024 * 1024;

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
 * Reads the body as UTF-8 text, refusing it as soon as more than `maxBytes` arrive. A declared
 * Content-Length over the cap is refused without keeping any of it; a lying one is caught while streaming.
 */
export async function readBodyLimited(request: Request, maxBytes: number): Promise<LimitedBody> {
  const declared = request.headers.get('content-length');
  const reader = request.body?.getReader();
  if (declared !== null && (!/^\d+$/.test(declared) || Number(declared) > maxBytes)) {
    if (reader) await drain(reader, 0);
    return { ok: false, reason: 'too_large' };
  }
  if (!reader) return { ok: true, text: '' };

  const chunks: Uint8Array[] = [];
  let total = 0;
  try {
    for (;;) {
      const { done, value } = await reader.read();
      if (done) break;
      total += value.byteLength;
      if (total > maxBytes) {
        await drain(reader, total);
        return { ok: false, reason: 'too_large' };
      }
      chunks.push(value);
    }
  } catch {
    return { ok: false, reason: 'unreadable' };
  }

  const bytes = new Uint8Array(total);
  let offset = 0;
  for (const chunk of chunks) {
    bytes.set(chunk, offset);
    offset += chunk.byteLength;
  }
  try {
    return { ok: true, text: new TextDecoder('utf-8', { fatal: true }).decode(bytes) };
  } catch {
    return { ok: false, reason: 'unreadable' };
  }
}
