/**
 * ヤマト運輸 B2クラウド「外部データから発行」, 基本レイアウト: Yamato's「B2クラウド 送り状発行
 * データレイアウト 入出力用」(bmypage.kuronekoyamato.co.jp/bmypage/pdf/new_exchange1.pdf) and its
 * template newb2web_template1.xls「外部データ取り込み基本レイアウト」: 95 columns, CP932, CRLF.
 * The file has a header row: import it with 取込み開始行 = 2. Field widths (全角/半角) are the
 * layout's; B2クラウド prints JIS levels 1 and 2 only (Yamato's business FAQ, a_id 406).
 */
import type { Language } from '../../language/languages.ts';
import { shipmentNumber } from '../number.ts';
import type { Shipment } from '../shipment.ts';
import { B2_CUSTOMER_CODE, B2_FREIGHT_NUMBER } from '../b2-contract.ts';
import type { ShippingRules } from '../shipping-rules.ts';
import {
  carrierFile,
  domesticPhone,
  itemName,
  oneLine,
  postalCodeWithHyphen,
  streetAddress,
  type CarrierFile,
} from './common.ts';

/** Every column of the layout, in order (No. 1–95), the ones this shop leaves empty included; several to a line. */
// prettier-ignore
export const B2_COLUMNS: readonly string[] = [
  'お客様管理番号', '送り状種類', 'クール区分', '伝票番号', '出荷予定日', 'お届け予定日', '配達時間帯',
  'お届け先コード', 'お届け先電話番号', 'お届け先電話番号枝番', 'お届け先郵便番号', 'お届け先住所',
  'お届け先アパートマンション名', 'お届け先会社・部門１', 'お届け先会社・部門２', 'お届け先名', 'お届け先名(ｶﾅ)',
  '敬称', 'ご依頼主コード', 'ご依頼主電話番号', 'ご依頼主電話番号枝番', 'ご依頼主郵便番号', 'ご依頼主住所',
  'ご依頼主アパートマンション', 'ご依頼主名', 'ご依頼主名(ｶﾅ)', '品名コード１', '品名１', '品名コード２', '品名２',
  '荷扱い１', '荷扱い２', '記事', 'ｺﾚｸﾄ代金引換額（税込)', '内消費税額等', '止置き', '営業所コード', '発行枚数',
  '個数口表示フラグ', '請求先顧客コード', '請求先分類コード', '運賃管理番号', 'クロネコwebコレクトデータ登録',
  'クロネコwebコレクト加盟店番号', 'クロネコwebコレクト申込受付番号１', 'クロネコwebコレクト申込受付番号２',
  'クロネコwebコレクト申込受付番号３', 'お届け予定ｅメール利用区分', 'お届け予定ｅメールe-mailアドレス', '入力機種',
  'お届け予定ｅメールメッセージ', 'お届け完了ｅメール利用区分', 'お届け完了ｅメールe-mailアドレス',
  'お届け完了ｅメールメッセージ', 'クロネコ収納代行利用区分', '予備', '収納代行請求金額(税込)', '収納代行内消費税額等',
  '収納代行請求先郵便番号', '収納代行請求先住所', '収納代行請求先住所（アパートマンション名）',
  '収納代行請求先会社・部門名１', '収納代行請求先会社・部門名２', '収納代行請求先名(漢字)', '収納代行請求先名(カナ)',
  '収納代行問合せ先名(漢字)', '収納代行問合せ先郵便番号', '収納代行問合せ先住所',
  '収納代行問合せ先住所（アパートマンション名）', '収納代行問合せ先電話番号', '収納代行管理番号', '収納代行品名',
  '収納代行備考', '複数口くくりキー', '検索キータイトル1', '検索キー1', '検索キータイトル2', '検索キー2',
  '検索キータイトル3', '検索キー3', '検索キータイトル4', '検索キー4', '検索キータイトル5', '検索キー5', '予備', '予備',
  '投函予定メール利用区分', '投函予定メールe-mailアドレス', '投函予定メールメッセージ',
  '投函完了メール（お届け先宛）利用区分', '投函完了メール（お届け先宛）e-mailアドレス',
  '投函完了メール（お届け先宛）メールメッセージ', '投函完了メール（ご依頼主宛）利用区分',
  '投函完了メール（ご依頼主宛）e-mailアドレス', '投函完了メール（ご依頼主宛）メールメッセージ',
];

/** 送り状種類 (No. 2): 0 発払い, 7 ネコポス, 8 宅急便コンパクト (the kinds a prepaid subscription parcel uses). */
export type B2SlipType = '0' | '7' | '8';

export interface B2Options {
  /** 請求先顧客コード and 運賃管理番号 of the owner's B2クラウド contract. */
  customerCode: string;
  freightNumber: string;
  slipType?: B2SlipType;
  /** Today in the shop's zone (YYYY-MM-DD): B2 refuses a 出荷予定日 in the past. */
  today: string;
  sender: ShippingRules['sender'];
  /** The language of 品名１ (the label is read in Japan: Japanese unless the shop says otherwise). */
  language?: Language;
}

/**
 * The B2クラウド file for `shipments`. A shipment whose name or address B2 cannot print, or that
 * is wider than its field, is left out and listed in `problems`. Throws a RangeError when the
 * contract codes are malformed (configuration, not data).
 */
export function b2File(shipments: readonly Shipment[], options: B2Options): CarrierFile {
  if (!B2_CUSTOMER_CODE.test(options.customerCode)) throw new RangeError('B2 請求先顧客コード: 10–12 digits');
  if (!B2_FREIGHT_NUMBER.test(options.freightNumber)) throw new RangeError('B2 運賃管理番号: 2 digits');
  const { sender, today } = options;
  return carrierFile(shipments, B2_COLUMNS, (shipment) => {
    const address = shipment.shipTo.address;
    const values: Record<string, string> = {
      // 半角英数字: the invoice id without `in_` (number.ts); the results file brings it back.
      お客様管理番号: shipmentNumber(shipment.id),
      送り状種類: options.slipType ?? '0',
      // YYYY/MM/DD, today to 30 days ahead: a parcel exported late ships today.
      出荷予定日: (shipment.shipBy < today ? today : shipment.shipBy).replaceAll('-', '/'),
      お届け先電話番号: domesticPhone(shipment.phone),
      お届け先郵便番号: postalCodeWithHyphen(address.postalCode),
      お届け先住所: streetAddress(address),
      お届け先アパートマンション名: oneLine(address.line2),
      お届け先名: oneLine(shipment.shipTo.name),
      ご依頼主電話番号: domesticPhone(sender.phone),
      ご依頼主郵便番号: postalCodeWithHyphen(sender.postalCode),
      ご依頼主住所: oneLine(sender.address),
      ご依頼主アパートマンション: oneLine(sender.building),
      ご依頼主名: oneLine(sender.name),
      品名１: itemName(shipment, options.language ?? 'ja', 50),
      請求先顧客コード: options.customerCode,
      運賃管理番号: options.freightNumber,
    };
    return {
      row: B2_COLUMNS.map((name) => values[name] ?? ''),
      fields: [
        { field: 'name', value: values.お届け先名 ?? '', limit: 32, required: true },
        { field: 'address', value: values.お届け先住所 ?? '', limit: 64, required: true },
        { field: 'line2', value: values.お届け先アパートマンション名 ?? '', limit: 32 },
        { field: 'postalCode', value: values.お届け先郵便番号 ?? '', limit: 8, required: true },
        { field: 'phone', value: values.お届け先電話番号 ?? '', limit: 15, required: true },
        { field: 'plan', value: values.品名１ ?? '', required: true },
        { field: 'sender.name', value: values.ご依頼主名 ?? '', limit: 32 },
        { field: 'sender.address', value: values.ご依頼主住所 ?? '', limit: 64 },
        { field: 'sender.building', value: values.ご依頼主アパートマンション ?? '', limit: 32 },
      ],
    };
  });
}
