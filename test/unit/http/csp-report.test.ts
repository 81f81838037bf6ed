import { describe, expect, it } from 'vitest';
import { cspReportFormat, parseCspReport } from '../../../src/lib/http/csp-report.ts';

describe('parseCspReport', () => {
  it('reads report-uri reports, keeping the origin and the path only', () => {
    const body = JSON.stringify({
      'csp-report': {
        'document-uri': 'https://shop.example/thanks?session_id=cs_test_secret',
        'effective-directive': 'script-src-elem',
        'blocked-uri': 'https://evil.example/steal.js?x=1',
      },
    });
    expect(parseCspReport('application/csp-report', body)).toEqual({
      ok: true,
      violations: [{ directive: 'script-src-elem', blocked: 'https://evil.example', page: '/thanks' }],
    });
  });

  it('reads Reporting API batches and keywords', () => {
    const body = JSON.stringify([
      {
        type: 'csp-violation',
        body: {
          documentURL: 'https://shop.example/',
          effectiveDirective: 'frame-src',
          blockedURL: 'https://js.stripe.com/v3/x',
        },
      },
      {
        type: 'csp-violation',
        body: { documentURL: 'https://shop.example/', effectiveDirective: 'script-src-elem', blockedURL: 'inline' },
      },
      { type: 'deprecation', body: {} },
    ]);
    expect(parseCspReport('application/reports+json', body)).toEqual({
      ok: true,
      violations: [
        { directive: 'frame-src', blocked: 'https://js.stripe.com', page: '/' },
        { directive: 'script-src-elem', blocked: 'inline', page: '/' },
      ],
    });
  });

  it('refuses other content types, non-JSON and reports without a violation', () => {
    expect(cspReportFormat('application/json')).toBeUndefined();
    expect(cspReportFormat('Application/CSP-Report; charset=utf-8')).toBe('application/csp-report');
    expect(parseCspReport('application/csp-report', 'not json')).toMatchObject({ ok: false, status: 400 });
    expect(parseCspReport('application/csp-report', '{"csp-report":{}}')).toMatchObject({ ok: false, status: 400 });
    expect(parseCspReport('application/reports+json', '[]')).toMatchObject({ ok: false, status: 400 });
  });
});
