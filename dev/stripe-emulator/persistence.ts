/**
 * The emulator's state in a JSON file, so a demo survives a restart: every field of EmulatorState
 * (its Maps, arrays and settings, whatever resources add later) and the API key, saved generically.
 * Writes are debounced and atomic (a temporary file, then a rename), so a crash leaves the last
 * complete state, never half a file.
 */
import { existsSync, readFileSync } from 'node:fs';
import { mkdir, rename, writeFile } from 'node:fs/promises';
import { dirname } from 'node:path';
import Stripe from 'stripe';
import type { EmulatorState } from './state.ts';

/** Bumped when the file's layout changes in a way older files cannot be read with. */
const FORMAT = 1;
/** How long after a change the file is written; later changes in that time join the same write. */
const SAVE_DELAY_MS = 200;

/** What the file holds. */
interface SavedState {
  format: typeof FORMAT;
  apiKey: string;
  state: Record<string, unknown>;
}

// A Map becomes { "$map": [[key, value], ...] } and a Stripe.Decimal { "$decimal": "1500" } (JSON has neither).
const MAP_TAG = '$map';
const DECIMAL_TAG = '$decimal';
const DECIMAL_PROTOTYPE: unknown = Object.getPrototypeOf(Stripe.Decimal.zero);

function encode(this: unknown, key: string, value: unknown): unknown {
  // `this[key]` is the value before toJSON (a Decimal's toJSON would lose its type).
  const raw = (this as Record<string, unknown>)[key];
  if (raw instanceof Map) return { [MAP_TAG]: [...raw.entries()] };
  if (raw !== null && typeof raw === 'object' && Object.getPrototypeOf(raw) === DECIMAL_PROTOTYPE)
    return { [DECIMAL_TAG]: (raw as Stripe.Decimal).toString() };
  return value;
}

function decode(_key: string, value: unknown): unknown {
  if (value === null || typeof value !== 'object' || Array.isArray(value)) return value;
  const tagged = value as Record<string, unknown>;
  const keys = Object.keys(tagged);
  if (keys.length === 1 && keys[0] === MAP_TAG && Array.isArray(tagged[MAP_TAG]))
    return new Map(tagged[MAP_TAG] as Array<[unknown, unknown]>);
  if (keys.length === 1 && keys[0] === DECIMAL_TAG && typeof tagged[DECIMAL_TAG] === 'string')
    return Stripe.Decimal.from(tagged[DECIMAL_TAG]);
  return value;
}

/** Copies saved fields into the state's own Maps, arrays and objects (they are readonly and shared). */
function restore(state: EmulatorState, saved: Record<string, unknown>): void {
  const fields = state as unknown as Record<string, unknown>;
  for (const [name, value] of Object.entries(saved)) {
    const current = fields[name];
    if (current instanceof Map && value instanceof Map) {
      current.clear();
      for (const [key, item] of value) current.set(key, item);
    } else if (Array.isArray(current) && Array.isArray(value)) {
      current.splice(0, current.length, ...(value as unknown[]));
    } else if (current !== null && typeof current === 'object' && value !== null && typeof value === 'object') {
      Object.assign(current, value);
    }
  }
}

/** The emulator's state file: load once at start, then `saveSoon()` after changes and `flush()` at close. */
export class StateFile {
  readonly path: string;
  private state: EmulatorState | null = null;
  private apiKey = '';
  private timer: NodeJS.Timeout | null = null;
  private writing: Promise<void> = Promise.resolve();

  constructor(path: string) {
    this.path = path;
  }

  /**
   * Fills `state` from the file and answers its API key, or null when there is no file yet. Throws an
   * Error naming the file and how to start over when the file cannot be read as a saved state.
   */
  load(state: EmulatorState): { apiKey: string } | null {
    if (!existsSync(this.path)) return null;
    let saved: SavedState;
    try {
      saved = JSON.parse(readFileSync(this.path, 'utf8'), decode) as SavedState;
      if (saved?.format !== FORMAT) throw new Error(`unknown format ${JSON.stringify(saved?.format)}`);
      if (typeof saved.apiKey !== 'string' || !/^(sk|rk)_test_/.test(saved.apiKey))
        throw new Error('no test-mode API key');
      if (saved.state === null || typeof saved.state !== 'object') throw new Error('no state');
    } catch (error) {
      throw new Error(
        `Stripe emulator: cannot load its saved state from ${this.path} (${error instanceof Error ? error.message : String(error)}). Start over with \`npm start -- --fresh\`, or delete that file.`,
        { cause: error },
      );
    }
    restore(state, saved.state);
    return { apiKey: saved.apiKey };
  }

  /** From now on, `saveSoon` and `flush` write this state and key. */
  track(state: EmulatorState, apiKey: string): void {
    this.state = state;
    this.apiKey = apiKey;
  }

  /** Writes the state shortly (debounced). */
  saveSoon(): void {
    if (!this.state || this.timer) return;
    this.timer = setTimeout(() => {
      this.timer = null;
      void this.write();
    }, SAVE_DELAY_MS);
    this.timer.unref();
  }

  /** Writes the state now (after any write in progress), e.g. at close. */
  async flush(): Promise<void> {
    if (this.timer) clearTimeout(this.timer);
    this.timer = null;
    await this.write();
  }

  /** One write at a time, each of the whole state as it is when it starts. */
  private write(): Promise<void> {
    const state = this.state;
    if (!state) return this.writing;
    this.writing = this.writing
      .then(async () => {
        const saved: SavedState = { format: FORMAT, apiKey: this.apiKey, state: { ...state } };
        const text = JSON.stringify(saved, encode);
        const temporary = `${this.path}.${process.pid}.tmp`;
        await mkdir(dirname(this.path), { recursive: true });
        await writeFile(temporary, text);
        await rename(temporary, this.path);
      })
      // A failed write (a full disk) must not stop the emulator; the next change tries again.
      .catch((error: unknown) => console.error(`[stripe-emulator] could not save its state to ${this.path}:`, error));
    return this.writing;
  }
}
