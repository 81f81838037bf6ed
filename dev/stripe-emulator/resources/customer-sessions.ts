/**
 * Customer Sessions: POST /v1/customer_sessions, the client secret a pricing table or buy button
 * embed takes (src/lib/checkout/customer-session.ts sends `pricing_table` or `buy_button`).
 */
import { ok, type Handler } from '../api.ts';
import { invalidRequest, missingParam } from '../errors.ts';
import { customerSessionObject } from '../objects.ts';
import { allowOnly, expand, optionalBoolean, optionalObject } from '../params.ts';
import { ID_PREFIX, newId, nowSeconds } from '../state.ts';
import { customerParam } from './customers.ts';

/** The components the site enables; Stripe.CustomerSessionCreateParams.Components has more. */
const COMPONENTS = ['buy_button', 'pricing_table'] as const;

/** POST /v1/customer_sessions: `customer` and `components[<name>][enabled]`. */
export const create: Handler = ({ state }, { params }) => {
  allowOnly(params, ['components', 'customer', 'expand']);
  const components = optionalObject(params, 'components');
  if (!components) throw missingParam('components');
  allowOnly(components, COMPONENTS, 'components');
  const enabled = new Set<string>();
  for (const name of Object.keys(components)) {
    const label = `components[${name}]`;
    const component = optionalObject(components, name, label) ?? {};
    allowOnly(component, ['enabled'], label);
    const value = optionalBoolean(component, 'enabled', `${label}[enabled]`);
    if (value === undefined) throw missingParam(`${label}[enabled]`);
    if (value) enabled.add(name);
  }
  // Stripe.CustomerSessionCreateParams.components: "At least 1 component must be enabled." (Stripe's error text not found)
  if (enabled.size === 0) throw invalidRequest('At least 1 component must be enabled.', 'components');
  const customer = customerParam(state, params);
  if (!customer) throw missingParam('customer');
  const created = nowSeconds();
  const session = customerSessionObject(
    {
      // openapi/fixtures3.json customer_session: client_secret "cuss_secret_" + 47 characters
      client_secret: newId(ID_PREFIX.customerSessionSecret, 47),
      created,
      customer: customer.id,
      // 30 minutes, as Stripe's pricing-table guide (docs.stripe.com/payments/checkout/pricing-table#customer-session) is said to state; not confirmed here
      expires_at: created + 30 * 60,
    },
    enabled,
  );
  state.customerSessions.push(session);
  return ok(expand(state, session, params));
};
