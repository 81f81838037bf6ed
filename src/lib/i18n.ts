/** UI strings in English and Japanese, and the choice between them from Accept-Language. */
import type { EmailRefusal } from './checkout/email.ts';
import type { IntervalUnit } from './stripe/catalog.ts';
import type { SubscriptionRecord } from './subscriptions/record.ts';

import type { Language } from './language/languages.ts';
export type { Language };

/**
 * Picks the visitor's language from an Accept-Language header, honouring q-values.
 * `fallback` (the shop's primary language) when neither is acceptable or the header is absent (`*`, a crawler).
 */
export function pickLanguage(acceptLanguage: string | null | undefined, fallback: Language): Language {
  if (!acceptLanguage) return fallback;
  const ranked = acceptLanguage
    .slice(0, 512)
    .split(',')
    .map((part, index) => {
      const [tag = '', ...params] = part.trim().split(';');
      const q = params.map((p) => p.trim()).find((p) => p.startsWith('q='));
      const quality = q ? Number(q.slice(2)) : 1;
      return { tag: tag.trim().toLowerCase(), quality: Number.isFinite(quality) ? quality : 0, index };
    })
    .filter((entry) => entry.quality > 0)
    .sort((a, b) => b.quality - a.quality || a.index - b.index);
  for (const { tag } of ranked) {
    const primary = tag.split('-')[0];
    if (primary === 'ja') return 'ja';
    if (primary === 'en') return 'en';
  }
  return fallback;
}

/** Dates are shown in the visitor's language, in the time zone its customers most likely live in. */
const TIME_ZONE: Record<Language, string> = { en: 'UTC', ja: 'Asia/Tokyo' };

/** A Unix-seconds timestamp as a long date ("March 5, 2027" / "2027年3月5日"). */
export function formatDate(unixSeconds: number, language: Language): string {
  return new Intl.DateTimeFormat(language, { dateStyle: 'long', timeZone: TIME_ZONE[language] }).format(
    unixSeconds * 1000,
  );
}

type Status = SubscriptionRecord['status'];

export interface Strings {
  shopName: string;
  tagline: string;
  myPage: string;
  plans: string;
  plansIntro: string;
  subscribe: string;
  switchPlan: string;
  yourPlan: string;
  status: (status: Status) => string;
  renewsOn: (date: string) => string;
  trialEndsOn: (date: string) => string;
  endsOn: (date: string) => string;
  paymentFailed: string;
  updateCard: string;
  manageInMyPage: string;
  cardOnFile: (brand: string, last4: string) => string;
  membersLink: string;
  demoBadge: string;
  demoNotice: string;
  plansUnavailable: string;
  noPlans: string;
  setupTitle: string;
  setupBody: string;
  setupReadme: string;
  configProblems: string;
  perInterval: (unit: IntervalUnit, count: number) => string;
  emailStepTitle: string;
  emailStepIntro: string;
  emailLabel: string;
  emailHint: string;
  emailInvalid: string;
  /** Why a declared e-mail was refused, one message per reason (parseDeclaredEmail's `reason`). */
  emailRefusal: Record<EmailRefusal, string>;
  continueToPayment: string;
  declareTitle: string;
  declareHint: string;
  declareSave: string;
  declaredAs: (email: string) => string;
  declareMissingNote: string;
  thanksTitle: string;
  thanksStarted: (plan: string | null) => string;
  thanksTrial: (plan: string | null, date: string | null) => string;
  thanksProcessingTitle: string;
  thanksProcessing: (plan: string | null) => string;
  thanksNotLinked: string;
  thanksMyPage: string;
  neutralTitle: string;
  neutralBody: string;
  skipToContent: string;
  mainNavigation: string;
  backToShop: string;
  noSubscriptionTitle: string;
  noSubscriptionBody: string;
  portalErrorTitle: string;
  portalErrorBody: string;
  checkoutErrorTitle: string;
  checkoutErrorBody: string;
  currencyTitle: string;
  currencyBody: (current: string) => string;
  invalidPlanTitle: string;
  invalidPlanBody: string;
  busyBody: string;
  rateLimitedTitle: string;
  rateLimitedBody: string;
  /** A form posted without the cookie an earlier page set (cookies blocked, or a stale page). */
  needsCookieTitle: string;
  needsCookieBody: string;
  notConfiguredTitle: string;
  notConfiguredBody: (variable: string) => string;
  reference: (id: string) => string;
  notFoundTitle: string;
  notFoundBody: string;
  membersTitle: string;
  membersIntro: string;
  membersGuides: ReadonlyArray<{ title: string; body: string }>;
  membersOnlyTitle: string;
  membersOnlyBody: string;
  signInTitle: string;
  signInIntro: string;
  signInSubmit: string;
  signInSentTitle: string;
  signInSentBody: string;
  signInConfirmTitle: string;
  signInConfirmBody: string;
  signInConfirmSubmit: string;
  signInInvalidTitle: string;
  signInInvalidBody: string;
  signInNoCustomerBody: string;
  signInOrStripe: string;
  footer: string;
  /** The legal pages' titles, also their footer links. */
  legalDisclosureTitle: string;
  legalTermsTitle: string;
  legalPrivacyTitle: string;
  legalNavigation: string;
  /** Shown on every page that shows a profile marked `sample: true`. */
  legalSampleBanner: string;
  legalPricesOnStorefront: string;
  legalDisclosureIntro: string;
  /** Appended to a price as is (its own leading space where the language needs one). */
  taxIncluded: string;
  /** The agreement line of the e-mail step: text, with links to the legal pages (site paths the page localizes) in the language's word order. */
  legalAgreement: ReadonlyArray<string | { href: LegalPath; label: string }>;
  // Selling terms: price labels and the final screen's terms (src/lib/checkout/final-terms.ts)
  /** Appended to a tax-exclusive price (offered only with Stripe Tax on). */
  taxExcluded: string;
  shippingIncluded: string;
  /** The shipping line's amount with its own tax label. */
  shippingFee: (amount: string, tax: string) => string;
  /** 軽減税率対象: the product is food taxed at the reduced rate. */
  reducedTaxRate: string;
  /** How often a plan renews, as a phrase: "every month" / 「毎月」. */
  every: (unit: IntervalUnit, count: number) => string;
  finalTermsTitle: string;
  finalTermsLabels: Record<FinalTermsKey, string>;
  /** The price item: the period's total with its tax label, then its parts and notes. */
  finalTermsPrice: (totalPerPeriod: string, notes: string[]) => string;
  finalTermsBreakdown: (plan: string, shipping: string) => string;
  finalTermsRenewal: (every: string) => string;
  finalTermsFirstChargeNow: (date: string, total: string) => string;
  finalTermsFirstChargeAfterTrial: (days: number, date: string, total: string) => string;
  finalTermsDiscountFirst: string;
  /** When the regular price starts: after the trial (its end date), after a discount, or both. */
  finalTermsRegular: (trialEnd: string | null, discount: boolean, price: string) => string;
  /** The line that replaces the profile's long texts when the whole would exceed Stripe's 1,200 characters. */
  finalTermsSeeDisclosure: (url: string) => string;
  /** Checkout's consent line (custom_text.terms_of_service_acceptance), Markdown links to our pages. */
  termsAcceptance: (termsUrl: string, privacyUrl: string) => string;
  // Delivery
  deliveryTitle: string;
  /** The recipient's name as addressed on the page (with 様 in Japanese). */
  deliveryRecipient: (name: string) => string;
  deliveryChange: string;
}

/** The items of the final screen's terms, in the order they are shown. */
export type FinalTermsKey =
  'contents' | 'price' | 'renewal' | 'firstCharge' | 'regularPrice' | 'payment' | 'delivery' | 'cancellation';

type LegalPath = '/legal/tokushoho' | '/legal/terms' | '/legal/privacy';

const unitsEn: Record<IntervalUnit, [string, string]> = {
  day: ['day', 'days'],
  week: ['week', 'weeks'],
  month: ['month', 'months'],
  year: ['year', 'years'],
};
const unitsJa: Record<IntervalUnit, string> = { day: '日', week: '週', month: '月', year: '年' };
const unitsJaPlural: Record<IntervalUnit, string> = { day: '日', week: '週間', month: 'か月', year: '年' };

const statusEn: Record<Status, string> = {
  none: 'No subscription',
  trialing: 'Free trial',
  active: 'Active',
  past_due: 'Payment overdue',
  unpaid: 'Unpaid',
  incomplete: 'Awaiting payment',
  incomplete_expired: 'Expired',
  canceled: 'Canceled',
  paused: 'Paused',
};
const statusJa: Record<Status, string> = {
  none: 'ご契約なし',
  trialing: '無料お試し中',
  active: 'ご契約中',
  past_due: 'お支払い遅延',
  unpaid: '未払い',
  incomplete: 'お支払い待ち',
  incomplete_expired: '期限切れ',
  canceled: '解約済み',
  paused: '一時停止中',
};

const en: Strings = {
  shopName: 'Hanamame Coffee',
  tagline: 'Freshly roasted beans, delivered on your schedule.',
  myPage: 'My Page',
  plans: 'Plans',
  plansIntro: 'Pick a plan. You can change or cancel it any time from My Page.',
  subscribe: 'Subscribe',
  switchPlan: 'Switch',
  yourPlan: 'Your plan',
  status: (status) => statusEn[status] ?? status,
  renewsOn: (date) => `Renews on ${date}`,
  trialEndsOn: (date) => `Trial ends on ${date}`,
  endsOn: (date) => `Ends on ${date}: you can renew in My Page`,
  paymentFailed: 'Your last payment failed: update your card',
  updateCard: 'Update card',
  manageInMyPage: 'Manage or switch your plan in My Page.',
  cardOnFile: (brand, last4) => `${brand.toUpperCase()} ending in ${last4}`,
  membersLink: 'Members',
  demoBadge: 'Demo mode',
  demoNotice: 'Demo shop: payments go to a local Stripe emulator. Use card 4242 4242 4242 4242.',
  plansUnavailable: 'Plans are unavailable right now. Please try again in a few minutes.',
  noPlans: 'No plans are on sale yet.',
  setupTitle: 'This shop is not set up yet',
  setupBody: 'Set one of these variables to show the plans:',
  setupReadme: 'See “Configuration” in the docs (docs/setup.md).',
  configProblems: 'Configuration problems:',
  perInterval: (unit, count) => (count === 1 ? `/ ${unitsEn[unit][0]}` : `/ ${count} ${unitsEn[unit][1]}`),
  emailStepTitle: 'Your e-mail address',
  emailStepIntro:
    'Your subscription belongs to this e-mail address. It is fixed on the payment page, and only this browser can open My Page for it.',
  emailLabel: 'E-mail address',
  emailHint: 'Receipts and renewal notices are sent here.',
  emailInvalid: 'Enter a valid e-mail address, such as name@example.com.',
  emailRefusal: {
    format: 'Enter one e-mail address with a single @, such as name@example.com.',
    too_long: 'This address is too long: at most 64 characters before the @ and 254 in all.',
    invisible: 'This address contains a space or an invisible character. Type it in again rather than pasting it.',
    local_part:
      'Use an address with only letters, digits and . _ - + before the @, with no dot at either end or two dots in a row.',
    non_ascii_local_part:
      'Use an address with only letters a–z, digits and . _ - + before the @: payments cannot use accented or non-Latin letters there.',
    domain: 'The part after the @ is not a domain name. Check it, for example example.com or example.co.jp.',
    mixed_script:
      'The part after the @ mixes letters from different alphabets (such as a Cyrillic “а” among Latin letters), so it could pass for another address. Type it in one alphabet.',
  },
  continueToPayment: 'Continue to payment',
  declareTitle: 'Your e-mail address',
  declareHint: 'Enter it before you subscribe: the payment page uses it, and My Page opens with a link sent to it.',
  declareSave: 'Save',
  declaredAs: (email) =>
    `The payment page will use ${email}. After paying, ask My Page for a sign-in link to open your subscription here.`,
  declareMissingNote: 'You can also manage your subscription through the link in your receipt e-mail.',
  thanksTitle: 'Thank you for subscribing!',
  thanksStarted: (plan) =>
    `Your subscription${plan ? ` to “${plan}”` : ''} has started. A receipt is on its way to your e-mail.`,
  thanksTrial: (plan, date) =>
    `Your free trial${plan ? ` of “${plan}”` : ''} has started${date ? ` and runs until ${date}` : ''}.`,
  thanksProcessingTitle: 'Your payment is processing',
  thanksProcessing: (plan) =>
    `Thank you! Your payment${plan ? ` for “${plan}”` : ''} is processing. Bank debits take a few days; we will e-mail you when it is confirmed.`,
  thanksNotLinked: 'To manage your subscription, use the link in your receipt e-mail.',
  thanksMyPage: 'Go to My Page',
  neutralTitle: 'Thank you',
  neutralBody: 'If you completed a purchase, a confirmation is on its way to your e-mail.',
  skipToContent: 'Skip to content',
  mainNavigation: 'Main',
  backToShop: 'Back to the plans',
  noSubscriptionTitle: 'No subscription found',
  noSubscriptionBody:
    'We could not find a subscription for this browser. If you subscribed on another device or cleared your cookies, use the link in your receipt e-mail.',
  portalErrorTitle: 'My Page is unavailable right now',
  portalErrorBody: 'We could not open the customer portal. Please try again in a few minutes.',
  checkoutErrorTitle: 'Checkout is unavailable right now',
  checkoutErrorBody: 'We could not start the checkout. Please try again in a few minutes.',
  currencyTitle: 'This plan is billed in another currency',
  currencyBody: (current) =>
    `Your current subscription is billed in ${current.toUpperCase()}, and Stripe keeps one currency per customer. A plan in another currency can start once your current subscription has ended. You can manage it in My Page.`,
  invalidPlanTitle: 'That plan is not available',
  invalidPlanBody: 'Please pick one of the plans on the storefront.',
  busyBody: 'Our payment provider is not answering quickly enough. Please try again in a minute.',
  rateLimitedTitle: 'Too many requests',
  rateLimitedBody: 'Please wait a minute, then try again.',
  needsCookieTitle: 'Please try again',
  needsCookieBody:
    'Your browser did not send back the cookie this shop set, so nothing was saved. Go back, reload the page and try again (cookies must be allowed for this shop).',
  notConfiguredTitle: 'This shop is not configured yet',
  notConfiguredBody: (variable) => `The shop owner needs to set ${variable}.`,
  reference: (id) => `Reference: ${id}`,
  notFoundTitle: 'Page not found',
  notFoundBody: 'The page you are looking for does not exist.',
  membersTitle: 'Members area',
  membersIntro: 'Thank you for subscribing. Here is how we brew the beans we send you.',
  membersGuides: [
    {
      title: 'Pour-over',
      body: '15 g of medium-fine coffee, 250 g of water at 92 °C. Bloom with 40 g for 30 seconds, then pour slowly in circles; aim to finish at 2:30.',
    },
    {
      title: 'French press',
      body: '30 g of coarse coffee, 500 g of water just off the boil. Stir, wait 4 minutes, break the crust, skim, and press gently.',
    },
    {
      title: 'Storing beans',
      body: 'Keep beans in an airtight, opaque container at room temperature and grind just before brewing. Use them within a month of roasting.',
    },
  ],
  membersOnlyTitle: 'For subscribers only',
  membersOnlyBody:
    'This page is for current subscribers. Pick a plan to join, or open My Page if your subscription needs attention.',
  signInTitle: 'Open My Page with your e-mail',
  signInIntro:
    'Enter the e-mail address of your subscription. We send a link that opens My Page in this browser (valid for 15 minutes, once).',
  signInSubmit: 'Send me a link',
  signInSentTitle: 'Check your inbox',
  signInSentBody:
    'If this address belongs to a subscription, a sign-in link is on its way. Open it in this browser within 15 minutes.',
  signInConfirmTitle: 'Sign in',
  signInConfirmBody: 'Continue to link this browser to your subscription.',
  signInConfirmSubmit: 'Continue',
  signInInvalidTitle: 'This link no longer works',
  signInInvalidBody: 'Sign-in links work once, for 15 minutes. Ask for a new one below.',
  signInNoCustomerBody: 'We could not find a subscription for that address any more.',
  signInOrStripe: 'Or use Stripe’s own login page',
  footer: 'Payments are processed securely by Stripe.',
  legalDisclosureTitle: 'Commerce disclosure',
  legalTermsTitle: 'Terms of service',
  legalPrivacyTitle: 'Privacy policy',
  legalNavigation: 'Legal',
  legalSampleBanner: 'サンプルの表記です / Sample disclosure: replace with your own before opening',
  legalPricesOnStorefront: 'Each plan’s price, tax included, is shown on the storefront.',
  legalDisclosureIntro: 'Disclosure under Japan’s Act on Specified Commercial Transactions (特定商取引法に基づく表記).',
  taxIncluded: ' (incl. tax)',
  legalAgreement: [
    'By continuing you agree to the ',
    { href: '/legal/terms', label: 'terms of service' },
    ' and the ',
    { href: '/legal/privacy', label: 'privacy policy' },
    '. Prices, delivery and cancellation are in the ',
    { href: '/legal/tokushoho', label: 'commerce disclosure' },
    '.',
  ],
  // Selling terms
  taxExcluded: ' plus tax (calculated at checkout)',
  shippingIncluded: 'shipping included',
  shippingFee: (amount, tax) => `+ shipping ${amount}${tax}`,
  reducedTaxRate: 'reduced tax rate (food)',
  every: (unit, count) => (count === 1 ? `every ${unitsEn[unit][0]}` : `every ${count} ${unitsEn[unit][1]}`),
  finalTermsTitle: 'Your subscription: the terms',
  finalTermsLabels: {
    contents: 'Each delivery',
    price: 'Price',
    renewal: 'Renewal',
    firstCharge: 'First charge',
    regularPrice: 'Regular price',
    payment: 'Payment',
    delivery: 'Delivery',
    cancellation: 'Cancellation',
  },
  finalTermsPrice: (total, notes) => (notes.length ? `${total}: ${notes.join(', ')}` : total),
  finalTermsBreakdown: (plan, shipping) => `plan ${plan} + shipping ${shipping}`,
  finalTermsRenewal: (every) => `Renews automatically ${every} and is charged each time, until you cancel.`,
  finalTermsFirstChargeNow: (date, total) => `${total} today (${date}).`,
  finalTermsFirstChargeAfterTrial: (days, date, total) =>
    `Nothing today: ${total} on ${date}, after the ${days}-day free trial.`,
  finalTermsDiscountFirst: 'A promotion code lowers it; the total on this page shows what you pay today.',
  finalTermsRegular: (trialEnd, discount, price) =>
    `${trialEnd ? `From ${trialEnd}${discount ? ', and when a discount ends' : ''}` : 'When a discount ends'}, the regular price of ${price}.`,
  finalTermsSeeDisclosure: (url) => `The full terms are in our [commerce disclosure](${url}).`,
  termsAcceptance: (terms, privacy) =>
    `I agree to the [terms of service](${terms}) and the [privacy policy](${privacy}) of this subscription.`,
  // Delivery
  deliveryTitle: 'Delivery address',
  deliveryRecipient: (name) => name,
  deliveryChange: 'Change delivery address',
};

const ja: Strings = {
  shopName: 'はなまめ珈琲',
  tagline: '焙煎したての豆を、お好きなペースでお届けします。',
  myPage: 'マイページ',
  plans: 'プラン',
  plansIntro: 'プランをお選びください。変更や解約はマイページからいつでもできます。',
  subscribe: '申し込む',
  switchPlan: '変更する',
  yourPlan: 'ご契約中のプラン',
  status: (status) => statusJa[status] ?? status,
  renewsOn: (date) => `${date}に更新`,
  trialEndsOn: (date) => `無料お試しは${date}まで`,
  endsOn: (date) => `${date}に終了します。マイページから継続できます`,
  paymentFailed: '前回のお支払いができませんでした。カード情報を更新してください',
  updateCard: 'カードを更新',
  manageInMyPage: 'プランの確認・変更はマイページから行えます。',
  cardOnFile: (brand, last4) => `${brand.toUpperCase()} 末尾 ${last4}`,
  membersLink: '会員ページ',
  demoBadge: 'デモモード',
  demoNotice:
    'デモショップです。決済はローカルの Stripe エミュレーターで行われます。カード番号 4242 4242 4242 4242 をお使いください。',
  plansUnavailable: '現在プランを表示できません。しばらくしてから再度お試しください。',
  noPlans: '販売中のプランはまだありません。',
  setupTitle: 'このショップはまだ設定されていません',
  setupBody: 'プランを表示するには、次のいずれかの変数を設定してください:',
  setupReadme: 'ドキュメント（docs/setup.md）の「Configuration」を参照してください。',
  configProblems: '設定の問題:',
  perInterval: (unit, count) => (count === 1 ? `/ ${unitsJa[unit]}` : `/ ${count}${unitsJaPlural[unit]}`),
  emailStepTitle: 'メールアドレス',
  emailStepIntro:
    'ご契約はこのメールアドレスに紐づきます。お支払い画面では変更できず、このブラウザーからだけマイページを開けます。',
  emailLabel: 'メールアドレス',
  emailHint: '領収書や更新のお知らせをお送りします。',
  emailInvalid: 'name@example.com のような正しいメールアドレスを入力してください。',
  emailRefusal: {
    format: '@ を 1 つだけ含むメールアドレスを 1 件入力してください（例: name@example.com）。',
    too_long: 'メールアドレスが長すぎます。@ の前は 64 文字まで、全体で 254 文字までです。',
    invisible: 'メールアドレスに空白または目に見えない文字が含まれています。貼り付けずに入力し直してください。',
    local_part:
      '@ の前には半角の英字・数字と . _ - + だけを使ってください（先頭・末尾のドットや、ドットの連続は使えません）。',
    non_ascii_local_part:
      '@ の前には半角の英字（a〜z）・数字と . _ - + だけを使ってください。日本語やアクセント付きの文字はお支払いに使えません。',
    domain: '@ の後ろがドメイン名になっていません。example.com や example.co.jp のような形か確かめてください。',
    mixed_script:
      '@ の後ろに異なる種類の文字（ラテン文字の中のキリル文字「а」など）が混ざっていて、別のアドレスに見せかけられるおそれがあります。1 種類の文字で入力してください。',
  },
  continueToPayment: 'お支払いへ進む',
  declareTitle: 'メールアドレス',
  declareHint:
    'お申し込みの前に入力してください。お支払いページで使われ、このアドレスに届くリンクでマイページを開けます。',
  declareSave: '保存',
  declaredAs: (email) =>
    `お支払いページでは ${email} を使います。お支払い後、マイページでログイン用リンクを受け取ると、ここからご契約を開けます。`,
  declareMissingNote: '領収書メールのリンクからもご契約を管理できます。',
  thanksTitle: 'お申し込みありがとうございます！',
  thanksStarted: (plan) => `${plan ? `「${plan}」の` : ''}ご契約が始まりました。領収書をメールでお送りします。`,
  thanksTrial: (plan, date) =>
    `${plan ? `「${plan}」の` : ''}無料お試しが始まりました${date ? `（${date}まで）` : ''}。`,
  thanksProcessingTitle: 'お支払いを処理しています',
  thanksProcessing: (plan) =>
    `ありがとうございます。${plan ? `「${plan}」の` : ''}お支払いを処理中です。口座振替の確認には数日かかります。確認できしだいメールでお知らせします。`,
  thanksNotLinked: 'ご契約の管理は、領収書メールのリンクから行えます。',
  thanksMyPage: 'マイページへ',
  neutralTitle: 'ありがとうございます',
  neutralBody: 'ご購入が完了している場合は、確認メールをお送りしています。',
  skipToContent: '本文へ移動',
  mainNavigation: 'メイン',
  backToShop: 'プラン一覧に戻る',
  noSubscriptionTitle: 'ご契約が見つかりません',
  noSubscriptionBody:
    'このブラウザーに紐づくご契約が見つかりませんでした。別の端末でお申し込みの場合や Cookie を削除した場合は、領収書メールのリンクをご利用ください。',
  portalErrorTitle: '現在マイページを開けません',
  portalErrorBody: 'カスタマーポータルを開けませんでした。しばらくしてから再度お試しください。',
  checkoutErrorTitle: '現在お申し込みを受け付けられません',
  checkoutErrorBody: '決済画面を開けませんでした。しばらくしてから再度お試しください。',
  currencyTitle: 'このプランは別の通貨でのお支払いです',
  currencyBody: (current) =>
    `現在のご契約は ${current.toUpperCase()} でお支払いいただいています。Stripe ではお客様ごとに通貨が一つに決まるため、別の通貨のプランは現在のご契約が終了してからお申し込みいただけます。ご契約はマイページで管理できます。`,
  invalidPlanTitle: 'そのプランはお申し込みいただけません',
  invalidPlanBody: 'ストアのプランからお選びください。',
  busyBody: '決済サービスからの応答が遅れています。1分ほどしてから再度お試しください。',
  rateLimitedTitle: 'リクエストが多すぎます',
  rateLimitedBody: '1分ほど待ってから再度お試しください。',
  needsCookieTitle: 'もう一度お試しください',
  needsCookieBody:
    'このショップが設定した Cookie がブラウザから送られなかったため、何も保存していません。前のページに戻って再読み込みし、もう一度お試しください（このショップの Cookie を許可してください）。',
  notConfiguredTitle: 'このショップはまだ設定されていません',
  notConfiguredBody: (variable) => `ショップ管理者が ${variable} を設定する必要があります。`,
  reference: (id) => `お問い合わせ番号: ${id}`,
  notFoundTitle: 'ページが見つかりません',
  notFoundBody: 'お探しのページは存在しません。',
  membersTitle: '会員ページ',
  membersIntro: 'ご契約ありがとうございます。お届けしている豆のおすすめの淹れ方をご紹介します。',
  membersGuides: [
    {
      title: 'ハンドドリップ',
      body: '中細挽きの豆 15 g に 92 °C のお湯 250 g。40 g で 30 秒蒸らし、円を描くようにゆっくり注いで 2 分 30 秒で落とし切ります。',
    },
    {
      title: 'フレンチプレス',
      body: '粗挽きの豆 30 g に沸騰直後のお湯 500 g。軽く混ぜて 4 分待ち、表面の粉をすくってからゆっくりプレスします。',
    },
    {
      title: '豆の保存',
      body: '遮光できる密閉容器に入れて常温で保存し、淹れる直前に挽いてください。焙煎から1か月以内にお召し上がりください。',
    },
  ],
  membersOnlyTitle: 'ご契約者さま専用のページです',
  membersOnlyBody:
    'このページはご契約中のお客様専用です。プランをお選びいただくか、ご契約にお手続きが必要な場合はマイページを開いてください。',
  signInTitle: 'メールアドレスでマイページを開く',
  signInIntro:
    'ご契約のメールアドレスを入力してください。このブラウザでマイページを開くリンクをお送りします（15分間、1回だけ有効）。',
  signInSubmit: 'リンクを送る',
  signInSentTitle: 'メールをご確認ください',
  signInSentBody:
    'このアドレスのご契約があれば、ログイン用リンクをお送りしました。15分以内に、このブラウザで開いてください。',
  signInConfirmTitle: 'ログイン',
  signInConfirmBody: '続けると、このブラウザがご契約に結び付きます。',
  signInConfirmSubmit: '続ける',
  signInInvalidTitle: 'このリンクは使えません',
  signInInvalidBody: 'ログイン用リンクは15分間、1回だけ使えます。下から新しいリンクをお求めください。',
  signInNoCustomerBody: 'このアドレスのご契約が見つかりませんでした。',
  signInOrStripe: 'Stripe のログインページを使う',
  footer: '決済は Stripe によって安全に処理されます。',
  legalDisclosureTitle: '特定商取引法に基づく表記',
  legalTermsTitle: '利用規約',
  legalPrivacyTitle: 'プライバシーポリシー',
  legalNavigation: '規約と表記',
  legalSampleBanner: 'サンプルの表記です / Sample disclosure: replace with your own before opening',
  legalPricesOnStorefront: '各プランの価格（税込）はストアのページに表示しています。',
  legalDisclosureIntro: '特定商取引に関する法律第11条に基づき、次のとおり表示します。',
  taxIncluded: '（税込）',
  legalAgreement: [
    '続けることで、',
    { href: '/legal/terms', label: '利用規約' },
    'と',
    { href: '/legal/privacy', label: 'プライバシーポリシー' },
    'に同意したものとみなします。価格・お届け・解約については',
    { href: '/legal/tokushoho', label: '特定商取引法に基づく表記' },
    'をご確認ください。',
  ],
  // Selling terms
  taxExcluded: '（税抜・消費税はお支払い画面で計算）',
  shippingIncluded: '送料込み',
  shippingFee: (amount, tax) => `＋送料 ${amount}${tax}`,
  reducedTaxRate: '軽減税率対象',
  every: (unit, count) => (count === 1 ? `毎${unitsJa[unit]}` : `${count}${unitsJaPlural[unit]}ごと`),
  finalTermsTitle: 'ご契約内容の確認（定期購入）',
  finalTermsLabels: {
    contents: '1回のお届け内容',
    price: 'お支払い金額',
    renewal: '契約期間・自動更新',
    firstCharge: '初回のお支払い',
    regularPrice: '通常価格',
    payment: 'お支払い方法・時期',
    delivery: 'お届け時期',
    cancellation: '解約について',
  },
  finalTermsPrice: (total, notes) => (notes.length ? `${total}：${notes.join('・')}` : total),
  finalTermsBreakdown: (plan, shipping) => `商品 ${plan}＋送料 ${shipping}`,
  finalTermsRenewal: (every) => `解約のお手続きをされるまで、${every}自動で更新され、そのたびにお支払いが発生します。`,
  finalTermsFirstChargeNow: (date, total) => `本日（${date}）、${total}。`,
  finalTermsFirstChargeAfterTrial: (days, date, total) =>
    `本日のお支払いはありません。${days}日間の無料お試しの後、${date}に${total}。`,
  finalTermsDiscountFirst: '割引コードをお使いの場合は割引後の金額で、本日のお支払い額はこの画面の合計に表示されます。',
  finalTermsRegular: (trialEnd, discount, price) =>
    `${trialEnd ? `${trialEnd}以降${discount ? '（割引をお使いの場合は割引期間の終了後）' : ''}` : '割引期間の終了後'}は通常価格 ${price}です。`,
  finalTermsSeeDisclosure: (url) => `詳しくは[特定商取引法に基づく表記](${url})をご覧ください。`,
  termsAcceptance: (terms, privacy) =>
    `[利用規約](${terms})と[プライバシーポリシー](${privacy})に同意して、定期購入を申し込みます。`,
  // Delivery
  deliveryTitle: 'お届け先',
  deliveryRecipient: (name) => `${name} 様`,
  deliveryChange: 'お届け先を変更する',
};

const STRINGS: Record<Language, Strings> = { en, ja };

/** The string table for one language. */
export function strings(language: Language): Strings {
  return STRINGS[language];
}
