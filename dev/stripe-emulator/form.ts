/**
 * Parser for Stripe's form / query-string encoding (what stripe-node sends):
 * `a[0][b]=1`, `a[]=x`, `a[b][c]=y`, `metadata[k]=v`. Numeric or empty brackets make arrays.
 */

/** Thrown for input that cannot be decoded; the server answers 400 with `param` when known. */
export class FormParseError extends Error {
  readonly param: string | undefined;

  constructor(message: string, param?: string) {
    super(message);
    this.name = 'FormParseError';
    this.param = param;
  }
}

/** Limits keep a hostile body from costing much; Stripe's own limits are far lower in practice. */
const MAX_PAIRS = 5_000;
const MAX_DEPTH = 8;
const MAX_INDEX = 10_000;
/** Keys that would reach Object.prototype if assigned. */
const FORBIDDEN_KEYS = new Set(['__proto__', 'prototype', 'constructor']);

/** Intermediate tree: every container is an object; keys with APPEND_PREFIX come from `[]`. */
type Node = { [key: string]: Node | string };
const APPEND_PREFIX = '\u0000append:';

function decode(component: string, param: string | undefined): string {
  try {
    return decodeURIComponent(component.replace(/\+/g, ' '));
  } catch {
    throw new FormParseError(`Invalid URL encoding in ${param ? `'${param}'` : 'the request'}.`, param);
  }
}

/** `a[b][0][]` → `['a', 'b', '0', '']`. */
function splitKey(key: string): string[] {
  const open = key.indexOf('[');
  if (open <= 0) {
    if (key === '' || open === 0) throw new FormParseError(`Invalid parameter name '${key}'.`, key);
    return [key];
  }
  const segments = [key.slice(0, open)];
  let rest = key.slice(open);
  while (rest.length > 0) {
    const match = /^\[([^[\]]*)\]/.exec(rest);
    if (!match) throw new FormParseError(`Invalid parameter name '${key}'.`, key);
    segments.push(match[1] ?? '');
    rest = rest.slice(match[0].length);
  }
  if (segments.length > MAX_DEPTH) throw new FormParseError(`Parameter '${key}' is nested too deeply.`, key);
  return segments;
}

function isIndex(segment: string): boolean {
  return /^\d+$/.test(segment) && Number(segment) <= MAX_INDEX;
}

/** Turns containers whose keys are all indexes (or appends) into arrays, recursively. */
function finalize(node: Node | string): unknown {
  if (typeof node === 'string') return node;
  const keys = Object.keys(node);
  const arrayLike = keys.length > 0 && keys.every((key) => key.startsWith(APPEND_PREFIX) || isIndex(key));
  if (arrayLike) {
    // Indexes order the items; appended items keep their arrival order after any indexed ones.
    const ordered = keys
      .map((key, arrival) => ({ key, rank: key.startsWith(APPEND_PREFIX) ? MAX_INDEX + 1 + arrival : Number(key) }))
      .sort((a, b) => a.rank - b.rank);
    return ordered.map(({ key }) => finalize(node[key] as Node | string));
  }
  const result: Record<string, unknown> = {};
  for (const key of keys) {
    if (key.startsWith(APPEND_PREFIX)) throw new FormParseError('Invalid array: cannot mix `[]` with named keys.');
    result[key] = finalize(node[key] as Node | string);
  }
  return result;
}

/**
 * Parses `application/x-www-form-urlencoded` text in Stripe's bracket notation into nested
 * objects and arrays. Values stay strings (Stripe coerces per parameter). Throws FormParseError.
 */
export function parseStripeForm(text: string): Record<string, unknown> {
  const root: Node = {};
  if (text.trim() === '') return {};
  const pairs = text.split('&').filter((pair) => pair !== '');
  if (pairs.length > MAX_PAIRS) throw new FormParseError('Too many parameters.');
  let appendCounter = 0;
  for (const pair of pairs) {
    const eq = pair.indexOf('=');
    const rawKey = eq === -1 ? pair : pair.slice(0, eq);
    const key = decode(rawKey, undefined);
    const value = decode(eq === -1 ? '' : pair.slice(eq + 1), key);
    const segments = splitKey(key);
    let node = root;
    for (let i = 0; i < segments.length; i++) {
      let segment = segments[i] ?? '';
      if (FORBIDDEN_KEYS.has(segment)) throw new FormParseError(`Invalid parameter name '${key}'.`, key);
      if (segment === '') segment = `${APPEND_PREFIX}${appendCounter++}`;
      else if (/^\d+$/.test(segment) && !isIndex(segment)) {
        throw new FormParseError(`Array index too large in '${key}'.`, key);
      }
      const last = i === segments.length - 1;
      const existing = node[segment];
      if (last) {
        if (typeof existing === 'object')
          throw new FormParseError(`Invalid value for '${key}': it is also used as an object.`, key);
        node[segment] = value; // a repeated plain key: the last value wins
      } else if (existing === undefined) {
        const child: Node = {};
        node[segment] = child;
        node = child;
      } else if (typeof existing === 'string') {
        throw new FormParseError(
          `Invalid object for '${segments.slice(0, i + 1).join('.')}': it is also given a plain value.`,
          key,
        );
      } else {
        node = existing;
      }
    }
  }
  // The top level is always an object, even for keys that look like indexes.
  const result: Record<string, unknown> = {};
  for (const key of Object.keys(root)) result[key] = finalize(root[key] as Node | string);
  return result;
}
