/**
 * Small SVG illustrations for the seeded products, served at GET /images/<key>.svg, by the
 * catalog file's product `key` (and the test fixtures' Espresso Club).
 * Hand-drawn shapes only: no fonts, no external references.
 */

/** One coffee bean (an oval with its centre crease), reused through <use>. */
const BEAN_SYMBOL = `<symbol id="bean" viewBox="-20 -28 40 56">
  <ellipse rx="18" ry="26" fill="#6b3e26"/>
  <path d="M2 -24 C -10 -8, 12 8, -2 24" fill="none" stroke="#3b1f12" stroke-width="4" stroke-linecap="round"/>
</symbol>
<symbol id="bean-light" viewBox="-20 -28 40 56">
  <ellipse rx="18" ry="26" fill="#8a5535"/>
  <path d="M2 -24 C -10 -8, 12 8, -2 24" fill="none" stroke="#4e2a17" stroke-width="4" stroke-linecap="round"/>
</symbol>`;

/** A bean centred on (x, y), turned by `rotate` degrees; `light` uses the lighter roast. */
function bean(x: number, y: number, rotate: number, size = 40, light = false): string {
  return `<use href="#${light ? 'bean-light' : 'bean'}" width="${size}" height="${size * 1.4}" transform="translate(${x} ${y}) rotate(${rotate}) translate(${-size / 2} ${-size * 0.7})"/>`;
}

/** A kraft coffee bag with a label: the monthly plan. */
const COFFEE_BAG = `<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 400 300" role="img" aria-label="A bag of coffee beans">
  <defs>${BEAN_SYMBOL}</defs>
  <rect width="400" height="300" fill="#f6ead8"/>
  <circle cx="330" cy="60" r="38" fill="#efd9b8"/>
  <ellipse cx="200" cy="268" rx="120" ry="12" fill="#e2cfb2"/>
  <path d="M138 70 L262 70 L280 262 L120 262 Z" fill="#c8945c"/>
  <path d="M138 70 L262 70 L266 100 L134 100 Z" fill="#b07b45"/>
  <path d="M134 56 L266 56 L262 72 L138 72 Z" fill="#9c6a38"/>
  <path d="M150 56 v16 M170 56 v16 M190 56 v16 M210 56 v16 M230 56 v16 M250 56 v16" stroke="#8a5a2c" stroke-width="3"/>
  <rect x="150" y="130" width="100" height="92" rx="10" fill="#fffaf1"/>
  ${bean(200, 166, 20, 36)}
  <rect x="166" y="198" width="68" height="6" rx="3" fill="#c8945c"/>
  <rect x="178" y="208" width="44" height="5" rx="2.5" fill="#e2cfb2"/>
  ${bean(88, 248, -30, 26)}
  ${bean(312, 250, 35, 26)}
  ${bean(330, 226, -10, 20)}
</svg>`;

/** A generous pile of beans in a scoop-shaped heap: the yearly plan. */
const BEAN_PILE = `<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 400 300" role="img" aria-label="A pile of coffee beans">
  <defs>${BEAN_SYMBOL}</defs>
  <rect width="400" height="300" fill="#e9f0e4"/>
  <circle cx="70" cy="64" r="30" fill="#d6e4cc"/>
  <circle cx="340" cy="90" r="18" fill="#d6e4cc"/>
  <ellipse cx="200" cy="262" rx="150" ry="18" fill="#cdddc1"/>
  ${bean(110, 236, -40)}${bean(150, 240, 15, 40, true)}${bean(192, 242, -10)}${bean(236, 240, 30, 40, true)}${bean(280, 236, -20)}
  ${bean(130, 204, 25, 40, true)}${bean(172, 206, -35)}${bean(214, 206, 10, 40, true)}${bean(258, 204, -15)}
  ${bean(152, 172, -5)}${bean(196, 172, 40, 40, true)}${bean(238, 172, -30)}
  ${bean(176, 140, 20, 40, true)}${bean(220, 140, -20)}
  ${bean(198, 108, 5, 40, true)}
  <g fill="#7b9a6a">
    <circle cx="300" cy="150" r="4"/><circle cx="316" cy="132" r="3"/><circle cx="96" cy="150" r="3"/>
  </g>
</svg>`;

/** An espresso cup on a saucer with steam: the espresso club. */
const ESPRESSO_CUP = `<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 400 300" role="img" aria-label="A cup of espresso">
  <defs>${BEAN_SYMBOL}</defs>
  <rect width="400" height="300" fill="#e6ecf5"/>
  <circle cx="320" cy="70" r="34" fill="#d5deec"/>
  <path d="M178 58 c-14 16 14 26 0 44 M206 48 c-14 18 14 30 0 52 M234 58 c-14 16 14 26 0 44" fill="none" stroke="#aab8cf" stroke-width="6" stroke-linecap="round"/>
  <ellipse cx="206" cy="232" rx="112" ry="22" fill="#ffffff"/>
  <ellipse cx="206" cy="228" rx="78" ry="12" fill="#dfe5ee"/>
  <path d="M268 150 c40 -6 44 46 4 48" fill="none" stroke="#ffffff" stroke-width="14" stroke-linecap="round"/>
  <path d="M132 126 h148 l-14 88 q-4 16 -20 16 h-80 q-16 0 -20 -16 z" fill="#ffffff"/>
  <ellipse cx="206" cy="127" rx="74" ry="12" fill="#5a3421"/>
  <ellipse cx="196" cy="125" rx="30" ry="5" fill="#8a5a3c"/>
  <path d="M150 160 h112" stroke="#c9d3e3" stroke-width="8" stroke-linecap="round"/>
  ${bean(84, 236, -25, 28)}
  ${bean(332, 240, 30, 24)}
</svg>`;

/** The coffee bag in gold foil: the Gold Blend. */
const GOLD_BAG = COFFEE_BAG.replace('A bag of coffee beans', 'A gold bag of coffee beans')
  .replaceAll('#c8945c', '#d4a72c')
  .replaceAll('#b07b45', '#b88a1b')
  .replaceAll('#9c6a38', '#8f6a10')
  .replaceAll('#f6ead8', '#fbf3d5');

const IMAGES: ReadonlyMap<string, string> = new Map([
  ['monthly-coffee-beans', COFFEE_BAG],
  ['gold-blend', GOLD_BAG],
  ['yearly-coffee-beans', BEAN_PILE],
  ['espresso-club', ESPRESSO_CUP],
]);

/** The SVG document for a product key (without `.svg`), or undefined. */
export function productImage(key: string): string | undefined {
  return IMAGES.get(key);
}

/** Response headers for an image: long-lived, since the pictures never change. */
export const IMAGE_HEADERS: Readonly<Record<string, string>> = {
  'content-type': 'image/svg+xml',
  'cache-control': 'public, max-age=31536000, immutable',
};
