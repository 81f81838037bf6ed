import { readBodyText } from './body.ts';

/** The site's own forms hold a price id and an e-mail: tiny. Anything larger is refused before parsing. */
const MAX_FORM_BYTES = 2048;

type FormResult =
  { ok: true; get: (name: string) => string | undefined } | { ok: false; status: 400 | 413 | 415; message: string };

/** Reads a same-site form POST (urlencoded or multipart) with a size cap (the site's own small forms by default). */
export async function readForm(request: Request, maxBytes = MAX_FORM_BYTES): Promise<FormResult> {
  const contentType = request.headers.get('content-type') ?? '';
  const multipart = /^multipart\/form-data\b/i.test(contentType);
  if (!multipart && !/^application\/x-www-form-urlencoded\b/i.test(contentType)) {
    await request.body?.cancel().catch(() => undefined);
    return { ok: false, status: 415, message: 'Content-Type must be a form.' };
  }
  const body = await readBodyText(request, maxBytes);
  if (!body.ok)
    return body.reason === 'too_large'
      ? { ok: false, status: 413, message: 'Payload too large.' }
      : { ok: false, status: 400, message: 'Malformed form.' };
  try {
    if (multipart) {
      const form = await new Response(body.text, { headers: { 'content-type': contentType } }).formData();
      return { ok: true, get: (name) => (typeof form.get(name) === 'string' ? (form.get(name) as string) : undefined) };
    }
    const params = new URLSearchParams(body.text);
    return { ok: true, get: (name) => params.get(name) ?? undefined };
  } catch {
    return { ok: false, status: 400, message: 'Malformed form.' };
  }
}
