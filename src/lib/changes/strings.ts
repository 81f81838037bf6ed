/** What a subscriber reads about skipping, pausing and changing how often beans come: the storefront, the pages, the e-mail. */
import type { Translations } from '../language/translations.ts';
import type { ChangeRefusal } from './decide.ts';
import type { ChangeKind } from './run.ts';

export interface ChangeStrings {
  title: string;
  nextDelivery: (date: string) => string;
  afterThat: (date: string) => string;
  /** The deliveries a skip or pause leaves out. */
  leftOut: (dates: string) => string;
  pausedUntil: (date: string) => string;
  pausedIndefinitely: string;
  /** The last day (`date`) a change for the renewal of `renewal` is taken (受付締切). */
  cutoff: (renewal: string, date: string) => string;
  skip: (skipped: string, next: string) => string;
  undoSkip: string;
  resume: string;
  /** Past the cutoff: what a change affects instead. */
  preparing: (next: string, after: string) => string;
  /** Past the cutoff, paused: resuming now leaves the next delivery out. */
  resumeAfterCutoff: (next: string, after: string) => string;
  pauseTitle: string;
  pauseMonths: (months: number) => string;
  checkDates: string;
  frequencyTitle: string;
  frequencyCurrent: (label: string) => string;
  frequencyPending: (label: string, date: string) => string;
  frequencyFrom: (date: string) => string;
  /** The flash after a change, by kind. */
  done: Record<ChangeKind, string>;
  /** Added to the flash when the shop sends e-mails. */
  emailComing: string;
  confirmPauseTitle: string;
  confirmPause: (months: number) => string;
  pauseResumes: (date: string) => string;
  confirmFrequencyTitle: string;
  frequencyChange: (label: string, date: string) => string;
  frequencyThen: (date: string) => string;
  frequencyNoCharge: string;
  confirm: string;
  cancel: string;
  refusedTitle: string;
  refused: Record<ChangeRefusal, string>;
  notSubscriberTitle: string;
  notSubscriberBody: string;
  failureTitle: string;
  failureBody: string;
  badRequest: string;
  /** The confirmation e-mail. */
  emailSubject: (shopName: string, kind: ChangeKind) => string;
  emailIntro: Record<ChangeKind, string>;
  emailNote: string;
}

export const changeStrings: Translations<ChangeStrings> = {
  ja: {
    title: 'お届けの変更',
    nextDelivery: (date) => `次回のお届け：${date}`,
    afterThat: (date) => `その次のお届け：${date}`,
    leftOut: (dates) => `お休みするお届け：${dates}`,
    pausedUntil: (date) => `一時停止中です。${date}のお届けから再開します`,
    pausedIndefinitely: '一時停止中です（再開日は未定です）',
    cutoff: (renewal, date) => `${renewal}のお届け分の受付締切：${date}`,
    skip: (skipped, next) => `次回のお届け（${skipped}）をスキップ（次は${next}）`,
    undoSkip: 'スキップを取り消す',
    resume: '一時停止を解除する',
    preparing: (next, after) =>
      `次回のお届け（${next}）はすでに準備中のため、変更できません。スキップと一時停止は次回のお届けの後に、${after}のお届けから承ります。お届け頻度の変更は${after}のお届けから適用されます。`,
    resumeAfterCutoff: (next, after) =>
      `次回のお届け（${next}）は受付締切を過ぎたためお休みのままです。解除すると${after}のお届けから再開します。`,
    pauseTitle: '一時停止',
    pauseMonths: (months) => `${months}か月`,
    checkDates: '日付を確認する',
    frequencyTitle: 'お届け頻度の変更',
    frequencyCurrent: (label) => `現在のお届け頻度：${label}`,
    frequencyPending: (label, date) => `${date}のお届けから${label}に変更されます`,
    frequencyFrom: (date) => `${date}のお届けから適用されます。変更による追加のご請求はありません`,
    done: {
      skip: '次回のお届けをスキップしました。',
      pause: '一時停止しました。',
      resume: '再開しました。',
      frequency: 'お届け頻度を変更しました。',
    },
    emailComing: '確認のメールをお送りします。',
    confirmPauseTitle: '一時停止の確認',
    confirmPause: (months) => `${months}か月のあいだ一時停止します。お休み中のお届けはなく、ご請求もありません`,
    pauseResumes: (date) => `${date}のお届けから再開し、その日にご請求します`,
    confirmFrequencyTitle: 'お届け頻度の変更の確認',
    frequencyChange: (label, date) => `${date}のお届けから${label}になります`,
    frequencyThen: (date) => `その次のお届け：${date}`,
    frequencyNoCharge: '変更による日割りのご請求や返金はありません。新しい料金は次回のお届けの日にご請求します',
    confirm: 'この内容で確定する',
    cancel: 'やめる',
    refusedTitle: '変更できませんでした',
    refused: {
      cutoff: '次回のお届けの受付締切を過ぎたため、このお届けは変更できません',
      stale: 'ご契約の内容が変わっていました。最新の日付をご確認のうえ、もう一度お試しください',
      'not-changeable': 'このご契約は現在変更できません',
      paused: 'すでに一時停止中です。いったん解除してから、あらためてお選びください',
    },
    notSubscriberTitle: 'ご本人の確認が必要です',
    notSubscriberBody:
      'このブラウザーはご契約に結び付いていません。マイページからメールでログインしてから、もう一度お試しください',
    failureTitle: '変更できませんでした',
    failureBody: '決済サービスとの通信に失敗しました。何も変更されていません。時間をおいてもう一度お試しください',
    badRequest: 'フォームの内容が正しくありません',
    emailSubject: (shopName, kind) =>
      `【${shopName}】${{ skip: 'スキップ', pause: '一時停止', resume: '再開', frequency: 'お届け頻度の変更' }[kind]}を承りました`,
    emailIntro: {
      skip: '次回のお届けのスキップを承りました。',
      pause: '定期便の一時停止を承りました。',
      resume: '定期便の再開を承りました。',
      frequency: 'お届け頻度の変更を承りました。',
    },
    emailNote: 'お心当たりのない場合は、このメールにご返信ください。',
  },
  en: {
    title: 'Change your deliveries',
    nextDelivery: (date) => `Next delivery: ${date}`,
    afterThat: (date) => `The one after: ${date}`,
    leftOut: (dates) => `Deliveries left out: ${dates}`,
    pausedUntil: (date) => `Paused. Deliveries resume on ${date}`,
    pausedIndefinitely: 'Paused (no resume date set)',
    cutoff: (renewal, date) => `Changes for ${renewal} are taken until ${date}`,
    skip: (skipped, next) => `Skip the delivery of ${skipped} (next: ${next})`,
    undoSkip: 'Undo the skip',
    resume: 'Resume deliveries',
    preparing: (next, after) =>
      `Your next delivery (${next}) is already being prepared and can no longer change. Skips and pauses can start with the delivery of ${after}, once the next one has gone. A new frequency takes effect from the delivery of ${after}.`,
    resumeAfterCutoff: (next, after) =>
      `The next delivery (${next}) stays left out: its cutoff has passed. Resuming now restarts deliveries on ${after}.`,
    pauseTitle: 'Pause',
    pauseMonths: (months) => `${months} month${months === 1 ? '' : 's'}`,
    checkDates: 'Check the dates',
    frequencyTitle: 'Change how often',
    frequencyCurrent: (label) => `Now: ${label}`,
    frequencyPending: (label, date) => `Changes to ${label} from the delivery of ${date}`,
    frequencyFrom: (date) => `Takes effect from the delivery of ${date}, with nothing extra charged`,
    done: {
      skip: 'Your next delivery is skipped.',
      pause: 'Your deliveries are paused.',
      resume: 'Your deliveries are back on.',
      frequency: 'Your delivery frequency is changed.',
    },
    emailComing: 'A confirmation is on its way by e-mail.',
    confirmPauseTitle: 'Confirm the pause',
    confirmPause: (months) =>
      `A pause of ${months} month${months === 1 ? '' : 's'}: no deliveries and no charges meanwhile.`,
    pauseResumes: (date) => `Deliveries resume on ${date}, charged that day.`,
    confirmFrequencyTitle: 'Confirm the new frequency',
    frequencyChange: (label, date) => `From the delivery of ${date}: ${label}`,
    frequencyThen: (date) => `The one after: ${date}`,
    frequencyNoCharge:
      'Nothing is prorated, charged or refunded now; the new price is charged on the next delivery day.',
    confirm: 'Confirm',
    cancel: 'Cancel',
    refusedTitle: 'Nothing was changed',
    refused: {
      cutoff: 'The cutoff for the next delivery has passed: it can no longer change.',
      stale: 'Your subscription changed meanwhile. Check the new dates and try again.',
      'not-changeable': 'This subscription cannot be changed now.',
      paused: 'Your deliveries are paused already. Resume them first, then choose again.',
    },
    notSubscriberTitle: 'Please sign in first',
    notSubscriberBody: 'This browser is not linked to a subscription. Sign in from My Page by e-mail, then try again.',
    failureTitle: 'Nothing was changed',
    failureBody: 'We could not reach the payment service. Nothing was changed; please try again later.',
    badRequest: 'The form was not filled in correctly.',
    emailSubject: (shopName, kind) =>
      `${shopName}: ${{ skip: 'your skip', pause: 'your pause', resume: 'your deliveries resume', frequency: 'your new delivery frequency' }[kind]} is confirmed`,
    emailIntro: {
      skip: 'We have skipped your next delivery.',
      pause: 'We have paused your deliveries.',
      resume: 'Your deliveries are back on.',
      frequency: 'We have changed how often your deliveries come.',
    },
    emailNote: 'If you did not ask for this, reply to this e-mail.',
  },
};

/** What the owner's home page says about subscribers' changes (beside the owner's own strings, admin/strings.ts). */
export interface OwnerChangeStrings {
  title: string;
  intro: string;
  none: string;
  subscriber: string;
  plan: string;
  change: string;
  nextShipment: string;
  skipping: (dates: string) => string;
  pausedIndefinitely: string;
  frequency: (label: string, date: string) => string;
  noShipment: string;
}

export const ownerChangeStrings: Translations<OwnerChangeStrings> = {
  ja: {
    title: 'スキップ・一時停止・頻度の変更',
    intro: 'お休み中の回は請求されず、発送リストにも載りません。',
    none: 'スキップや一時停止中のご契約はありません。',
    subscriber: 'お客様',
    plan: 'プラン',
    change: '変更',
    nextShipment: '次回の発送対象',
    skipping: (dates) => `お休み：${dates}`,
    pausedIndefinitely: '一時停止中（再開日未定）',
    frequency: (label, date) => `${date}から${label}`,
    noShipment: '未定',
  },
  en: {
    title: 'Skips, pauses and frequency changes',
    intro: 'Deliveries left out are not charged and never reach the packing list.',
    none: 'No subscriber is skipping or paused.',
    subscriber: 'Subscriber',
    plan: 'Plan',
    change: 'Change',
    nextShipment: 'Next shipment',
    skipping: (dates) => `Left out: ${dates}`,
    pausedIndefinitely: 'Paused (no resume date)',
    frequency: (label, date) => `${label} from ${date}`,
    noShipment: 'Not set',
  },
};
