import { describe, expect, it } from 'vitest';
import { contentSecurityPolicy, securityHeaders } from '../../src/lib/security-headers';

describe('security headers', () => {
  it('allow no third-party script without an embed', () => {
    const csp = contentSecurityPolicy({ stripeEmbed: false });
    expect(csp).toContain("script-src 'self';");
    expect(csp).toContain("frame-ancestors 'none'");
    expect(csp).toContain("frame-src 'none'");
    expect(csp).not.toContain('unsafe-inline');
  });

  it('allow Stripe.js and its frames with an embed', () => {
    const csp = contentSecurityPolicy({ stripeEmbed: true });
    expect(csp).toMatch(/script-src 'self' https:\/\/js\.stripe\.com/);
    expect(csp).toMatch(/frame-src https:\/\/js\.stripe\.com/);
  });

  it('add HSTS only on https and CSP only on HTML', () => {
    expect(securityHeaders({ html: false, https: false, stripeEmbed: false })).toEqual({
      'x-content-type-options': 'nosniff',
      'referrer-policy': 'strict-origin-when-cross-origin',
    });
    const page = securityHeaders({ html: true, https: true, stripeEmbed: false });
    expect(page['strict-transport-security']).toMatch(/max-age=31536000/);
    expect(page['content-security-policy']).toBeDefined();
  });
});
