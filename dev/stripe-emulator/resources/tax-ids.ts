/**
 * Tax IDs: POST /v1/tax_ids, GET /v1/tax_ids (by owner), GET and DELETE /v1/tax_ids/:id, for the account itself
 * (`owner[type]=self`, the default) and its customers; the account's default tax IDs on invoices; and GET /v1/account,
 * where a doctor reads those defaults (`settings.invoices.default_account_tax_ids`). The emulator takes one type, the
 * Japanese registration number of 適格請求書 (`jp_trn`), the one this shop has.
 */
import type Stripe from 'stripe';
import { invalidRequest, missingParam, noSuch } from '../errors.ts';
import {
  allowOnly,
  expand,
  newestFirst,
  optionalEnum,
  optionalObject,
  paginate,
  PAGE_PARAMS,
  settableString,
  type Params,
} from '../params.ts';
import { ok, type Handler } from '../api.ts';
import { type EmulatorState, ID_PREFIX, idOf, newId, nowSeconds } from '../state.ts';
import { customerParam } from './customers.ts';

/** Stripe.TaxIdCreateParams.Owner.Type; `application` is for Connect applications, which the emulator has none of. */
const OWNER_TYPES = ['account', 'application', 'customer', 'self'] as const;

/**
 * The types the emulator takes, with their country and format: docs.stripe.com/billing/customer/tax-ids lists
 * `jp_trn`, "Japanese Tax Registration Number (Tōroku Bangō)", example T1234567891234: `T` and 13 digits. Stripe checks
 * the format only (its example fails the corporate number's check digit, so the digit is not checked here either).
 */
const FORMATS: Readonly<Record<string, { country: string; pattern: RegExp }>> = {
  jp_trn: { country: 'JP', pattern: /^T\d{13}$/ },
};

/** Whose tax ID it is, read from `owner[type|customer|account]` (default `self`: "Defaults to `owner[type]=self`"). */
function ownerParam(state: EmulatorState, params: Params): Stripe.TaxId.Owner {
  const owner = optionalObject(params, 'owner') ?? {};
  allowOnly(owner, ['account', 'customer', 'type'], 'owner');
  const type = optionalEnum(owner, 'type', OWNER_TYPES, 'owner[type]');
  if (type === undefined) {
    if (params['owner'] !== undefined) throw missingParam('owner[type]');
    return { type: 'self', customer_account: null };
  }
  if (type === 'customer') {
    // Stripe.TaxIdCreateParams.Owner.customer: "Required when `type=customer`"
    const customer = customerParam(state, { 'owner[customer]': owner['customer'] }, 'owner[customer]');
    if (!customer) throw missingParam('owner[customer]');
    return { type, customer: customer.id, customer_account: null };
  }
  if (type === 'account') {
    // Stripe.TaxIdCreateParams.Owner.account: "Connected Account the tax ID belongs to. Required when `type=account`";
    // the emulator's account has no connected accounts
    const account = settableString(owner, 'account', 'owner[account]');
    if (account === undefined) throw missingParam('owner[account]');
    throw noSuch('account', account, 'owner[account]');
  }
  if (type === 'application') throw invalidRequest('The Stripe emulator has no Connect applications.', 'owner[type]');
  return { type, customer_account: null };
}

/** The tax IDs an owner has, newest first. */
function taxIdsOf(state: EmulatorState, owner: Stripe.TaxId.Owner): Stripe.TaxId[] {
  return newestFirst(state.taxIds).filter(
    (taxId) => taxId.owner?.type === owner.type && idOf(taxId.owner.customer) === idOf(owner.customer),
  );
}

/**
 * POST /v1/tax_ids: `type` and `value` (required), `owner`. A value not in its type's format is refused as Stripe refuses
 * it (400 `tax_id_invalid`, "Invalid value for eu_vat.": docs.stripe.com/tax/custom, "If you provide a tax ID with an
 * invalid format"). A customer's `jp_trn` has `verification.status: unavailable`: Stripe verifies only some types
 * against a government database (docs.stripe.com/billing/customer/tax-ids#validation; not confirmed for jp_trn); the
 * account's own tax IDs have no verification (the API reference's example of a `self` tax ID: `verification: null`).
 * `customer.tax_id.created` for a customer's.
 */
export const create: Handler = ({ state, events }, { params }) => {
  allowOnly(params, ['expand', 'owner', 'type', 'value']);
  const type = settableString(params, 'type');
  if (type === undefined) throw missingParam('type');
  const value = settableString(params, 'value');
  if (value === undefined) throw missingParam('value');
  const format = FORMATS[type];
  if (!format)
    throw invalidRequest(
      `The Stripe emulator takes the tax ID types ${Object.keys(FORMATS).join(', ')} only; this shop sends no other.`,
      'type',
    );
  if (!format.pattern.test(value)) throw invalidRequest(`Invalid value for ${type}.`, 'value', 'tax_id_invalid');
  const owner = ownerParam(state, params);
  const customer = owner.type === 'customer' ? idOf(owner.customer) : null;
  // openapi/fixtures3.json tax_id
  const taxId: Stripe.TaxId = {
    id: newId(ID_PREFIX.taxId),
    object: 'tax_id',
    country: format.country,
    created: nowSeconds(),
    customer,
    customer_account: null,
    livemode: false,
    owner,
    type: type,
    value,
    verification: customer ? { status: 'unavailable', verified_address: null, verified_name: null } : null,
  };
  state.taxIds.set(taxId.id, taxId);
  return ok(
    expand(state, taxId, params),
    customer ? [state.createEvent('customer.tax_id.created', taxId, events)] : [],
  );
};

/** GET /v1/tax_ids: one owner's (`owner[type]`, default `self`; `owner[customer]` for a customer's), newest first. */
export const list: Handler = ({ state }, { params }) => {
  allowOnly(params, [...PAGE_PARAMS, 'owner']);
  const owner = ownerParam(state, params);
  return ok(
    expand(
      state,
      paginate(taxIdsOf(state, owner), () => true, params, '/v1/tax_ids', 'tax_id'),
      params,
    ),
  );
};

/** GET /v1/tax_ids/:id: "Retrieves an account or customer tax_id object." */
export const retrieve: Handler = ({ state }, { params }, [id = '']) => {
  allowOnly(params, ['expand']);
  const taxId = state.taxIds.get(id);
  if (!taxId) throw noSuch('tax_id', id);
  return ok(expand(state, taxId, params));
};

/**
 * DELETE /v1/tax_ids/:id: `{ id, object, deleted: true }` (Stripe.DeletedTaxId); `customer.tax_id.deleted` for a
 * customer's. An account tax ID leaves the invoices' defaults too (not confirmed). Invoices finalized with it keep it:
 * "You can't add, change, or remove account tax IDs after an invoice is finalized" (docs.stripe.com/tax/tax-ids).
 */
export const del: Handler = ({ state, events }, { params }, [id = '']) => {
  allowOnly(params, []);
  const taxId = state.taxIds.get(id);
  if (!taxId) throw noSuch('tax_id', id);
  state.taxIds.delete(id);
  state.account.defaultAccountTaxIds = state.account.defaultAccountTaxIds.filter((taxIdId) => taxIdId !== id);
  const deleted: Stripe.DeletedTaxId = { id, object: 'tax_id', deleted: true };
  return ok(deleted, taxId.customer ? [state.createEvent('customer.tax_id.deleted', taxId, events)] : []);
};

/**
 * The account tax IDs an invoice carries from its finalization: its subscription's
 * `invoice_settings.account_tax_ids` when set, else the account's defaults ("Stripe automatically pulls your default
 * tax IDs during invoice finalization": docs.stripe.com/invoicing/taxes/account-tax-ids); null when there are none.
 */
export function invoiceAccountTaxIds(state: EmulatorState, invoice: Stripe.Invoice): string[] | null {
  const subscription = state.subscriptions.get(idOf(invoice.parent?.subscription_details?.subscription));
  const chosen = subscription?.invoice_settings.account_tax_ids?.map((taxId) => idOf(taxId));
  const ids = chosen ?? state.account.defaultAccountTaxIds.filter((id) => state.taxIds.has(id));
  return ids.length > 0 ? ids : null;
}

/** A customer's tax IDs as a finalized invoice freezes them (Stripe.Invoice.customer_tax_ids), oldest first. */
export function invoiceCustomerTaxIds(state: EmulatorState, customerId: string): Stripe.Invoice.CustomerTaxId[] {
  return taxIdsOf(state, { type: 'customer', customer: customerId, customer_account: null })
    .reverse()
    .map((taxId) => ({ type: taxId.type, value: taxId.value }));
}

/**
 * Marks account tax IDs as the invoices' defaults, as the Dashboard's invoice template does ("Set as default"); the API
 * cannot, for one's own account (Stripe.AccountResource.update: "To update your own account, use the Dashboard").
 * Throws for an id that is not one of the account's own tax IDs.
 */
export function setDefaultAccountTaxIds(state: EmulatorState, ids: readonly string[]): void {
  for (const id of ids)
    if (state.taxIds.get(id)?.owner?.type !== 'self') throw new Error(`No such account tax ID: '${id}'`);
  state.account.defaultAccountTaxIds = [...ids];
}
