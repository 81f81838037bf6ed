/**
 * Size measurements that need no load: the worker bundle on disk, and what a first visit to a
 * page downloads (the HTML and every stylesheet and script it references).
 */
import { createHash } from 'node:crypto';
import { readdirSync, readFileSync, statSync } from 'node:fs';
import { request } from 'node:http';
import { join } from 'node:path';
import { brotliDecompressSync, gunzipSync, gzipSync, inflateSync } from 'node:zlib';

/** Raw and gzip bytes of a set of files. */
export interface BundleSize {
  files: number;
  rawBytes: number;
  /** Each file gzipped on its own (level 9), summed. */
  gzipBytes: number;
}

/** Every `.mjs` under `dir` (source maps excluded), raw and gzipped. */
export function bundleSize(dir: string): BundleSize {
  const files = readdirSync(dir, { recursive: true, encoding: 'utf8' }).filter((file) => file.endsWith('.mjs'));
  let rawBytes = 0;
  let gzipBytes = 0;
  for (const file of files) {
    const content = readFileSync(join(dir, file));
    rawBytes += content.length;
    gzipBytes += gzipSync(content, { level: 9 }).length;
  }
  return { files: files.length, rawBytes, gzipBytes };
}

/** A digest of every file's path, size and mtime under `dir`: changes when anything rebuilds it. */
export function treeFingerprint(dir: string): string {
  const hash = createHash('sha256');
  for (const file of readdirSync(dir, { recursive: true, encoding: 'utf8' }).sort()) {
    const stat = statSync(join(dir, file));
    hash.update(`${file}\0${stat.size}\0${stat.mtimeMs}\n`);
  }
  return hash.digest('hex');
}

/** One downloaded resource. */
interface Resource {
  url: string;
  type: 'html' | 'css' | 'js';
  /** Body bytes as sent (compressed when the server compressed). */
  transferBytes: number;
  /** Body bytes after decoding. */
  decodedBytes: number;
  /** Content-Encoding of the response, if any. */
  encoding?: string;
}

/** What a first visit downloads, per type and in total. */
export interface PageWeight {
  resources: Resource[];
  /** Inline <script> bytes in the HTML (already counted in the HTML, listed for the JS goal). */
  inlineScriptBytes: number;
  byType: Record<Resource['type'], { count: number; transferBytes: number; decodedBytes: number }>;
  total: { transferBytes: number; decodedBytes: number };
}

interface Fetched {
  status: number;
  raw: Buffer;
  decoded: Buffer;
  encoding?: string;
}

/** GET with a browser's Accept-Encoding, keeping the bytes as they came over the wire (fetch would decode them). */
function fetchRaw(url: string): Promise<Fetched> {
  return new Promise((resolve, reject) => {
    const req = request(url, { headers: { 'accept-encoding': 'gzip, deflate, br' } }, (res) => {
      const chunks: Buffer[] = [];
      res.on('data', (chunk: Buffer) => chunks.push(chunk));
      res.on('error', reject);
      res.on('end', () => {
        const raw = Buffer.concat(chunks);
        const encoding = res.headers['content-encoding'];
        try {
          const decoded =
            encoding === 'gzip'
              ? gunzipSync(raw)
              : encoding === 'br'
                ? brotliDecompressSync(raw)
                : encoding === 'deflate'
                  ? inflateSync(raw)
                  : raw;
          resolve({ status: res.statusCode ?? 0, raw, decoded, ...(encoding && { encoding }) });
        } catch (error) {
          reject(error instanceof Error ? error : new Error(String(error)));
        }
      });
    });
    req.setTimeout(10_000, () => req.destroy(new Error(`timeout fetching ${url}`)));
    req.on('error', reject);
    req.end();
  });
}

function attribute(tag: string, name: string): string | undefined {
  const match = new RegExp(`\\s${name}\\s*=\\s*(?:"([^"]*)"|'([^']*)'|([^\\s>]+))`, 'i').exec(tag);
  return match ? (match[1] ?? match[2] ?? match[3]) : undefined;
}

/** Stylesheet and script URLs an HTML page references, plus its inline script bytes. */
function pageReferences(html: string, pageUrl: string): { css: string[]; js: string[]; inlineScriptBytes: number } {
  const css = new Set<string>();
  const js = new Set<string>();
  let inlineScriptBytes = 0;
  for (const [tag] of html.matchAll(/<link\b[^>]*>/gi)) {
    const rel = attribute(tag, 'rel')?.toLowerCase().split(/\s+/) ?? [];
    const href = attribute(tag, 'href');
    if (!href) continue;
    if (rel.includes('stylesheet')) css.add(new URL(href, pageUrl).href);
    if (rel.includes('modulepreload') || (rel.includes('preload') && attribute(tag, 'as') === 'script'))
      js.add(new URL(href, pageUrl).href);
  }
  for (const [, open = '', content = ''] of html.matchAll(/(<script\b[^>]*>)([\s\S]*?)<\/script>/gi)) {
    const src = attribute(open, 'src');
    const type = attribute(open, 'type')?.toLowerCase();
    // JSON data blocks are not executed; everything else in a <script> is JavaScript.
    if (type && type !== 'module' && !type.includes('javascript')) continue;
    if (src) js.add(new URL(src, pageUrl).href);
    else inlineScriptBytes += Buffer.byteLength(content);
  }
  return { css: [...css], js: [...js], inlineScriptBytes };
}

/** Downloads `pageUrl` and every stylesheet and script it references, measuring each. */
export async function pageWeight(pageUrl: string): Promise<PageWeight> {
  const page = await fetchRaw(pageUrl);
  if (page.status !== 200) throw new Error(`GET ${pageUrl} answered ${page.status}`);
  const refs = pageReferences(page.decoded.toString('utf8'), pageUrl);
  const resources: Resource[] = [
    {
      url: pageUrl,
      type: 'html',
      transferBytes: page.raw.length,
      decodedBytes: page.decoded.length,
      ...(page.encoding && { encoding: page.encoding }),
    },
  ];
  const wanted = [
    ...refs.css.map((url) => ({ url, type: 'css' as const })),
    ...refs.js.map((url) => ({ url, type: 'js' as const })),
  ];
  for (const { url, type } of wanted) {
    const fetched = await fetchRaw(url);
    if (fetched.status !== 200) throw new Error(`GET ${url} answered ${fetched.status}`);
    resources.push({
      url,
      type,
      transferBytes: fetched.raw.length,
      decodedBytes: fetched.decoded.length,
      ...(fetched.encoding && { encoding: fetched.encoding }),
    });
  }
  const byType: PageWeight['byType'] = {
    html: { count: 0, transferBytes: 0, decodedBytes: 0 },
    css: { count: 0, transferBytes: 0, decodedBytes: 0 },
    js: { count: 0, transferBytes: 0, decodedBytes: 0 },
  };
  for (const resource of resources) {
    byType[resource.type].count += 1;
    byType[resource.type].transferBytes += resource.transferBytes;
    byType[resource.type].decodedBytes += resource.decodedBytes;
  }
  const total = resources.reduce(
    (sum, resource) => ({
      transferBytes: sum.transferBytes + resource.transferBytes,
      decodedBytes: sum.decodedBytes + resource.decodedBytes,
    }),
    { transferBytes: 0, decodedBytes: 0 },
  );
  return { resources, inlineScriptBytes: refs.inlineScriptBytes, byType, total };
}
