/** The forms of a subscriber's changes (POST /subscription/skip, /pause, /resume, /frequency), read strictly. */
import type { ChangeKind, ChangeRequest } from './run.ts';

/** The routes, by the last part of their path. */
export const CHANGE_KINDS: readonly ChangeKind[] = ['skip', 'pause', 'resume', 'frequency'];
/** How long a pause may be, in months (the issue: 1, 2 or 3). */
export const PAUSE_MONTHS = [1, 2, 3] as const;
/** The form's one-time value: a double submission shares it, so Stripe sees one idempotent change. */
const KEY = /^[A-Za-z0-9_-]{16,64}$/;
const PRICE_ID = /^[A-Za-z0-9_-]{1,255}$/;

export type ParsedChangeForm = { ok: true; request: ChangeRequest; confirmed: boolean; key: string } | { ok: false };

/** A new one-time value for a change form. */
export function newChangeKey(): string {
  return crypto.randomUUID();
}

function seconds(value: string | undefined): number | undefined {
  if (value === undefined || !/^\d{1,12}$/.test(value)) return undefined;
  return Number(value);
}

/** Reads a change form for the route `kind`; `confirmed` when it is the confirmation page's post. */
export function parseChangeForm(kind: string, get: (name: string) => string | undefined): ParsedChangeForm {
  const key = get('key');
  if (key === undefined || !KEY.test(key)) return { ok: false };
  const confirmed = get('confirm') === 'yes';
  switch (kind) {
    case 'skip': {
      const target = seconds(get('date'));
      return target === undefined ? { ok: false } : { ok: true, request: { kind, target }, confirmed: true, key };
    }
    case 'pause': {
      const from = seconds(get('from'));
      const months = PAUSE_MONTHS.find((value) => String(value) === get('months'));
      if (from === undefined || months === undefined) return { ok: false };
      return { ok: true, request: { kind, from, months }, confirmed, key };
    }
    case 'resume':
      return { ok: true, request: { kind }, confirmed: true, key };
    case 'frequency': {
      const from = seconds(get('from'));
      const priceId = get('price');
      if (from === undefined || priceId === undefined || !PRICE_ID.test(priceId)) return { ok: false };
      return { ok: true, request: { kind, priceId, from }, confirmed, key };
    }
    default:
      return { ok: false };
  }
}
