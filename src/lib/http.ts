/** A short plain-text answer (errors that need no page: bad methods, sizes, content types). */
export function plainText(status: number, message: string, headers: Record<string, string> = {}): Response {
  return new Response(message, { status, headers: { 'content-type': 'text/plain; charset=utf-8', ...headers } });
}
