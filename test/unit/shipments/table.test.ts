import { describe, expect, it } from 'vitest';
import { SHIPMENT_RETENTION_MS } from '../../../src/lib/shipments/shipments.ts';
import { deleteExpiredRows } from '../../../src/lib/storage/tables.ts';
import { newVisitorSecret } from '../../../src/lib/visitor/cookie.ts';
import { useTestStorage } from '../../support/storage.ts';
import { shipment } from './fixtures.ts';

const ctx = useTestStorage();
const PAID = { via: 'checkout', email: 'taro@example.com' } as const;

describe('the shipments table', () => {
  it('makes one row per invoice, whatever the number and concurrency of inserts', async () => {
    const outcomes = await Promise.all(Array.from({ length: 20 }, () => ctx.owner.shipments.insert(shipment())));
    expect(outcomes.filter((outcome) => outcome === 'created')).toHaveLength(1);
    expect(await ctx.owner.shipments.toShip()).toEqual([shipment()]);
  });

  it('lists what to ship by ship-by date, and finds a parcel by e-mail, name, number or tracking number', async () => {
    const { shipments } = ctx.owner;
    await shipments.insert(shipment({ id: 'in_1Later', shipBy: '2026-03-09', email: 'Hana@Example.com' }));
    await shipments.insert(shipment({ id: 'in_1Sooner', shipBy: '2026-03-03' }));
    expect((await shipments.toShip()).map((s) => s.id)).toEqual(['in_1Sooner', 'in_1Later']);
    await shipments.markShipped([{ invoiceId: 'in_1Sooner', carrier: 'yamato', trackingNumber: '123456789012' }]);
    expect((await shipments.search('hana@example.COM')).map((s) => s.id)).toEqual(['in_1Later']);
    expect((await shipments.search('1234-5678-9012')).map((s) => s.id)).toEqual(['in_1Sooner']);
    expect((await shipments.search('山田太郎')).length).toBe(2);
    expect((await shipments.search('1Later')).map((s) => s.id)).toEqual(['in_1Later']);
    expect(await shipments.search('%')).toEqual([]);
    expect((await shipments.history()).map((s) => s.id)).toEqual(['in_1Sooner']);
  });

  it('marks shipped once: the same mark again changes nothing, another never overwrites the first', async () => {
    const { shipments } = ctx.owner;
    await shipments.insert(shipment({ id: 'in_1A' }));
    await shipments.insert(shipment({ id: 'in_1B' }));
    const first = { invoiceId: 'in_1A', carrier: 'yamato', trackingNumber: '111111111111' } as const;
    const racing = await Promise.all([
      shipments.markShipped([first]),
      shipments.markShipped([{ ...first, trackingNumber: '222222222222' }]),
    ]);
    const winners = racing.filter((outcome) => outcome.get('in_1A') === 'shipped');
    expect(winners).toHaveLength(1);
    const kept = (await shipments.get('in_1A'))?.trackingNumber;
    expect(racing.map((outcome) => outcome.get('in_1A')).sort()).toEqual(['conflict', 'shipped']);
    const again = await shipments.markShipped([
      { ...first, trackingNumber: kept ?? '' },
      { invoiceId: 'in_1B', carrier: 'japanpost', trackingNumber: '12345678901' },
      { invoiceId: 'in_1Nothing', carrier: 'yamato', trackingNumber: '333333333333' },
    ]);
    expect(Object.fromEntries(again)).toEqual({ in_1A: 'unchanged', in_1B: 'shipped', in_1Nothing: 'unknown' });
  });

  it('never ships a cancelled parcel, and never cancels a shipped one (the refund is noted beside it)', async () => {
    const { shipments } = ctx.owner;
    await shipments.insert(shipment({ id: 'in_1Refunded' }));
    await shipments.insert(shipment({ id: 'in_1Gone' }));
    const refund = { amount: 1500, currency: 'jpy', full: true };
    expect(await shipments.cancel('in_1Refunded', refund)).toBe('cancelled');
    const marks = await shipments.markShipped([
      { invoiceId: 'in_1Refunded', carrier: 'yamato', trackingNumber: '111111111111' },
      { invoiceId: 'in_1Gone', carrier: 'yamato', trackingNumber: '222222222222' },
    ]);
    expect(Object.fromEntries(marks)).toEqual({ in_1Refunded: 'cancelled', in_1Gone: 'shipped' });
    expect(await shipments.cancel('in_1Gone', refund)).toBe('not_to_ship');
    await shipments.noteRefund('in_1Gone', refund);
    expect(await shipments.get('in_1Gone')).toMatchObject({ status: 'shipped', refund });
    expect(await shipments.get('in_1Refunded')).toMatchObject({ status: 'cancelled', refund, trackingNumber: null });
  });

  it('claims each shipping notice once, and gives a failed one back', async () => {
    const { shipments } = ctx.owner;
    await shipments.insert(shipment({ id: 'in_1Notice', language: 'en' }));
    expect(await shipments.claimNotice('in_1Notice')).toBeNull();
    await shipments.markShipped([{ invoiceId: 'in_1Notice', carrier: 'sagawa', trackingNumber: '123456789012' }]);
    const claims = await Promise.all([shipments.claimNotice('in_1Notice'), shipments.claimNotice('in_1Notice')]);
    const claim = claims.find(Boolean);
    expect(claims.filter(Boolean)).toHaveLength(1);
    expect(claim).toMatchObject({ email: 'taro@example.com', language: 'en', carrier: 'sagawa' });
    expect(await shipments.unnotified(0, 5)).toEqual([]);
    await shipments.releaseNotice('in_1Notice', claim?.claimedAt ?? 0);
    expect(await shipments.unnotified(0, 5)).toEqual(['in_1Notice']);
  });

  it('keeps a parcel to ship for good, and deletes the others 180 days after they shipped or were called off', async () => {
    const { shipments } = ctx.owner;
    await shipments.insert(shipment({ id: 'in_1Waiting' }));
    await shipments.insert(shipment({ id: 'in_1Sent' }));
    await shipments.markShipped([{ invoiceId: 'in_1Sent', carrier: 'yamato', trackingNumber: '123456789012' }]);
    const { db } = ctx.storage;
    await deleteExpiredRows(db, [shipments], Date.now() + SHIPMENT_RETENTION_MS - 60_000);
    expect(await shipments.get('in_1Sent')).not.toBeNull();
    await deleteExpiredRows(db, [shipments], Date.now() + SHIPMENT_RETENTION_MS + 60_000);
    expect(await shipments.get('in_1Sent')).toBeNull();
    expect(await shipments.get('in_1Waiting')).not.toBeNull();
  });

  it('puts the customer’s latest parcel in the page’s one read, never a cancelled one, and drops stale copies', async () => {
    const { bindings, viewerReads } = ctx.tables;
    const { shipments } = ctx.owner;
    const visitor = newVisitorSecret();
    await bindings.bind(visitor, 'cus_Sample0001', PAID);
    expect((await viewerReads.read(visitor)).shipment).toBeNull();
    await shipments.insert(shipment({ id: 'in_1Old', paidAtMs: 1000, shipBy: '2026-01-05' }));
    expect((await viewerReads.read(visitor)).shipment).toEqual({ status: 'to_ship', shipBy: '2026-01-05' });
    await shipments.markShipped([{ invoiceId: 'in_1Old', carrier: 'yamato', trackingNumber: '123456789012' }]);
    expect((await viewerReads.read(visitor)).shipment).toMatchObject({
      status: 'shipped',
      carrier: 'yamato',
      trackingNumber: '123456789012',
    });
    await shipments.insert(shipment({ id: 'in_1New', paidAtMs: 2000 }));
    await shipments.cancel('in_1New', null);
    // The newer parcel was called off: the one that went out stays what the subscriber sees.
    expect((await viewerReads.read(visitor)).shipment).toMatchObject({ status: 'shipped' });
  });
});
