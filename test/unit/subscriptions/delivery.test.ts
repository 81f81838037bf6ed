import { describe, expect, it } from 'vitest';
import { addressLines, deliveryFromShipping, type DeliveryAddress } from '../../../src/lib/subscriptions/delivery.ts';
import { SHIBUYA_ADDRESS, SHIBUYA_STRIPE_ADDRESS } from '../../support/addresses.ts';

const SHIBUYA: DeliveryAddress = SHIBUYA_ADDRESS;

describe('deliveryFromShipping', () => {
  it('maps Stripe’s shipping to the record’s names, trimmed, leaving the phone out', () => {
    expect(
      deliveryFromShipping({
        name: ' 山田 太郎 ',
        phone: '+819012345678',
        address: { ...SHIBUYA_STRIPE_ADDRESS, country: 'jp', line2: '' },
      }),
    ).toEqual({ name: '山田 太郎', address: { ...SHIBUYA, line2: null } });
  });

  it('keeps a partial address with nulls, and gives null for no shipping or an empty one', () => {
    expect(deliveryFromShipping({ name: 'Hanako Sato', address: { country: 'JP', postal_code: '5300001' } })).toEqual({
      name: 'Hanako Sato',
      address: { postalCode: '5300001', state: null, city: null, line1: null, line2: null, country: 'JP' },
    });
    expect(deliveryFromShipping({ name: 'Hanako Sato' })).toEqual({
      name: 'Hanako Sato',
      address: { postalCode: null, state: null, city: null, line1: null, line2: null, country: null },
    });
    expect(deliveryFromShipping(null)).toBeNull();
    expect(deliveryFromShipping(undefined)).toBeNull();
    expect(deliveryFromShipping({ name: ' ', address: { line1: null, city: '' } })).toBeNull();
  });
});

describe('addressLines', () => {
  it('writes a Japanese address from large to small, with 〒, in either language', () => {
    expect(addressLines(SHIBUYA, 'ja')).toEqual(['〒150-0001', '東京都渋谷区神宮前1-2-3 101号室']);
    expect(addressLines(SHIBUYA, 'en')).toEqual(['〒150-0001', '東京都渋谷区神宮前1-2-3 101号室', 'Japan']);
  });

  it('spaces romanized parts, hyphenates a bare seven-digit postal code, and skips missing parts', () => {
    expect(
      addressLines(
        { postalCode: '1000001', state: 'Tokyo', city: 'Chiyoda-ku', line1: '1-1 Chiyoda', line2: null, country: 'JP' },
        'ja',
      ),
    ).toEqual(['〒100-0001', 'Tokyo Chiyoda-ku 1-1 Chiyoda']);
    expect(
      addressLines({ postalCode: null, state: '大阪府', city: null, line1: null, line2: null, country: 'JP' }, 'ja'),
    ).toEqual(['大阪府']);
  });

  it('uses the street-first order elsewhere, with the country named in the visitor’s language', () => {
    const brooklyn: DeliveryAddress = {
      postalCode: '11201',
      state: 'NY',
      city: 'Brooklyn',
      line1: '1 Main St',
      line2: 'Apt 2',
      country: 'US',
    };
    expect(addressLines(brooklyn, 'en')).toEqual(['1 Main St', 'Apt 2', 'Brooklyn, NY 11201', 'United States']);
    expect(addressLines(brooklyn, 'ja')).toEqual(['1 Main St', 'Apt 2', 'Brooklyn, NY 11201', 'アメリカ合衆国']);
    expect(
      addressLines({ postalCode: null, state: null, city: 'Seoul', line1: null, line2: null, country: null }, 'en'),
    ).toEqual(['Seoul']);
  });
});
