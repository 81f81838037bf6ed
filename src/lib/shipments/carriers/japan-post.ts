/**
 * 日本郵便's two ways in: クリックポスト's まとめ申込み CSV, and a plain layout for ゆうパックプリントR
 * (ゆうプリR). Both CP932 with CRLF and a header row.
 */
import { shipmentNumber } from '../number.ts';
import type { Shipment } from '../shipment.ts';
import type { ShippingRules } from '../shipping-rules.ts';
import {
  carrierFile,
  checkFields,
  domesticPhone,
  itemName,
  oneLine,
  postalCodeWithHyphen,
  type CarrierFile,
  type CheckedField,
  type ExportProblem,
} from './common.ts';

/**
 * クリックポスト まとめ申込み: the 8 columns of the template clickpost.jp offers for download
 * (お届け先郵便番号, 氏名, 敬称, 住所 1–4行目, 内容品); the sender is the account's, not the file's.
 * Widths as the application form counts them: 氏名 and each address line 20 full-width
 * characters, 内容品 15. One upload takes at most 40 rows.
 */
export const CLICK_POST_COLUMNS: readonly string[] = [
  'お届け先郵便番号',
  'お届け先氏名',
  'お届け先敬称',
  'お届け先住所1行目',
  'お届け先住所2行目',
  'お届け先住所3行目',
  'お届け先住所4行目',
  '内容品',
];
export const CLICK_POST_ROWS_PER_FILE = 40;

function clickPostLayout(shipment: Shipment): { fields: readonly CheckedField[]; row: readonly string[] } {
  const address = shipment.shipTo.address;
  const postalCode = (address.postalCode ?? '').normalize('NFKC').replace(/[^\d]/g, '');
  const name = oneLine(shipment.shipTo.name);
  const [line1, line2, line3] = [
    oneLine(address.state) + oneLine(address.city),
    oneLine(address.line1),
    oneLine(address.line2),
  ];
  const contents = itemName(shipment, 'ja', 30);
  return {
    row: [postalCode, name, '様', line1, line2, line3, '', contents],
    fields: [
      { field: 'postalCode', value: postalCode, limit: 7, required: true },
      { field: 'name', value: name, limit: 40, required: true },
      { field: 'city', value: line1, limit: 40, required: true },
      { field: 'line1', value: line2, limit: 40, required: true },
      { field: 'line2', value: line3, limit: 40 },
      { field: 'plan', value: contents, required: true },
    ],
  };
}

/**
 * クリックポスト's まとめ申込み files for `shipments`: one file per 40 that pass, in order; the
 * others, with why, in `problems`.
 */
export function clickPostFiles(shipments: readonly Shipment[]): { files: CarrierFile[]; problems: ExportProblem[] } {
  const problems: ExportProblem[] = [];
  const passing = shipments.filter((shipment) => {
    const found = checkFields(shipment, clickPostLayout(shipment).fields);
    problems.push(...found);
    return found.length === 0;
  });
  const files: CarrierFile[] = [];
  for (let start = 0; start < passing.length; start += CLICK_POST_ROWS_PER_FILE)
    files.push(
      carrierFile(passing.slice(start, start + CLICK_POST_ROWS_PER_FILE), CLICK_POST_COLUMNS, clickPostLayout),
    );
  return { files, problems };
}

/**
 * ゆうプリR reads any CSV through a 取り込み用フィルタ the owner registers once (日本郵便「ゆうパック
 * プリントR フィルタ設定説明書」: 簡易編集 maps each column of the file to one of its items, and
 * can skip a header row). So this layout is one item per column, named as ゆうプリR names its
 * items: お客様側管理番号, 発送予定日 (YYYYMMDD), お届け先 郵便番号 / 住所1–3 / 名称 / 敬称 /
 * 電話番号, ご依頼主 郵便番号 / 住所1–2 / 名称 / 電話番号, 品名, 個数. Widths are left to the
 * filter (ゆうプリR splits or cuts long addresses as its filter says).
 */
export const YUPURI_COLUMNS: readonly string[] = [
  'お客様側管理番号',
  '発送予定日',
  'お届け先郵便番号',
  'お届け先住所1',
  'お届け先住所2',
  'お届け先住所3',
  'お届け先名称',
  'お届け先敬称',
  'お届け先電話番号',
  'ご依頼主郵便番号',
  'ご依頼主住所1',
  'ご依頼主住所2',
  'ご依頼主名称',
  'ご依頼主電話番号',
  '品名',
  '個数',
];

/** The ゆうプリR file for `shipments`, sent by `sender`; the shipments it cannot print in `problems`. */
export function yuPrintFile(shipments: readonly Shipment[], sender: ShippingRules['sender']): CarrierFile {
  return carrierFile(shipments, YUPURI_COLUMNS, (shipment) => {
    const address = shipment.shipTo.address;
    const to = {
      postalCode: postalCodeWithHyphen(address.postalCode),
      line1: oneLine(address.state) + oneLine(address.city),
      line2: oneLine(address.line1),
      line3: oneLine(address.line2),
      name: oneLine(shipment.shipTo.name),
      phone: domesticPhone(shipment.phone),
    };
    const from = {
      address: oneLine(sender.address),
      building: oneLine(sender.building),
      name: oneLine(sender.name),
    };
    const plan = itemName(shipment, 'ja', 50);
    return {
      row: [
        shipmentNumber(shipment.id),
        shipment.shipBy.replaceAll('-', ''),
        to.postalCode,
        to.line1,
        to.line2,
        to.line3,
        to.name,
        '様',
        to.phone,
        postalCodeWithHyphen(sender.postalCode),
        from.address,
        from.building,
        from.name,
        domesticPhone(sender.phone),
        plan,
        String(shipment.quantity),
      ],
      fields: [
        { field: 'postalCode', value: to.postalCode, required: true },
        { field: 'city', value: to.line1, required: true },
        { field: 'line1', value: to.line2, required: true },
        { field: 'line2', value: to.line3 },
        { field: 'name', value: to.name, required: true },
        { field: 'phone', value: to.phone },
        { field: 'sender.address', value: from.address },
        { field: 'sender.building', value: from.building },
        { field: 'sender.name', value: from.name },
        { field: 'plan', value: plan, required: true },
      ],
    };
  });
}
