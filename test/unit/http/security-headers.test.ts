import { describe, expect, it } from 'vitest';
import { contentSecurityPolicy, finalizeHeaders } from '../../../src/lib/http/security-headers.ts';

const directive = (csp: string, name: string) => csp.split('; ').find((part) => part.startsWith(`${name} `));

describe('Content-Security-Policy', () => {
  it('allows no third-party script or frame without an embed', () => {
    const csp = contentSecurityPolicy({ stripeEmbed: false });
    expect(directive(csp, 'script-src')).toBe("script-src 'self'");
    expect(directive(csp, 'frame-src')).toBe("frame-src 'none'");
    expect(directive(csp, 'frame-ancestors')).toBe("frame-ancestors 'none'");
    expect(csp).not.toContain('unsafe-inline');
  });

  it('allows the form redirect to any https Checkout host (custom domains) and the emulator', () => {
    expect(directive(contentSecurityPolicy({ stripeEmbed: false }), 'form-action')).toBe("form-action 'self' https:");
    expect(
      directive(
        contentSecurityPolicy({ stripeEmbed: false, stripeApiOrigin: 'http://127.0.0.1:12111' }),
        'form-action',
      ),
    ).toBe("form-action 'self' https: http://127.0.0.1:12111");
  });

  it('lists exactly the sources of Stripe’s security guide with an embed', () => {
    const csp = contentSecurityPolicy({ stripeEmbed: true });
    expect(directive(csp, 'script-src')).toBe(
      "script-src 'self' https://*.js.stripe.com https://js.stripe.com https://maps.googleapis.com",
    );
    expect(directive(csp, 'frame-src')).toBe(
      'frame-src https://*.js.stripe.com https://js.stripe.com https://hooks.stripe.com',
    );
    expect(directive(csp, 'connect-src')).toBe("connect-src 'self' https://api.stripe.com https://maps.googleapis.com");
  });

  it('reports violations to /csp-report both ways', () => {
    const csp = contentSecurityPolicy({ stripeEmbed: false });
    expect(directive(csp, 'report-uri')).toBe('report-uri /csp-report');
    expect(directive(csp, 'report-to')).toBe('report-to csp-endpoint');
  });
});

describe('finalizeHeaders', () => {
  it('adds the baseline to any response and HSTS on https', () => {
    const plain = finalizeHeaders(new Response('x', { headers: { 'content-type': 'text/plain' } }), {
      https: true,
    });
    expect(plain.headers.get('x-content-type-options')).toBe('nosniff');
    expect(plain.headers.get('referrer-policy')).toBe('strict-origin-when-cross-origin');
    expect(plain.headers.get('strict-transport-security')).toMatch(/max-age=31536000/);
    expect(plain.headers.get('content-security-policy')).toBeNull();
    expect(finalizeHeaders(new Response('x'), { https: false }).headers.get('strict-transport-security')).toBeNull();
  });

  it('gives HTML a CSP unless the page set its own', () => {
    const html = { 'content-type': 'text/html; charset=utf-8' };
    const defaulted = finalizeHeaders(new Response('<p>', { headers: html }), { https: false });
    expect(defaulted.headers.get('content-security-policy')).toContain("default-src 'self'");
    expect(defaulted.headers.get('reporting-endpoints')).toBe('csp-endpoint="/csp-report"');
    const own = finalizeHeaders(
      new Response('<p>', { headers: { ...html, 'content-security-policy': "default-src 'none'" } }),
      { https: false },
    );
    expect(own.headers.get('content-security-policy')).toBe("default-src 'none'");
  });

  it('makes every redirect no-store, even an immutable one', () => {
    const redirect = finalizeHeaders(Response.redirect('https://checkout.stripe.com/c/pay/cs_test_1', 303), {
      https: true,
    });
    expect(redirect.status).toBe(303);
    expect(redirect.headers.get('cache-control')).toBe('no-store');
    expect(redirect.headers.get('location')).toBe('https://checkout.stripe.com/c/pay/cs_test_1');
  });
});
