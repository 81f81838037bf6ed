/**
 * One spelling per word in the Japanese texts (the strings beside each feature, the legal documents,
 * the shop profile): a unit test reads them and refuses every `avoid` form.
 */
export const JAPANESE_GLOSSARY: ReadonlyArray<{ use: string; avoid: RegExp; why: string }> = [
  { use: 'ブラウザー', avoid: /ブラウザ(?!ー)/, why: '長音を付ける表記（JIS Z 8301 と公用文の現行表記）に揃える' },
  { use: 'メールアドレス', avoid: /メアド|E-?メール/, why: '画面と同じ語' },
  { use: 'お客様（または主語なし）', avoid: /あなた/, why: '店から客への文面で「あなた」は使わない' },
  { use: 'ログイン', avoid: /サインイン/, why: '画面のボタンと同じ語' },
  // Between two Japanese sentences there is no space (a half-width one shows as a stray gap).
  { use: '。（空白なし）', avoid: /[。！？] (?=[^\x20-\x7e])/, why: '和文の文と文の間に半角空白を入れない' },
];
