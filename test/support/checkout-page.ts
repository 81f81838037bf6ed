/** The one helper that pays on the emulator's hosted Checkout page, for the e2e tests and the screenshots. */
import type { Page } from 'playwright-core';
import { PHONE, RECIPIENT, SHIBUYA_ADDRESS } from './addresses.ts';

/** A delivery address as typed on the Checkout page. */
interface CheckoutShipping {
  name: string;
  country: string;
  postalCode: string;
  state: string;
  city: string;
  line1: string;
  line2?: string;
  phone: string;
}

/** Typed when the page asks for an address and the test names none. */
const TOKYO: CheckoutShipping = { name: RECIPIENT, ...SHIBUYA_ADDRESS, phone: PHONE };

/** The emulator's Checkout labels in each language it speaks (the shop sends the page's language as `locale`). */
const LABELS = {
  en: {
    email: 'E-mail',
    fullName: 'Full name',
    country: 'Country or region',
    postalCode: 'Postal code',
    state: 'State / Prefecture',
    city: 'City',
    line1: 'Address line 1',
    line2: 'Address line 2 (optional)',
    phone: 'Phone number',
    card: 'Card number',
    expiry: 'Expiry',
    cvc: 'CVC',
    bankDebit: /Bank debit/,
    subscribe: 'Subscribe',
  },
  ja: {
    email: 'メールアドレス',
    fullName: '氏名',
    country: '国または地域',
    postalCode: '郵便番号',
    state: '都道府県',
    city: '市区町村',
    line1: '番地',
    line2: '建物名・部屋番号（任意）',
    phone: '電話番号',
    card: 'カード番号',
    expiry: '有効期限',
    cvc: 'セキュリティコード',
    bankDebit: /口座引き落とし/,
    subscribe: '申し込む',
  },
};

type Labels = (typeof LABELS)['en'];

/** Fills the address and phone, only when the session collects them (SHIPPING_COUNTRIES). */
async function fillShipping(page: Page, shipping: CheckoutShipping, label: Labels): Promise<void> {
  if ((await page.getByTestId('checkout-shipping').count()) > 0) {
    await page.getByLabel(label.fullName).fill(shipping.name);
    await page.getByLabel(label.country).selectOption(shipping.country);
    await page.getByLabel(label.postalCode).fill(shipping.postalCode);
    await page.getByLabel(label.state).fill(shipping.state);
    await page.getByLabel(label.city).fill(shipping.city);
    await page.getByLabel(label.line1, { exact: true }).fill(shipping.line1);
    await page.getByLabel(label.line2).fill(shipping.line2 ?? '');
  }
  if ((await page.locator('#phone').count()) > 0) await page.getByLabel(label.phone).fill(shipping.phone);
}

/**
 * Pays by card or by bank debit (SEPA test IBANs: Checkout offers them only for EUR), in whichever language the
 * page speaks. The shop locks the e-mail, so it is checked, not typed. When the page asks for a delivery address
 * and phone, `shipping` (default: a Tokyo address) fills them.
 */
export async function payOnCheckout(
  page: Page,
  payment: ({ card: string } | { iban: string }) & { shipping?: CheckoutShipping },
): Promise<void> {
  const label = (await page.locator('html').getAttribute('lang')) === 'ja' ? LABELS.ja : LABELS.en;
  if ((await page.getByLabel(label.email).inputValue()) === '') throw new Error('Checkout shows no locked e-mail');
  await fillShipping(page, payment.shipping ?? TOKYO, label);
  if ('card' in payment) {
    await page.getByLabel(label.card).fill(payment.card);
    await page.getByLabel(label.expiry).fill('12 / 34');
    await page.getByLabel(label.cvc).fill('123');
  } else {
    await page.getByLabel(label.bankDebit).check();
    await page.getByLabel('IBAN').fill(payment.iban);
  }
  // The shop asks for consent to its terms (consent_collection): a buyer ticks the box.
  const terms = page.getByTestId('checkout-terms').getByRole('checkbox');
  if ((await terms.count()) > 0) await terms.check();
  await page.getByRole('button', { name: label.subscribe }).click();
}
