/**
 * Two facts the owner's home page shows, kept in D1 `meta` (one row each, replaced): the last
 * webhook event whose work failed (Stripe retries it), and the last hourly run with its counts.
 */

const WEBHOOK_FAILURE = 'last_webhook_failure';
const HOURLY_RUN = 'last_hourly_run';
/** The `meta` rows this module owns. */
export const ACTIVITY_NAMES = [WEBHOOK_FAILURE, HOURLY_RUN] as const;

/** What the hourly run reports (housekeeping/hourly.ts). */
export interface HourlyRunFacts {
  read: number;
  failed: number;
  shipmentsFound: number;
  expiredRows: number;
}

export interface Activity {
  lastWebhookFailure: { type: string; atMs: number } | null;
  lastHourlyRun: (HourlyRunFacts & { atMs: number }) | null;
}

function parseJson(value: string | undefined): Record<string, unknown> | null {
  if (value === undefined) return null;
  try {
    const parsed = JSON.parse(value) as unknown;
    return typeof parsed === 'object' && parsed !== null ? (parsed as Record<string, unknown>) : null;
  } catch {
    return null;
  }
}

const numberOr0 = (value: unknown) => (typeof value === 'number' ? value : 0);

/** The facts from their `meta` rows (a missing or unreadable row is null). */
export function parseActivity(rows: ReadonlyArray<{ name: string; value: string }>): Activity {
  const byName = new Map(rows.map((row) => [row.name, row.value]));
  const failure = parseJson(byName.get(WEBHOOK_FAILURE));
  const run = parseJson(byName.get(HOURLY_RUN));
  return {
    lastWebhookFailure:
      failure && typeof failure.type === 'string' ? { type: failure.type, atMs: numberOr0(failure.atMs) } : null,
    lastHourlyRun: run
      ? {
          atMs: numberOr0(run.atMs),
          read: numberOr0(run.read),
          failed: numberOr0(run.failed),
          shipmentsFound: numberOr0(run.shipmentsFound),
          expiredRows: numberOr0(run.expiredRows),
        }
      : null,
  };
}

/** Writes the two facts. */
export class ActivityLog {
  private readonly db: D1Database;
  private readonly now: () => number;

  constructor(db: D1Database, now: () => number = Date.now) {
    this.db = db;
    this.now = now;
  }

  /** A webhook event's work failed (only its type: an event names customers, never shown here). */
  webhookFailed(type: string): Promise<void> {
    return this.put(WEBHOOK_FAILURE, { type, atMs: this.now() });
  }

  hourlyRan(facts: HourlyRunFacts): Promise<void> {
    return this.put(HOURLY_RUN, { ...facts, atMs: this.now() });
  }

  private async put(name: string, value: Record<string, unknown>): Promise<void> {
    await this.db
      .prepare('INSERT INTO meta (name, value) VALUES (?, ?) ON CONFLICT (name) DO UPDATE SET value = excluded.value')
      .bind(name, JSON.stringify(value))
      .run();
  }
}
