import type { Language } from './languages.ts';

/**
 * Picks the visitor's language from an Accept-Language header, honouring q-values.
 * `fallback` (the shop's primary language) when neither is acceptable or the header is absent (`*`, a crawler).
 */
export function pickLanguage(acceptLanguage: string | null | undefined, fallback: Language): Language {
  if (!acceptLanguage) return fallback;
  const ranked = acceptLanguage
    .slice(0, 512)
    .split(',')
    .map((part, index) => {
      const [tag = '', ...params] = part.trim().split(';');
      const q = params.map((p) => p.trim()).find((p) => p.startsWith('q='));
      const quality = q ? Number(q.slice(2)) : 1;
      return { tag: tag.trim().toLowerCase(), quality: Number.isFinite(quality) ? quality : 0, index };
    })
    .filter((entry) => entry.quality > 0)
    .sort((a, b) => b.quality - a.quality || a.index - b.index);
  for (const { tag } of ranked) {
    const primary = tag.split('-')[0];
    if (primary === 'ja') return 'ja';
    if (primary === 'en') return 'en';
  }
  return fallback;
}
