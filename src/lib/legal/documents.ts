/**
 * The terms of service and the privacy policy as sections, from the shop profile. The subscription
 * clauses quote the profile (the same words as the commerce disclosure); the privacy policy states
 * what this site's code stores and for how long from stored-data.ts.
 */
import type { Language } from '../language/languages.ts';
import type { LocalText, ShopProfile } from './profile.ts';
import { storedDataLines } from './stored-data.ts';
import { legalStrings } from './strings.ts';

export interface Section {
  heading: string;
  paragraphs: string[];
}

export interface DocumentOptions {
  /** DEMO_MODE: payments go to the local emulator, nothing ships. */
  demo: boolean;
}

function contactLines(profile: ShopProfile, lang: Language): string[] {
  const l = (value: LocalText) => value[lang];
  const ja = lang === 'ja';
  const colon = ja ? '：' : ': ';
  const lines = [
    `${ja ? '販売業者' : 'Seller'}${colon}${l(profile.legalName)}`,
    `${ja ? 'メールアドレス' : 'E-mail'}${colon}${profile.email}`,
  ];
  if (!profile.disclosesOnRequest && profile.address)
    lines.push(`${ja ? '所在地' : 'Address'}${colon}${l(profile.address)}`);
  if (!profile.disclosesOnRequest && profile.phone) lines.push(`${ja ? '電話番号' : 'Phone'}${colon}${profile.phone}`);
  lines.push(`${ja ? '受付時間' : 'Hours'}${colon}${l(profile.hours)}`);
  return lines;
}

/** The terms of service (利用規約): the subscription, its renewal, delivery, cancellation, returns. */
export function termsSections(profile: ShopProfile, lang: Language, options: DocumentOptions): Section[] {
  const l = (value: LocalText) => value[lang];
  const colon = lang === 'ja' ? '：' : ': ';
  const payments = profile.paymentMethods.map((method) => `${l(method.name)}${colon}${l(method.charged)}`);
  const { cancellation, returns } = profile;
  // Skips, pauses and frequency changes, where the shop posts beans (docs/changes.md).
  const changes = profile.shipping
    ? [legalStrings[lang].legalChanges(profile.shipping.changeCutoffDays, profile.shipping.timeZone)]
    : [];
  const notice: Section[] = [];
  if (lang === 'ja') {
    if (profile.sample || options.demo)
      notice.push({
        heading: 'デモについて',
        paragraphs: [
          'このショップはデモです。この規約は表記のサンプルで、実際の販売や契約は行われません。',
          ...(options.demo ? ['決済はテスト用の環境で行われ、料金は請求されず、商品も発送されません。'] : []),
        ],
      });
    return [
      ...notice,
      {
        heading: '第1条（適用）',
        paragraphs: [
          `この規約は、${l(profile.legalName)}（以下「当店」といいます）がこのウェブサイトで提供するコーヒー豆の定期お届けサービス（以下「本サービス」といいます）に適用されます。お申し込みをもって、この規約に同意いただいたものとします。`,
        ],
      },
      {
        heading: '第2条（契約と自動更新）',
        paragraphs: [
          '本サービスは定期購入です。お選びいただいたプランの期間（毎月、毎年など）ごとに契約が自動で更新され、各期間の料金（税込）をお支払いいただきます。各プランの価格と請求周期は、ストアと「特定商取引法に基づく表記」に表示しています。',
          ...payments,
        ],
      },
      { heading: '第3条（お届け）', paragraphs: [l(profile.delivery)] },
      { heading: '第4条（料金以外の費用）', paragraphs: [l(profile.otherCharges)] },
      {
        heading: '第5条（解約）',
        paragraphs: [l(cancellation.how), l(cancellation.deadline), l(cancellation.effective)],
      },
      {
        heading: '第6条（プランの変更）',
        paragraphs: ['プランの変更とお支払い方法の変更は、マイページからいつでも行えます。', ...changes],
      },
      { heading: '第7条（返品・交換）', paragraphs: [l(returns.customer), l(returns.defective)] },
      {
        heading: '第8条（お届けの遅れ）',
        paragraphs: [
          '天災や配送事業者の事情など、当店の責めによらない事由でお届けが遅れる場合があります。その場合はメールでお知らせします。',
        ],
      },
      {
        heading: '第9条（規約の変更）',
        paragraphs: [
          'この規約を変更するときは、変更の内容と効力が生じる日を、その日の1か月前までにこのウェブサイトへの掲載とメールでお知らせします。',
        ],
      },
      { heading: '第10条（準拠法）', paragraphs: ['この規約は日本法に準拠します。'] },
      { heading: 'お問い合わせ', paragraphs: contactLines(profile, lang) },
    ];
  }
  if (profile.sample || options.demo)
    notice.push({
      heading: 'About this demo',
      paragraphs: [
        'This shop is a demo. These terms are a sample: nothing is sold and no contract is made.',
        ...(options.demo ? ['Payments go to a test environment: nothing is charged and nothing ships.'] : []),
      ],
    });
  return [
    ...notice,
    {
      heading: '1. Scope',
      paragraphs: [
        `These terms apply to the coffee-bean delivery subscription (“the service”) that ${l(profile.legalName)} (“we”) offers on this website. By subscribing you agree to them.`,
      ],
    },
    {
      heading: '2. Subscription and renewal',
      paragraphs: [
        'The service is a subscription. It renews automatically at the end of each period of the plan you chose (a month, a year, …), and each period is charged at its price, tax included. Each plan’s price and billing cycle are shown on the storefront and in the commerce disclosure.',
        ...payments,
      ],
    },
    { heading: '3. Delivery', paragraphs: [l(profile.delivery)] },
    { heading: '4. Other charges', paragraphs: [l(profile.otherCharges)] },
    {
      heading: '5. Cancellation',
      paragraphs: [l(cancellation.how), l(cancellation.deadline), l(cancellation.effective)],
    },
    {
      heading: '6. Changing your plan',
      paragraphs: ['You can switch plans or change your payment method in My Page at any time.', ...changes],
    },
    { heading: '7. Returns and exchanges', paragraphs: [l(returns.customer), l(returns.defective)] },
    {
      heading: '8. Late deliveries',
      paragraphs: [
        'A delivery may be late for reasons outside our control, such as natural disasters or the carrier. We tell you by e-mail when it is.',
      ],
    },
    {
      heading: '9. Changes to these terms',
      paragraphs: [
        'We announce any change to these terms, and the day it takes effect, on this website and by e-mail at least one month before that day.',
      ],
    },
    { heading: '10. Governing law', paragraphs: ['These terms are governed by the laws of Japan.'] },
    { heading: 'Contact', paragraphs: contactLines(profile, lang) },
  ];
}

/** The privacy policy (プライバシーポリシー): what the site stores, why, for how long, and who processes it. */
export function privacySections(profile: ShopProfile, lang: Language): Section[] {
  const l = (value: LocalText) => value[lang];
  if (lang === 'ja')
    return [
      {
        heading: '基本方針',
        paragraphs: [
          `${l(profile.legalName)}（以下「当店」といいます）は、お客様の個人情報を個人情報保護法とこの方針に従って取り扱います。`,
        ],
      },
      {
        heading: '取得する情報',
        paragraphs: [
          'メールアドレス：お申し込みの前とお支払い画面でご入力いただきます。お支払い画面、ログイン用リンク、お届けのお知らせの送信に使います。',
          'ブラウザーの Cookie：ランダムな値を1つだけ保存します（名前は __Host-visitor_id）。当店のサーバーはその値から一方向に計算した参照値だけを保存し、Cookie の値そのものは保存しません。広告や行動の追跡には使いません。',
          'お届け先の氏名・住所・電話番号：お支払い画面でご入力いただきます。',
          'カード番号は当店では取得しません。Stripe が直接処理します。',
        ],
      },
      {
        heading: '利用目的',
        paragraphs: [
          '商品のお届け、料金の請求、ご契約の管理（マイページ）、お問い合わせへの対応、不正利用の防止のために利用します。',
        ],
      },
      {
        heading: '当店が保存する情報と保存期間',
        paragraphs: [...storedDataLines('ja'), '記録（ログ）にはメールアドレスを残しません。'],
      },
      {
        heading: 'Stripe が保管する情報',
        paragraphs: [
          'お客様情報（氏名、メールアドレス、お届け先、電話番号）、お支払い方法、請求と領収書は Stripe が保管し、その期間は Stripe のプライバシーポリシーに従います。当店が写しとして持つものは上記のとおりです。',
        ],
      },
      {
        heading: '委託先',
        paragraphs: [
          'Stripe, Inc.（米国）：決済、お客様情報とお届け先の保管、領収書メールの送信。',
          'Cloudflare, Inc.（米国）：ウェブサイトの配信、上記の記録の保存、ログイン用リンクと発送のお知らせのメール送信。',
          'Stripe と Cloudflare は日本国外のサーバーで情報を処理することがあります（外国にある第三者への委託）。',
          '配送業者（ヤマト運輸株式会社・日本郵便株式会社）：荷物のお届けのため、お届け先の氏名、住所、電話番号を送り状として渡します。',
          '法令に基づく場合を除き、これ以外の第三者には提供しません。',
        ],
      },
      {
        heading: '開示・訂正・削除のご請求',
        paragraphs: ['ご自身の情報の開示、訂正、利用停止、削除をご希望の場合は、下記の窓口までご連絡ください。'],
      },
      { heading: 'お問い合わせ窓口', paragraphs: contactLines(profile, lang) },
    ];
  return [
    {
      heading: 'Our approach',
      paragraphs: [
        `${l(profile.legalName)} (“we”) handles your personal information under Japan’s Act on the Protection of Personal Information and this policy.`,
      ],
    },
    {
      heading: 'What we collect',
      paragraphs: [
        'Your e-mail address, entered before paying and on the payment page: the payment page, sign-in links and delivery notices are sent to it.',
        'A browser cookie holding one random value (named __Host-visitor_id). Our server keeps only a one-way reference computed from it, never the value itself. It is not used for advertising or tracking.',
        'Your name, delivery address and phone, entered on the payment page.',
        'We never see your card number: Stripe processes it directly.',
      ],
    },
    {
      heading: 'Why',
      paragraphs: [
        'To deliver, to charge, to let you manage your subscription (My Page), to answer you, and to prevent fraud.',
      ],
    },
    {
      heading: 'What we store, and for how long',
      paragraphs: [...storedDataLines('en'), 'Our logs never hold an e-mail address.'],
    },
    {
      heading: 'What Stripe keeps',
      paragraphs: [
        'Your customer details (name, e-mail, delivery address, phone), payment methods, invoices and receipts are kept by Stripe, for as long as Stripe’s privacy policy says. What we keep a copy of is listed above.',
      ],
    },
    {
      heading: 'Who processes it for us',
      paragraphs: [
        'Stripe, Inc. (USA): payments, your customer and delivery details, receipt e-mails.',
        'Cloudflare, Inc. (USA): serving this website, storing the records above, and sending sign-in links and shipping notices.',
        'Stripe and Cloudflare may process the information on servers outside Japan.',
        'Carriers (Yamato Transport, Japan Post): to deliver your parcel, the delivery name, address and phone number go on its label.',
        'We give it to no one else unless the law requires it.',
      ],
    },
    {
      heading: 'Your rights',
      paragraphs: ['To see, correct, stop the use of or delete your information, contact us below.'],
    },
    { heading: 'Contact', paragraphs: contactLines(profile, lang) },
  ];
}
