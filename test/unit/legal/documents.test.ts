import { describe, expect, it } from 'vitest';
import { privacySections, termsSections } from '../../../src/lib/legal/documents.ts';
import { disclosurePlans, legalHeaders } from '../../../src/lib/legal/page.ts';
import { sampleProfile } from './sample.ts';

const all = (sections: ReturnType<typeof termsSections>) =>
  sections.flatMap((section) => [section.heading, ...section.paragraphs]).join('\n');

describe('termsSections', () => {
  it('covers renewal, delivery, cancellation and returns from the profile, in both languages', () => {
    const profile = sampleProfile();
    const ja = all(termsSections(profile, 'ja', { demo: false }));
    for (const words of [
      '自動で更新',
      profile.delivery.ja,
      profile.cancellation.how.ja,
      profile.cancellation.effective.ja,
    ])
      expect(ja).toContain(words);
    expect(ja).toContain(profile.returns.defective.ja);
    const en = all(termsSections(profile, 'en', { demo: false }));
    for (const words of ['renews automatically', profile.delivery.en, profile.cancellation.deadline.en])
      expect(en).toContain(words);
  });

  it('says skips, pauses and frequency changes are possible and until when, where the shop posts beans', () => {
    const profile = sampleProfile();
    expect(all(termsSections(profile, 'ja', { demo: false }))).toContain('更新日の3日前の午前0時（日本時間）');
    expect(all(termsSections(profile, 'en', { demo: false }))).toContain('3 days before its renewal day');
    const digital = all(termsSections({ ...profile, shipping: undefined }, 'ja', { demo: false }));
    expect(digital).not.toContain('一時停止');
    // Cancellation stays as the profile says it.
    expect(digital).toContain(profile.cancellation.how.ja);
  });

  it('says the shop is a demo for a sample profile or in demo mode, and not otherwise', () => {
    const real = { ...sampleProfile(), sample: false };
    expect(termsSections(real, 'ja', { demo: false })[0]?.heading).toBe('第1条（適用）');
    expect(termsSections(real, 'en', { demo: true })[0]?.heading).toBe('About this demo');
    expect(all(termsSections(real, 'ja', { demo: true }))).toContain('料金は請求されず');
    expect(termsSections(sampleProfile(), 'ja', { demo: false })[0]?.heading).toBe('デモについて');
  });
});

describe('privacySections', () => {
  it('states what is stored, for how long, who processes it, and whom to contact', () => {
    const ja = all(privacySections(sampleProfile(), 'ja'));
    for (const words of [
      'メールアドレス',
      'Cookie',
      '一方向',
      'Stripe の顧客 ID',
      'お届け先',
      '1年間',
      '30日間',
      'Cloudflare',
    ])
      expect(ja).toContain(words);
    expect(ja).toContain('support@hanamame.example');
    const en = all(privacySections(sampleProfile(), 'en'));
    for (const words of ['one-way reference', 'Stripe customer id', '30 days', 'Stripe, Inc.', 'Cloudflare, Inc.'])
      expect(en).toContain(words);
  });

  it('leaves the address and phone out of the contact when the seller discloses on request', () => {
    const text = all(privacySections({ ...sampleProfile(), disclosesOnRequest: true }, 'ja'));
    expect(text).not.toContain('03-0000-0000');
    expect(text).toContain('support@hanamame.example');
  });
});

describe('legal page helpers', () => {
  it('caches publicly only a cookieless view', () => {
    expect(legalHeaders(false)).toEqual({ vary: 'Accept-Language, Cookie', 'cache-control': 'public, max-age=300' });
    expect(legalHeaders(true)['cache-control']).toBe('private, no-store');
  });

  it('gives no plans without a catalog or when it fails, and logs the failure', async () => {
    const logged: unknown[] = [];
    const log = { info: () => {}, warn: () => {}, error: (fields: unknown) => logged.push(fields) };
    expect(await disclosurePlans(undefined, log)).toBeUndefined();
    expect(await disclosurePlans({ get: () => Promise.reject(new Error('down')) }, log)).toBeUndefined();
    expect(logged).toHaveLength(1);
    expect(await disclosurePlans({ get: () => Promise.resolve([]) }, log)).toEqual([]);
  });
});
