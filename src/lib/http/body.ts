/** Reading request bodies into one buffer with a hard size cap, whatever Content-Length claims. */

type BodyBytes =
  | {
      ok: true;
      bytes: Uint8Array<ArrayBuffer>;
      /** Hands the buffer back to its pool (if any) once the caller no longer reads `bytes`. */
      release: () => void;
    }
  | { ok: false; reason: 'too_large' | 'unreadable' };
type BodyText = { ok: true; text: string } | { ok: false; reason: 'too_large' | 'unreadable' };

/**
 * Buffers for one route's bodies, reused across requests of this isolate. Under a flood of large
 * forged bodies, each request would otherwise leave a buffer as garbage until the next GC, and
 * the isolate (128 MB) would hold several rounds of them at once. A pool keeps what is live to
 * the requests in flight. Plain data shared by requests: nothing here waits on another request.
 */
export class BufferPool {
  private readonly free: ArrayBuffer[] = [];
  /** Every buffer's size: the largest body plus any reserve, plus one spare byte. */
  readonly bufferBytes: number;
  /** How many idle buffers to keep. */
  private readonly keep: number;

  constructor(bufferBytes: number, keep: number) {
    this.bufferBytes = bufferBytes;
    this.keep = keep;
  }

  take(): ArrayBuffer {
    return this.free.pop() ?? new ArrayBuffer(this.bufferBytes);
  }

  give(buffer: ArrayBuffer): void {
    // A detached buffer (handed to a read that never finished) has length 0 and is dropped.
    if (buffer.byteLength === this.bufferBytes && this.free.length < this.keep) this.free.push(buffer);
  }
}

const NOTHING_TO_RELEASE = () => undefined;

/**
 * An oversized body with a Content-Length up to this size is read and thrown away before the
 * answer, so a client still uploading receives the 413 instead of a reset; a larger one is cut off.
 * Reading costs workerd memory in its stream pipeline, so only a few are drained at once per
 * isolate: in a flood the rest are cut off (the client sees the connection close).
 */
const DRAIN_LIMIT_BYTES = 2 * 1024 * 1024;
const MAX_CONCURRENT_DRAINS = 4;
let draining = 0;
// Drained bytes land in these scratch buffers (reused, so draining allocates nothing per chunk).
const scratch = new BufferPool(64 * 1024, MAX_CONCURRENT_DRAINS);

/** Reads and discards a byte stream into a scratch buffer; other streams are cancelled. */
async function drain(body: ReadableStream<Uint8Array>): Promise<void> {
  let reader: ReadableStreamBYOBReader;
  try {
    reader = body.getReader({ mode: 'byob' });
  } catch {
    await body.cancel().catch(() => undefined);
    return;
  }
  let buffer = scratch.take();
  try {
    let drained = 0;
    while (drained <= DRAIN_LIMIT_BYTES) {
      const { done, value } = await reader.read(new Uint8Array(buffer));
      if (!value) return;
      buffer = value.buffer;
      drained += value.byteLength;
      if (done) return;
    }
    await reader.cancel();
  } catch {
    // the client went away: nothing left to protect
  } finally {
    scratch.give(buffer);
  }
}

/**
 * Reads the body into a single buffer, `reserve` free bytes first, refusing it as soon as more than
 * `maxBytes` arrive. The reserve is for the caller (the webhook writes the signed timestamp there,
 * so the HMAC runs over the buffer without another copy).
 *
 * With a Content-Length the buffer is sized (or taken from `pool`) up front and filled by a BYOB
 * reader: the runtime writes straight into it, so no chunk is allocated and thrown away. A
 * declared length over the cap is refused without keeping anything: up to 2 MiB is read into a
 * reused scratch buffer and discarded (so the client still uploading gets the answer), beyond
 * that the stream is cancelled.
 */
export async function readBodyBytes(
  request: Request,
  maxBytes: number,
  reserve = 0,
  pool?: BufferPool,
): Promise<BodyBytes> {
  const declaredHeader = request.headers.get('content-length');
  const declared =
    declaredHeader === null ? undefined : /^\d{1,15}$/.test(declaredHeader) ? Number(declaredHeader) : NaN;
  const body = request.body;
  if (declared !== undefined && !(declared <= maxBytes)) {
    if (body && declared <= DRAIN_LIMIT_BYTES && draining < MAX_CONCURRENT_DRAINS) {
      // A count, not a lock: a request that never reaches `finally` only leaves fewer drains.
      draining += 1;
      try {
        await drain(body);
      } finally {
        draining -= 1;
      }
    } else {
      await body?.cancel().catch(() => undefined);
    }
    return { ok: false, reason: 'too_large' };
  }
  if (!body) return { ok: true, bytes: new Uint8Array(reserve), release: NOTHING_TO_RELEASE };
  try {
    return declared === undefined
      ? await readChunked(body, maxBytes, reserve)
      : await readDeclared(body, declared, reserve, pool);
  } catch {
    return { ok: false, reason: 'unreadable' };
  }
}

/** Exactly `length` bytes after `reserve`; a body longer or shorter than declared is unreadable. */
async function readDeclared(
  body: ReadableStream<Uint8Array>,
  length: number,
  reserve: number,
  pool?: BufferPool,
): Promise<BodyBytes> {
  let reader: ReadableStreamBYOBReader;
  try {
    reader = body.getReader({ mode: 'byob' });
  } catch {
    // Not a byte stream (some runtimes outside workerd): the chunked path bounds it the same way.
    return readChunked(body, length, reserve);
  }
  // One spare byte shows a body longer than its Content-Length without reading it all.
  const end = reserve + length + 1;
  const pooled = pool !== undefined && end <= pool.bufferBytes;
  let buffer = pooled ? pool.take() : new ArrayBuffer(end);
  let offset = reserve;
  for (;;) {
    const { done, value } = await reader.read(new Uint8Array(buffer, offset, end - offset));
    if (!value) break;
    // A BYOB read hands the memory back in a new ArrayBuffer object (the old one is detached).
    buffer = value.buffer;
    offset += value.byteLength;
    if (offset > reserve + length) {
      await reader.cancel().catch(() => undefined);
      if (pooled) pool.give(buffer);
      return { ok: false, reason: 'unreadable' };
    }
    if (done) break;
  }
  if (offset !== reserve + length) {
    if (pooled) pool.give(buffer);
    return { ok: false, reason: 'unreadable' };
  }
  const filled = buffer;
  return {
    ok: true,
    bytes: new Uint8Array(filled, 0, offset),
    release: pooled ? () => pool.give(filled) : NOTHING_TO_RELEASE,
  };
}

/** A body without Content-Length: chunks up to the cap, joined once at the end. */
async function readChunked(body: ReadableStream<Uint8Array>, maxBytes: number, reserve: number): Promise<BodyBytes> {
  const reader = body.getReader();
  const chunks: Uint8Array[] = [];
  let total = 0;
  for (;;) {
    const { done, value } = await reader.read();
    if (done) break;
    total += value.byteLength;
    if (total > maxBytes) {
      chunks.length = 0;
      await reader.cancel().catch(() => undefined);
      return { ok: false, reason: 'too_large' };
    }
    chunks.push(value);
  }
  const bytes = new Uint8Array(reserve + total);
  let offset = reserve;
  for (const chunk of chunks) {
    bytes.set(chunk, offset);
    offset += chunk.byteLength;
  }
  return { ok: true, bytes, release: NOTHING_TO_RELEASE };
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
