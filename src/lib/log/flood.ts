/**
 * Log lines a stranger can cause (forged webhooks, CSP reports) must not cost one line each: a
 * script sending thousands a minute would flood the owner's logs (and Workers Logs' daily cap).
 * Per isolate and per window, the first few are logged as usual; the rest are only counted, and
 * the counts are written as one aggregate line.
 *
 * No timers (workerd runs none between requests, and src/ holds none by rule): a window's
 * aggregate is written by the first record after the window closed. A flood that stops leaves its
 * last counts unwritten until the next record; the individual lines already said it had started.
 */
import type { LogFields, Logger } from './log.ts';

export interface FloodLog {
  /** Logs `fields` while the window has room for individual lines; otherwise counts `reason`. */
  record(reason: string, fields: LogFields): void;
}

interface FloodLogOptions {
  log: Logger;
  /** The `kind` of the aggregate line, e.g. `webhook_rejected`. */
  kind: string;
  /** The aggregate line's `msg`, e.g. `webhook rejected (aggregate)`. */
  msg: string;
  /** Level of both the individual and the aggregate lines; default info. */
  level?: 'info' | 'warn' | 'error';
  /** How many records of a window are logged one by one; default 5. */
  individually?: number;
  /** Window length in ms; default one minute. */
  windowMs?: number;
  now?: () => number;
}

/** A per-isolate counter: create it once (module scope, or once per logger) and record into it. */
export function createFloodLog(options: FloodLogOptions): FloodLog {
  const { log, kind, msg } = options;
  const level = options.level ?? 'info';
  const individually = options.individually ?? 5;
  const windowMs = options.windowMs ?? 60_000;
  const now = options.now ?? Date.now;
  let windowStart: number | undefined;
  let counts = new Map<string, number>();
  let logged = 0;
  let suppressed = 0;

  const flush = () => {
    if (windowStart === undefined || suppressed === 0) return;
    log[level]({
      msg,
      kind,
      window_start: new Date(windowStart).toISOString(),
      window_ms: windowMs,
      // Every record of the window by reason, the individually logged ones included.
      counts: JSON.stringify(Object.fromEntries(counts)),
      suppressed,
    });
  };

  return {
    record(reason, fields) {
      const at = now();
      if (windowStart === undefined || at - windowStart >= windowMs || at < windowStart) {
        flush();
        windowStart = at;
        counts = new Map();
        logged = 0;
        suppressed = 0;
      }
      counts.set(reason, (counts.get(reason) ?? 0) + 1);
      if (logged < individually) {
        logged += 1;
        log[level](fields);
      } else {
        suppressed += 1;
      }
    },
  };
}
