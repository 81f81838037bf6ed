/** The one helper that pays on the emulator's hosted Checkout page, for the e2e tests and the screenshots. */
import type { Page } from 'playwright-core';

/** Pays by card or by bank debit (SEPA test IBANs). The shop locks the e-mail, so it is checked, not typed. */
export async function payOnCheckout(page: Page, payment: { card: string } | { iban: string }): Promise<void> {
  if ((await page.getByLabel('E-mail').inputValue()) === '') throw new Error('Checkout shows no locked e-mail');
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
