/**
 * Content-Security-Policy violation reports, in both formats browsers send:
 * - `report-uri` → `application/csp-report`: `{"csp-report": {"document-uri", "effective-directive", "blocked-uri", …}}`
 * - `report-to` (Reporting API) → `application/reports+json`: `[{"type": "csp-violation", "body": {"documentURL", "effectiveDirective", "blockedURL", …}}]`
 * Only what helps fix the policy is kept; query strings (session ids) and full URLs are dropped.
 */

/** A CSP report is a few hundred bytes; a batch from the Reporting API stays far below this. */
export const MAX_CSP_REPORT_BYTES = 64 * 1024;
/** At most this many violations are logged per request. */
const MAX_VIOLATIONS = 20;

interface Violation {
  /** e.g. `script-src-elem`. */
  directive: string;
  /** The blocked origin (`https://evil.example`) or keyword (`inline`, `eval`, `data`). */
  blocked: string;
  /** The page's path, without query string or fragment. */
  page: string;
}

type ParsedReport = { ok: true; violations: Violation[] } | { ok: false; status: 400; message: string };

function mediaType(contentType: string | null): string {
  return (contentType ?? '').split(';')[0]?.trim().toLowerCase() ?? '';
}

/** The two formats browsers send CSP reports in: report-uri's and the Reporting API's. */
type CspReportFormat = 'application/csp-report' | 'application/reports+json';

/** The report format a Content-Type names, or undefined for anything else (the route answers 415). */
export function cspReportFormat(contentType: string | null): CspReportFormat | undefined {
  const type = mediaType(contentType);
  return type === 'application/csp-report' || type === 'application/reports+json' ? type : undefined;
}

function text(value: unknown, max: number): string | undefined {
  return typeof value === 'string' && value.length > 0 ? value.slice(0, max) : undefined;
}

function blockedSource(value: unknown): string {
  const raw = text(value, 2048);
  if (!raw) return 'unknown';
  try {
    const url = new URL(raw);
    return url.protocol === 'http:' || url.protocol === 'https:' || url.protocol === 'wss:'
      ? url.origin
      : url.protocol.replace(/:$/, '');
  } catch {
    // keywords: inline, eval, wasm-eval, trusted-types-policy…
    return raw.replace(/[^a-z-]/gi, '').slice(0, 40) || 'unknown';
  }
}

function pagePath(value: unknown): string {
  const raw = text(value, 2048);
  if (!raw) return 'unknown';
  try {
    return new URL(raw).pathname.slice(0, 200);
  } catch {
    return 'unknown';
  }
}

function violation(directive: unknown, blocked: unknown, page: unknown): Violation | undefined {
  const name = text(directive, 64);
  if (!name || !/^[a-z-]+$/.test(name)) return undefined;
  return { directive: name, blocked: blockedSource(blocked), page: pagePath(page) };
}

/** Parses a report body already read (and size-checked) as text. */
export function parseCspReport(format: CspReportFormat, body: string): ParsedReport {
  let json: unknown;
  try {
    json = JSON.parse(body);
  } catch {
    return { ok: false, status: 400, message: 'Report is not JSON.' };
  }
  const violations: Violation[] = [];
  if (format === 'application/csp-report') {
    const report = (json as { 'csp-report'?: Record<string, unknown> } | null)?.['csp-report'];
    const found =
      report &&
      violation(
        report['effective-directive'] ?? report['violated-directive'],
        report['blocked-uri'],
        report['document-uri'],
      );
    if (found) violations.push(found);
  } else if (Array.isArray(json)) {
    for (const entry of json.slice(0, MAX_VIOLATIONS)) {
      const item = entry as { type?: unknown; body?: Record<string, unknown> } | null;
      if (item?.type !== 'csp-violation' || !item.body) continue;
      const found = violation(item.body.effectiveDirective, item.body.blockedURL, item.body.documentURL);
      if (found) violations.push(found);
    }
  }
  if (violations.length === 0) return { ok: false, status: 400, message: 'No CSP violation in the report.' };
  return { ok: true, violations };
}
