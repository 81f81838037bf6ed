import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { JAPANESE_GLOSSARY } from '../../../src/lib/language/glossary.ts';

const ROOT = join(import.meta.dirname, '../../..');

/** Every file that holds Japanese a person reads: feature strings, the legal documents, the shop's content. */
function japaneseSources(): string[] {
  const lib = join(ROOT, 'src/lib');
  const strings = readdirSync(lib, { recursive: true, encoding: 'utf8' })
    .filter((file) => /(^|\/)([\w-]+-)?strings\.ts$/.test(file) || file === 'legal/documents.ts')
    .map((file) => join(lib, file));
  return [...strings, join(ROOT, 'src/content/shop/profile.json'), join(ROOT, 'src/content/shop/catalog.json')];
}

describe('the Japanese glossary', () => {
  it.each(JAPANESE_GLOSSARY)('uses 「$use」 everywhere', ({ avoid }) => {
    const found = japaneseSources().flatMap((file) =>
      readFileSync(file, 'utf8')
        .split('\n')
        .flatMap((line, index) =>
          avoid.test(line) ? [`${file.slice(ROOT.length + 1)}:${index + 1}: ${line.trim()}`] : [],
        ),
    );
    expect(found).toEqual([]);
  });
});
