/**
 * Invoice payments: GET /v1/invoice_payments (`invoice`, `payment[type]`, `payment[payment_intent]`, `status`) and
 * GET /v1/invoice_payments/:id, what leads from a PaymentIntent (and so a charge) back to its invoice at this API
 * version, where invoices no longer name their charge or PaymentIntent (Stripe.InvoicePayment).
 */
import { invalidRequest, missingParam, noSuch } from '../errors.ts';
import {
  allowOnly,
  expand,
  newestFirst,
  optionalEnum,
  optionalObject,
  optionalString,
  paginate,
  PAGE_PARAMS,
} from '../params.ts';
import { ok, type Handler } from '../api.ts';
import { idOf } from '../state.ts';

/** GET /v1/invoice_payments/:id */
export const retrieve: Handler = ({ state }, { params }, [id = '']) => {
  allowOnly(params, ['expand']);
  const payment = state.invoicePayments.get(id);
  if (!payment) throw noSuch('invoice_payment', id);
  return ok(expand(state, payment, params));
};

/**
 * GET /v1/invoice_payments: Stripe.InvoicePaymentListParams — `invoice`, `payment[type]` (required with `payment`;
 * `payment_intent` or `payment_record`) with `payment[payment_intent]`, `status` (`open`, `paid`, `canceled`).
 */
export const list: Handler = ({ state }, { params }) => {
  allowOnly(params, [...PAGE_PARAMS, 'invoice', 'payment', 'status']);
  const invoice = optionalString(params, 'invoice');
  const status = optionalEnum(params, 'status', ['canceled', 'open', 'paid'] as const);
  const payment = optionalObject(params, 'payment');
  let paymentIntent: string | undefined;
  let type: string | undefined;
  if (payment) {
    allowOnly(payment, ['payment_intent', 'payment_record', 'type'], 'payment');
    type = optionalEnum(payment, 'type', ['payment_intent', 'payment_record'] as const, 'payment[type]');
    if (type === undefined) throw missingParam('payment[type]');
    paymentIntent = optionalString(payment, 'payment_intent', 'payment[payment_intent]');
    if (paymentIntent !== undefined && type !== 'payment_intent')
      throw invalidRequest('payment[payment_intent] needs payment[type]=payment_intent.', 'payment[payment_intent]');
  }
  const page = paginate(
    newestFirst(state.invoicePayments),
    (candidate) =>
      (invoice === undefined || candidate.invoice === invoice) &&
      (status === undefined || candidate.status === status) &&
      (type === undefined || candidate.payment.type === type) &&
      (paymentIntent === undefined || idOf(candidate.payment.payment_intent) === paymentIntent),
    params,
    '/v1/invoice_payments',
    'invoice_payment',
  );
  return ok(expand(state, page, params));
};
