import { describe, expect, it } from 'vitest';
import { readBodyBytes, readBodyText } from '../../src/lib/body';

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

const post = (body: BodyInit, headers: Record<string, string> = {}) => new Request('http://x/', { method: 'POST', body, headers, duplex: 'half' } as RequestInit);

describe('readBodyBytes', () => {
  it('reads a body into one buffer, leaving room in front when asked', async () => {
    const result = await readBodyBytes(post('{"a":1}', { 'content-length': '7' }), 100, 3);
    expect(result.ok && [...result.bytes.subarray(3)]).toEqual([...new TextEncoder().encode('{"a":1}')]);
    expect(result.ok && result.bytes.byteLength).toBe(10);
  });

  it('refuses a declared length over the limit before reading', async () => {
    expect(await readBodyBytes(post('x', { 'content-length': '2000000' }), 1024)).toEqual({ ok: false, reason: 'too_large' });
  });

  it('reads no more than the drain limit of an endless stream', async () => {
    let pulled = 0;
    const endless = new ReadableStream<Uint8Array>({
      pull(controller) {
        pulled += 65536;
        controller.enqueue(new Uint8Array(65536));
      },
    });
    expect(await readBodyBytes(post(endless), 1024)).toEqual({ ok: false, reason: 'too_large' });
    expect(pulled).toBeLessThan(3 * 1024 * 1024);
  });

  it('catches a stream larger than the limit without a Content-Length', async () => {
    expect(await readBodyBytes(post(streamOf(3 * 1024 * 1024)), 1024 * 1024)).toEqual({ ok: false, reason: 'too_large' });
  });
});

describe('readBodyText', () => {
  it('decodes UTF-8', async () => {
    expect(await readBodyText(post('price=x&email=a%40b.c'), 100)).toEqual({ ok: true, text: 'price=x&email=a%40b.c' });
  });

  it('refuses bytes that are not UTF-8', async () => {
    expect(await readBodyText(post(new Uint8Array([0xff, 0xfe, 0xfd])), 100)).toEqual({ ok: false, reason: 'unreadable' });
  });
});
