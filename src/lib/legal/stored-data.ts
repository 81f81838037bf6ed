/**
 * What the shop keeps in its own database (D1), table by table: every column, what it means to the
 * customer, and how long it stays. The privacy policy is written from this list, and a test compares
 * it with the migrated schema, so a new column cannot reach production without a line here.
 * Retention comes from the constants that make it so, never a number typed into the text.
 */
import { periodText } from '../language/durations.ts';
import type { Language } from '../language/languages.ts';
import type { Translations } from '../language/translations.ts';
import { DECLARED_EMAIL_TTL_MS } from '../checkout/declared-emails.ts';
import { PENDING_CHECKOUT_TTL_MS } from '../checkout/pending-checkouts.ts';
import { SIGN_IN_TTL_MS } from '../identity/sign-in-tokens.ts';
import { minutesText } from '../language/durations.ts';
import { BINDING_TTL_MS } from '../visitor/bindings.ts';
import { PROCESSED_EVENT_TTL_MS } from '../webhook/processed-events.ts';
import { SHIPMENT_RETENTION_MS } from '../shipments/shipments.ts';
import { DAILY_COUNT_KEPT_DAYS } from '../admin/daily-counts.ts';
import { INSERT_COLUMNS } from '../shipments/row.ts';
import { SUBSCRIPTION_COLUMNS } from '../subscriptions/record.ts';

export interface StoredTable {
  /** The D1 table. */
  table: string;
  /** Every column it has (the test checks this against the schema). */
  columns: readonly string[];
  /** Whether a row can be tied to a person (an e-mail, a name, an address, a customer or browser). */
  personal: boolean;
  /** What it holds and why, in the customer's words. */
  holds: Translations<string>;
  /** How long a row stays. */
  kept: Translations<string>;
}

/** "Deleted within the hour once expired": the hourly run (housekeeping/hourly.ts) removes expired rows. */
const sweptHourly = { ja: '期限が切れたものは1時間以内に削除します', en: 'expired ones are deleted within the hour' };

function period(ms: number): Translations<string> {
  return { ja: periodText(ms, 'ja'), en: periodText(ms, 'en') };
}

export const STORED_TABLES: readonly StoredTable[] = [
  {
    table: 'subscriptions',
    columns: SUBSCRIPTION_COLUMNS,
    personal: true,
    holds: {
      ja: 'ご契約の記録：Stripe の顧客 ID、プランとお届けの間隔、状態（ご契約中・お支払い遅延など）、更新日と終了日、スキップ・一時停止・間隔の変更の予定、カードのブランドと末尾4桁、お届け先の氏名と住所（Stripe に登録されたものの写しで、ページの表示と発送に使います）。',
      en: 'Your subscription’s record: your Stripe customer id, plan and how often it comes, status (active, payment overdue, …), renewal and end dates, a skip, pause or change of frequency you made, your card’s brand and last 4 digits, and the delivery name and address (a copy of what Stripe holds, to show on the pages and to ship).',
    },
    kept: {
      ja: 'Stripe でお客様の情報が削除されるまで。削除されると、この記録とブラウザーとの結び付きも削除します',
      en: 'until your customer details are deleted at Stripe, when we delete it and its browser links too',
    },
  },
  {
    table: 'bindings',
    columns: ['visitor_ref', 'customer_id', 'bound_at', 'expires_at', 'via', 'email'],
    personal: true,
    holds: {
      ja: 'ブラウザーとご契約の結び付き：Cookie から一方向に計算した参照値、顧客 ID、結び付けた方法（お申し込み・ログイン用リンク）と、ログイン用リンクの場合はそのメールアドレス。',
      en: 'The link between a browser and your subscription: the one-way reference computed from the cookie, your customer id, how it was made (subscribing or a sign-in link) and, for a sign-in link, the e-mail address it went to.',
    },
    kept: {
      ja: `結び付けてから${periodText(BINDING_TTL_MS, 'ja')}（Cookie の有効期間と同じ）`,
      en: `${periodText(BINDING_TTL_MS, 'en')} from when it was made, as long as the cookie lasts`,
    },
  },
  {
    table: 'declared_emails',
    columns: ['visitor_ref', 'email', 'expires_at'],
    personal: true,
    holds: {
      ja: 'お支払いの前にご入力いただいたメールアドレスと、そのブラウザーの参照値。',
      en: 'The e-mail address you enter before paying, with that browser’s reference.',
    },
    kept: period(DECLARED_EMAIL_TTL_MS),
  },
  {
    table: 'pending_checkouts',
    columns: ['session_id', 'visitor_ref', 'email', 'customer_id', 'expires_at'],
    personal: true,
    holds: {
      ja: 'お支払いを始めた記録：Stripe のお支払い画面の ID、ブラウザーの参照値、メールアドレス、顧客 ID。',
      en: 'A started payment: the id of Stripe’s payment page, the browser’s reference, the e-mail address and the customer id.',
    },
    kept: period(PENDING_CHECKOUT_TTL_MS),
  },
  {
    table: 'sign_in_tokens',
    columns: ['token_hash', 'email', 'next', 'expires_at', 'used_at', 'requester_ref'],
    personal: true,
    holds: {
      ja: 'ログイン用リンク：リンクから一方向に計算した値、送り先のメールアドレス、リンクを求めたブラウザーの参照値。',
      en: 'Sign-in links: a one-way value computed from the link, the e-mail address it went to, and the reference of the browser that asked for it.',
    },
    kept: {
      ja: `${minutesText(SIGN_IN_TTL_MS, 'ja')}間有効で、${sweptHourly.ja}`,
      en: `valid for ${minutesText(SIGN_IN_TTL_MS, 'en')}; ${sweptHourly.en}`,
    },
  },
  {
    table: 'customer_sessions',
    columns: ['visitor_ref', 'component', 'customer_id', 'client_secret', 'expires_at'],
    personal: true,
    holds: {
      ja: 'Stripe の申し込み部品にご契約中のお客様を伝えるための一時的な鍵と、顧客 ID、ブラウザーの参照値。',
      en: 'A short-lived key that tells Stripe’s embedded sign-up which customer you are, with your customer id and the browser’s reference.',
    },
    kept: {
      ja: `Stripe が定める有効期限（30分）まで。${sweptHourly.ja}`,
      en: `until Stripe’s expiry (30 minutes); ${sweptHourly.en}`,
    },
  },
  {
    table: 'processed_events',
    columns: ['event_id', 'type', 'claimed_at', 'done', 'expires_at'],
    personal: false,
    holds: {
      ja: 'Stripe から届いた通知の ID と種類（同じ通知を二度処理しないため）。個人情報は含みません。',
      en: 'The ids and types of Stripe’s notifications, so none is handled twice. No personal information.',
    },
    kept: period(PROCESSED_EVENT_TTL_MS),
  },
  {
    table: 'shipments',
    // What a parcel starts with, then what shipping, calling off, a refund and the notice add.
    columns: [
      ...INSERT_COLUMNS,
      'shipped_at',
      'carrier',
      'tracking_number',
      'cancelled_at',
      'refund_amount',
      'refund_currency',
      'refund_full',
      'notified_at',
      'expires_at',
    ],
    personal: true,
    holds: {
      ja: 'お届けする荷物ごとの記録：お支払いの請求書 ID、顧客 ID、プランと数量、お支払い時点のお届け先の氏名・住所・電話番号、メールアドレス（発送のお知らせのため）、お支払い日、発送期限、発送日、配送業者と伝票番号、返金の有無。送り状の作成と、荷物についてのお問い合わせへの対応に使います。',
      en: 'One record per parcel: the invoice id, your customer id, the plan and quantity, the delivery name, address and phone number as they were when you paid, your e-mail address (for the shipping notice), when you paid, the ship-by and shipping dates, the carrier and tracking number, and any refund. We use it to print labels and to answer questions about a parcel.',
    },
    kept: {
      ja: `発送するまで。発送または取り消しから${periodText(SHIPMENT_RETENTION_MS, 'ja')}（お支払いへの異議申し立てや配送のお問い合わせに答えるため）の後、${sweptHourly.ja}`,
      en: `until it ships, then ${periodText(SHIPMENT_RETENTION_MS, 'en')} after it ships or is called off (to answer a payment dispute or a carrier's question); ${sweptHourly.en}`,
    },
  },
  {
    table: 'daily_counts',
    columns: ['day', 'live_subscribers'],
    personal: false,
    holds: {
      ja: '日ごとのご契約者数（当店の集計用）。個人情報は含みません。',
      en: 'How many subscribers the shop had each day, for its own figures. No personal information.',
    },
    kept: period(DAILY_COUNT_KEPT_DAYS * 86_400_000),
  },
  {
    table: 'meta',
    columns: ['name', 'value'],
    personal: false,
    holds: {
      ja: 'サイト自身の作業の記録（移行の完了など）。個人情報は含みません。',
      en: 'The site’s own bookkeeping (such as a finished migration). No personal information.',
    },
    kept: { ja: '作業に必要な間', en: 'as long as the work needs it' },
  },
];

/** One line per table for the privacy policy: what it holds, then how long it stays. */
export function storedDataLines(lang: Language): string[] {
  return STORED_TABLES.map((table) =>
    lang === 'ja' ? `${table.holds.ja}保存期間：${table.kept.ja}。` : `${table.holds.en} Kept: ${table.kept.en}.`,
  );
}
