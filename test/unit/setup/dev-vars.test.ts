import { describe, expect, it } from 'vitest';
import { withVariables } from '../../../src/lib/setup/dev-vars.ts';

describe('withVariables: .dev.vars edits', () => {
  it('replaces a variable where it is and appends a new one, keeping comments and order', () => {
    const text = '# Stripe\nSTRIPE_API_KEY=rk_test_1\nSTRIPE_WEBHOOK_SECRET=\nSITE_URL=https://shop.example.com\n';
    expect(
      withVariables(text, {
        STRIPE_WEBHOOK_SECRET: 'whsec_new',
        PUBLIC_STRIPE_CUSTOMER_PORTAL_URL: 'https://billing.stripe.com/p/login/test_1',
      }),
    ).toBe(
      '# Stripe\nSTRIPE_API_KEY=rk_test_1\nSTRIPE_WEBHOOK_SECRET=whsec_new\nSITE_URL=https://shop.example.com\nPUBLIC_STRIPE_CUSTOMER_PORTAL_URL=https://billing.stripe.com/p/login/test_1\n',
    );
  });

  it('starts an empty file, and refuses a value that would add a line', () => {
    expect(withVariables('', { A: '1' })).toBe('A=1\n');
    expect(() => withVariables('', { A: '1\nB=2' })).toThrow(/one line/);
  });
});
