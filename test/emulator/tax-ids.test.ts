/**
 * Tax IDs: the shop's 適格請求書 registration number as the account's `jp_trn`, the invoices' defaults it becomes (set
 * in the Dashboard, read from GET /v1/account), customers' tax IDs, and Stripe's refusals.
 */
import type Stripe from 'stripe';
import { beforeEach, describe, expect, it } from 'vitest';
import { paidSubscription, seeded, stripeError, typesSince, useEmulator } from '../support/emulator.ts';
import { idOf } from '../../dev/stripe-emulator/state.ts';

const h = useEmulator();
beforeEach(() => {
  h.emulator.reset();
  h.emulator.setDefaultAccountTaxIds([]);
});

/** A registration number: T and 13 digits. */
const REGISTRATION_NUMBER = 'T1234567891234';

async function latestInvoice(subscription: Stripe.Subscription): Promise<Stripe.Invoice> {
  const current = await h.stripe.subscriptions.retrieve(subscription.id);
  return h.stripe.invoices.retrieve(idOf(current.latest_invoice), { expand: ['account_tax_ids'] });
}

describe("the account's tax IDs", () => {
  it('are created for the account itself by default, unverified, and listed as its own', async () => {
    const taxId = await h.stripe.taxIds.create({ type: 'jp_trn', value: REGISTRATION_NUMBER });
    expect(taxId).toMatchObject({
      object: 'tax_id',
      type: 'jp_trn',
      value: REGISTRATION_NUMBER,
      country: 'JP',
      customer: null,
      owner: { type: 'self' },
      verification: null,
      livemode: false,
    });
    expect(taxId.id).toMatch(/^txi_/);
    const own = await h.stripe.taxIds.list();
    expect(own.data.map((item) => item.id)).toContain(taxId.id);
    const explicitly = await h.stripe.taxIds.list({ owner: { type: 'self' } });
    expect(explicitly.data.map((item) => item.id)).toEqual(own.data.map((item) => item.id));
    expect((await h.stripe.taxIds.retrieve(taxId.id)).value).toBe(REGISTRATION_NUMBER);
  });

  it('become the invoices’ default in the Dashboard: GET /v1/account shows it, finalized invoices carry it', async () => {
    const taxId = await h.stripe.taxIds.create({ type: 'jp_trn', value: REGISTRATION_NUMBER });
    let account = await h.stripe.accounts.retrieveCurrent();
    expect(account).toMatchObject({ object: 'account', country: 'JP', default_currency: 'jpy', charges_enabled: true });
    expect(account.settings?.invoices?.default_account_tax_ids).toEqual([]);
    const before = await paidSubscription(h, seeded(h.emulator).monthly.id);
    expect((await latestInvoice(before)).account_tax_ids).toBeNull();

    h.emulator.setDefaultAccountTaxIds([taxId.id]);
    account = await h.stripe.accounts.retrieveCurrent();
    expect(account.settings?.invoices?.default_account_tax_ids).toEqual([taxId.id]);
    const subscription = await paidSubscription(h, seeded(h.emulator).monthly.id);
    const invoice = await latestInvoice(subscription);
    expect(invoice.status).toBe('paid');
    expect(invoice.account_tax_ids).toEqual([expect.objectContaining({ id: taxId.id, value: REGISTRATION_NUMBER })]);

    // "You can't add, change, or remove account tax IDs after an invoice is finalized."
    const deleted = await h.stripe.taxIds.del(taxId.id);
    expect(deleted).toMatchObject({ id: taxId.id, object: 'tax_id', deleted: true });
    expect((await h.stripe.accounts.retrieveCurrent()).settings?.invoices?.default_account_tax_ids).toEqual([]);
    const kept = await h.stripe.invoices.retrieve(invoice.id);
    expect(kept.account_tax_ids).toEqual([taxId.id]);
    expect((await stripeError(h.stripe.taxIds.retrieve(taxId.id))).statusCode).toBe(404);
  });

  it('must be the account’s own to become a default', async () => {
    const customer = h.emulator.addCustomer({ email: 'b2b@example.com' });
    const theirs = await h.stripe.taxIds.create({
      type: 'jp_trn',
      value: REGISTRATION_NUMBER,
      owner: { type: 'customer', customer: customer.id },
    });
    expect(() => h.emulator.setDefaultAccountTaxIds([theirs.id])).toThrow(/No such account tax ID/);
  });
});

describe("customers' tax IDs", () => {
  it('are created with customer.tax_id.created, listed by owner, frozen on invoices, deleted with customer.tax_id.deleted', async () => {
    const subscription = await paidSubscription(h, seeded(h.emulator).monthly.id);
    const customer = idOf(subscription.customer);
    await h.emulator.settle();
    let from = h.events.length;
    const taxId = await h.stripe.taxIds.create({
      type: 'jp_trn',
      value: 'T9876543210987',
      owner: { type: 'customer', customer },
    });
    expect(taxId).toMatchObject({
      customer,
      owner: { type: 'customer', customer },
      // Stripe checks a jp_trn's format, not a government register.
      verification: { status: 'unavailable', verified_address: null, verified_name: null },
    });
    await h.emulator.settle();
    expect(typesSince(h, from)).toEqual(['customer.tax_id.created']);
    const listed = await h.stripe.taxIds.list({ owner: { type: 'customer', customer } });
    expect(listed.data.map((item) => item.id)).toEqual([taxId.id]);
    expect((await h.stripe.taxIds.list()).data.map((item) => item.id)).not.toContain(taxId.id);

    const renewed = await h.emulator.renewNow(subscription.id);
    const invoice = await h.stripe.invoices.retrieve(idOf(renewed.latest_invoice));
    expect(invoice.customer_tax_ids).toEqual([{ type: 'jp_trn', value: 'T9876543210987' }]);

    await h.emulator.settle();
    from = h.events.length;
    await h.stripe.taxIds.del(taxId.id);
    await h.emulator.settle();
    expect(typesSince(h, from)).toEqual(['customer.tax_id.deleted']);
    expect((await h.stripe.invoices.retrieve(invoice.id)).customer_tax_ids).toEqual([
      { type: 'jp_trn', value: 'T9876543210987' },
    ]);
  });
});

describe('refusals', () => {
  it('answer as Stripe does', async () => {
    const customer = h.emulator.addCustomer({ email: 'refused@example.com' });
    const create = (params: Record<string, unknown>) =>
      h.stripe.taxIds.create(params as unknown as Stripe.TaxIdCreateParams);
    const invalid = await stripeError(create({ type: 'jp_trn', value: '1234567891234' }));
    expect(invalid).toMatchObject({
      statusCode: 400,
      code: 'tax_id_invalid',
      param: 'value',
      message: 'Invalid value for jp_trn.',
    });
    for (const value of ['T123456789123', 'T12345678912345', 't1234567891234', 'T1234-5678-9123']) {
      expect((await stripeError(create({ type: 'jp_trn', value }))).code, value).toBe('tax_id_invalid');
    }
    const cases: Array<[Record<string, unknown>, { code?: string; param: string }]> = [
      [{ value: REGISTRATION_NUMBER }, { code: 'parameter_missing', param: 'type' }],
      [{ type: 'jp_trn' }, { code: 'parameter_missing', param: 'value' }],
      [{ type: 'eu_vat', value: 'DE123456789' }, { param: 'type' }],
      [
        { type: 'jp_trn', value: REGISTRATION_NUMBER, owner: { type: 'customer' } },
        { code: 'parameter_missing', param: 'owner[customer]' },
      ],
      [
        { type: 'jp_trn', value: REGISTRATION_NUMBER, owner: { type: 'customer', customer: 'cus_missing' } },
        { code: 'resource_missing', param: 'owner[customer]' },
      ],
      [
        { type: 'jp_trn', value: REGISTRATION_NUMBER, owner: { type: 'account', account: 'acct_missing' } },
        { code: 'resource_missing', param: 'owner[account]' },
      ],
      [
        { type: 'jp_trn', value: REGISTRATION_NUMBER, owner: { customer: customer.id } },
        { code: 'parameter_missing', param: 'owner[type]' },
      ],
    ];
    for (const [params, expected] of cases) {
      const error = await stripeError(create(params));
      expect(error.statusCode, JSON.stringify(params)).toBe(400);
      expect(error.param, JSON.stringify(params)).toBe(expected.param);
      if (expected.code) expect(error.code, JSON.stringify(params)).toBe(expected.code);
    }
    expect((await stripeError(h.stripe.taxIds.retrieve('txi_missing'))).code).toBe('resource_missing');
  });
});
