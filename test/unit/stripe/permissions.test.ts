import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { restrictedKeyPermissions, STRIPE_CALLS } from '../../../src/lib/stripe/permissions.ts';

const LIB = join(import.meta.dirname, '../../../src/lib');

/** Every `stripe.<resource>.<method>(` the site's code makes, by SDK name. */
function callsInTheCode(): Set<string> {
  const calls = new Set<string>();
  for (const file of readdirSync(LIB, { recursive: true, encoding: 'utf8' })) {
    if (!file.endsWith('.ts')) continue;
    const text = readFileSync(join(LIB, file), 'utf8');
    for (const match of text.matchAll(/\bstripe\.((?:[a-zA-Z]+\.)+[a-zA-Z]+)\(/g)) if (match[1]) calls.add(match[1]);
  }
  return calls;
}

describe('the restricted key’s permissions', () => {
  it('cover every Stripe call in src/lib, and list no call the code does not make', () => {
    const inCode = callsInTheCode();
    expect(inCode.size).toBeGreaterThan(5);
    expect([...inCode].sort()).toEqual(Object.keys(STRIPE_CALLS).sort());
  });

  it('name each resource once, at the highest access a call needs', () => {
    const permissions = restrictedKeyPermissions();
    expect(new Set(permissions.map((p) => p.resource)).size).toBe(permissions.length);
    expect(permissions).toContainEqual({ resource: 'Checkout Sessions', access: 'write' });
    expect(permissions).toContainEqual({ resource: 'Customers', access: 'read' });
  });
});

describe('docs/setup.md', () => {
  it('lists exactly these permissions for the restricted key', () => {
    const text = readFileSync(join(import.meta.dirname, '../../../docs/setup.md'), 'utf8');
    const rows = [...text.matchAll(/^\s*\| ([A-Za-z ]+?)\s+\| (Read|Write)\s+\|/gm)].map((match) => ({
      resource: match[1] ?? '',
      access: (match[2] ?? '').toLowerCase(),
    }));
    expect(rows).toEqual(restrictedKeyPermissions());
  });
});
