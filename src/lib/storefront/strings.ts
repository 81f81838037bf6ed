/** What the storefront says: the plans, the setup notice, the e-mail declared above an embed. */
import type { Translations } from '../language/translations.ts';

export interface StorefrontStrings {
  plans: string;
  plansIntro: string;
  subscribe: string;
  switchPlan: string;
  yourPlan: string;
  yourSubscription: string;
  manageInMyPage: string;
  plansUnavailable: string;
  noPlans: string;
  setupTitle: string;
  setupBody: string;
  setupReadme: string;
  /** The shop may not take orders yet (checkout/strings.ts says it on the refusal page). */
  notOpenNotice: string;
  /** The legend of a product's choices of interval. */
  howOften: string;
  /** Before a product's `per_delivery` text. */
  eachDelivery: string;
  /** A product in another currency than the subscription (Stripe keeps one currency per customer). */
  otherCurrency: string;
  /** On the subscriber's own product: where its interval or plan changes. */
  changePlan: string;
  /** Instead of the button while the shop is not open. */
  notOpenButton: string;
  configProblems: string;
  declareTitle: string;
  declareHint: string;
  declareSave: string;
  declaredAs: (email: string) => string;
  declareMissingNote: string;
}

export const storefrontStrings: Translations<StorefrontStrings> = {
  ja: {
    plans: 'プラン',
    plansIntro: 'プランをお選びください。変更や解約はマイページからいつでもできます。',
    subscribe: '申し込む',
    switchPlan: '変更する',
    yourPlan: 'ご契約中のプラン',
    yourSubscription: 'ご契約内容',
    manageInMyPage: 'プランの確認・変更はマイページから行えます。',
    plansUnavailable: '現在プランを表示できません。しばらくしてから再度お試しください。',
    noPlans: '販売中のプランはまだありません。',
    setupTitle: 'このショップはまだ設定されていません',
    setupBody: 'プランを表示するには、次のいずれかの変数を設定してください:',
    setupReadme: 'ドキュメント（docs/setup.md）の「Configuration」を参照してください。',
    notOpenNotice: 'このショップは開店準備中です。お申し込みはまだ受け付けていません。',
    howOften: 'お届けの間隔',
    eachDelivery: '1回のお届け',
    otherCurrency: 'ご契約中のプランと通貨が異なるため、今のご契約が終わるまでお申し込みいただけません。',
    changePlan: '間隔やプランを変更する',
    notOpenButton: '開店準備中',
    configProblems: '設定の問題:',
    declareTitle: 'メールアドレス',
    declareHint:
      'お申し込みの前に入力してください。お支払いページで使われ、このアドレスに届くリンクでマイページを開けます。',
    declareSave: '保存',
    declaredAs: (email) =>
      `お支払いページでは ${email} を使います。お支払い後、マイページでログイン用リンクを受け取ると、ここからご契約を開けます。`,
    declareMissingNote: '領収書メールのリンクからもご契約を管理できます。',
  },
  en: {
    plans: 'Plans',
    plansIntro: 'Pick a plan. You can change or cancel it any time from My Page.',
    subscribe: 'Subscribe',
    switchPlan: 'Switch',
    yourPlan: 'Your plan',
    yourSubscription: 'Your subscription',
    manageInMyPage: 'Manage or switch your plan in My Page.',
    plansUnavailable: 'Plans are unavailable right now. Please try again in a few minutes.',
    noPlans: 'No plans are on sale yet.',
    setupTitle: 'This shop is not set up yet',
    setupBody: 'Set one of these variables to show the plans:',
    setupReadme: 'See “Configuration” in the docs (docs/setup.md).',
    notOpenNotice: 'This shop is getting ready to open: it does not take subscriptions yet.',
    howOften: 'How often',
    eachDelivery: 'Each delivery',
    otherCurrency: 'Billed in another currency than your subscription: available once your subscription has ended.',
    changePlan: 'Change how often, or the plan',
    notOpenButton: 'Opening soon',
    configProblems: 'Configuration problems:',
    declareTitle: 'Your e-mail address',
    declareHint: 'Enter it before you subscribe: the payment page uses it, and My Page opens with a link sent to it.',
    declareSave: 'Save',
    declaredAs: (email) =>
      `The payment page will use ${email}. After paying, ask My Page for a sign-in link to open your subscription here.`,
    declareMissingNote: 'You can also manage your subscription through the link in your receipt e-mail.',
  },
};
