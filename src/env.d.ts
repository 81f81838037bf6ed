declare namespace App {
  interface Locals {
    lang: import('./lib/i18n').Language;
    t: import('./lib/i18n').Strings;
    /** This browser's visitor cookie: its name and origin, and the id it carries (if exactly one, well-formed). */
    visitor: import('./lib/visitor').VisitorCookie;
    /** The binding and subscription of this browser, read from KV on first use. */
    viewer: () => Promise<import('./lib/subscriptions/viewer').Viewer>;
  }
}
