import { describe, expect, it } from 'vitest';
import { readBodyLimited } from '../../src/lib/body';

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

describe('readBodyLimited', () => {
  it('reads a body under the limit', async () => {
    const result = await readBodyLimited(new Request('http://x/', { method: 'POST', body: '{"a":1}' }), 100);
    expect(result).toEqual({ ok: true, text: '{"a":1}' });
  });

  it('refuses a declared length over the limit before reading', async () => {
    const request = new Request('http://x/', { method: 'POST', body: 'x', headers: { 'content-length': '2000000' } });
    expect(await readBodyLimited(request, 1024)).toEqual({ ok: false, reason: 'too_large' });
  });

  it('reads no more than the drain limit of an endless stream', async () => {
    let pulled = 0;
    const endless = new ReadableStream<Uint8Array>({
      pull(controller) {
        pulled += 65536;
        controller.enqueue(new Uint8Array(65536));
      },
    });
    const request = new Request('http://x/', { method: 'POST', body: endless, duplex: 'half' } as RequestInit);
    expect(await readBodyLimited(request, 1024)).toEqual({ ok: false, reason: 'too_large' });
    expect(pulled).toBeLessThan(9 * 1024 * 1024);
  });

  it('catches a stream larger than it claims', async () => {
    const request = new Request('http://x/', { method: 'POST', body: streamOf(3 * 1024 * 1024), duplex: 'half' } as RequestInit);
    expect(await readBodyLimited(request, 1024 * 1024)).toEqual({ ok: false, reason: 'too_large' });
  });

  it('refuses bytes that are not UTF-8', async () => {
    const request = new Request('http://x/', { method: 'POST', body: new Uint8Array([0xff, 0xfe, 0xfd]) });
    expect(await readBodyLimited(request, 100)).toEqual({ ok: false, reason: 'unreadable' });
  });
});
