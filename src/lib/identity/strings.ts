/** What the sign-in confirmation page says, in both languages (masked addresses come from maskEmail). */
import type { Translations } from '../language/translations.ts';

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
