/** E-mail addresses as a page may show them to someone who may not own them. */

/**
 * An address as a page may show it to whoever holds the link or the browser: the first one or two
 * characters before the @ (one when it is short), then `•••`, then the whole domain.
 */
export function maskEmail(email: string): string {
  const at = email.lastIndexOf('@');
  if (at < 1) return '•••';
  const local = email.slice(0, at);
  const shown = [...local].slice(0, local.length > 4 ? 2 : 1).join('');
  return `${shown}•••${email.slice(at)}`;
}
