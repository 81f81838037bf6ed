/** Sets a page's status and, for a refusal worth retrying later, Retry-After (seconds). */
export function setStatus(response: { status?: number; headers: Headers }, status: number, retryAfter?: number): void {
  response.status = status;
  if (retryAfter) response.headers.set('retry-after', String(retryAfter));
}

/** A short plain-text answer (errors that need no page: bad methods, sizes, content types). */
export function plainText(status: number, message: string, headers: Record<string, string> = {}): Response {
  return new Response(message, { status, headers: { 'content-type': 'text/plain; charset=utf-8', ...headers } });
}
