import { describe, expect, it } from 'vitest';
import { parseShopProfile } from '../../../src/lib/legal/profile.ts';
import { sampleProfile } from './sample.ts';

describe('the shop profile schema', () => {
  it('accepts the sample, which says it is one', () => {
    const profile = sampleProfile();
    expect(profile.sample).toBe(true);
    expect(profile.legalName.ja).toContain('サンプル');
    expect(profile.disclosesOnRequest).toBe(false);
  });

  it('names a missing required field, and a field missing one language', () => {
    const { representative: _, ...withoutRepresentative } = sampleProfile();
    const missing = parseShopProfile(withoutRepresentative);
    expect(missing.ok).toBe(false);
    if (!missing.ok) expect(missing.error).toMatch(/^Invalid shop profile: representative: /);
    const oneLanguage = parseShopProfile({ ...sampleProfile(), hours: { ja: '平日 10:00〜17:00' } });
    expect(!oneLanguage.ok && oneLanguage.error).toMatch(/hours\.en: /);
  });

  it('refuses an invalid e-mail, an unknown field and an empty payment list', () => {
    expect(!parseShopProfile({ ...sampleProfile(), email: 'not-an-address' }).ok).toBe(true);
    const unknown = parseShopProfile({ ...sampleProfile(), fax: '03-0000-0001' });
    expect(!unknown.ok && unknown.error).toMatch(/fax/);
    const noPayments = parseShopProfile({ ...sampleProfile(), paymentMethods: [] });
    expect(!noPayments.ok && noPayments.error).toMatch(/paymentMethods: /);
  });

  it('needs the address and phone unless the seller discloses them on request', () => {
    const { address: _a, phone: _p, ...hidden } = sampleProfile();
    const refused = parseShopProfile(hidden);
    expect(refused.ok).toBe(false);
    if (!refused.ok) {
      expect(refused.error).toContain('address: address is required unless disclosesOnRequest is true');
      expect(refused.error).toContain('phone: phone is required unless disclosesOnRequest is true');
    }
    expect(parseShopProfile({ ...hidden, disclosesOnRequest: true }).ok).toBe(true);
  });

  it('takes an optional registration number for qualified invoices: T and 13 digits', () => {
    expect(sampleProfile().registrationNumber).toBeUndefined();
    const registered = parseShopProfile({ ...sampleProfile(), registrationNumber: 'T1234567890123' });
    expect(registered.ok && registered.profile.registrationNumber).toBe('T1234567890123');
    for (const wrong of ['1234567890123', 'T123456789012', 'T12345678901234', 't1234567890123']) {
      const refused = parseShopProfile({ ...sampleProfile(), registrationNumber: wrong });
      expect(!refused.ok && refused.error).toMatch(/registrationNumber: a registration number is T and 13 digits/);
    }
  });
});
