import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startOutbox, type Outbox } from '../../dev/outbox.ts';
import { rawRequest } from '../support/raw-http.ts';

// No worker listens on port 9 (discard): a request that gets past the Host guard answers 502.
let outbox: Outbox;
beforeAll(async () => {
  outbox = await startOutbox({ workerUrl: 'http://127.0.0.1:9' });
});
afterAll(() => outbox.close());

describe('the demo outbox', () => {
  it('refuses a foreign Host (DNS rebinding) before reading any message: 421', async () => {
    const port = new URL(outbox.url).port;
    for (const host of [`evil.example:${port}`, 'evil.example', `127.0.0.1.evil.example:${port}`, ''])
      for (const path of ['/', '/api/messages']) {
        const response = await rawRequest(outbox.url, `GET ${path} HTTP/1.1\nHost: ${host}\nConnection: close`, '');
        expect(response.status, `${host} ${path}`).toBe(421);
      }
  });

  it('answers the loopback names with its port', async () => {
    const port = new URL(outbox.url).port;
    for (const host of [`127.0.0.1:${port}`, `localhost:${port}`, `[::1]:${port}`]) {
      const response = await rawRequest(outbox.url, `GET /api/messages HTTP/1.1\nHost: ${host}\nConnection: close`, '');
      expect(response.status, host).toBe(502);
    }
  });
});
