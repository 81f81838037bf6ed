import type { APIRoute } from 'astro';
import { readBodyText } from '../lib/http/body';
import { cspReportFormat, MAX_CSP_REPORT_BYTES, parseCspReport } from '../lib/http/csp-report';
import { plainText } from '../lib/http/responses';
import { RATE_LIMIT_PERIOD_SECONDS, withinRateLimit } from '../lib/http/rate-limit';
import { site } from '../site';

/** POST /csp-report: browsers' Content-Security-Policy violation reports, one log line per violation. */
export const ALL: APIRoute = async ({ request, locals }) => {
  if (request.method !== 'POST') return plainText(405, 'Method not allowed. Use POST.', { allow: 'POST' });
  const format = cspReportFormat(request.headers.get('content-type'));
  if (!format) {
    await request.body?.cancel().catch(() => undefined);
    return plainText(415, 'Content-Type must be application/csp-report or application/reports+json.');
  }
  const { log, limiters } = site();
  const body = await readBodyText(request, MAX_CSP_REPORT_BYTES);
  if (!body.ok)
    return body.reason === 'too_large'
      ? plainText(413, 'Payload too large.')
      : plainText(400, 'Report could not be read.');
  if (!(await withinRateLimit(limiters, 'csp-report', request, locals.visitor.ref)))
    return plainText(429, 'Too many reports.', { 'retry-after': String(RATE_LIMIT_PERIOD_SECONDS) });
  const report = parseCspReport(format, body.text);
  if (!report.ok) return plainText(report.status, report.message);
  for (const violation of report.violations) log.warn({ msg: 'csp violation', ...violation });
  return new Response(null, { status: 204 });
};
