import { describe, expect, it } from 'vitest';
import { shippingNotice } from '../../../src/lib/shipments/notice.ts';
import { normalizeTrackingNumber, parseCarrier, trackingUrl } from '../../../src/lib/shipments/tracking.ts';

describe('trackingUrl', () => {
  it("links each carrier's tracking page", () => {
    expect(trackingUrl('yamato', '1234-5678-9012')).toBe(
      'https://jizen.kuronekoyamato.co.jp/jizen/servlet/crjz.b.NQ0010?id=123456789012',
    );
    expect(trackingUrl('sagawa', '123456789012')).toBe(
      'https://k2k.sagawa-exp.co.jp/p/web/okurijosearch.do?okurijoNo=123456789012',
    );
    expect(trackingUrl('japanpost', '1234-5678-901', 'en')).toBe(
      'https://trackings.post.japanpost.jp/services/srv/search/direct?reqCodeNo1=12345678901&searchKind=S002&locale=en',
    );
  });

  it.each([
    ['yamato', '12345678901'],
    ['yamato', '1234567890123'],
    ['sagawa', 'ABC123456789'],
    ['japanpost', '1234567890'],
    ['yamato', '123456789012&x=<script>'],
  ] as const)('refuses %s number %s', (carrier, number) => {
    expect(trackingUrl(carrier, number)).toBeNull();
  });

  it('reads numbers as people write them, and only known carriers', () => {
    expect(normalizeTrackingNumber('１２３４－５６７８－９０１２')).toBe('123456789012');
    expect(normalizeTrackingNumber(' 1234 5678 9012 ')).toBe('123456789012');
    expect(parseCarrier('yamato')).toBe('yamato');
    expect(parseCarrier('toString')).toBeUndefined();
    expect(parseCarrier(undefined)).toBeUndefined();
  });
});

describe('shippingNotice', () => {
  it('says the carrier, the number and the link, in Japanese, and nothing else personal', () => {
    const notice = shippingNotice({
      lang: 'ja',
      shopName: 'はなまめ珈琲',
      carrier: 'yamato',
      trackingNumber: '123456789012',
    });
    expect(notice?.subject).toBe('はなまめ珈琲：商品を発送しました');
    expect(notice?.text).toContain('配送業者：ヤマト運輸');
    expect(notice?.text).toContain('伝票番号：123456789012');
    expect(notice?.text).toContain('https://jizen.kuronekoyamato.co.jp/jizen/servlet/crjz.b.NQ0010?id=123456789012');
    expect(notice?.html).toContain(
      '<a href="https://jizen.kuronekoyamato.co.jp/jizen/servlet/crjz.b.NQ0010?id=123456789012">',
    );
    expect(notice?.html).not.toMatch(/<img|<script|style=/);
  });

  it('in English, with the shop name escaped', () => {
    const notice = shippingNotice({
      lang: 'en',
      shopName: 'Bean & <Co>',
      carrier: 'japanpost',
      trackingNumber: '123456789012',
    });
    expect(notice?.subject).toBe('Bean & <Co>: your order has shipped');
    expect(notice?.text).toContain('Carrier: Japan Post');
    expect(notice?.html).toContain('Bean &amp; &lt;Co&gt;');
    expect(notice?.html).toContain('locale=en');
  });

  it('sends nothing for a number that is not the carrier’s', () => {
    expect(shippingNotice({ lang: 'ja', shopName: 'x', carrier: 'yamato', trackingNumber: 'abc' })).toBeNull();
  });
});
