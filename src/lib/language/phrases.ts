/**
 * Japanese text wraps at phrase boundaries, never inside a word or a number: BudouX (Google's
 * phrase segmenter, its Japanese model) finds the boundaries, and the page gets a `<wbr>` at each
 * one while CSS (`word-break: keep-all` for `:lang(ja)`) allows no other break. Both languages keep
 * a number with its unit, and English "incl. tax", together with no-break spaces.
 */
import { jaModel, Parser } from 'budoux';

let japanese: Parser | undefined;

/** Japanese (kana, kanji, full-width forms): the only text BudouX segments. */
const JAPANESE = /[\u3040-\u30ff\u3400-\u9fff\uff00-\uffef]/;

/** An HTML character reference (`&amp;`, `&#39;`): never cut, never segmented. */
const REFERENCE = /(&(?:#\d+|#x[0-9a-f]+|[a-z][a-z0-9]*);)/i;

/** A number and the unit after it ("250 g", "92 °C", "15 minutes") stay on one line. */
const NUMBER_AND_UNIT = /(\d) (?=(?:g|kg|ml|mL|L|°C|%|min|minutes?|hours?|days?|weeks?|months?|years?)\b)/g;
/** Words of a price label that read as one ("incl. tax", "per month"). */
const ONE_WORD = /\b(incl\.|per|plus) (?=\w)/g;

/** Text (escaped or not) with no-break spaces where a number meets its unit and inside "incl. tax". */
function keepTogether(text: string): string {
  return text.replace(NUMBER_AND_UNIT, '$1\u00a0').replace(ONE_WORD, '$1\u00a0');
}

/**
 * HTML text (as it appears between tags: escaped, with character references) with a `<wbr>` between
 * Japanese phrases, and no-break spaces where a number meets its unit. Markup-safe: references are
 * kept whole and nothing else is added.
 */
export function withPhraseBreaks(htmlText: string): string {
  return htmlText
    .split(REFERENCE)
    .map((part, index) => {
      if (index % 2 === 1) return part;
      const kept = keepTogether(part);
      if (!JAPANESE.test(kept)) return kept;
      japanese ??= new Parser(jaModel);
      return japanese.parse(kept).join('<wbr>');
    })
    .join('');
}

/** Elements whose text is not prose (or cannot hold a `<wbr>`). */
const NOT_PROSE = 'script, style, textarea, pre, code, option, title, svg';

/**
 * An HTML page whose text wraps only where it should: in Japanese, a `<wbr>` between phrases; in
 * both languages, a number kept with its unit and "incl. tax" with no-break spaces (HTMLRewriter,
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
        chunk.replace(japanesePage ? withPhraseBreaks(buffered) : keepTogether(buffered), { html: true });
        buffered = '';
      },
    })
    .transform(response);
}
