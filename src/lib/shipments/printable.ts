/**
 * Which characters a Japanese carrier's label cannot print. The carriers print JIS X 0208 (JIS
 * levels 1 and 2: B2クラウド's FAQ says 第一・第二水準 only) plus JIS X 0201 (ASCII and half-width
 * katakana); anything else comes out as `?` or stops the import.
 *
 * How membership is decided, with encoding-japanese: its SJIS conversion is CP932, so it happily
 * encodes NEC row 13 (① → 0x8740) and the IBM extension kanji (髙 → 0xEEE0, 﨑 → 0xED95: it picks
 * NEC's selection of them, rows 92 and 89): SJIS cannot tell. Its EUC-JP conversion keeps the JIS row:
 * two bytes 0xA1–0xFE are row (byte − 0xA0) of the JIS X 0208 plane, where CP932's extras land
 * in rows 13 and 89–92, which JIS X 0208 leaves empty; 0x8E is JIS X 0201 kana, 0x8F JIS X 0212
 * (not printable), and a character it cannot map throws with `fallback: 'error'`. So a character
 * is printable when its EUC-JP form is printable ASCII, 0x8E kana, or two bytes in rows 1–8 or
 * 16–84 (JIS X 0208:1997's assigned rows). Checked against 髙, 﨑, ①, ㈱, 鷗, 𠮷 and emoji in the tests.
 */
import Encoding from 'encoding-japanese';

/** One character the carrier cannot print, and where it is: `index` counts code points, from 0. */
export interface UnprintableCharacter {
  character: string;
  index: number;
}

/** A field's unprintable characters. */
export interface FieldProblem {
  field: string;
  characters: UnprintableCharacter[];
}

/** JIS X 0208's assigned rows: 1–8 non-kanji, 16–47 level 1 kanji, 48–84 level 2 kanji. */
function isJisX0208Row(row: number): boolean {
  return (row >= 1 && row <= 8) || (row >= 16 && row <= 84);
}

const verdicts = new Map<string, boolean>();

/** Whether a carrier's label can print `character` (one code point). */
export function isPrintable(character: string): boolean {
  const known = verdicts.get(character);
  if (known !== undefined) return known;
  let printable: boolean;
  const code = character.codePointAt(0) ?? 0;
  if (code < 0x80) printable = code >= 0x20 && code < 0x7f;
  else {
    try {
      const bytes = Encoding.convert(Encoding.stringToCode(character), {
        to: 'EUCJP',
        from: 'UNICODE',
        fallback: 'error',
      });
      const [lead = 0, trail = 0] = bytes;
      printable =
        bytes.length === 2 &&
        (lead === 0x8e || (lead >= 0xa1 && lead <= 0xfe && trail >= 0xa1 && isJisX0208Row(lead - 0xa0)));
    } catch {
      printable = false;
    }
  }
  // Names and addresses repeat the same few thousand characters: remember each verdict.
  if (verdicts.size < 10_000) verdicts.set(character, printable);
  return printable;
}

/** The characters of `value` a carrier cannot print, with their positions; empty when all print. */
export function unprintableCharacters(value: string): UnprintableCharacter[] {
  return Array.from(value).flatMap((character, index) => (isPrintable(character) ? [] : [{ character, index }]));
}

/** Each field (name → value) that holds characters a carrier cannot print; empty when all print. */
export function findUnprintable(fields: Readonly<Record<string, string>>): FieldProblem[] {
  return Object.entries(fields).flatMap(([field, value]) => {
    const characters = unprintableCharacters(value);
    return characters.length > 0 ? [{ field, characters }] : [];
  });
}
