/**
 * The shop's 適格請求書 registration number at Stripe: the account's own `jp_trn` tax ID
 * (docs.stripe.com/billing/customer/tax-ids lists `jp_trn`, "Japan Registered Foreign Businesses'
 * Registration Number" and the qualified invoice number, format T + 13 digits), and the invoices'
 * default, which only the Dashboard sets for one's own account. Pure.
 */
import type Stripe from 'stripe';

/** Create the account's `jp_trn` tax ID, or it exists already (its id). */
export function planTaxId(
  accountTaxIds: readonly Stripe.TaxId[],
  registrationNumber: string,
): { kind: 'create'; params: Stripe.TaxIdCreateParams } | { kind: 'none'; id: string } {
  const existing = accountTaxIds.find((taxId) => taxId.type === 'jp_trn' && taxId.value === registrationNumber);
  if (existing) return { kind: 'none', id: existing.id };
  return { kind: 'create', params: { type: 'jp_trn', value: registrationNumber, owner: { type: 'self' } } };
}

/** True when invoices carry the tax ID by default (Stripe.Account.Settings.Invoices.default_account_tax_ids). */
export function isInvoiceDefault(account: Stripe.Account, taxIdId: string): boolean {
  const defaults = account.settings?.invoices?.default_account_tax_ids ?? [];
  return defaults.some((taxId) => (typeof taxId === 'string' ? taxId : taxId.id) === taxIdId);
}
