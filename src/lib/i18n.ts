/** UI strings in English and Japanese, and the choice between them from Accept-Language. */

/** Also the locale tag for number formatting and for Stripe Checkout and the portal. */
export type Language = 'en' | 'ja';


/**
 * Picks the visitor's language from an Accept-Language header, honouring q-values.
 * English when neither language is acceptable.
 */
export function pickLanguage(acceptLanguage: string | null | undefined): Language {
  if (!acceptLanguage) return 'en';
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
  return 'en';
}

export type IntervalUnit = 'day' | 'week' | 'month' | 'year';

interface Strings {
  shopName: string;
  tagline: string;
  myPage: string;
  plans: string;
  plansIntro: string;
  subscribe: string;
  demoBadge: string;
  demoNotice: string;
  plansUnavailable: string;
  noPlans: string;
  setupTitle: string;
  setupBody: string;
  setupMissing: string;
  setupReadme: string;
  configProblems: string;
  perInterval: (unit: IntervalUnit, count: number) => string;
  thanksTitle: string;
  thanksBody: (plan: string) => string;
  thanksBodyGeneric: string;
  skipToContent: string;
  mainNavigation: string;
  thanksMyPage: string;
  neutralTitle: string;
  neutralBody: string;
  backToShop: string;
  noSubscriptionTitle: string;
  noSubscriptionBody: string;
  portalErrorTitle: string;
  portalErrorBody: string;
  likelyFix: string;
  checkoutErrorTitle: string;
  checkoutErrorBody: string;
  invalidPlanTitle: string;
  invalidPlanBody: string;
  notFoundTitle: string;
  notFoundBody: string;
  footer: string;
}

const unitsEn: Record<IntervalUnit, [string, string]> = {
  day: ['day', 'days'],
  week: ['week', 'weeks'],
  month: ['month', 'months'],
  year: ['year', 'years'],
};
const unitsJa: Record<IntervalUnit, string> = { day: '日', week: '週', month: '月', year: '年' };
const unitsJaPlural: Record<IntervalUnit, string> = { day: '日', week: '週間', month: 'か月', year: '年' };

const en: Strings = {
  shopName: 'Hanamame Coffee',
  tagline: 'Freshly roasted beans, delivered on your schedule.',
  myPage: 'My Page',
  plans: 'Plans',
  plansIntro: 'Pick a plan. You can change or cancel it any time from My Page.',
  subscribe: 'Subscribe',
  demoBadge: 'Demo mode',
  demoNotice: 'Demo shop: payments go to a local Stripe emulator. Use card 4242 4242 4242 4242.',
  plansUnavailable: 'Plans are unavailable right now. Please try again in a few minutes.',
  noPlans: 'No plans are on sale yet.',
  setupTitle: 'This shop is not set up yet',
  setupBody: 'Set one of these variables to show the plans:',
  setupMissing: 'Missing or invalid:',
  setupReadme: 'See the README section “Configuration”.',
  configProblems: 'Configuration problems:',
  perInterval: (unit, count) => (count === 1 ? `/ ${unitsEn[unit][0]}` : `/ ${count} ${unitsEn[unit][1]}`),
  thanksTitle: 'Thank you for subscribing!',
  thanksBody: (plan) => `Your subscription to “${plan}” has started. A receipt is on its way to your e-mail.`,
  thanksBodyGeneric: 'Your subscription has started. A receipt is on its way to your e-mail.',
  skipToContent: 'Skip to content',
  mainNavigation: 'Main',
  thanksMyPage: 'Go to My Page',
  neutralTitle: 'Thank you',
  neutralBody: 'If you completed a purchase, a confirmation is on its way to your e-mail.',
  backToShop: 'Back to the plans',
  noSubscriptionTitle: 'No subscription found',
  noSubscriptionBody: 'We could not find a subscription for this browser. If you subscribed on another device or cleared your cookies, use the link in your receipt e-mail.',
  portalErrorTitle: 'My Page is unavailable right now',
  portalErrorBody: 'We could not open the customer portal. Please try again in a few minutes.',
  likelyFix: 'Likely fix (for the shop owner):',
  checkoutErrorTitle: 'Checkout is unavailable right now',
  checkoutErrorBody: 'We could not start the checkout. Please try again in a few minutes.',
  invalidPlanTitle: 'That plan is not available',
  invalidPlanBody: 'Please pick one of the plans on the storefront.',
  notFoundTitle: 'Page not found',
  notFoundBody: 'The page you are looking for does not exist.',
  footer: 'Payments are processed securely by Stripe.',
};

const ja: Strings = {
  shopName: 'はなまめ珈琲',
  tagline: '焙煎したての豆を、お好きなペースでお届けします。',
  myPage: 'マイページ',
  plans: 'プラン',
  plansIntro: 'プランをお選びください。変更や解約はマイページからいつでもできます。',
  subscribe: '申し込む',
  demoBadge: 'デモモード',
  demoNotice: 'デモショップです。決済はローカルの Stripe エミュレーターで行われます。カード番号 4242 4242 4242 4242 をお使いください。',
  plansUnavailable: '現在プランを表示できません。しばらくしてから再度お試しください。',
  noPlans: '販売中のプランはまだありません。',
  setupTitle: 'このショップはまだ設定されていません',
  setupBody: 'プランを表示するには、次のいずれかの変数を設定してください:',
  setupMissing: '未設定または不正:',
  setupReadme: 'README の「Configuration」を参照してください。',
  configProblems: '設定の問題:',
  perInterval: (unit, count) => (count === 1 ? `/ ${unitsJa[unit]}` : `/ ${count}${unitsJaPlural[unit]}`),
  thanksTitle: 'お申し込みありがとうございます！',
  thanksBody: (plan) => `「${plan}」のお申し込みが完了しました。領収書をメールでお送りします。`,
  thanksBodyGeneric: 'お申し込みが完了しました。領収書をメールでお送りします。',
  skipToContent: '本文へ移動',
  mainNavigation: 'メイン',
  thanksMyPage: 'マイページへ',
  neutralTitle: 'ありがとうございます',
  neutralBody: 'ご購入が完了している場合は、確認メールをお送りしています。',
  backToShop: 'プラン一覧に戻る',
  noSubscriptionTitle: 'ご契約が見つかりません',
  noSubscriptionBody: 'このブラウザーに紐づくご契約が見つかりませんでした。別の端末でお申し込みの場合や Cookie を削除した場合は、領収書メールのリンクをご利用ください。',
  portalErrorTitle: '現在マイページを開けません',
  portalErrorBody: 'カスタマーポータルを開けませんでした。しばらくしてから再度お試しください。',
  likelyFix: '考えられる対処 (ショップ管理者向け):',
  checkoutErrorTitle: '現在お申し込みを受け付けられません',
  checkoutErrorBody: '決済画面を開けませんでした。しばらくしてから再度お試しください。',
  invalidPlanTitle: 'そのプランはお申し込みいただけません',
  invalidPlanBody: 'ストアのプランからお選びください。',
  notFoundTitle: 'ページが見つかりません',
  notFoundBody: 'お探しのページは存在しません。',
  footer: '決済は Stripe によって安全に処理されます。',
};

const STRINGS: Record<Language, Strings> = { en, ja };

/** The string table for one language. */
export function strings(language: Language): Strings {
  return STRINGS[language];
}
