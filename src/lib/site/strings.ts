/** What every page shares (the layout, the navigation, the error and refusal pages), in both languages. */
import type { Translations } from '../language/translations.ts';

export interface SiteStrings {
  shopName: string;
  tagline: string;
  myPage: string;
  demoBadge: string;
  demoNotice: string;
  skipToContent: string;
  mainNavigation: string;
  backToShop: string;
  footer: string;
  /** The legal pages' titles, also their footer links. */
  legalDisclosureTitle: string;
  legalTermsTitle: string;
  legalPrivacyTitle: string;
  legalNavigation: string;
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
}

export const siteStrings: Translations<SiteStrings> = {
  ja: {
    shopName: 'はなまめ珈琲',
    tagline: '焙煎したての豆を、お好きなペースでお届けします。',
    myPage: 'マイページ',
    demoBadge: 'デモモード',
    demoNotice:
      'デモショップです。決済はローカルの Stripe エミュレーターで行われます。カード番号 4242 4242 4242 4242 をお使いください。',
    skipToContent: '本文へ移動',
    mainNavigation: 'メイン',
    backToShop: 'プラン一覧に戻る',
    footer: '決済は Stripe によって安全に処理されます。',
    legalDisclosureTitle: '特定商取引法に基づく表記',
    legalTermsTitle: '利用規約',
    legalPrivacyTitle: 'プライバシーポリシー',
    legalNavigation: '規約と表記',
    busyBody: '決済サービスからの応答が遅れています。1分ほどしてから再度お試しください。',
    rateLimitedTitle: 'リクエストが多すぎます',
    rateLimitedBody: '1分ほど待ってから再度お試しください。',
    needsCookieTitle: 'もう一度お試しください',
    needsCookieBody:
      'このショップが設定した Cookie がブラウザーから送られなかったため、何も保存していません。前のページに戻って再読み込みし、もう一度お試しください（このショップの Cookie を許可してください）。',
    notConfiguredTitle: 'このショップはまだ設定されていません',
    notConfiguredBody: (variable) => `ショップ管理者が ${variable} を設定する必要があります。`,
    reference: (id) => `お問い合わせ番号: ${id}`,
    notFoundTitle: 'ページが見つかりません',
    notFoundBody: 'お探しのページは存在しません。',
  },
  en: {
    shopName: 'Hanamame Coffee',
    tagline: 'Freshly roasted beans, delivered on your schedule.',
    myPage: 'My Page',
    demoBadge: 'Demo mode',
    demoNotice: 'Demo shop: payments go to a local Stripe emulator. Use card 4242 4242 4242 4242.',
    skipToContent: 'Skip to content',
    mainNavigation: 'Main',
    backToShop: 'Back to the plans',
    footer: 'Payments are processed securely by Stripe.',
    legalDisclosureTitle: 'Commerce disclosure',
    legalTermsTitle: 'Terms of service',
    legalPrivacyTitle: 'Privacy policy',
    legalNavigation: 'Legal',
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
  },
};
