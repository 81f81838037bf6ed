/**
 * How an invoice is paid: GET /v1/payment_intents/:id and GET /v1/charges/:id, the PaymentIntent an
 * invoice's finalization creates, and the Charge each payment attempt makes (a card succeeds or is
 * declined at once; a bank debit stays `pending` until it settles). Refunds are refunds.ts's.
 */
import type Stripe from 'stripe';
import { noSuch } from '../errors.ts';
import { chargeObject, paymentIntentObject } from '../objects.ts';
import { allowOnly, expand } from '../params.ts';
import { ok, type Handler } from '../api.ts';
import { type EmulatorState, ID_PREFIX, idOf, newId } from '../state.ts';

/** GET /v1/payment_intents/:id */
export const retrievePaymentIntent: Handler = ({ state }, { params }, [id = '']) => {
  allowOnly(params, ['expand']);
  const paymentIntent = state.paymentIntents.get(id);
  if (!paymentIntent) throw noSuch('payment_intent', id);
  return ok(expand(state, paymentIntent, params));
};

/** GET /v1/charges/:id (`expand[]=refunds` lists its refunds, as Stripe serves them only when expanded). */
export const retrieveCharge: Handler = ({ state }, { params }, [id = '']) => {
  allowOnly(params, ['expand']);
  const charge = state.charges.get(id);
  if (!charge) throw noSuch('charge', id);
  return ok(expand(state, charge, params));
};

/**
 * The PaymentIntent that collects a finalized invoice (Stripe.Invoice.confirmation_secret: "the client_secret of
 * the PaymentIntent that Stripe creates during invoice finalization"), waiting for a payment method.
 */
export function createPaymentIntent(state: EmulatorState, invoice: Stripe.Invoice, at: number): Stripe.PaymentIntent {
  const paymentIntent = paymentIntentObject({
    id: newId(ID_PREFIX.paymentIntent),
    created: at,
    amount: invoice.amount_due,
    currency: invoice.currency,
    customer: idOf(invoice.customer),
    description: invoice.billing_reason === 'subscription_create' ? 'Subscription creation' : 'Subscription update',
  });
  state.paymentIntents.set(paymentIntent.id, paymentIntent);
  return paymentIntent;
}

/** What a Charge says about the payment method it was made with. */
function paymentMethodDetails(paymentMethod: Stripe.PaymentMethod): Stripe.Charge.PaymentMethodDetails {
  if (paymentMethod.sepa_debit) {
    const { bank_code, branch_code, country, fingerprint, last4 } = paymentMethod.sepa_debit;
    return { type: 'sepa_debit', sepa_debit: { bank_code, branch_code, country, fingerprint, last4, mandate: null } };
  }
  const card = paymentMethod.card;
  return {
    type: 'card',
    card: {
      amount_authorized: null,
      authorization_code: null,
      brand: card?.brand ?? null,
      checks: card?.checks ?? null,
      country: card?.country ?? null,
      electronic_commerce_indicator: null,
      exp_month: card?.exp_month ?? 12,
      exp_year: card?.exp_year ?? 2099,
      fingerprint: card?.fingerprint ?? null,
      funding: card?.funding ?? null,
      installments: null,
      last4: card?.last4 ?? null,
      mandate: null,
      network: card?.brand ?? null,
      network_transaction_id: null,
      regulated_status: card?.regulated_status ?? null,
      three_d_secure: null,
      transaction_link_id: null,
      wallet: null,
    },
  };
}

/** How a payment attempt ends: paid, declined, or (bank debits) pending until it settles. */
export type AttemptOutcome = 'succeeded' | 'failed' | 'pending';

/**
 * One payment attempt on a PaymentIntent: a new Charge, and the intent's status after it
 * (docs.stripe.com/payments/paymentintents/lifecycle: `succeeded`, `processing` for delayed methods, or back to
 * `requires_payment_method` after a decline, with `last_payment_error`).
 */
export function attemptPayment(
  state: EmulatorState,
  paymentIntent: Stripe.PaymentIntent,
  paymentMethod: Stripe.PaymentMethod,
  outcome: AttemptOutcome,
  at: number,
): Stripe.Charge {
  const declined = outcome === 'failed';
  const charge = chargeObject({
    id: newId(ID_PREFIX.charge),
    created: at,
    amount: paymentIntent.amount,
    currency: paymentIntent.currency,
    customer: paymentIntent.customer,
    payment_intent: paymentIntent.id,
    payment_method: paymentMethod.id,
    payment_method_details: paymentMethodDetails(paymentMethod),
    billing_details: { ...paymentMethod.billing_details },
    description: paymentIntent.description,
    // docs.stripe.com/api/charges/object#charge_object-captured: a declined charge captured nothing
    amount_captured: outcome === 'succeeded' ? paymentIntent.amount : 0,
    captured: outcome === 'succeeded',
    paid: outcome === 'succeeded',
    status: declined ? 'failed' : outcome,
    ...(declined && {
      // docs.stripe.com/declines/codes: generic_decline, "The card was declined for an unknown reason."
      failure_code: 'card_declined',
      failure_message: 'Your card was declined.',
      outcome: {
        advice_code: null,
        network_advice_code: null,
        network_decline_code: null,
        network_status: 'declined_by_network',
        reason: 'generic_decline',
        risk_level: 'normal',
        seller_message: 'The bank did not return any further details with this decline.',
        type: 'issuer_declined',
      },
    }),
  });
  state.charges.set(charge.id, charge);
  paymentIntent.latest_charge = charge.id;
  paymentIntent.payment_method = paymentMethod.id;
  paymentIntent.payment_method_types = [paymentMethod.type];
  if (outcome === 'succeeded') succeed(paymentIntent);
  if (outcome === 'pending') paymentIntent.status = 'processing';
  if (declined) decline(paymentIntent, charge);
  return charge;
}

function succeed(paymentIntent: Stripe.PaymentIntent): void {
  paymentIntent.status = 'succeeded';
  paymentIntent.amount_received = paymentIntent.amount;
  paymentIntent.last_payment_error = null;
}

function decline(paymentIntent: Stripe.PaymentIntent, charge: Stripe.Charge): void {
  paymentIntent.status = 'requires_payment_method';
  paymentIntent.last_payment_error = {
    type: 'card_error',
    code: 'card_declined',
    decline_code: 'generic_decline',
    message: 'Your card was declined.',
    charge: charge.id,
  };
}

/** A pending (bank debit) charge settles: the charge and its PaymentIntent succeed, or both fail. */
export function settleCharge(state: EmulatorState, paymentIntent: Stripe.PaymentIntent, succeeds: boolean): void {
  const charge = state.charges.get(idOf(paymentIntent.latest_charge));
  if (!charge) return;
  charge.status = succeeds ? 'succeeded' : 'failed';
  charge.paid = succeeds;
  charge.captured = succeeds;
  charge.amount_captured = succeeds ? charge.amount : 0;
  if (succeeds) return succeed(paymentIntent);
  // docs.stripe.com/testing#sepa-direct-debit: the failing IBAN "transitions from processing to requires_payment_method"
  charge.failure_code = 'insufficient_funds';
  charge.failure_message = 'The customer’s account has insufficient funds to cover this payment.';
  decline(paymentIntent, charge);
}

/**
 * Cancels an invoice's PaymentIntent that will never be paid: Stripe.PaymentIntent.CancellationReason has
 * `void_invoice` for a voided invoice; for one paid out of band the reason Stripe sets was not found (`automatic` here).
 */
export function cancelPaymentIntent(
  paymentIntent: Stripe.PaymentIntent,
  reason: 'void_invoice' | 'automatic',
  at: number,
): void {
  if (paymentIntent.status === 'succeeded' || paymentIntent.status === 'canceled') return;
  paymentIntent.status = 'canceled';
  paymentIntent.canceled_at = at;
  paymentIntent.cancellation_reason = reason;
}
