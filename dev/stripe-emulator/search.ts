/**
 * Stripe's search query language (docs.stripe.com/search#search-query-language), the part a resource's
 * query fields need: clauses `field:value`, `field~"substring"`, numeric `>`, `<`, `>=`, `<=`, `-` negation,
 * `metadata["key"]`, `null`, AND or OR; and the search result page (`object: 'search_result'`).
 * Stripe refuses malformed queries with a 400 on `query`; its wording was not found, so the messages here
 * say what is wrong in the emulator's words.
 */
import type Stripe from 'stripe';
import { invalidRequest, missingParam, type StripeApiError } from './errors.ts';
import { optionalInteger, optionalString, type Params } from './params.ts';

/** docs.stripe.com/search (query fields): each field is a token, a string or a number. */
type FieldType = 'token' | 'string' | 'numeric';

/** A resource's query fields: how to read each from an object (`metadata` is always a token field). */
export type SearchFields<T> = Readonly<Record<string, { type: FieldType; read: (item: T) => string | number | null }>>;

type Operator = ':' | '~' | '>' | '<' | '>=' | '<=';

interface Clause {
  field: string;
  /** The key of a `metadata["key"]` clause. */
  metadataKey: string | null;
  operator: Operator;
  /** null for the `null` token (the field is empty). */
  value: string | null;
  quoted: boolean;
  negated: boolean;
}

/** A parsed query: its clauses and how they combine. */
export interface SearchQuery {
  clauses: Clause[];
  combine: 'and' | 'or';
}

/** "You can combine up to 10 query clauses in a search" (docs.stripe.com/search, query structure). */
const MAX_CLAUSES = 10;
/** docs.stripe.com/search (syntax): "Substring match operator (substrings must be a minimum of 3 characters)". */
const MIN_SUBSTRING = 3;

function badQuery(message: string): StripeApiError {
  return invalidRequest(`Invalid search query: ${message}`, 'query');
}

/** Reads a quoted value (`"…"` or `'…'`, `\` escapes the next character) starting at `start`. */
function readQuoted(query: string, start: number): { value: string; end: number } {
  const quote = query[start];
  let value = '';
  for (let i = start + 1; i < query.length; i++) {
    const char = query[i];
    if (char === '\\' && i + 1 < query.length) value += query[++i];
    else if (char === quote) return { value, end: i + 1 };
    else value += char;
  }
  throw badQuery(`a quoted value is not closed (${query.slice(start)}).`);
}

/** Parses `query` against a resource's fields; throws Stripe's 400 on `query` for what Stripe refuses. */
export function parseQuery<T>(query: string, fields: SearchFields<T>, resource: string): SearchQuery {
  const clauses: Clause[] = [];
  const joins = new Set<'and' | 'or'>();
  let i = 0;
  const skipSpaces = () => {
    while (i < query.length && /\s/.test(query[i] ?? '')) i++;
  };
  skipSpaces();
  while (i < query.length) {
    // docs.stripe.com/search (query structure): clauses join with a space or AND / OR (case insensitive).
    const keyword = /^(and|or)(?=\s)/i.exec(query.slice(i))?.[1];
    if (keyword && clauses.length > 0) {
      joins.add(keyword.toLowerCase() === 'and' ? 'and' : 'or');
      i += keyword.length;
      skipSpaces();
      continue;
    }
    const negated = query[i] === '-';
    if (negated) i++;
    const head = /^([a-z_][a-z0-9_.]*)(?:\[(["'])(.*?)\2\])?/i.exec(query.slice(i));
    if (!head?.[1]) throw badQuery(`expected a field at "${query.slice(i)}".`);
    const field = head[1];
    const metadataKey = head[3] ?? null;
    i += head[0].length;
    if (field === 'metadata' ? metadataKey === null : metadataKey !== null || !(field in fields))
      throw badQuery(`\`${field}\` is not a query field for ${resource}.`);
    const operator = /^(>=|<=|:|~|>|<)/.exec(query.slice(i))?.[1] as Operator | undefined;
    if (!operator) throw badQuery(`expected an operator (:, ~, >, <, >=, <=) after \`${field}\`.`);
    i += operator.length;
    let value: string;
    let quoted = false;
    if (query[i] === '"' || query[i] === "'") {
      const read = readQuoted(query, i);
      value = read.value;
      i = read.end;
      quoted = true;
    } else {
      value = /^\S*/.exec(query.slice(i))?.[0] ?? '';
      i += value.length;
    }
    const type: FieldType = field === 'metadata' ? 'token' : (fields[field]?.type ?? 'token');
    const isNull = !quoted && value.toLowerCase() === 'null';
    if (!quoted && !isNull && value === '') throw badQuery(`\`${field}${operator}\` has no value.`);
    // docs.stripe.com/search (quotes): "You must use quotation marks around string values."
    if (!quoted && !isNull && type !== 'numeric')
      throw badQuery(`the value of \`${field}\` must be in quotation marks (${field}${operator}"${value}").`);
    // docs.stripe.com/search: "Using an unsupported operator, such as specifying greater than (>) on a string, returns an error."
    if (operator === '~' && type !== 'string') throw badQuery(`\`${field}\` does not support substring matching (~).`);
    if (operator !== ':' && operator !== '~' && type !== 'numeric')
      throw badQuery(`\`${field}\` does not support the ${operator} operator.`);
    if (operator === '~' && value.length < MIN_SUBSTRING)
      throw badQuery(`a substring (~) must be at least ${MIN_SUBSTRING} characters long.`);
    if (type === 'numeric' && !isNull && !/^-?\d+$/.test(value))
      throw badQuery(`\`${field}\` takes a number (got "${value}").`);
    clauses.push({ field, metadataKey, operator, value: isNull ? null : value, quoted, negated });
    if (clauses.length > MAX_CLAUSES) throw badQuery(`a query can combine at most ${MAX_CLAUSES} clauses.`);
    const next = query[i];
    if (next !== undefined && !/\s/.test(next)) throw badQuery(`unexpected "${query.slice(i)}".`);
    skipSpaces();
  }
  if (clauses.length === 0) throw missingParam('query');
  // docs.stripe.com/search (query structure): "AND and OR operators are mutually exclusive."
  if (joins.size > 1) throw badQuery('AND and OR cannot be combined in one query.');
  return { clauses, combine: joins.has('or') ? 'or' : 'and' };
}

const words = (text: string) => text.toLowerCase().split(/\s+/).filter(Boolean);

/** Whether one clause matches an object, before negation. */
function clauseMatches<T>(item: T, clause: Clause, fields: SearchFields<T>): boolean {
  const raw =
    clause.metadataKey === null
      ? (fields[clause.field]?.read(item) ?? null)
      : ((item as { metadata?: Record<string, string> }).metadata?.[clause.metadataKey] ?? null);
  if (clause.value === null) return raw === null || raw === '';
  if (raw === null) return false;
  if (typeof raw === 'number') {
    const wanted = Number(clause.value);
    if (clause.operator === '>') return raw > wanted;
    if (clause.operator === '<') return raw < wanted;
    if (clause.operator === '>=') return raw >= wanted;
    if (clause.operator === '<=') return raw <= wanted;
    return raw === wanted;
  }
  const text = raw.toLowerCase();
  // docs.stripe.com/search (syntax): `~` "Substring match operator"; string matching is case insensitive.
  if (clause.operator === '~') return text.includes(clause.value.toLowerCase());
  const type = clause.metadataKey === null ? fields[clause.field]?.type : 'token';
  // docs.stripe.com/search (syntax): ":" is an "Exact match operator (case insensitive)".
  if (type !== 'string') return text === clause.value.toLowerCase();
  // docs.stripe.com/search (field types): "An exact match on a string type returns any record where that record
  // contains all of the words from the query in the same order" (how Stripe splits e-mail addresses into words is
  // not documented; here words are what whitespace separates).
  const have = words(raw);
  const want = words(clause.value);
  return have.some((_, start) => want.every((word, offset) => have[start + offset] === word));
}

/** Whether an object matches the query. */
export function matchesQuery<T>(item: T, query: SearchQuery, fields: SearchFields<T>): boolean {
  const results = query.clauses.map((clause) => clauseMatches(item, clause, fields) !== clause.negated);
  return query.combine === 'and' ? results.every(Boolean) : results.some(Boolean);
}

/** The `page` cursor of the page starting at `offset` (opaque to clients, like Stripe's next_page). */
const pageToken = (offset: number) => `page_${Buffer.from(String(offset)).toString('base64url')}`;

/**
 * One page of search results (`limit` 1–100, default 10; `page` from a previous `next_page`), in Stripe's
 * shape: Stripe.ApiSearchResult, `{ object: 'search_result', data, has_more, next_page, url }`.
 */
export function searchPage<T>(found: readonly T[], params: Params, url: string): Stripe.ApiSearchResult<T> {
  const limit = optionalInteger(params, 'limit', 1, 100) ?? 10;
  const page = optionalString(params, 'page');
  let offset = 0;
  if (page !== undefined) {
    const decoded = /^page_([A-Za-z0-9_-]+)$/.exec(page)?.[1];
    offset = decoded ? Number(Buffer.from(decoded, 'base64url').toString()) : NaN;
    // Stripe's wording for an unknown page token was not found.
    if (!Number.isInteger(offset) || offset < 0) throw invalidRequest(`Invalid page: ${page}`, 'page');
  }
  const data = found.slice(offset, offset + limit);
  const hasMore = offset + limit < found.length;
  return {
    object: 'search_result',
    data,
    has_more: hasMore,
    next_page: hasMore ? pageToken(offset + limit) : null,
    url,
  };
}
