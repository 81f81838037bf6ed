/**
 * The local outbox: a page listing the e-mails the site sent in the demo (captured by the
 * send_email binding's local simulation in Miniflare, as under `wrangler dev`), with their links,
 * so a person or a browser test can open a sign-in link, and next to them the e-mails Stripe sent
 * (the emulator's receipts), marked as Stripe's. Loopback only, and only to requests addressed to
 * a loopback name (a DNS-rebinding guard, like the emulator's); never deployed.
 */
import { createServer, type Server } from 'node:http';
import { readSentEmails, type SentEmail } from './built-worker.ts';
import { loopbackHostHeaders } from './stripe-emulator/transport.ts';

/** An e-mail in the outbox, with who sent it: the shop (the site) or Stripe. */
type OutboxEmail = SentEmail & { sentBy: 'shop' | 'stripe' };

export interface Outbox {
  url: string;
  close(): Promise<void>;
}

function escapeHtml(value: string): string {
  return value.replace(/[&<>"']/g, (c) => `&#${c.charCodeAt(0)};`);
}

/** Plain text with its http(s) links made clickable. */
function linkify(text: string): string {
  return escapeHtml(text).replace(/https?:\/\/[^\s<]+/g, (url) => `<a href="${url}">${url}</a>`);
}

function page(emails: OutboxEmail[]): string {
  const items = emails
    .map(
      (email) => `<article>
  <h2>${escapeHtml(email.subject)}</h2>
  <p class="meta">${email.sentBy === 'stripe' ? '<strong class="stripe">Sent by Stripe</strong> · ' : ''}To ${escapeHtml(email.to.join(', '))} · from ${escapeHtml(email.from)} · ${escapeHtml(email.sentAt)}</p>
  <pre>${linkify(email.text ?? '')}</pre>
</article>`,
    )
    .join('\n');
  return `<!doctype html><html lang="en"><head><meta charset="utf-8"><meta name="viewport" content="width=device-width">
<title>Outbox (demo)</title><style>body{font:16px/1.5 system-ui,sans-serif;max-width:46rem;margin:2rem auto;padding:0 1rem}
article{border:1px solid #ddd;border-radius:8px;padding:0 1rem;margin:1rem 0}.meta{color:#555;font-size:.9rem}
pre{white-space:pre-wrap;font:inherit}.stripe{color:#635bff}</style></head><body><h1>Outbox (demo)</h1>
<p>E-mails the shop and Stripe sent, newest first. Nothing left this machine.</p>
${items || '<p>No e-mails yet.</p>'}</body></html>`;
}

/**
 * Serves the outbox of the worker at `workerUrl` on 127.0.0.1:`port` (0 = any free port); `stripeEmails`
 * adds what Stripe sent (the emulator's `state.emails`).
 */
export async function startOutbox(options: {
  workerUrl: string;
  port?: number;
  stripeEmails?: () => readonly SentEmail[];
}): Promise<Outbox> {
  let allowedHosts = new Set<string>();
  const server: Server = createServer((request, response) => {
    // The messages hold live sign-in links: answer only requests addressed to this machine (as the emulator does).
    if (!allowedHosts.has((request.headers.host ?? '').toLowerCase())) {
      response.writeHead(421, { 'content-type': 'text/plain', connection: 'close' }).end('Misdirected request.\n');
      return;
    }
    void (async () => {
      try {
        const emails: OutboxEmail[] = [
          ...(await readSentEmails(options.workerUrl)).map((email) => ({ ...email, sentBy: 'shop' as const })),
          ...(options.stripeEmails?.() ?? []).map((email) => ({ ...email, sentBy: 'stripe' as const })),
        ].sort((a, b) => b.sentAt.localeCompare(a.sentAt));
        if (request.url === '/api/messages') {
          response.writeHead(200, { 'content-type': 'application/json' }).end(JSON.stringify(emails));
        } else if (request.url === '/' || request.url === '') {
          response.writeHead(200, { 'content-type': 'text/html; charset=utf-8' }).end(page(emails));
        } else {
          response.writeHead(404, { 'content-type': 'text/plain' }).end('Not found.');
        }
      } catch (error) {
        response.writeHead(502, { 'content-type': 'text/plain' }).end(`Outbox unavailable: ${String(error)}`);
      }
    })();
  });
  await new Promise<void>((resolve) => server.listen(options.port ?? 0, '127.0.0.1', resolve));
  const address = server.address();
  const port = typeof address === 'object' && address ? address.port : 0;
  allowedHosts = loopbackHostHeaders(port);
  return {
    url: `http://127.0.0.1:${port}`,
    close: () => new Promise((resolve) => server.close(() => resolve())),
  };
}
