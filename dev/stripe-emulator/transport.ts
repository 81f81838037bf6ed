/**
 * The emulator's HTTP server: the loopback Host guard (421), the request log line, body reading,
 * and the split between the API (`/v1…`) and the hosted pages. Knows nothing about Stripe objects.
 */
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import { isIPv4, isIPv6, type AddressInfo } from 'node:net';

/** One request handler: the API router or the pages. */
export type RequestHandler = (req: IncomingMessage, res: ServerResponse, url: URL, method: string) => Promise<void>;

/** Bodies above this are refused; stripe-node's requests are tiny. */
const MAX_BODY_BYTES = 1024 * 1024;

export class BodyTooLargeError extends Error {}

export function header(req: IncomingMessage, name: string): string | null {
  const value = req.headers[name];
  return Array.isArray(value) ? (value[0] ?? null) : (value ?? null);
}

/** The whole body as text; throws BodyTooLargeError past 1 MiB (after draining, so the client sees the answer). */
export async function readBody(req: IncomingMessage): Promise<string> {
  const chunks: Buffer[] = [];
  let size = 0;
  for await (const chunk of req) {
    const buffer = chunk as Buffer;
    size += buffer.length;
    if (size <= MAX_BODY_BYTES) chunks.push(buffer);
  }
  if (size > MAX_BODY_BYTES) throw new BodyTooLargeError('Request body too large');
  return Buffer.concat(chunks).toString('utf8');
}

export function sendJson(
  res: ServerResponse,
  status: number,
  body: string,
  headers: Record<string, string> = {},
): void {
  res.writeHead(status, {
    'content-type': 'application/json; charset=utf-8',
    'cache-control': 'no-cache, no-store',
    ...headers,
  });
  res.end(body);
}

export function sendText(
  res: ServerResponse,
  status: number,
  text: string,
  headers: Record<string, string> = {},
): void {
  res.writeHead(status, { 'content-type': 'text/plain; charset=utf-8', ...headers });
  res.end(text);
}

/** Whether binding to `host` keeps the emulator on this machine: 127.0.0.0/8 (RFC 1122 §3.2.1.3), ::1 (RFC 4291 §2.5.3), localhost. */
export function isLoopbackHost(host: string): boolean {
  const name = host
    .trim()
    .toLowerCase()
    .replace(/^\[(.*)\]$/, '$1');
  if (name === 'localhost') return true;
  if (isIPv4(name)) return name.startsWith('127.');
  if (!isIPv6(name)) return false;
  // ::1 in any spelling (0:0:0:0:0:0:0:1, ::0:1), and 127.x mapped into IPv6 (::ffff:127.0.0.1).
  const mapped = /^::ffff:(\d+\.\d+\.\d+\.\d+)$/.exec(name)?.[1];
  if (mapped) return mapped.startsWith('127.');
  const [head = '', tail = ''] = name.split('::');
  const groups = [...(head ? head.split(':') : []), ...(tail ? tail.split(':') : [])];
  return (
    groups.length > 0 && groups.slice(0, -1).every((group) => /^0+$/.test(group)) && /^0*1$/.test(groups.at(-1) ?? '')
  );
}

/**
 * The Host headers a loopback server on `port` answers: a DNS-rebinding guard. A page on another
 * origin whose name resolves to 127.0.0.1 sends its own name in Host, so it is refused (421).
 */
export function loopbackHostHeaders(port: number): Set<string> {
  return new Set([`localhost:${port}`, `127.0.0.1:${port}`, `[::1]:${port}`]);
}

function formatBaseUrl(host: string, port: number): string {
  const shown = host === '0.0.0.0' || host === '::' || host === '' ? '127.0.0.1' : host;
  return `http://${shown.includes(':') ? `[${shown}]` : shown}:${port}`;
}

export interface TransportOptions {
  host: string;
  /** 0 picks a free port. */
  port: number;
  /** Base of URLs handed to browsers; its host is accepted too. Default: the listening URL. */
  publicUrl: string | undefined;
  log: (line: string) => void;
  api: RequestHandler;
  pages: RequestHandler;
  /** Answers a handler's unexpected failure on the API (Stripe's JSON 500). */
  apiError: (res: ServerResponse, error: unknown) => void;
}

/** Listens; resolves with the server, its port, URL and public URL. */
export async function listen(
  options: TransportOptions,
): Promise<{ server: Server; port: number; url: string; publicUrl: string }> {
  const { log } = options;
  let allowedHosts = new Set<string>();
  const server = createServer((req, res) => {
    const started = performance.now();
    const method = (req.method ?? 'GET').toUpperCase();
    // DNS rebinding guard: a page on another origin whose name resolves to 127.0.0.1 must not drive the
    // emulator, so only requests addressed to a loopback name with our port (or to publicUrl) are answered.
    if (!allowedHosts.has((header(req, 'host') ?? '').toLowerCase())) {
      sendText(
        res,
        421,
        `Misdirected request: this Stripe emulator answers only to ${[...allowedHosts].join(', ')}.\n`,
        {
          connection: 'close',
        },
      );
      log(`${method} (refused Host ${JSON.stringify(header(req, 'host') ?? '')}) 421`);
      return;
    }
    let url: URL;
    try {
      url = new URL(req.url ?? '/', 'http://emulator.invalid');
    } catch {
      sendText(res, 400, 'Bad request');
      return;
    }
    res.on('close', () => {
      const status = res.writableFinished ? String(res.statusCode) : 'dropped';
      log(`${method} ${url.pathname} ${status} ${Math.round(performance.now() - started)}ms`);
    });
    const isApi = url.pathname === '/v1' || url.pathname.startsWith('/v1/');
    (isApi ? options.api : options.pages)(req, res, url, method).catch((error: unknown) => {
      // A bug here must not take the emulator down: answer 500 and say what happened.
      if (!(error instanceof BodyTooLargeError)) console.error('[stripe-emulator]', error);
      if (res.headersSent) res.destroy();
      else if (isApi) options.apiError(res, error);
      else if (error instanceof BodyTooLargeError) sendText(res, 413, 'Request body too large');
      else sendText(res, 500, 'Emulator error');
    });
  });
  // Browsers and stripe-node keep connections alive; do not let that stall close().
  server.keepAliveTimeout = 5_000;

  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(options.port, options.host, () => {
      server.off('error', reject);
      resolve();
    });
  });
  const port = (server.address() as AddressInfo).port;
  const url = formatBaseUrl(options.host, port);
  const publicUrl = (options.publicUrl ?? url).replace(/\/+$/, '');
  allowedHosts = loopbackHostHeaders(port);
  if (options.publicUrl) allowedHosts.add(new URL(publicUrl).host.toLowerCase());
  return { server, port, url, publicUrl };
}
