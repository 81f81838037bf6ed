/** What a subscriber reads about their subscription: its status and dates, the card, the delivery address, My Page and the members area. */
import type { Translations } from '../language/translations.ts';
import type { SubscriptionRecord } from './record.ts';

type Status = SubscriptionRecord['status'];

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

export interface SubscriptionStrings {
  status: (status: Status) => string;
  renewsOn: (date: string) => string;
  trialEndsOn: (date: string) => string;
  endsOn: (date: string) => string;
  paymentFailed: string;
  updateCard: string;
  cardOnFile: (brand: string, last4: string) => string;
  paymentMethodTitle: string;
  changeCard: string;
  membersAbout: string;
  openMembers: string;
  membersTitle: string;
  membersIntro: string;
  membersGuides: ReadonlyArray<{ title: string; body: string }>;
  membersOnlyTitle: string;
  membersOnlyBody: string;
  noSubscriptionTitle: string;
  noSubscriptionBody: string;
  portalErrorTitle: string;
  portalErrorBody: string;
  deliveryTitle: string;
  /** The recipient's name as addressed on the page (with 様 in Japanese). */
  deliveryRecipient: (name: string) => string;
  deliveryChange: string;
}

export const subscriptionStrings: Translations<SubscriptionStrings> = {
  ja: {
    status: (status) => statusJa[status] ?? status,
    renewsOn: (date) => `${date}に更新`,
    trialEndsOn: (date) => `無料お試しは${date}まで`,
    endsOn: (date) => `${date}に終了します。マイページから継続できます`,
    paymentFailed: '前回のお支払いができませんでした。カード情報を更新してください',
    updateCard: 'カードを更新',
    cardOnFile: (brand, last4) => `${brand.toUpperCase()} 末尾 ${last4}`,
    paymentMethodTitle: 'お支払い方法',
    changeCard: 'カードを変更する',
    membersAbout: 'ご契約中の方だけのページです。お届けしている豆のおすすめの淹れ方をご紹介しています。',
    openMembers: '会員ページを開く',
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
    noSubscriptionTitle: 'ご契約が見つかりません',
    noSubscriptionBody:
      'このブラウザーに紐づくご契約が見つかりませんでした。別の端末でお申し込みの場合や Cookie を削除した場合は、領収書メールのリンクをご利用ください。',
    portalErrorTitle: '現在マイページを開けません',
    portalErrorBody: 'カスタマーポータルを開けませんでした。しばらくしてから再度お試しください。',
    deliveryTitle: 'お届け先',
    deliveryRecipient: (name) => `${name} 様`,
    deliveryChange: 'お届け先を変更する',
  },
  en: {
    status: (status) => statusEn[status] ?? status,
    renewsOn: (date) => `Renews on ${date}`,
    trialEndsOn: (date) => `Trial ends on ${date}`,
    endsOn: (date) => `Ends on ${date}: you can renew in My Page`,
    paymentFailed: 'Your last payment failed: update your card',
    updateCard: 'Update card',
    cardOnFile: (brand, last4) => `${brand.toUpperCase()} ending in ${last4}`,
    paymentMethodTitle: 'Payment method',
    changeCard: 'Change card',
    membersAbout: 'A page for subscribers only: how we brew the beans we send you.',
    openMembers: 'Open the members area',
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
    noSubscriptionTitle: 'No subscription found',
    noSubscriptionBody:
      'We could not find a subscription for this browser. If you subscribed on another device or cleared your cookies, use the link in your receipt e-mail.',
    portalErrorTitle: 'My Page is unavailable right now',
    portalErrorBody: 'We could not open the customer portal. Please try again in a few minutes.',
    deliveryTitle: 'Delivery address',
    deliveryRecipient: (name) => name,
    deliveryChange: 'Change delivery address',
  },
};
