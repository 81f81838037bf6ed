import { describe, expect, it } from 'vitest';
import { shopOpening } from '../../../src/lib/legal/opening.ts';

describe('shopOpening', () => {
  it('keeps a shop with the sample profile closed to live payments only', () => {
    expect(shopOpening('rk_live_abc', { sample: true })).toMatchObject({ open: false });
    expect(shopOpening('sk_live_abc', { sample: true })).toMatchObject({ open: false });
    expect(shopOpening('rk_test_abc', { sample: true })).toEqual({ open: true });
    expect(shopOpening(undefined, { sample: true })).toEqual({ open: true });
    expect(shopOpening('rk_live_abc', { sample: false })).toEqual({ open: true });
  });

  it('tells the owner what to change, naming the file, not the key', () => {
    const closed = shopOpening('rk_live_secretvalue', { sample: true });
    expect(closed.open ? '' : closed.ownerHint).toContain('src/content/shop/profile.json');
    expect(closed.open ? '' : closed.ownerHint).not.toContain('secretvalue');
  });
});
