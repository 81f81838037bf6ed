/**
 * Credit notes: POST /v1/credit_notes on a finalized invoice (`amount` or `lines`; for what was already paid,
 * `refund_amount`, `credit_amount` and `out_of_band_amount` adding up as Stripe requires), GET /v1/credit_notes/:id and
 * GET /v1/credit_notes (`invoice`, `customer`). The invoice's `pre_payment_credit_notes_amount` and
 * `post_payment_credit_notes_amount` follow.
 */
import type Stripe from 'stripe';
import { invalidRequest, missingParam, noSuch } from '../errors.ts';
import { money } from '../money.ts';
import { creditNoteLineObject, creditNoteObject, listObject } from '../objects.ts';
import {
  allowOnly,
  expand,
  newestFirst,
  optionalEnum,
  optionalInteger,
  optionalObject,
  optionalObjectArray,
  optionalString,
  paginate,
  PAGE_PARAMS,
  type Params,
} from '../params.ts';
import { ok, type Handler } from '../api.ts';
import { type EmulatorState, type EventContext, ID_PREFIX, idOf, newId, nowSeconds } from '../state.ts';
import { customerParam } from './customers.ts';
import { defaultPaymentOf, markPaid, paymentIntentOf } from './invoices.ts';
import { refundCharge, refundProblem } from './refunds.ts';
import { reactivateIfPaid } from './subscription-core.ts';

/** GET /v1/credit_notes/:id */
export const retrieve: Handler = ({ state }, { params }, [id = '']) => {
  allowOnly(params, ['expand']);
  const creditNote = state.creditNotes.get(id);
  if (!creditNote) throw noSuch('credit_note', id);
  return ok(expand(state, creditNote, params));
};

/** GET /v1/credit_notes: `invoice` and `customer` filter (Stripe.CreditNoteListParams), newest first. */
export const list: Handler = ({ state }, { params }) => {
  allowOnly(params, [...PAGE_PARAMS, 'customer', 'invoice']);
  const customer = customerParam(state, params);
  const invoice = optionalString(params, 'invoice');
  const page = paginate(
    newestFirst(state.creditNotes),
    (note) =>
      (customer === undefined || note.customer === customer.id) && (invoice === undefined || note.invoice === invoice),
    params,
    '/v1/credit_notes',
    'credit_note',
  );
  return ok(expand(state, page, params));
};

/** What a credit note asks for: its total (`amount`, or its lines'), its lines, and how its post-payment part is settled. */
export interface CreditNoteInput {
  total: number;
  lines: Array<
    { amount: number; description: string; quantity: number | null } & (
      | { type: 'invoice_line_item'; invoiceLineItem: string; unitAmount: null }
      | { type: 'custom_line_item'; unitAmount: number }
    )
  >;
  refundAmount: number;
  creditAmount: number;
  outOfBandAmount: number;
  reason: Stripe.CreditNote.Reason | null;
  memo: string | null;
  metadata: Record<string, string>;
}

/** The invoice's charge: the latest charge of the PaymentIntent that paid it. */
function chargeOf(state: EmulatorState, invoice: Stripe.Invoice): Stripe.Charge | undefined {
  const paymentIntent = paymentIntentOf(state, invoice.id);
  return paymentIntent?.status === 'succeeded' ? state.charges.get(idOf(paymentIntent.latest_charge)) : undefined;
}

/** The lines of a credit note: `invoice_line_item` (an amount or quantity of one of the invoice's lines) or `custom_line_item`. */
function linesParam(invoice: Stripe.Invoice, params: Params): CreditNoteInput['lines'] {
  return (optionalObjectArray(params, 'lines') ?? []).map((entry, index) => {
    const label = `lines[${index}]`;
    allowOnly(
      entry,
      ['amount', 'description', 'invoice_line_item', 'metadata', 'quantity', 'type', 'unit_amount'],
      label,
    );
    const type = optionalEnum(entry, 'type', ['custom_line_item', 'invoice_line_item'] as const, `${label}[type]`);
    if (type === undefined) throw missingParam(`${label}[type]`);
    const quantity = optionalInteger(entry, 'quantity', 1, Number.MAX_SAFE_INTEGER, `${label}[quantity]`);
    if (type === 'custom_line_item') {
      const description = optionalString(entry, 'description', `${label}[description]`);
      if (description === undefined) throw missingParam(`${label}[description]`);
      const unitAmount = optionalInteger(entry, 'unit_amount', 0, Number.MAX_SAFE_INTEGER, `${label}[unit_amount]`);
      if (unitAmount === undefined) throw missingParam(`${label}[unit_amount]`);
      return { type, description, unitAmount, quantity: quantity ?? 1, amount: unitAmount * (quantity ?? 1) };
    }
    const lineId = optionalString(entry, 'invoice_line_item', `${label}[invoice_line_item]`);
    if (lineId === undefined) throw missingParam(`${label}[invoice_line_item]`);
    const line = invoice.lines.data.find((candidate) => candidate.id === lineId);
    if (!line) throw noSuch('invoice line item', lineId, `${label}[invoice_line_item]`);
    const amount = optionalInteger(entry, 'amount', 0, Number.MAX_SAFE_INTEGER, `${label}[amount]`);
    const perUnit = line.quantity ? line.amount / line.quantity : line.amount;
    const credited = amount ?? (quantity === undefined ? line.amount : Math.round(perUnit * quantity));
    // Stripe.CreditNoteCreateParams.Line: the amount "to credit" of an invoice line (more than the line refused; wording not confirmed)
    if (credited > line.amount)
      throw invalidRequest(
        `The amount to credit (${money(credited, invoice.currency)}) is more than the invoice line's amount (${money(line.amount, invoice.currency)}).`,
        `${label}[amount]`,
      );
    return {
      type,
      invoiceLineItem: line.id,
      unitAmount: null,
      description: line.description ?? '',
      quantity: quantity ?? line.quantity ?? null,
      amount: credited,
    };
  });
}

/**
 * Issues a credit note on a finalized invoice (Stripe.CreditNoteResource.create): it "will first reduce the invoice's
 * amount_remaining (and amount_due), but not below zero. This amount is indicated by the credit note's
 * pre_payment_amount. The excess amount is indicated by post_payment_amount", settled by a refund of the invoice's
 * charge (`refund_amount`), a credit to the customer's balance applied to the next invoice (`credit_amount`) or
 * outside Stripe (`out_of_band_amount`): "The sum of refunds, customer balance credits, and outside of Stripe credits
 * must equal the post_payment_amount". An invoice whose amount_remaining reaches zero this way is paid (not confirmed).
 * `credit_note.created` (after the refund's events).
 */
export function createCreditNote(
  state: EmulatorState,
  invoice: Stripe.Invoice,
  input: CreditNoteInput,
  context: EventContext,
): { creditNote: Stripe.CreditNote; events: Stripe.Event[] } {
  const { total } = input;
  const credited = invoice.pre_payment_credit_notes_amount + invoice.post_payment_credit_notes_amount;
  // not confirmed: Stripe's wording when a credit note exceeds what the invoice has left to credit
  if (total > invoice.total - credited)
    throw invalidRequest(
      `The credit note's total (${money(total, invoice.currency)}) is more than the invoice's remaining creditable amount (${money(invoice.total - credited, invoice.currency)}).`,
      'amount',
    );
  const prePayment = invoice.status === 'paid' ? 0 : Math.min(total, invoice.amount_remaining);
  const postPayment = total - prePayment;
  const settled = input.refundAmount + input.creditAmount + input.outOfBandAmount;
  if (settled !== postPayment)
    throw invalidRequest(
      `The sum of refund_amount, credit_amount and out_of_band_amount (${money(settled, invoice.currency)}) must equal the credit note's post-payment amount (${money(postPayment, invoice.currency)}).`,
      input.refundAmount > 0 ? 'refund_amount' : 'amount',
    );
  const events: Stripe.Event[] = [];
  const refunds: Stripe.CreditNote.Refund[] = [];
  if (input.refundAmount > 0) {
    const charge = chargeOf(state, invoice);
    // not confirmed: Stripe's wording for a refund_amount on an invoice that was not paid by a charge
    if (!charge) throw invalidRequest('This invoice has no charge to refund.', 'refund_amount');
    const problem = refundProblem(charge, input.refundAmount);
    if (problem) throw invalidRequest(problem.message, 'refund_amount', problem.fields.code);
    const result = refundCharge(state, charge, input.refundAmount, context);
    refunds.push({
      amount_refunded: input.refundAmount,
      payment_record_refund: null,
      refund: result.refund.id,
      type: 'refund',
    });
    events.push(...result.events);
  }
  const customer = state.customers.get(idOf(invoice.customer));
  if (customer && input.creditAmount > 0) customer.balance -= input.creditAmount;
  const count = [...state.creditNotes.values()].filter((note) => note.invoice === invoice.id).length + 1;
  const id = newId(ID_PREFIX.creditNote);
  const creditNote = creditNoteObject({
    id,
    created: nowSeconds(),
    amount: total,
    currency: invoice.currency,
    customer: idOf(invoice.customer),
    invoice: invoice.id,
    // openapi/fixtures3.json credit_note: number "ABCD-1234-CN-01", the invoice's number and a sequence
    number: `${invoice.number ?? invoice.id}-CN-${String(count).padStart(2, '0')}`,
    type: prePayment === 0 ? 'post_payment' : postPayment === 0 ? 'pre_payment' : 'mixed',
    lines: listObject(
      input.lines.map((line) =>
        creditNoteLineObject({
          id: newId(ID_PREFIX.creditNoteLine),
          amount: line.amount,
          description: line.description,
          type: line.type,
          quantity: line.quantity,
          unit_amount: line.unitAmount,
          ...(line.type === 'invoice_line_item' && { invoice_line_item: line.invoiceLineItem }),
        }),
      ),
      `/v1/credit_notes/${id}/lines`,
    ),
    memo: input.memo,
    metadata: input.metadata,
    out_of_band_amount: input.outOfBandAmount > 0 ? input.outOfBandAmount : null,
    post_payment_amount: postPayment,
    pre_payment_amount: prePayment,
    reason: input.reason,
    refunds,
  });
  state.creditNotes.set(id, creditNote);
  invoice.pre_payment_credit_notes_amount += prePayment;
  invoice.post_payment_credit_notes_amount += postPayment;
  if (prePayment > 0) {
    invoice.amount_due -= prePayment;
    invoice.amount_remaining -= prePayment;
    const paymentIntent = paymentIntentOf(state, invoice.id);
    const payment = defaultPaymentOf(state, invoice.id);
    if (paymentIntent) paymentIntent.amount = invoice.amount_remaining;
    if (payment) payment.amount_requested = invoice.amount_remaining;
    if (invoice.amount_remaining === 0)
      events.push(
        ...markPaid(state, invoice, context, { outOfBand: true }),
        ...reactivateIfPaid(state, invoice, context),
      );
  }
  events.push(state.createEvent('credit_note.created', creditNote, context));
  return { creditNote, events };
}

/** POST /v1/credit_notes (Stripe.CreditNoteCreateParams; `email_type` is accepted and changes nothing here). */
export const create: Handler = (ctx, { params }) => {
  const { state } = ctx;
  allowOnly(params, [
    'amount',
    'credit_amount',
    'email_type',
    'expand',
    'invoice',
    'lines',
    'memo',
    'metadata',
    'out_of_band_amount',
    'reason',
    'refund_amount',
  ]);
  const invoiceId = optionalString(params, 'invoice');
  if (invoiceId === undefined) throw missingParam('invoice');
  const invoice = state.invoices.get(invoiceId);
  if (!invoice) throw noSuch('invoice', invoiceId, 'invoice');
  // Stripe.CreditNoteResource.create: "Issue a credit note to adjust the amount of a finalized invoice" (wording not confirmed)
  if (invoice.status !== 'open' && invoice.status !== 'paid' && invoice.status !== 'uncollectible')
    throw invalidRequest(
      `You can only create a credit note for a finalized invoice that is open, paid or uncollectible; this invoice is ${invoice.status ?? 'draft'}.`,
      'invoice',
    );
  optionalEnum(params, 'email_type', ['credit_note', 'none'] as const);
  const amount = optionalInteger(params, 'amount', 1, Number.MAX_SAFE_INTEGER);
  const lines = linesParam(invoice, params);
  // Stripe.CreditNoteCreateParams.amount: "One of `amount`, `lines`, or `shipping_cost` must be provided."
  if (amount === undefined && lines.length === 0)
    throw invalidRequest('One of `amount`, `lines`, or `shipping_cost` must be provided.');
  if (amount !== undefined && lines.length > 0)
    throw invalidRequest('You may only specify one of these parameters: amount, lines.', 'amount');
  const amountOf = (name: string) => optionalInteger(params, name, 0, Number.MAX_SAFE_INTEGER) ?? 0;
  const metadata: Record<string, string> = {};
  for (const [key, value] of Object.entries(optionalObject(params, 'metadata') ?? {})) {
    if (typeof value !== 'string') throw invalidRequest('Invalid string', `metadata[${key}]`);
    metadata[key] = value;
  }
  const input: CreditNoteInput = {
    total: amount ?? lines.reduce((sum, line) => sum + line.amount, 0),
    lines,
    refundAmount: amountOf('refund_amount'),
    creditAmount: amountOf('credit_amount'),
    outOfBandAmount: amountOf('out_of_band_amount'),
    reason:
      optionalEnum(params, 'reason', ['duplicate', 'fraudulent', 'order_change', 'product_unsatisfactory'] as const) ??
      null,
    memo: optionalString(params, 'memo') ?? null,
    metadata,
  };
  const { creditNote, events } = createCreditNote(state, invoice, input, ctx.events);
  return ok(expand(state, creditNote, params), events);
};
