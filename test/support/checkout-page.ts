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

/** Fills the address and phone, only when the session collects them (SHIPPING_COUNTRIES). */
async function fillShipping(page: Page, shipping: CheckoutShipping): Promise<void> {
  if ((await page.getByTestId('checkout-shipping').count()) > 0) {
    await page.getByLabel('Full name').fill(shipping.name);
    await page.getByLabel('Country or region').selectOption(shipping.country);
    await page.getByLabel('Postal code').fill(shipping.postalCode);
    await page.getByLabel('State / Prefecture').fill(shipping.state);
    await page.getByLabel('City').fill(shipping.city);
    await page.getByLabel('Address line 1').fill(shipping.line1);
    await page.getByLabel('Address line 2 (optional)').fill(shipping.line2 ?? '');
  }
  if ((await page.locator('#phone').count()) > 0) await page.getByLabel('Phone number').fill(shipping.phone);
}

/**
 * Pays by card or by bank debit (SEPA test IBANs). The shop locks the e-mail, so it is checked, not
 * typed. When the page asks for a delivery address and phone, `shipping` (default: a Tokyo address) fills them.
 */
export async function payOnCheckout(
  page: Page,
  payment: ({ card: string } | { iban: string }) & { shipping?: CheckoutShipping },
): Promise<void> {
  if ((await page.getByLabel('E-mail').inputValue()) === '') throw new Error('Checkout shows no locked e-mail');
  await fillShipping(page, payment.shipping ?? TOKYO);
  if ('card' in payment) {
    await page.getByLabel('Card number').fill(payment.card);
    await page.getByLabel('Expiry').fill('12 / 34');
    await page.getByLabel('CVC').fill('123');
  } else {
    await page.getByLabel(/Bank debit/).check();
    await page.getByLabel('IBAN').fill(payment.iban);
  }
  // The shop asks for consent to its terms (consent_collection): a buyer ticks the box.
  const terms = page.getByTestId('checkout-terms').getByRole('checkbox');
  if ((await terms.count()) > 0) await terms.check();
  await page.getByRole('button', { name: /subscribe/i }).click();
}
