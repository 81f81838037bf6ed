/**
 * GET /v1/account: the emulator's own account ("Retrieves the details of an account", Stripe.AccountResource.retrieve
 * with no id), where a setup doctor reads the invoices' default tax IDs. Its settings change only as the Dashboard
 * changes them (the test handle): "To update your own account, use the Dashboard" (Stripe.AccountResource.update).
 */
import { ok, type Handler } from '../api.ts';
import { accountObject } from '../objects.ts';
import { allowOnly, expand } from '../params.ts';

/** GET /v1/account */
export const retrieve: Handler = ({ state }, { params }) => {
  allowOnly(params, ['expand']);
  const { id, created, businessName, defaultAccountTaxIds } = state.account;
  const account = accountObject({
    id,
    created,
    businessName,
    defaultAccountTaxIds: defaultAccountTaxIds.filter((taxId) => state.taxIds.has(taxId)),
  });
  return ok(expand(state, account, params));
};
