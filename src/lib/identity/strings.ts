/** What the sign-in pages and their confirmation say, in both languages (masked addresses come from maskEmail). */
import { minutesText } from '../language/durations.ts';
import type { Translations } from '../language/translations.ts';
import { SIGN_IN_TTL_MS } from './sign-in-tokens.ts';

/** How long a link lasts, as the texts say it. */
const ttl = { ja: minutesText(SIGN_IN_TTL_MS, 'ja'), en: minutesText(SIGN_IN_TTL_MS, 'en') };

export interface SignInConfirmStrings {
  /** Whose account the link opens. */
  signingInAs: (maskedEmail: string) => string;
  /** The link was asked for from another browser: continue only if it was you. */
  otherBrowser: (maskedEmail: string) => string;
  /** This browser is signed in to another address ('' when unknown), which it leaves. */
  leavesAccount: (maskedEmail: string) => string;
  /** The button once something was said. */
  signInAs: (maskedEmail: string) => string;
}

export const signInConfirmStrings: Translations<SignInConfirmStrings> = {
  ja: {
    signingInAs: (email) => `${email} のアカウントでログインします。`,
    otherBrowser: (email) =>
      `このリンクは、別のブラウザーまたは端末から申し込まれたものです。ご自身で申し込んだ場合だけ続けてください。続けると、このブラウザーは ${email} のアカウントにログインし、この後のお申し込み・お届け先・カードはそのアカウントのものになります。ほかの人から送られたリンクなら、このページを閉じてください。閉じれば、送った人には何も伝わりません。`,
    leavesAccount: (email) =>
      email
        ? `このブラウザーは、いま ${email} でログインしています。続けると、そのアカウントからはログアウトします。`
        : 'このブラウザーは、いま別のアカウントでログインしています。続けると、そのアカウントからはログアウトします。',
    signInAs: (email) => `${email} でログインする`,
  },
  en: {
    signingInAs: (email) => `You are signing in as ${email}.`,
    otherBrowser: (email) =>
      `This link was asked for from another browser or device. Continue only if you asked for it yourself: it signs this browser in to the account of ${email}, and whatever you do here next (a subscription, an address, a card) goes to that account. If someone sent you this link, close this page: then they see nothing of yours.`,
    leavesAccount: (email) =>
      email
        ? `This browser is signed in as ${email}. Continuing signs it out of that account.`
        : 'This browser is signed in to another account. Continuing signs it out of that account.',
    signInAs: (email) => `Sign in as ${email}`,
  },
};

/** The sign-in e-mail: text and HTML are built from these (identity/message.ts). */
export interface SignInEmailStrings {
  subject: (shopName: string) => string;
  intro: string;
  open: string;
  note: string;
  ignore: string;
}

export const signInEmailStrings: Translations<SignInEmailStrings> = {
  ja: {
    subject: (shopName) => `${shopName}：ログイン用リンク`,
    intro: `マイページを開くためのリンクです（${ttl.ja}間、1回だけ有効）。`,
    open: 'マイページを開く',
    note: 'このリンクを開いたブラウザーが、ご契約に結び付きます。',
    ignore: 'お心当たりがない場合は、このメールを破棄してください。リンクを開かなければ何も起こりません。',
  },
  en: {
    subject: (shopName) => `${shopName}: your sign-in link`,
    intro: `Here is your link to My Page (valid for ${ttl.en}, once).`,
    open: 'Open My Page',
    note: 'The browser that opens it is linked to your subscription.',
    ignore: 'If you did not ask for it, ignore this e-mail: nothing happens unless the link is opened.',
  },
};

export interface SignInStrings {
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
}

export const signInStrings: Translations<SignInStrings> = {
  ja: {
    signInTitle: 'メールアドレスでマイページを開く',
    signInIntro: `ご契約のメールアドレスを入力してください。このブラウザーでマイページを開くリンクをお送りします（${ttl.ja}間、1回だけ有効）。`,
    signInSubmit: 'リンクを送る',
    signInSentTitle: 'メールをご確認ください',
    signInSentBody: `このアドレスのご契約があれば、ログイン用リンクをお送りしました。${ttl.ja}以内に、このブラウザーで開いてください。`,
    signInConfirmTitle: 'ログイン',
    signInConfirmBody: '続けると、このブラウザーがご契約に結び付きます。',
    signInConfirmSubmit: '続ける',
    signInInvalidTitle: 'このリンクは使えません',
    signInInvalidBody: `ログイン用リンクは${ttl.ja}間、1回だけ使えます。下から新しいリンクをお求めください。`,
    signInNoCustomerBody: 'このアドレスのご契約が見つかりませんでした。',
    signInOrStripe: 'Stripe のログインページを使う',
  },
  en: {
    signInTitle: 'Open My Page with your e-mail',
    signInIntro: `Enter the e-mail address of your subscription. We send a link that opens My Page in this browser (valid for ${ttl.en}, once).`,
    signInSubmit: 'Send me a link',
    signInSentTitle: 'Check your inbox',
    signInSentBody: `If this address belongs to a subscription, a sign-in link is on its way. Open it in this browser within ${ttl.en}.`,
    signInConfirmTitle: 'Sign in',
    signInConfirmBody: 'Continue to link this browser to your subscription.',
    signInConfirmSubmit: 'Continue',
    signInInvalidTitle: 'This link no longer works',
    signInInvalidBody: `Sign-in links work once, for ${ttl.en}. Ask for a new one below.`,
    signInNoCustomerBody: 'We could not find a subscription for that address any more.',
    signInOrStripe: 'Or use Stripe’s own login page',
  },
};
