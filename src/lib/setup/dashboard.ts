/**
 * What Stripe lets an account owner do only in the Dashboard, as steps with direct links: setup
 * prints them after doing the rest, docs/setup.md counts them. Pure.
 */
import { restrictedKeyPermissions } from '../stripe/permissions.ts';

export interface DashboardStep {
  title: string;
  url: string;
  /** What to set there, one line each. */
  lines: string[];
}

/** A Dashboard page in test mode (`/test/…`) or live mode. */
export function dashboardUrl(path: string, live: boolean): string {
  return `https://dashboard.stripe.com/${live ? '' : 'test/'}${path}`;
}

interface StepFacts {
  live: boolean;
  /** The shop's https origin, when known: the legal pages' URLs. */
  siteUrl?: string;
  /** The account's `jp_trn` tax ID (`txi_…`) when it is not yet the invoices' default. */
  taxIdToMakeDefault?: string;
  automaticTax: boolean;
}

/** The restricted key's permissions as the Dashboard's form names them, one line each (`Prices: Read`). */
export function permissionLines(): string[] {
  return restrictedKeyPermissions().map(
    ({ resource, access }) => `${resource}: ${access === 'write' ? 'Write' : 'Read'}`,
  );
}

/** The Dashboard-only steps, in the order an owner does them. */
export function dashboardSteps(facts: StepFacts): DashboardStep[] {
  const site = facts.siteUrl ?? 'https://<your host>';
  const steps: DashboardStep[] = [
    {
      title: 'Create the site’s restricted key and put it in STRIPE_API_KEY',
      url: dashboardUrl('apikeys/create', facts.live),
      lines: [
        'Everything None except:',
        ...permissionLines(),
        facts.live ? 'Then: npx wrangler secret put STRIPE_API_KEY' : 'Then: STRIPE_API_KEY=rk_test_… in .dev.vars',
      ],
    },
    {
      title: 'Limit customers to one subscription',
      url: dashboardUrl('settings/checkout', facts.live),
      lines: ['Subscriptions → "Limit customers to one subscription" on (it sends a subscriber to the portal).'],
    },
    {
      title: 'Public details',
      url: dashboardUrl('settings/public', facts.live),
      lines: [
        `Terms of service: ${site}/legal/terms (Checkout's consent box needs it)`,
        `Privacy policy: ${site}/legal/privacy`,
        `Support e-mail and phone: as on ${site}/legal/tokushoho (特定商取引法に基づく表記)`,
      ],
    },
    {
      title: 'Receipts',
      url: dashboardUrl('settings/emails', facts.live),
      lines: ['Customer emails → "Successful payments" on (receipts carry the registration number).'],
    },
  ];
  if (facts.taxIdToMakeDefault)
    steps.push({
      title: 'Make the registration number the invoices’ default tax ID',
      url: dashboardUrl('settings/billing/invoice', facts.live),
      lines: [`Default tax IDs: choose the jp_trn tax ID ${facts.taxIdToMakeDefault} (the API cannot set it).`],
    });
  steps.push({
    title: 'Tax settings',
    url: dashboardUrl('settings/tax', facts.live),
    lines: facts.automaticTax
      ? [
          'STRIPE_AUTOMATIC_TAX=true: add Japan under Registrations and set the products’ tax codes (food: reduced rate).',
        ]
      : [
          'Prices include tax (tax_behavior: inclusive), so Stripe Tax is not needed; the origin address is still used on invoices.',
        ],
  });
  return steps;
}
