import { describe, expect, it } from 'vitest';
import type { LogFields, Logger } from '../../../src/lib/log/log.ts';
import { createFloodLog } from '../../../src/lib/log/flood.ts';

function recorder() {
  const lines: Array<LogFields & { level: string }> = [];
  const log: Logger = {
    info: (fields) => lines.push({ ...fields, level: 'info' }),
    warn: (fields) => lines.push({ ...fields, level: 'warn' }),
    error: (fields) => lines.push({ ...fields, level: 'error' }),
  };
  return { lines, log };
}

describe('createFloodLog', () => {
  it('logs the first records of a window individually, then only counts them', () => {
    const { lines, log } = recorder();
    let t = Date.UTC(2027, 0, 1, 12, 0, 0);
    const flood = createFloodLog({ log, kind: 'webhook_rejected', msg: 'webhook rejected (aggregate)', now: () => t });
    for (let i = 0; i < 8; i++) {
      flood.record(i % 2 ? 'bad_signature' : 'no_signature', { msg: 'webhook', outcome: 'rejected', n: i });
      t += 1_000;
    }
    expect(lines.map((line) => line.n)).toEqual([0, 1, 2, 3, 4]);
    expect(lines.every((line) => line.level === 'info' && line.msg === 'webhook')).toBe(true);
  });

  it('writes one aggregate line on the first record after the window closed, then starts a new window', () => {
    const { lines, log } = recorder();
    const start = Date.UTC(2027, 0, 1, 12, 0, 0);
    let t = start;
    const flood = createFloodLog({
      log,
      kind: 'webhook_rejected',
      msg: 'webhook rejected (aggregate)',
      individually: 2,
      windowMs: 60_000,
      now: () => t,
    });
    for (const reason of ['no_signature', 'bad_signature', 'bad_signature', 'expired', 'bad_signature'])
      flood.record(reason, { msg: 'webhook', reason });
    expect(lines).toHaveLength(2);
    t = start + 59_999;
    flood.record('bad_signature', { msg: 'webhook', reason: 'bad_signature' });
    expect(lines).toHaveLength(2);

    t = start + 60_000;
    flood.record('too_large', { msg: 'webhook', reason: 'too_large' });
    expect(lines).toHaveLength(4);
    expect(lines[2]).toEqual({
      level: 'info',
      msg: 'webhook rejected (aggregate)',
      kind: 'webhook_rejected',
      window_start: '2027-01-01T12:00:00.000Z',
      window_ms: 60_000,
      counts: JSON.stringify({ no_signature: 1, bad_signature: 4, expired: 1 }),
      suppressed: 4,
    });
    // The new window logs individually again.
    expect(lines[3]).toEqual({ level: 'info', msg: 'webhook', reason: 'too_large' });
  });

  it('writes no aggregate line for a window that suppressed nothing', () => {
    const { lines, log } = recorder();
    let t = 0;
    const flood = createFloodLog({ log, kind: 'k', msg: 'k (aggregate)', now: () => t });
    for (let i = 0; i < 5; i++) flood.record('r', { msg: 'one' });
    t = 120_000;
    flood.record('r', { msg: 'one' });
    expect(lines.map((line) => line.msg)).toEqual(['one', 'one', 'one', 'one', 'one', 'one']);
  });

  it('keeps the level it was given for both kinds of line', () => {
    const { lines, log } = recorder();
    let t = 0;
    const flood = createFloodLog({
      log,
      kind: 'csp_violation',
      msg: 'csp violations (aggregate)',
      level: 'warn',
      individually: 1,
      now: () => t,
    });
    flood.record('script-src-elem', { msg: 'csp violation' });
    flood.record('frame-src', { msg: 'csp violation' });
    t = 60_000;
    flood.record('frame-src', { msg: 'csp violation' });
    expect(lines.map((line) => [line.level, line.msg])).toEqual([
      ['warn', 'csp violation'],
      ['warn', 'csp violations (aggregate)'],
      ['warn', 'csp violation'],
    ]);
    expect(lines[1]).toMatchObject({ counts: '{"script-src-elem":1,"frame-src":1}', suppressed: 1 });
  });

  it('starts a new window when the clock goes backwards rather than suppressing forever', () => {
    const { lines, log } = recorder();
    let t = 1_000_000;
    const flood = createFloodLog({ log, kind: 'k', msg: 'k (aggregate)', individually: 1, now: () => t });
    flood.record('r', { msg: 'one' });
    flood.record('r', { msg: 'one' });
    t = 0;
    flood.record('r', { msg: 'one' });
    expect(lines.map((line) => line.msg)).toEqual(['one', 'k (aggregate)', 'one']);
  });
});
