/**
 * The receipt Stripe e-mails when an invoice payment succeeds (docs.stripe.com/receipts, "Receipts with Billing":
 * "Stripe creates receipts when a customer pays an invoice, or makes any subscription payment … To automatically
 * send receipts, set the customer's email and enable email customers for successful payments"), recorded in
 * `state.emails` for the demo outbox. Its wording is the emulator's, after the fields Stripe's receipts show
 * (amount, date, payment method, receipt and invoice numbers, the items, the business's public name).
 */
import { randomInt } from 'node:crypto';
import type Stripe from 'stripe';
import { formatDate, type PageLanguage } from './i18n.ts';
import { money } from './money.ts';
import { type EmulatorState, idOf, newId } from './state.ts';

/**
 * The language of an e-mail to this customer: docs.stripe.com/payments/advanced/receipts (Localization): "If a
 * Customer is set, their preferred locale is used if available … the language setting from the Stripe Dashboard
 * is applied" otherwise.
 */
function emailLanguage(state: EmulatorState, customer: Stripe.Customer): PageLanguage {
  for (const locale of customer.preferred_locales ?? []) {
    const language = locale.toLowerCase().split('-')[0];
    if (language === 'ja' || language === 'en') return language;
  }
  return state.account.emailLanguage;
}

/** The card or bank account the invoice was paid with: its subscription's default, else the customer's. */
function paymentMethodLine(state: EmulatorState, invoice: Stripe.Invoice, customer: Stripe.Customer): string {
  const subscriptionId = invoice.parent?.subscription_details?.subscription;
  const subscription = subscriptionId ? state.subscriptions.get(idOf(subscriptionId)) : undefined;
  const id = subscription?.default_payment_method ?? customer.invoice_settings.default_payment_method;
  const paymentMethod = id ? state.paymentMethods.get(idOf(id)) : undefined;
  if (paymentMethod?.card) return `${paymentMethod.card.brand.toUpperCase()} – ${paymentMethod.card.last4}`;
  if (paymentMethod?.sepa_debit) return `SEPA Direct Debit – ${paymentMethod.sepa_debit.last4 ?? ''}`;
  return '';
}

/** A receipt number like Stripe's (Stripe.Charge.receipt_number, e.g. "1234-5678"). */
function receiptNumber(): string {
  const four = () => String(randomInt(10_000)).padStart(4, '0');
  return `${four()}-${four()}`;
}

/**
 * Records the receipt of a paid invoice, when the account sends them ("Successful payments"), something was paid
 * ("Receipts are only sent when a successful payment has been made"; an invoice of nothing has no payment) and the
 * customer has an e-mail address.
 */
export function sendReceipt(state: EmulatorState, invoice: Stripe.Invoice): void {
  const customer = state.customers.get(idOf(invoice.customer));
  const to = customer?.email;
  if (!state.account.successfulPaymentEmails || invoice.amount_paid <= 0 || !customer || !to) return;
  const language = emailLanguage(state, customer);
  const business = state.account.businessName;
  const number = receiptNumber();
  const amount = money(invoice.amount_paid, invoice.currency, language);
  const paidAt = formatDate(invoice.status_transitions.paid_at ?? invoice.created, language);
  const method = paymentMethodLine(state, invoice, customer);
  const items = invoice.lines.data.map((line) => {
    const productId = line.pricing?.price_details?.product;
    const name = (productId && state.products.get(productId)?.name) || (line.description ?? '');
    return `  ${name} × ${line.quantity ?? 1}    ${money(line.amount, line.currency, language)}`;
  });
  const text =
    language === 'ja'
      ? [
          `${business} からの領収書`,
          `領収書番号：#${number}`,
          '',
          `お支払い金額：${amount}`,
          `お支払い日：${paidAt}`,
          ...(method ? [`お支払い方法：${method}`] : []),
          `請求書番号：${invoice.number ?? invoice.id}`,
          '',
          '明細',
          ...items,
          `  お支払い金額    ${amount}`,
          '',
          `ご不明な点がございましたら、${business} までお問い合わせください。`,
        ]
      : [
          `Receipt from ${business}`,
          `Receipt #${number}`,
          '',
          `Amount paid: ${amount}`,
          `Date paid: ${paidAt}`,
          ...(method ? [`Payment method: ${method}`] : []),
          `Invoice number: ${invoice.number ?? invoice.id}`,
          '',
          'Summary',
          ...items,
          `  Amount paid    ${amount}`,
          '',
          `If you have any questions, contact ${business}.`,
        ];
  state.emails.push({
    messageId: newId('receipt_'),
    from: `${business} <receipts@stripe-emulator.invalid>`,
    to: [to],
    // Stripe's English subject; the Japanese one is the emulator's (Stripe's was not found).
    subject: language === 'ja' ? `${business} からの領収書 [#${number}]` : `Your receipt from ${business} #${number}`,
    text: text.join('\n'),
    sentAt: new Date().toISOString(),
    invoice: invoice.id,
  });
}
