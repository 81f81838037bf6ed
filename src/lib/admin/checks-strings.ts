/** What /admin/checks says around the doctor's checks (src/lib/setup/doctor.ts, whose labels and fixes are English, as `npm run doctor` prints them). */
import type { Translations } from '../language/translations.ts';

export interface ChecksStrings {
  title: string;
  intro: string;
  /** The link from the home page's setup section. */
  open: string;
  summary: (failed: number, passed: number, skipped: number) => string;
  status: { ok: string; fail: string; skip: string };
  areas: Record<string, string>;
  /** Why the webhook, portal and tax ID checks are not run here. */
  setupKeyOnly: string;
}

export const checksStrings: Translations<ChecksStrings> = {
  ja: {
    title: 'Stripe と設定の点検',
    intro:
      'npm run doctor と同じ点検を、このサイトの Stripe キーで行います（読み取りだけで、何も作成・変更しません）。各項目と直し方は npm run doctor と同じ英語で表示します。',
    open: 'Stripe と設定をすべて点検する',
    summary: (failed, passed, skipped) => `要対応 ${failed}件・問題なし ${passed}件・対象外 ${skipped}件`,
    status: { ok: '問題なし', fail: '要対応', skip: '対象外' },
    areas: {
      'stripe-key': 'サイトの Stripe キーの権限',
      catalog: '商品と価格',
      webhook: 'Webhook',
      portal: 'カスタマーポータル',
      'tax-id': '適格請求書の登録番号',
      site: 'サイトの設定',
      cloudflare: 'Cloudflare',
      profile: 'ショップ情報',
    },
    setupKeyOnly:
      'Webhook・カスタマーポータル・登録番号は、サイトの制限付きキーでは読めないため、セットアップ用キーを渡した npm run doctor で点検してください。',
  },
  en: {
    title: 'Stripe and setup check',
    intro:
      'The checks of npm run doctor, made with this site’s Stripe key (reads only: nothing is created or changed).',
    open: 'Check Stripe and the whole setup',
    summary: (failed, passed, skipped) => `${failed} to fix, ${passed} fine, ${skipped} not checked here`,
    status: { ok: 'Fine', fail: 'To fix', skip: 'Not checked' },
    areas: {
      'stripe-key': 'The site’s Stripe key',
      catalog: 'Products and prices',
      webhook: 'Webhook',
      portal: 'Customer portal',
      'tax-id': 'Registration number',
      site: 'The site’s settings',
      cloudflare: 'Cloudflare',
      profile: 'Shop profile',
    },
    setupKeyOnly:
      'The webhook endpoint, the portal and the registration number cannot be read with the site’s restricted key: check them with npm run doctor and the setup key.',
  },
};
