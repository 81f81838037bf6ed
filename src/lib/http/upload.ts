/** A same-site multipart form carrying one file, read with a size cap and kept as bytes (any encoding). */
import { readBodyBytes } from './body.ts';

/** Room for the form's boundaries and part headers around the file. */
const MULTIPART_OVERHEAD_BYTES = 16 * 1024;

export type UploadResult =
  | { ok: true; bytes: Uint8Array }
  | { ok: false; status: 400 | 413 | 415; reason: 'not_multipart' | 'too_large' | 'malformed' | 'no_file' };

/** The bytes of the file in form field `field`, refused past `maxBytes` (before parsing anything). */
export async function readUpload(request: Request, field: string, maxBytes: number): Promise<UploadResult> {
  const contentType = request.headers.get('content-type') ?? '';
  if (!/^multipart\/form-data\b/i.test(contentType)) {
    await request.body?.cancel().catch(() => undefined);
    return { ok: false, status: 415, reason: 'not_multipart' };
  }
  const body = await readBodyBytes(request, maxBytes + MULTIPART_OVERHEAD_BYTES);
  if (!body.ok)
    return body.reason === 'too_large'
      ? { ok: false, status: 413, reason: 'too_large' }
      : { ok: false, status: 400, reason: 'malformed' };
  let form: FormData;
  try {
    form = await new Response(body.bytes, { headers: { 'content-type': contentType } }).formData();
  } catch {
    return { ok: false, status: 400, reason: 'malformed' };
  } finally {
    body.release();
  }
  const file = form.get(field);
  if (file === null || typeof file === 'string') return { ok: false, status: 400, reason: 'no_file' };
  if (file.size > maxBytes) return { ok: false, status: 413, reason: 'too_large' };
  return { ok: true, bytes: new Uint8Array(await file.arrayBuffer()) };
}
