/** Reading a request's Cookie header: the one parser the visitor and language cookies share. */

/**
 * The header's cookies in order, `name=value` split at the first `=`; a pair without `=` has an
 * empty name (RFC 6265bis), so it never matches a cookie this site sets. Empty pairs are skipped.
 */
export function cookiePairs(cookieHeader: string): Array<{ name: string; value: string }> {
  return cookieHeader
    .split(';')
    .map((pair) => pair.trim())
    .filter((pair) => pair !== '')
    .map((pair) => {
      const equals = pair.indexOf('=');
      return equals < 0 ? { name: '', value: pair } : { name: pair.slice(0, equals), value: pair.slice(equals + 1) };
    });
}

/** Every value the header holds under `name` (a name sent twice gives two). */
export function cookieValues(cookieHeader: string, name: string): string[] {
  return cookiePairs(cookieHeader)
    .filter((pair) => pair.name === name)
    .map((pair) => pair.value);
}
