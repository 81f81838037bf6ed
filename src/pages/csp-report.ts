import type { APIRoute } from 'astro';
import { readBodyText } from '../lib/http/body.ts';
import { cspReportFormat, MAX_CSP_REPORT_BYTES, parseCspReport } from '../lib/http/csp-report.ts';
import { plainText } from '../lib/http/responses.ts';
import { RATE_LIMIT_PERIOD_SECONDS, withinRateLimit } from '../lib/http/rate-limit.ts';
import { createFloodLog, type FloodLog } from '../lib/log/flood.ts';
import { site } from '../site.ts';

// Per isolate: anyone can post reports, so past the first 5 violations a minute they are counted by directive.
let violations: FloodLog | undefined;

/**
 * POST /csp-report: browsers' Content-Security-Policy violation reports, one log line per violation
 * up to 5 a minute per isolate, then one aggregate line of counts by directive. Refused reports
 * (405, 415, 413, 400, 429) are not logged: nothing in them helps fix the policy.
 */
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
  violations ??= createFloodLog({ log, kind: 'csp_violation', msg: 'csp violations (aggregate)', level: 'warn' });
  for (const violation of report.violations)
    violations.record(violation.directive, { msg: 'csp violation', ...violation });
  return new Response(null, { status: 204 });
};
