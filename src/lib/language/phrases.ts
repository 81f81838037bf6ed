/**
 * Japanese text wraps at phrase boundaries, never inside a word or a number: BudouX (Google's
 * phrase segmenter, its Japanese model) finds the boundaries, and the page gets a `<wbr>` at each
 * one while CSS (`word-break: keep-all` for `:lang(ja)`) allows no other break. Both languages keep
 * a number with its unit, and English "incl. tax", together with no-break spaces.
 */
import { jaModel, Parser } from 'budoux';

let japanese: Parser | undefined;

/** Japanese (kana, kanji, CJK punctuation, full-width forms): the only text BudouX segments. */
const JAPANESE = /[\u3000-\u30ff\u3400-\u9fff\uff00-\uffef]/;

/**
 * A run of Japanese inside other text, with the digits, Latin letters and spaces between its Japanese
 * characters ("東京都渋谷区神宮前1-2-3 101号室", "(特定商取引法に基づく表記)" minus the ASCII brackets).
 */
const JAPANESE_RUN =
  /[\u3000-\u30ff\u3400-\u9fff\uff00-\uffef]+(?:[ \w.-]*[\u3000-\u30ff\u3400-\u9fff\uff00-\uffef]+)*/g;

/** An HTML character reference (`&amp;`, `&#39;`): never cut, never segmented. */
const REFERENCE = /(&(?:#\d+|#x[0-9a-f]+|[a-z][a-z0-9]*);)/i;

/** A number and the unit after it ("250 g", "92 °C", "15 minutes") stay on one line. */
const NUMBER_AND_UNIT = /(\d) (?=(?:g|kg|ml|mL|L|°C|%|min|minutes?|hours?|days?|weeks?|months?|years?)\b)/g;
/**
 * Digits joined by hyphens or dashes ("1-2-3" of an address, 〒150-0001, "1–3 days"): browsers break after the
 * dash, so the run is wrapped in a `nowrap` span (a word joiner would end up in what a shopper copies).
 */
const DIGIT_RUN = /\d+(?:[-\u2013]\d+)+/g;
/** Words of a price label that read as one ("incl. tax", "per month"). */
const ONE_WORD = /\b(incl\.|per|plus) (?=\w)/g;

/** Text (escaped or not) with no-break spaces where a number meets its unit and inside "incl. tax". */
function keepTogether(text: string): string {
  return text.replace(NUMBER_AND_UNIT, '$1\u00a0').replace(ONE_WORD, '$1\u00a0');
}

/** Texts already segmented in this isolate: a page's words repeat on every render, BudouX's work need not. */
const segmented = new Map<string, string>();
/** Enough for every string of the shop's pages in both languages; past it the memo starts over (bounded memory). */
const SEGMENTED_MAX = 4096;

/** Japanese text split into its phrases, with a `<wbr>` between them. */
function phrases(text: string): string {
  const known = segmented.get(text);
  if (known !== undefined) return known;
  japanese ??= new Parser(jaModel);
  const broken = japanese.parse(text).join('<wbr>');
  if (segmented.size >= SEGMENTED_MAX) segmented.clear();
  segmented.set(text, broken);
  return broken;
}

/** HTML text cut at character references, each other part transformed (references are kept whole). */
function outsideReferences(htmlText: string, transform: (part: string) => string): string {
  return htmlText
    .split(REFERENCE)
    .map((part, index) =>
      index % 2 === 1 ? part : transform(keepTogether(part)).replace(DIGIT_RUN, '<span class="nowrap">$&</span>'),
    )
    .join('');
}

/**
 * HTML text (as it appears between tags: escaped, with character references) of a Japanese page, with
 * a `<wbr>` between Japanese phrases and no-break spaces where a number meets its unit. Markup-safe:
 * references are kept whole and nothing else is added.
 */
export function withPhraseBreaks(htmlText: string): string {
  return outsideReferences(htmlText, (part) => (JAPANESE.test(part) ? phrases(part) : part));
}

/**
 * HTML text of a page in another language: Japanese inside it (a legal term, an address) is marked
 * `lang="ja"`, so the page's Japanese rules (CSS `:lang(ja)`, a screen reader's voice) apply to it, and
 * broken only between its phrases.
 */
export function withJapaneseMarked(htmlText: string): string {
  return outsideReferences(htmlText, (part) =>
    JAPANESE.test(part) ? part.replace(JAPANESE_RUN, (run) => `<span lang="ja">${phrases(run)}</span>`) : part,
  );
}

/** Elements whose text is not prose (or cannot hold a `<wbr>`). */
const NOT_PROSE = 'script, style, textarea, pre, code, option, title, svg';

/**
 * An HTML page whose text wraps only where it should: in Japanese (and Japanese quoted in an English
 * page), a `<wbr>` between phrases; in both languages, a number kept with its unit and "incl. tax"
 * with no-break spaces (HTMLRewriter,
 * workerd's streaming parser: nothing is buffered but one text node at a time). Anything that is not
 * `text/html` passes through untouched.
 */
export function withLineBreakRules(response: Response): Response {
  if (!(response.headers.get('content-type') ?? '').startsWith('text/html') || response.body === null) return response;
  let japanesePage = false;
  let buffered = '';
  let inProse = 0;
  return new HTMLRewriter()
    .on('html', {
      element(html) {
        japanesePage = html.getAttribute('lang') === 'ja';
      },
    })
    .on(NOT_PROSE, {
      element(element) {
        inProse += 1;
        element.onEndTag(() => {
          inProse -= 1;
        });
      },
    })
    .on('body', {
      text(chunk) {
        if (inProse > 0) return;
        buffered += chunk.text;
        if (!chunk.lastInTextNode) {
          chunk.remove();
          return;
        }
        chunk.replace(japanesePage ? withPhraseBreaks(buffered) : withJapaneseMarked(buffered), { html: true });
        buffered = '';
      },
    })
    .transform(response);
}
