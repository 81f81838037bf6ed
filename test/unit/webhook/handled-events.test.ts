import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { HANDLED_EVENT_TYPES, planEvent } from '../../../src/lib/webhook/events.ts';
import type Stripe from 'stripe';

const DOCS = join(import.meta.dirname, '../../../docs/webhooks.md');

describe('the handled event types', () => {
  it('are exactly what docs/webhooks.md tells the owner to register', () => {
    const text = readFileSync(DOCS, 'utf8');
    const section = text.slice(text.indexOf('## Events handled'), text.indexOf('## Retries and failures'));
    // Event types name one object (`invoice.paid`); SDK calls the page mentions name a collection (`customers.list`).
    const eventLike = /^(customer|checkout|invoice|product|price|charge|credit_note|refund|subscription_schedule)\./;
    const documented = new Set(
      [...section.matchAll(/`([a-z_]+(?:\.[a-z_]+)+)`/g)]
        .map((match) => match[1] ?? '')
        .filter((token) => eventLike.test(token)),
    );
    expect([...documented].sort()).toEqual([...HANDLED_EVENT_TYPES].sort());
  });

  it('each lead planEvent to an action (none is ignored as unhandled)', () => {
    for (const type of HANDLED_EVENT_TYPES) {
      const event = { type, data: { object: { id: 'cus_1', customer: 'cus_1' } } } as unknown as Stripe.Event;
      expect(planEvent(event)).not.toEqual({ kind: 'ignore', reason: 'unhandled_type' });
    }
  });
});
