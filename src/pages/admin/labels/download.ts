/**
 * GET /admin/labels/download?format=b2&part=1: one carrier file of the parcels to ship, as the
 * labels page listed it (CP932 for the carriers, UTF-8 with BOM for the spreadsheet). Behind
 * Cloudflare Access (src/middleware.ts, which also makes it no-store).
 */
import type { APIRoute } from 'astro';
import { plainText } from '../../../lib/http/responses.ts';
import { DEFAULT_SHIPPING_DAYS, shopDate } from '../../../lib/shipments/shipping-days.ts';
import { shippingRules, site } from '../../../site.ts';

export const GET: APIRoute = async ({ url, locals }) => {
  const { labelDownload, labelFiles, parseLabelFormat } = await import('../../../lib/shipments/labels.ts');
  const format = parseLabelFormat(url.searchParams.get('format'));
  const part = Number(url.searchParams.get('part') ?? '1');
  if (!format || !Number.isInteger(part) || part < 1) return plainText(400, 'Unknown format or part.');
  const rules = await shippingRules();
  const timeZone = rules?.timeZone ?? DEFAULT_SHIPPING_DAYS.timeZone;
  const today = shopDate(Date.now(), timeZone);
  const shipments = await site().tables.shipments.toShip();
  const files = labelFiles(format, shipments, { rules, today, language: locals.lang, timeZone });
  const file = files.ok ? files.files[part - 1] : undefined;
  if (!files.ok || !file) return plainText(404, 'No such file.');
  const { filename, contentType } = labelDownload(format, today, part, files.files.length);
  site().log.info({ msg: 'admin: label file', format, parcels: file.exported.length });
  return new Response(file.bytes, {
    headers: { 'content-type': contentType, 'content-disposition': `attachment; filename="${filename}"` },
  });
};
