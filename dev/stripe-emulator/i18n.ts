/**
 * The hosted pages' languages: Japanese and English, chosen from the session's `locale` or, for `auto`,
 * the browser's Accept-Language, as Stripe's Checkout and portal do. Every label, button, message,
 * amount, date and country name the pages show comes from here. Decline and field messages follow
 * Stripe's wording (the API's English; Stripe.js's Japanese as quoted in public code); the other
 * Japanese labels are the emulator's own, Stripe's were not found.
 */
import type Stripe from 'stripe';

/** The languages the pages speak. */
export type PageLanguage = 'en' | 'ja';

/**
 * The language a page is shown in: `locale` when it names one, else (`auto`, none) the browser's:
 * Stripe.Checkout.SessionCreateParams.locale "If blank or `auto`, the browser's locale is used"
 * (the portal's `locale` likewise). A browser language the emulator does not speak gets English.
 */
export function pageLanguage(
  locale: string | null | undefined,
  acceptLanguage: string | null | undefined,
): PageLanguage {
  if (locale === 'ja' || locale === 'en') return locale;
  const ranked = (acceptLanguage ?? '')
    .split(',')
    .map((entry, index) => {
      const [tag = '', ...parameters] = entry.trim().split(';');
      const q = parameters.map((parameter) => /^\s*q=([\d.]+)\s*$/.exec(parameter)?.[1]).find(Boolean);
      return { language: tag.trim().toLowerCase().split('-')[0] ?? '', q: q === undefined ? 1 : Number(q), index };
    })
    .filter((entry) => entry.q > 0)
    .sort((a, b) => b.q - a.q || a.index - b.index);
  const first = ranked.find((entry) => entry.language === 'ja' || entry.language === 'en');
  return first?.language === 'ja' ? 'ja' : 'en';
}

/** What a page shows when a payment or a form is refused; the page words it in its language. */
export type ProblemKey =
  | 'card_declined'
  | 'insufficient_funds'
  | 'expired_card'
  | 'incorrect_cvc'
  | 'processing_error'
  | 'invalid_number'
  | 'invalid_expiry'
  | 'expiry_in_past'
  | 'invalid_cvc'
  | 'invalid_iban'
  | 'method_unavailable'
  | 'email_missing'
  | 'email_invalid'
  | 'promotion_code_invalid'
  | 'phone_missing'
  | 'phone_invalid'
  | 'terms_required'
  | 'country_not_allowed'
  | 'shipping_name_missing'
  | 'shipping_incomplete'
  | 'postal_code_missing'
  | 'state_missing';

/** A refusal: the HTTP status the page answers with (400 bad input, 402 declined) and what to say. */
export interface Problem {
  status: number;
  problem: ProblemKey;
}

/**
 * English: the API's decline messages (docs.stripe.com/declines/codes, stripe-node CardError messages).
 * Japanese: Stripe.js's Japanese messages for the same codes, as quoted in public code (not confirmed on a Stripe
 * page); the rest the emulator's.
 */
const PROBLEMS: Record<PageLanguage, Record<ProblemKey, string>> = {
  en: {
    card_declined: 'Your card was declined.',
    insufficient_funds: 'Your card has insufficient funds.',
    expired_card: 'Your card has expired.',
    incorrect_cvc: "Your card's security code is incorrect.",
    processing_error: 'An error occurred while processing your card. Try again in a little bit.',
    invalid_number: 'Your card number is invalid.',
    invalid_expiry: "Your card's expiration date is invalid.",
    expiry_in_past: "Your card's expiration year is in the past.",
    invalid_cvc: "Your card's security code is invalid.",
    invalid_iban: 'Your IBAN is invalid.',
    method_unavailable: 'This payment method is not available for this purchase.',
    email_missing: 'Enter your e-mail address.',
    email_invalid: 'Your e-mail address is invalid.',
    promotion_code_invalid: 'This code is invalid.',
    phone_missing: 'Enter your phone number.',
    phone_invalid: 'Your phone number is invalid.',
    terms_required: 'Agree to the terms of service to continue.',
    country_not_allowed: 'We cannot ship to this country.',
    shipping_name_missing: 'Enter the name for the shipping address.',
    shipping_incomplete: 'Your shipping address is incomplete.',
    postal_code_missing: 'Enter your postal code.',
    state_missing: 'Enter your state or prefecture.',
  },
  ja: {
    card_declined: 'カードが拒否されました。',
    insufficient_funds: 'カードの残高が不足しています。',
    expired_card: 'カードの有効期限が切れています。',
    incorrect_cvc: 'カードのセキュリティコードが間違っています。',
    processing_error: 'カードの処理中にエラーが発生しました。しばらくしてからもう一度お試しください。',
    invalid_number: 'カード番号が無効です。',
    invalid_expiry: 'カードの有効期限の日付が無効です。',
    expiry_in_past: 'カードの有効期限が過ぎています。',
    invalid_cvc: 'カードのセキュリティコードが無効です。',
    invalid_iban: '入力した IBAN コードが無効です。',
    method_unavailable: 'この支払い方法はご利用いただけません。',
    email_missing: 'メールアドレスを入力してください。',
    email_invalid: 'メールアドレスが無効です。',
    promotion_code_invalid: 'このコードは無効です。',
    phone_missing: '電話番号を入力してください。',
    phone_invalid: '電話番号が無効です。',
    terms_required: '続行するには利用規約に同意してください。',
    country_not_allowed: 'この国または地域には配送できません。',
    shipping_name_missing: '配送先の氏名を入力してください。',
    shipping_incomplete: '配送先住所に入力漏れがあります。',
    postal_code_missing: '郵便番号を入力してください。',
    state_missing: '都道府県を入力してください。',
  },
};

/** A problem in words. */
export function problemMessage(problem: ProblemKey, language: PageLanguage): string {
  return PROBLEMS[language][problem];
}

/** The BCP 47 tag Intl formats a language's amounts, dates and country names with. */
export const INTL_LOCALE: Record<PageLanguage, string> = { en: 'en-US', ja: 'ja-JP' };

/** A Unix time as a date in the page's language ("Dec 7, 2026" / "2026/12/07"), in this machine's time zone. */
export function formatDate(seconds: number, language: PageLanguage): string {
  return new Intl.DateTimeFormat(INTL_LOCALE[language], { dateStyle: 'medium' }).format(new Date(seconds * 1000));
}

/** A country's name in the page's language ("JP" → "Japan" / "日本"), the code itself when Intl has none. */
export function countryName(code: string, language: PageLanguage): string {
  return new Intl.DisplayNames([INTL_LOCALE[language]], { type: 'region', fallback: 'code' }).of(code) ?? code;
}

/** Every other word the pages show. */
export interface PageStrings {
  // The layout, shared pages and the card fields.
  testModeBadge: string;
  testModeBanner: string;
  returnToShop: string;
  cardNumber: string;
  expiry: string;
  cvc: string;
  // Checkout.
  checkoutNotFound: [title: string, message: string];
  alreadyPaid: [title: string, message: string];
  checkoutExpired: [title: string, message: string];
  subscribeTo: (product: string | null) => string;
  back: string;
  orderSummary: string;
  payment: string;
  daysFree: (days: number) => string;
  dueToday: string;
  totalDueToday: string;
  discount: string;
  quantity: (count: number) => string;
  billedByUsage: string;
  billed: (interval: string) => string;
  email: string;
  phone: string;
  shippingAddress: string;
  fullName: string;
  country: string;
  postalCode: string;
  state: string;
  city: string;
  line1: string;
  line2: string;
  promotionCode: string;
  paymentMethod: string;
  card: string;
  bankDebit: string;
  cardInformation: string;
  bankAccount: string;
  iban: string;
  agreeToTerms: (termsLink: string) => string;
  subscribe: string;
  testCardsHint: (succeeds: string, declined: string) => string;
  testIbansHint: (succeeds: string, fails: string) => string;
  promotionCodeHint: (code: string) => string;
  // The portal.
  portalNotFound: [title: string, message: string];
  customerDeleted: [title: string, message: string];
  portalTitle: string;
  noEmail: string;
  subscriptions: string;
  noSubscriptions: string;
  status: (status: Stripe.Subscription.Status) => string;
  canceledOn: (date: string) => string;
  endsOn: (date: string) => string;
  trialEnds: (date: string) => string;
  renews: (date: string) => string;
  cancelAtPeriodEnd: string;
  resumeSubscription: string;
  cancelSubscription: string;
  newPlan: string;
  switchPlan: string;
  updateYourPlan: string;
  currentPlan: (plan: string) => string;
  noOtherPlan: string;
  updatePaymentMethod: string;
  savePaymentMethod: string;
  countryCode: string;
  saveShippingAddress: string;
  testControls: string;
  renewNow: string;
  failNextRenewal: string;
  endTrial: string;
  refundLastPayment: string;
  notices: Readonly<Record<string, string>>;
  notYours: string;
  unknownAction: string;
  switchingOff: string;
  noShippingAddress: string;
  shippingUpdatesOff: string;
  cancellationOff: string;
  paymentMethodUpdatesOff: string;
  termsOfService: string;
  privacyPolicy: string;
}

const ENGLISH: PageStrings = {
  testModeBadge: 'Test mode',
  testModeBanner: 'Stripe emulator (test mode): no real payment is made.',
  returnToShop: '← Return to the shop',
  cardNumber: 'Card number',
  expiry: 'Expiry',
  cvc: 'CVC',
  checkoutNotFound: ['Checkout not found', 'There is no checkout session with this id.'],
  alreadyPaid: ['Already paid', 'This checkout session is already complete.'],
  checkoutExpired: ['Checkout expired', 'This checkout session has expired and can no longer be paid.'],
  subscribeTo: (product) => (product ? `Subscribe to ${product}` : 'Subscribe'),
  back: '← Back',
  orderSummary: 'Order summary',
  payment: 'Payment',
  daysFree: (days) => `${days} days free`,
  dueToday: 'due today',
  totalDueToday: 'Total due today',
  discount: 'Discount',
  quantity: (count) => `Qty ${count}`,
  billedByUsage: 'Billed by usage',
  billed: (interval) => `billed ${interval}`,
  email: 'E-mail',
  phone: 'Phone number',
  shippingAddress: 'Shipping address',
  fullName: 'Full name',
  country: 'Country or region',
  postalCode: 'Postal code',
  state: 'State / Prefecture',
  city: 'City',
  line1: 'Address line 1',
  line2: 'Address line 2 (optional)',
  promotionCode: 'Promotion code',
  paymentMethod: 'Payment method',
  card: 'Card',
  bankDebit: 'Bank debit (SEPA Direct Debit, test)',
  cardInformation: 'Card information',
  bankAccount: 'Bank account',
  iban: 'IBAN',
  agreeToTerms: (link) => `I agree to the ${link}`,
  subscribe: 'Subscribe',
  testCardsHint: (succeeds, declined) => `Test cards: ${succeeds} succeeds, ${declined} is declined.`,
  testIbansHint: (succeeds, fails) => `Test IBANs (settle later): ${succeeds} succeeds, ${fails} fails.`,
  promotionCodeHint: (code) => `Promotion code ${code}: 100% off.`,
  portalNotFound: ['Portal session not found', 'There is no customer portal session with this id.'],
  customerDeleted: ['Customer deleted', 'This customer no longer exists.'],
  portalTitle: 'Customer portal (emulator)',
  noEmail: 'No e-mail on file',
  subscriptions: 'Subscriptions',
  noSubscriptions: 'No subscriptions yet.',
  // The API's status values, as the tests and the site's journeys read them.
  status: (status) => status,
  canceledOn: (date) => `Canceled ${date}`,
  endsOn: (date) => `Ends on ${date}`,
  trialEnds: (date) => `Trial ends ${date}`,
  renews: (date) => `Renews ${date}`,
  cancelAtPeriodEnd: 'Cancel at period end',
  resumeSubscription: 'Resume subscription',
  cancelSubscription: 'Cancel subscription',
  newPlan: 'New plan',
  switchPlan: 'Switch plan',
  updateYourPlan: 'Update your plan',
  currentPlan: (plan) => `Current plan: ${plan}`,
  noOtherPlan: 'No other plan is available for this subscription.',
  updatePaymentMethod: 'Update payment method',
  savePaymentMethod: 'Save payment method',
  countryCode: 'Country or region (two-letter code)',
  saveShippingAddress: 'Save shipping address',
  testControls: "Emulator test controls (not part of Stripe's portal)",
  renewNow: 'Renew now',
  failNextRenewal: 'Fail the next renewal',
  endTrial: 'End the trial',
  refundLastPayment: 'Refund the last payment',
  notices: {
    cancel_at_period_end: 'Your subscription will end at the end of the current period.',
    resume: 'Your subscription will continue.',
    cancel_now: 'Your subscription has been canceled.',
    switch: 'Your plan has been switched.',
    payment_method: 'Your payment method has been updated.',
    shipping: 'Your shipping address has been updated.',
    renew: 'Renewed (emulator test control).',
    fail_renewal: 'A failed renewal was run (emulator test control).',
    end_trial: 'The trial has ended (emulator test control).',
    pause: 'Your payments are paused.',
    resume_payments: 'Your payments will resume.',
    refund_last_payment: 'The last payment was refunded (emulator test control).',
  },
  notYours: 'That subscription does not belong to this customer.',
  unknownAction: 'Unknown action.',
  switchingOff: 'Switching plans is turned off in the portal configuration.',
  noShippingAddress: 'There is no shipping address to change.',
  shippingUpdatesOff: 'Updating the shipping address is turned off in the portal configuration.',
  cancellationOff: 'Canceling at the end of the period is turned off in the portal configuration.',
  paymentMethodUpdatesOff: 'Updating the payment method is turned off in the portal configuration.',
  termsOfService: 'Terms of service',
  privacyPolicy: 'Privacy policy',
};

const JA_STATUSES: Readonly<Record<string, string>> = {
  active: '有効',
  trialing: 'トライアル中',
  past_due: '支払い遅延',
  incomplete: '未完了',
  incomplete_expired: '期限切れ',
  unpaid: '未払い',
  canceled: 'キャンセル済み',
  paused: '一時停止中',
};

const JAPANESE: PageStrings = {
  testModeBadge: 'テストモード',
  testModeBanner: 'Stripe エミュレーター（テストモード）：実際の支払いは行われません。',
  returnToShop: '← ショップに戻る',
  cardNumber: 'カード番号',
  expiry: '有効期限',
  cvc: 'セキュリティコード',
  checkoutNotFound: ['決済ページが見つかりません', 'この ID の決済セッションはありません。'],
  alreadyPaid: ['お支払い済みです', 'この決済セッションはすでに完了しています。'],
  checkoutExpired: ['有効期限が切れました', 'この決済セッションは有効期限が切れたため、お支払いいただけません。'],
  subscribeTo: (product) => (product ? `${product}のお申し込み` : 'お申し込み'),
  back: '← 戻る',
  orderSummary: 'ご注文内容',
  payment: 'お支払い',
  daysFree: (days) => `${days}日間無料`,
  dueToday: '本日のお支払い',
  totalDueToday: '本日のお支払い合計',
  discount: '割引',
  quantity: (count) => `数量 ${count}`,
  billedByUsage: 'ご利用量に応じて請求',
  billed: (interval) => `${interval}請求`,
  email: 'メールアドレス',
  phone: '電話番号',
  shippingAddress: '配送先住所',
  fullName: '氏名',
  country: '国または地域',
  postalCode: '郵便番号',
  state: '都道府県',
  city: '市区町村',
  line1: '番地',
  line2: '建物名・部屋番号（任意）',
  promotionCode: 'プロモーションコード',
  paymentMethod: '支払い方法',
  card: 'カード',
  bankDebit: '口座引き落とし（SEPA Direct Debit、テスト）',
  cardInformation: 'カード情報',
  bankAccount: '銀行口座',
  iban: 'IBAN',
  agreeToTerms: (link) => `${link}に同意します`,
  subscribe: '申し込む',
  testCardsHint: (succeeds, declined) => `テストカード：${succeeds} は成功し、${declined} は拒否されます。`,
  testIbansHint: (succeeds, fails) => `テスト用 IBAN（後で確定）：${succeeds} は成功し、${fails} は失敗します。`,
  promotionCodeHint: (code) => `プロモーションコード ${code}：100% 割引。`,
  portalNotFound: ['ポータルが見つかりません', 'この ID のカスタマーポータルのセッションはありません。'],
  customerDeleted: ['顧客は削除されました', 'この顧客はもう存在しません。'],
  portalTitle: 'カスタマーポータル（エミュレーター）',
  noEmail: 'メールアドレスの登録なし',
  subscriptions: 'サブスクリプション',
  noSubscriptions: 'サブスクリプションはまだありません。',
  status: (status) => JA_STATUSES[status] ?? status,
  canceledOn: (date) => `${date}にキャンセル済み`,
  endsOn: (date) => `${date}に終了`,
  trialEnds: (date) => `トライアル終了日：${date}`,
  renews: (date) => `次回更新日：${date}`,
  cancelAtPeriodEnd: '期間の終了時にキャンセル',
  resumeSubscription: 'サブスクリプションを継続',
  cancelSubscription: 'サブスクリプションをキャンセル',
  newPlan: '新しいプラン',
  switchPlan: 'プランを変更',
  updateYourPlan: 'プランの変更',
  currentPlan: (plan) => `現在のプラン：${plan}`,
  noOtherPlan: 'このサブスクリプションで選べるプランは他にありません。',
  updatePaymentMethod: '支払い方法を更新',
  savePaymentMethod: '支払い方法を保存',
  countryCode: '国または地域（2文字のコード）',
  saveShippingAddress: '配送先住所を保存',
  testControls: 'エミュレーターのテスト操作（Stripe のポータルにはありません）',
  renewNow: '今すぐ更新',
  failNextRenewal: '次回の更新を失敗させる',
  endTrial: 'トライアルを終了',
  refundLastPayment: '直近の支払いを返金',
  notices: {
    cancel_at_period_end: 'サブスクリプションは現在の期間の終了時にキャンセルされます。',
    resume: 'サブスクリプションは継続されます。',
    cancel_now: 'サブスクリプションをキャンセルしました。',
    switch: 'プランを変更しました。',
    payment_method: '支払い方法を更新しました。',
    shipping: '配送先住所を更新しました。',
    renew: '更新しました（エミュレーターのテスト操作）。',
    fail_renewal: '失敗する更新を実行しました（エミュレーターのテスト操作）。',
    end_trial: 'トライアルを終了しました（エミュレーターのテスト操作）。',
    pause: '支払いを一時停止しました。',
    resume_payments: '支払いを再開します。',
    refund_last_payment: '直近の支払いを返金しました（エミュレーターのテスト操作）。',
  },
  notYours: 'このサブスクリプションはこの顧客のものではありません。',
  unknownAction: '不明な操作です。',
  switchingOff: 'ポータルの設定でプランの変更がオフになっています。',
  noShippingAddress: '変更できる配送先住所がありません。',
  shippingUpdatesOff: 'ポータルの設定で配送先住所の変更がオフになっています。',
  cancellationOff: 'ポータルの設定で期間終了時のキャンセルがオフになっています。',
  paymentMethodUpdatesOff: 'ポータルの設定で支払い方法の変更がオフになっています。',
  termsOfService: '利用規約',
  privacyPolicy: 'プライバシーポリシー',
};

/** The words of a page in its language. */
export function pageStrings(language: PageLanguage): PageStrings {
  return language === 'ja' ? JAPANESE : ENGLISH;
}
