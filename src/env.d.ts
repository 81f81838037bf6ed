declare namespace App {
  interface Locals {
    lang: import('./lib/language/languages.ts').Language;
    /** What every page shares (layout, navigation, error pages); a feature's own strings are in its folder. */
    t: import('./lib/site/strings.ts').SiteStrings;
    /** The route rendered, without the language prefix (`/en/mypage` → `/mypage`). */
    path: string;
    /** A site path (`/mypage`, `/`) in this page's language: every internal link and form action. */
    href: (sitePath: string) => string;
    /**
     * The origin of every absolute link a page shows (canonical, hreflang): SITE_URL, else a loopback
     * request's own; undefined elsewhere, and the page leaves those links out (never the Host header).
     */
    siteOrigin: string | undefined;
    /** This browser's visitor cookie: its name and origin, and the id it carries (if exactly one, well-formed). */
    visitor: import('./lib/visitor/cookie.ts').VisitorCookie;
    /** The binding and subscription of this browser, read from D1 on first use. */
    viewer: () => Promise<import('./lib/subscriptions/viewer.ts').Viewer>;
    /** On /admin only: the owner Cloudflare Access (or, `demo`, the local stand-in) vouched for. */
    owner?: { email: string; demo: boolean };
  }
}
