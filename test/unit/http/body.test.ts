import { describe, expect, it } from 'vitest';
import { BufferPool, readBodyBytes, readBodyText } from '../../../src/lib/http/body.ts';

function streamOf(size: number): ReadableStream<Uint8Array> {
  let sent = 0;
  return new ReadableStream({
    pull(controller) {
      if (sent >= size) return controller.close();
      const chunk = new Uint8Array(Math.min(64 * 1024, size - sent)).fill(97);
      sent += chunk.byteLength;
      controller.enqueue(chunk);
    },
  });
}

const post = (body: BodyInit, headers: Record<string, string> = {}) =>
  new Request('http://x/', { method: 'POST', body, headers, duplex: 'half' } as RequestInit);

describe('readBodyBytes', () => {
  it('reads a body into one buffer, leaving room in front when asked', async () => {
    const result = await readBodyBytes(post('{"a":1}', { 'content-length': '7' }), 100, 3);
    expect(result.ok && [...result.bytes.subarray(3)]).toEqual([...new TextEncoder().encode('{"a":1}')]);
    expect(result.ok && result.bytes.byteLength).toBe(10);
  });

  it('refuses a declared length over the limit without reading a byte', async () => {
    let pulled = 0;
    const body = new ReadableStream<Uint8Array>({
      pull(controller) {
        pulled += 1;
        controller.enqueue(new Uint8Array(1024));
      },
    });
    expect(await readBodyBytes(post(body, { 'content-length': '999999' }), 1024)).toEqual({
      ok: false,
      reason: 'too_large',
    });
    expect(pulled).toBeLessThanOrEqual(1);
  });

  it('refuses a declared length over the limit before reading', async () => {
    expect(await readBodyBytes(post('x', { 'content-length': '2000000' }), 1024)).toEqual({
      ok: false,
      reason: 'too_large',
    });
  });

  it('stops reading an endless stream at the limit', async () => {
    let pulled = 0;
    const endless = new ReadableStream<Uint8Array>({
      pull(controller) {
        pulled += 65536;
        controller.enqueue(new Uint8Array(65536));
      },
    });
    expect(await readBodyBytes(post(endless), 1024)).toEqual({ ok: false, reason: 'too_large' });
    expect(pulled).toBeLessThanOrEqual(3 * 65536);
  });

  it('catches a stream larger than the limit without a Content-Length', async () => {
    expect(await readBodyBytes(post(streamOf(3 * 1024 * 1024)), 1024 * 1024)).toEqual({
      ok: false,
      reason: 'too_large',
    });
  });
});

describe('readBodyText', () => {
  it('decodes UTF-8', async () => {
    expect(await readBodyText(post('price=x&email=a%40b.c'), 100)).toEqual({ ok: true, text: 'price=x&email=a%40b.c' });
  });

  it('refuses bytes that are not UTF-8', async () => {
    expect(await readBodyText(post(new Uint8Array([0xff, 0xfe, 0xfd])), 100)).toEqual({
      ok: false,
      reason: 'unreadable',
    });
  });
});

describe('BufferPool', () => {
  /** A byte stream, as workerd gives request bodies (BYOB readers work on it). */
  const bytes = (text: string) =>
    new ReadableStream<Uint8Array>({
      type: 'bytes',
      start(controller) {
        controller.enqueue(new TextEncoder().encode(text));
        controller.close();
      },
    });

  it('reads into the pool’s buffer and hands the same memory to the next request', async () => {
    const pool = new BufferPool(16 + 1, 4);
    const first = await readBodyBytes(post(bytes('{"a":1}'), { 'content-length': '7' }), 16, 0, pool);
    expect(first.ok && new TextDecoder().decode(first.bytes)).toBe('{"a":1}');
    if (!first.ok) return;
    expect(first.bytes.buffer.byteLength).toBe(17);
    first.release();
    const second = await readBodyBytes(post(bytes('{"b":22}'), { 'content-length': '8' }), 16, 0, pool);
    expect(second.ok && new TextDecoder().decode(second.bytes)).toBe('{"b":22}');
    expect(second.ok && second.bytes.buffer.byteLength).toBe(17);
  });

  it('refuses a body longer than its Content-Length', async () => {
    const body = new ReadableStream<Uint8Array>({
      type: 'bytes',
      pull(controller) {
        controller.enqueue(new Uint8Array(10).fill(97));
        controller.close();
      },
    });
    expect(await readBodyBytes(post(body, { 'content-length': '4' }), 100)).toEqual({
      ok: false,
      reason: 'unreadable',
    });
  });
});
