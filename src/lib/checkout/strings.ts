/** What POST /checkout and /thanks say: the e-mail step and its refusals, the account step, the currency rule, the thank-you page. */
import type { Translations } from '../language/translations.ts';
import type { EmailRefusal } from './email.ts';

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

type LegalPath = '/legal/tokushoho' | '/legal/terms' | '/legal/privacy';

export interface CheckoutStrings {
  emailStepTitle: string;
  /** Above the field: what the address is for (the second sentence only when sign-in links are on). */
  emailStepIntro: (signInLinks: boolean) => string;
  emailLabel: string;
  emailHint: string;
  emailInvalid: string;
  /** Why a declared e-mail was refused, one message per reason (parseDeclaredEmail's `reason`). */
  emailRefusal: Record<EmailRefusal, string>;
  continueToPayment: string;
  currencyTitle: string;
  currencyBody: (current: string) => string;
  invalidPlanTitle: string;
  invalidPlanBody: string;
  /** The shop may not take orders yet (a live key with the sample profile). */
  notOpenTitle: string;
  notOpenBody: string;
  checkoutErrorTitle: string;
  checkoutErrorBody: string;
  thanksTitle: string;
  thanksStarted: (plan: string | null) => string;
  thanksTrial: (plan: string | null, date: string | null) => string;
  thanksProcessingTitle: string;
  thanksProcessing: (plan: string | null) => string;
  /** When the first parcel leaves (a date in the shop's zone), or that it waits for a delayed payment. */
  thanksShipsBy: (date: string) => string;
  thanksShipsWhenPaid: string;
  thanksNotLinked: string;
  thanksMyPage: string;
  neutralTitle: string;
  neutralBody: string;
  /** The agreement line of the e-mail step: text, with links to the legal pages (site paths the page localizes) in the language's word order. */
  legalAgreement: ReadonlyArray<string | { href: LegalPath; label: string }>;
  /** Checkout's consent line (custom_text.terms_of_service_acceptance), Markdown links to our pages. */
  termsAcceptance: (termsUrl: string, privacyUrl: string) => string;
}

export const checkoutStrings: Translations<CheckoutStrings> = {
  ja: {
    emailStepTitle: 'メールアドレス',
    emailStepIntro: (signInLinks) =>
      `ご契約はこのメールアドレスに紐づき、お支払い画面では変更できません。${signInLinks ? 'ほかの端末でマイページを開くときは、このアドレスにログイン用リンクをお送りします。' : ''}`,
    emailLabel: 'メールアドレス',
    emailHint: '領収書や更新のお知らせをお送りします。',
    emailInvalid: 'name@example.com のような正しいメールアドレスを入力してください。',
    emailRefusal: {
      format: '@ を 1 つだけ含むメールアドレスを 1 件入力してください（例: name@example.com）。',
      too_long: 'メールアドレスが長すぎます。@ の前は 64 文字まで、全体で 254 文字までです。',
      invisible: 'メールアドレスに空白または目に見えない文字が含まれています。貼り付けずに入力し直してください。',
      local_part:
        '@ の前には半角の英字・数字と . _ - + だけを使ってください（先頭・末尾のドットや、ドットの連続は使えません）。',
      non_ascii_local_part:
        '@ の前には半角の英字（a〜z）・数字と . _ - + だけを使ってください。日本語やアクセント付きの文字はお支払いに使えません。',
      domain: '@ の後ろがドメイン名になっていません。example.com や example.co.jp のような形か確かめてください。',
      mixed_script:
        '@ の後ろに異なる種類の文字（ラテン文字の中のキリル文字「а」など）が混ざっていて、別のアドレスに見せかけられるおそれがあります。1 種類の文字で入力してください。',
    },
    continueToPayment: 'お支払いへ進む',
    currencyTitle: 'このプランは別の通貨でのお支払いです',
    currencyBody: (current) =>
      `現在のご契約は ${current.toUpperCase()} でお支払いいただいています。Stripe ではお客様ごとに通貨が一つに決まるため、別の通貨のプランは現在のご契約が終了してからお申し込みいただけます。ご契約はマイページで管理できます。`,
    invalidPlanTitle: 'そのプランはお申し込みいただけません',
    invalidPlanBody: 'ストアのプランからお選びください。',
    notOpenTitle: 'まだ開店前です',
    notOpenBody: 'このショップはまだお申し込みを受け付けていません。開店まで少しお待ちください。',
    checkoutErrorTitle: '現在お申し込みを受け付けられません',
    checkoutErrorBody: '決済画面を開けませんでした。しばらくしてから再度お試しください。',
    thanksTitle: 'お申し込みありがとうございます！',
    thanksStarted: (plan) => `${plan ? `「${plan}」の` : ''}ご契約が始まりました。領収書をメールでお送りします。`,
    thanksTrial: (plan, date) =>
      `${plan ? `「${plan}」の` : ''}無料お試しが始まりました${date ? `（${date}まで）` : ''}。`,
    thanksProcessingTitle: 'お支払いを処理しています',
    thanksProcessing: (plan) =>
      `ありがとうございます。${plan ? `「${plan}」の` : ''}お支払いを処理中です。口座振替の確認には数日かかります。確認できしだいメールでお知らせします。`,
    thanksShipsBy: (date) => `最初のお届けは${date}までに発送します。発送したらメールでお知らせします。`,
    thanksShipsWhenPaid: 'お支払いが確認できしだい、最初のお届けを発送します。',
    thanksNotLinked: 'ご契約の管理は、領収書メールのリンクから行えます。',
    thanksMyPage: 'マイページへ',
    neutralTitle: 'ありがとうございます',
    neutralBody: 'ご購入が完了している場合は、確認メールをお送りしています。',
    legalAgreement: [
      '続けることで、',
      { href: '/legal/terms', label: '利用規約' },
      'と',
      { href: '/legal/privacy', label: 'プライバシーポリシー' },
      'に同意したものとみなします。価格・お届け・解約については',
      { href: '/legal/tokushoho', label: '特定商取引法に基づく表記' },
      'をご確認ください。',
    ],
    termsAcceptance: (terms, privacy) =>
      `[利用規約](${terms})と[プライバシーポリシー](${privacy})に同意して、定期購入を申し込みます。`,
  },
  en: {
    emailStepTitle: 'Your e-mail address',
    emailStepIntro: (signInLinks) =>
      `Your subscription belongs to this e-mail address; the payment page cannot change it.${signInLinks ? ' To open My Page on another device, we send a sign-in link to this address.' : ''}`,
    emailLabel: 'E-mail address',
    emailHint: 'Receipts and renewal notices are sent here.',
    emailInvalid: 'Enter a valid e-mail address, such as name@example.com.',
    emailRefusal: {
      format: 'Enter one e-mail address with a single @, such as name@example.com.',
      too_long: 'This address is too long: at most 64 characters before the @ and 254 in all.',
      invisible: 'This address contains a space or an invisible character. Type it in again rather than pasting it.',
      local_part:
        'Use an address with only letters, digits and . _ - + before the @, with no dot at either end or two dots in a row.',
      non_ascii_local_part:
        'Use an address with only letters a–z, digits and . _ - + before the @: payments cannot use accented or non-Latin letters there.',
      domain: 'The part after the @ is not a domain name. Check it, for example example.com or example.co.jp.',
      mixed_script:
        'The part after the @ mixes letters from different alphabets (such as a Cyrillic “а” among Latin letters), so it could pass for another address. Type it in one alphabet.',
    },
    continueToPayment: 'Continue to payment',
    currencyTitle: 'This plan is billed in another currency',
    currencyBody: (current) =>
      `Your current subscription is billed in ${current.toUpperCase()}, and Stripe keeps one currency per customer. A plan in another currency can start once your current subscription has ended. You can manage it in My Page.`,
    invalidPlanTitle: 'That plan is not available',
    invalidPlanBody: 'Please pick one of the plans on the storefront.',
    notOpenTitle: 'Not open yet',
    notOpenBody: 'This shop is not taking subscriptions yet. Please come back soon.',
    checkoutErrorTitle: 'Checkout is unavailable right now',
    checkoutErrorBody: 'We could not start the checkout. Please try again in a few minutes.',
    thanksTitle: 'Thank you for subscribing!',
    thanksStarted: (plan) =>
      `Your subscription${plan ? ` to “${plan}”` : ''} has started. A receipt is on its way to your e-mail.`,
    thanksTrial: (plan, date) =>
      `Your free trial${plan ? ` of “${plan}”` : ''} has started${date ? ` and runs until ${date}` : ''}.`,
    thanksProcessingTitle: 'Your payment is processing',
    thanksProcessing: (plan) =>
      `Thank you! Your payment${plan ? ` for “${plan}”` : ''} is processing. Bank debits take a few days; we will e-mail you when it is confirmed.`,
    thanksShipsBy: (date) => `Your first delivery ships by ${date}; we will e-mail you when it does.`,
    thanksShipsWhenPaid: 'Your first delivery ships once the payment is confirmed.',
    thanksNotLinked: 'To manage your subscription, use the link in your receipt e-mail.',
    thanksMyPage: 'Go to My Page',
    neutralTitle: 'Thank you',
    neutralBody: 'If you completed a purchase, a confirmation is on its way to your e-mail.',
    legalAgreement: [
      'By continuing you agree to the ',
      { href: '/legal/terms', label: 'terms of service' },
      ' and the ',
      { href: '/legal/privacy', label: 'privacy policy' },
      '. Prices, delivery and cancellation are in the ',
      { href: '/legal/tokushoho', label: 'commerce disclosure' },
      '.',
    ],
    termsAcceptance: (terms, privacy) =>
      `I agree to the [terms of service](${terms}) and the [privacy policy](${privacy}) of this subscription.`,
  },
};
