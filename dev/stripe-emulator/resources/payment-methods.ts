/**
 * PaymentMethods: GET /v1/payment_methods/:id, Stripe's test cards and IBANs, and the
 * PaymentMethods the hosted pages make from them. Nothing here sees a real card.
 */
import { createHash } from 'node:crypto';
import type Stripe from 'stripe';
import { noSuch } from '../errors.ts';
import type { Problem, ProblemKey } from '../i18n.ts';
import { cardPaymentMethodObject, sepaDebitPaymentMethodObject } from '../objects.ts';
import { allowOnly, expand } from '../params.ts';
import { ok, type Handler } from '../api.ts';
import { type EmulatorState, ID_PREFIX, newId, nowSeconds } from '../state.ts';

/** GET /v1/payment_methods/:id */
export const retrieve: Handler = ({ state }, { params }, [id = '']) => {
  allowOnly(params, ['expand']);
  const paymentMethod = state.paymentMethods.get(id);
  if (!paymentMethod) throw noSuch('payment_method', id);
  return ok(expand(state, paymentMethod, params));
};

/**
 * The payment methods Checkout offers for a currency, of the two this account has turned on
 * (docs.stripe.com/payments/payment-methods/payment-method-support): cards in every currency, SEPA Direct
 * Debit only in EUR.
 */
export function paymentMethodTypesFor(currency: string): Array<'card' | 'sepa_debit'> {
  return currency.toLowerCase() === 'eur' ? ['card', 'sepa_debit'] : ['card'];
}

/** docs.stripe.com/testing#sepa-direct-debit: "The PaymentIntent status transitions from processing to succeeded." */
export const SUCCEEDING_IBAN = 'DE89370400440532013000';
/** docs.stripe.com/testing#sepa-direct-debit: "… transitions from processing to requires_payment_method." */
export const FAILING_IBAN = 'DE62370400440532013001';

/** Cards with a special outcome (docs.stripe.com/testing#declined-payments), by Stripe's error or decline code. */
const DECLINES: ReadonlyMap<string, ProblemKey> = new Map<string, ProblemKey>([
  ['4000000000000002', 'card_declined'],
  ['4000000000009987', 'card_declined'],
  ['4000000000009995', 'insufficient_funds'],
  ['4000000000000069', 'expired_card'],
  ['4000000000000127', 'incorrect_cvc'],
  ['4000000000000119', 'processing_error'],
]);

/** A card or a bank account as typed into a hosted page, already checked. */
export type Instrument =
  { type: 'card'; number: string; expMonth: number; expYear: number } | { type: 'sepa_debit'; iban: string };

/** Luhn checksum, as every card number must pass. */
function passesLuhn(digits: string): boolean {
  let sum = 0;
  for (let i = 0; i < digits.length; i++) {
    let digit = Number(digits[digits.length - 1 - i]);
    if (i % 2 === 1) {
      digit *= 2;
      if (digit > 9) digit -= 9;
    }
    sum += digit;
  }
  return sum % 10 === 0;
}

/** A card problem to show (status 400 for bad input, 402 for a decline), or the checked card. */
export function checkCard(fields: { card: string; exp?: string; cvc?: string }): Problem | Instrument {
  const number = fields.card.replace(/[\s-]/g, '');
  if (!/^\d{12,19}$/.test(number) || !passesLuhn(number)) return { status: 400, problem: 'invalid_number' };
  const now = new Date();
  let expMonth = 12;
  let expYear = now.getUTCFullYear() + 3;
  const exp = (fields.exp ?? '').trim();
  if (exp !== '') {
    const match = /^(\d{1,2})\s*\/\s*(\d{2}|\d{4})$/.exec(exp);
    expMonth = Number(match?.[1]);
    if (!match || expMonth < 1 || expMonth > 12) return { status: 400, problem: 'invalid_expiry' };
    expYear = Number(match[2]) + (match[2]?.length === 2 ? 2000 : 0);
    if (expYear < now.getUTCFullYear() || (expYear === now.getUTCFullYear() && expMonth < now.getUTCMonth() + 1)) {
      return { status: 400, problem: 'expiry_in_past' };
    }
  }
  const cvc = (fields.cvc ?? '').trim();
  if (cvc !== '' && !/^\d{3,4}$/.test(cvc)) return { status: 400, problem: 'invalid_cvc' };
  const decline = DECLINES.get(number);
  if (decline) return { status: 402, problem: decline };
  return { type: 'card', number, expMonth, expYear };
}

/** An IBAN problem to show, or the checked account (ISO 13616 mod-97 check). */
export function checkIban(value: string): Problem | Instrument {
  const iban = value.replace(/\s/g, '').toUpperCase();
  if (!/^[A-Z]{2}\d{2}[A-Z0-9]{10,30}$/.test(iban)) return { status: 400, problem: 'invalid_iban' };
  const digits = (iban.slice(4) + iban.slice(0, 4)).replace(/[A-Z]/g, (letter) => String(letter.charCodeAt(0) - 55));
  let remainder = 0;
  for (const digit of digits) remainder = (remainder * 10 + Number(digit)) % 97;
  if (remainder !== 1) return { status: 400, problem: 'invalid_iban' };
  return { type: 'sepa_debit', iban };
}

/** Card brand from the number's prefix (docs.stripe.com/testing#cards lists one test number per brand). */
function cardBrand(number: string): string {
  if (/^4/.test(number)) return 'visa';
  if (/^(5[1-5]|2[2-7])/.test(number)) return 'mastercard';
  if (/^3[47]/.test(number)) return 'amex';
  if (/^(6011|65|64[4-9])/.test(number)) return 'discover';
  if (/^35/.test(number)) return 'jcb';
  if (/^3[068]/.test(number)) return 'diners';
  if (/^62/.test(number)) return 'unionpay';
  return 'unknown';
}

const fingerprint = (value: string) => createHash('sha256').update(value).digest('base64url').slice(0, 16);

/** Creates a PaymentMethod attached to `customerId` and stores it. */
export function createPaymentMethod(
  state: EmulatorState,
  instrument: Instrument,
  customerId: string,
  email: string | null,
): Stripe.PaymentMethod {
  const fields = {
    id: newId(ID_PREFIX.paymentMethod),
    created: nowSeconds(),
    customer: customerId,
    billing_details: { address: null, email, name: null, phone: null, tax_id: null },
  };
  const paymentMethod =
    instrument.type === 'card'
      ? cardPaymentMethodObject(fields, {
          brand: cardBrand(instrument.number),
          exp_month: instrument.expMonth,
          exp_year: instrument.expYear,
          fingerprint: fingerprint(instrument.number),
          last4: instrument.number.slice(-4),
        })
      : sepaDebitPaymentMethodObject(fields, {
          bank_code: instrument.iban.slice(4, 12),
          branch_code: '',
          country: instrument.iban.slice(0, 2),
          fingerprint: fingerprint(instrument.iban),
          generated_from: null,
          last4: instrument.iban.slice(-4),
        });
  state.paymentMethods.set(paymentMethod.id, paymentMethod);
  return paymentMethod;
}

/** True when a bank debit from this PaymentMethod will fail once it settles. */
export function debitFails(paymentMethod: Stripe.PaymentMethod): boolean {
  return paymentMethod.sepa_debit?.fingerprint === fingerprint(FAILING_IBAN);
}
