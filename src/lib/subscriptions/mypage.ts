import type Stripe from 'stripe';
import type { Language } from '../language/languages.ts';
import type { Logger } from '../log/log.ts';
import { createPortalUrl, isFlowRefused, type PortalFlow, type PortalInput } from './portal.ts';
import { isMissingCustomer } from '../stripe/errors.ts';
import type { Bindings } from '../visitor/bindings.ts';
import { forgetCustomerIfDeleted, type ForgetCustomer } from './customer.ts';
import type { SubscriptionRecords } from './records.ts';
import type { SharedCustomer } from './shared-customer.ts';
import { isLive } from './record.ts';

type MyPageResult = { kind: 'redirect'; url: string } | { kind: 'none' };

interface MyPageInput {
  stripe: Stripe;
  bindings: Bindings;
  records: SubscriptionRecords;
  sharedCustomer: SharedCustomer;
  forgetCustomer: ForgetCustomer;
  log: Logger;
  visitorRef: string | undefined;
  /** MYPAGE_SHARED_CUSTOMER=true (test keys only): the seed's workshop behaviour. */
  sharedCustomerMode: boolean;
  /** PUBLIC_STRIPE_CUSTOMER_PORTAL_URL: Stripe's e-mail login portal. */
  portalLoginUrl: string | undefined;
  /** Sign-in links are configured: an unbound browser is offered one instead of Stripe's login. */
  signInAvailable: boolean;
  flow: PortalFlow | undefined;
  returnUrl: string;
  locale: Language;
}

/**
 * Where My Page leads: the portal of this browser's own customer; the shared seed customer only in
 * workshop mode; else our sign-in link form (when e-mail sending is configured); else Stripe's
 * e-mail login portal; else nothing found. A customer deleted in
 * Stripe is forgotten on the spot (its bindings dropped), so the next click costs no Stripe call.
 * Other Stripe and D1 errors propagate.
 */
export async function openMyPage(input: MyPageInput): Promise<MyPageResult> {
  const { stripe, log, visitorRef } = input;
  let customerId = visitorRef ? await input.bindings.customerOf(visitorRef) : null;
  if (!customerId && input.sharedCustomerMode) customerId = await input.sharedCustomer.get();
  if (customerId) {
    const portal: PortalInput = { customerId, returnUrl: input.returnUrl, locale: input.locale };
    if (input.flow === 'payment_method_update') portal.flow = { type: 'payment_method_update' };
    if (input.flow === 'subscription_update') {
      const record = await input.records.get(customerId);
      if (record?.subscriptionId && isLive(record.status))
        portal.flow = { type: 'subscription_update', subscriptionId: record.subscriptionId };
    }
    try {
      return { kind: 'redirect', url: await createPortalUrl(stripe, portal) };
    } catch (error) {
      if (portal.flow && isFlowRefused(error)) {
        // The portal's settings do not allow this deep link: the plain portal still helps.
        log.warn({ msg: 'mypage: deep link refused, opening the plain portal', flow: portal.flow.type });
        return { kind: 'redirect', url: await createPortalUrl(stripe, { ...portal, flow: undefined }) };
      }
      if (!isMissingCustomer(error)) throw error;
      await forgetCustomerIfDeleted({ stripe, forgetCustomer: input.forgetCustomer }, customerId, error);
      log.warn({ msg: 'mypage: customer deleted in Stripe; bindings dropped' });
    }
  }
  // Stripe's login page opens the portal but never tells this site who the visitor is; a sign-in
  // link also links this browser (its storefront and members area).
  if (input.signInAvailable) return { kind: 'none' };
  return input.portalLoginUrl ? { kind: 'redirect', url: input.portalLoginUrl } : { kind: 'none' };
}
