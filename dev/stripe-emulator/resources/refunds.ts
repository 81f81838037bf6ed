/**
 * Refunds: POST /v1/refunds (`payment_intent` or `charge`, optional `amount`), GET /v1/refunds/:id, and refunding a
 * charge (credit notes refund through it too): `amount_refunded`, `refunded` once nothing is left, `refund.created`
 * and `charge.refunded`.
 */
import type Stripe from 'stripe';
import { invalidRequest, noSuch, StateConflictError } from '../errors.ts';
import { money } from '../money.ts';
import { refundObject } from '../objects.ts';
import {
  allowOnly,
  expand,
  newestFirst,
  optionalEnum,
  optionalInteger,
  optionalObject,
  optionalString,
} from '../params.ts';
import { ok, type Handler } from '../api.ts';
import { type EmulatorState, type EventContext, ID_PREFIX, idOf, newId, nowSeconds } from '../state.ts';
import { paymentIntentOf, subscriptionOf } from './invoices.ts';

/** GET /v1/refunds/:id */
export const retrieve: Handler = ({ state }, { params }, [id = '']) => {
  allowOnly(params, ['expand']);
  const refund = state.refunds.get(id);
  if (!refund) throw noSuch('refund', id);
  return ok(expand(state, refund, params));
};

/** What is left to refund on a charge. */
function refundable(charge: Stripe.Charge): number {
  return charge.amount_captured - charge.amount_refunded;
}

/**
 * Why a charge cannot be refunded `amount`, in Stripe's words, or null: docs.stripe.com/error-codes#charge-already-refunded
 * ("Charge ch_… has already been refunded.", as Stripe sends it: activemerchant's fixtures); more than is left:
 * "Refund amount (¥2,000) is greater than unrefunded amount on charge (¥1,500)", param `amount`, no code (quoted in
 * public code, e.g. Stripe's answers recorded by emulator projects); a charge that did not succeed cannot be refunded
 * (wording not confirmed).
 */
export function refundProblem(charge: Stripe.Charge, amount: number): ReturnType<typeof invalidRequest> | null {
  if (charge.status !== 'succeeded')
    return invalidRequest(
      `Charge ${charge.id} has not succeeded and cannot be refunded.`,
      undefined,
      'charge_not_refundable',
    );
  if (charge.refunded)
    return invalidRequest(`Charge ${charge.id} has already been refunded.`, undefined, 'charge_already_refunded');
  if (amount > refundable(charge))
    return invalidRequest(
      `Refund amount (${money(amount, charge.currency)}) is greater than unrefunded amount on charge (${money(refundable(charge), charge.currency)})`,
      'amount',
    );
  return null;
}

/**
 * Refunds `amount` of a charge now (card refunds succeed at once here): the charge's `amount_refunded`, and `refunded`
 * "true if the charge was fully refunded" (Stripe.Charge.refunded); then `refund.created` and `charge.refunded`
 * (both sent for a card refund, e.g. HiEventsDev/Hi.Events#1156; their order is not confirmed).
 */
export function refundCharge(
  state: EmulatorState,
  charge: Stripe.Charge,
  amount: number,
  context: EventContext,
  details: { reason?: Stripe.Refund.Reason | null; metadata?: Record<string, string> } = {},
): { refund: Stripe.Refund; events: Stripe.Event[] } {
  const refund = refundObject({
    id: newId(ID_PREFIX.refund),
    created: nowSeconds(),
    amount,
    currency: charge.currency,
    charge: charge.id,
    payment_intent: idOf(charge.payment_intent) || null,
    customer: charge.customer,
    payment_method: charge.payment_method,
    reason: details.reason ?? null,
    metadata: details.metadata ?? {},
  });
  state.refunds.set(refund.id, refund);
  charge.amount_refunded += amount;
  charge.refunded = refundable(charge) === 0;
  return {
    refund,
    events: [
      state.createEvent('refund.created', refund, context),
      state.createEvent('charge.refunded', charge, context),
    ],
  };
}

/**
 * POST /v1/refunds: docs.stripe.com/api/refunds/create — `charge` or `payment_intent` (its latest charge), `amount`
 * (default: all that is left, "A positive integer"), `reason` (`duplicate`, `fraudulent`, `requested_by_customer`), `metadata`.
 */
export const create: Handler = (ctx, { params }) => {
  const { state } = ctx;
  allowOnly(params, ['amount', 'charge', 'expand', 'metadata', 'payment_intent', 'reason']);
  const chargeId = optionalString(params, 'charge');
  const paymentIntentId = optionalString(params, 'payment_intent');
  let charge: Stripe.Charge | undefined;
  if (paymentIntentId !== undefined) {
    const paymentIntent = state.paymentIntents.get(paymentIntentId);
    if (!paymentIntent) throw noSuch('payment_intent', paymentIntentId, 'payment_intent');
    charge = state.charges.get(idOf(paymentIntent.latest_charge));
    // not confirmed: Stripe's wording for a PaymentIntent with nothing to refund
    if (!charge || paymentIntent.status !== 'succeeded')
      throw invalidRequest(
        `This PaymentIntent (${paymentIntentId}) does not have a successful charge to refund.`,
        'payment_intent',
        'charge_not_refundable',
      );
    if (chargeId !== undefined && chargeId !== charge.id)
      throw invalidRequest('The charge does not belong to this PaymentIntent.', 'charge');
  } else if (chargeId !== undefined) {
    charge = state.charges.get(chargeId);
    if (!charge) throw noSuch('charge', chargeId, 'charge');
  }
  // docs.stripe.com/api/refunds/create: one of `charge` or `payment_intent` is required (wording not confirmed)
  if (!charge)
    throw invalidRequest('One of the following params should be provided for this request: payment_intent or charge.');
  const amount = optionalInteger(params, 'amount', 1, Number.MAX_SAFE_INTEGER) ?? refundable(charge);
  const problem = refundProblem(charge, amount);
  if (problem) throw problem;
  const reason = optionalEnum(params, 'reason', ['duplicate', 'fraudulent', 'requested_by_customer'] as const) ?? null;
  const metadata: Record<string, string> = {};
  for (const [key, value] of Object.entries(optionalObject(params, 'metadata') ?? {})) {
    if (typeof value !== 'string') throw invalidRequest('Invalid string', `metadata[${key}]`);
    metadata[key] = value;
  }
  const { refund, events } = refundCharge(state, charge, amount, ctx.events, { reason, metadata });
  return ok(expand(state, refund, params), events);
};

/** The charge of a subscription's latest invoice paid by a charge, if any. */
export function latestPaidCharge(state: EmulatorState, subscriptionId: string): Stripe.Charge | undefined {
  return newestFirst(state.invoices)
    .filter((invoice) => subscriptionOf(invoice) === subscriptionId && invoice.status === 'paid')
    .map((invoice) => state.charges.get(idOf(paymentIntentOf(state, invoice.id)?.latest_charge)))
    .find((candidate) => candidate?.status === 'succeeded');
}

/**
 * Refunds the charge of a subscription's latest paid invoice (all of what is left, or `amount`): the portal's
 * "Refund the last payment" test control and the handle's `refundLatestPayment`. Throws StateConflictError when
 * there is nothing to refund.
 */
export function refundLatestPayment(
  state: EmulatorState,
  subscriptionId: string,
  amount: number | undefined,
  context: EventContext,
): { refund: Stripe.Refund; events: Stripe.Event[] } {
  const charge = latestPaidCharge(state, subscriptionId);
  if (!charge)
    throw new StateConflictError(`Subscription ${subscriptionId} has no paid invoice with a charge to refund.`);
  const refunded = amount ?? refundable(charge);
  const problem = refundProblem(charge, refunded);
  if (problem) throw new StateConflictError(problem.message);
  return refundCharge(state, charge, refunded, context);
}
