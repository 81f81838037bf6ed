/** What the account step says (a browser signed in by link, before Checkout charges that account), in both languages. */
import type { Translations } from '../language/translations.ts';

export interface AccountStepStrings {
  title: string;
  body: (maskedEmail: string) => string;
  notYours: string;
  continueAs: (maskedEmail: string) => string;
  useAnother: string;
}

export const accountStepStrings: Translations<AccountStepStrings> = {
  ja: {
    title: 'お申し込みのアカウント',
    body: (email) => `このブラウザーは ${email} でログインしています。このアカウントでお申し込みになりますか。`,
    notYours:
      'お心当たりのないアドレスなら、別のメールアドレスでお申し込みください。このブラウザーはそのアカウントからログアウトします。',
    continueAs: (email) => `${email} で申し込む`,
    useAnother: '別のメールアドレスで申し込む',
  },
  en: {
    title: 'Which account?',
    body: (email) => `This browser is signed in as ${email}. Subscribe with that account?`,
    notYours: 'Not your address? Subscribe with another e-mail address: this browser then leaves that account.',
    continueAs: (email) => `Subscribe as ${email}`,
    useAnother: 'Use another e-mail address',
  },
};
