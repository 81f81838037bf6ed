import { connect } from 'node:net';

/**
 * Sends a hand-written HTTP/1.1 request over a raw socket (fetch() would correct the framing
 * headers) and returns the first response's status, headers and body. A server may answer and close while
 * the body is still being sent (a refused upload): the write then fails with EPIPE or a reset, and
 * the answer already received is what counts.
 */
export function rawRequest(baseUrl: string, head: string, body: string): Promise<Response> {
  return new Promise((resolve, reject) => {
    const { port, hostname } = new URL(baseUrl);
    const socket = connect(Number(port), hostname);
    let raw = '';
    let failure: Error | undefined;
    socket.on('data', (chunk) => (raw += chunk.toString('utf8')));
    socket.on('error', (error) => (failure ??= error));
    socket.on('close', () => {
      if (!raw) {
        reject(failure ?? new Error('connection closed without an answer'));
        return;
      }
      const [statusLine = '', ...rest] = raw.split('\r\n');
      const status = Number(statusLine.split(' ')[1]);
      const [head = '', ...bodyParts] = rest.join('\r\n').split('\r\n\r\n');
      const headers = new Headers();
      for (const line of head.split('\r\n')) {
        const colon = line.indexOf(':');
        if (colon > 0) headers.append(line.slice(0, colon).trim(), line.slice(colon + 1).trim());
      }
      resolve(
        new Response(bodyParts.join('\r\n\r\n').split('HTTP/1.1')[0] ?? '', {
          status: status >= 200 && status < 600 ? status : 599,
          headers,
        }),
      );
    });
    socket.write(head.replace(/\n/g, '\r\n') + '\r\n\r\n');
    socket.end(body);
  });
}
