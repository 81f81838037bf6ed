import { describe, expect, it } from 'vitest';
import { SECURE_VISITOR_COOKIE as VISITOR_COOKIE } from '../../../src/lib/visitor/cookie.ts';
import {
  firstVisitRedirect,
  languageCookieOptions,
  onlyLanguageCookie,
  readLanguageCookie,
} from '../../../src/lib/language/choice.ts';

const ORIGIN = 'https://shop.example';

function decide(path: string, headers: { cookie?: string; acceptLanguage?: string } = {}, method = 'GET') {
  return firstVisitRedirect({
    method,
    url: new URL(path, ORIGIN),
    cookie: headers.cookie ?? null,
    acceptLanguage: headers.acceptLanguage ?? null,
    primary: 'ja',
  });
}

describe('firstVisitRedirect', () => {
  it('sends a first visit whose Accept-Language prefers the other language to its URL, query kept', () => {
    expect(decide('/', { acceptLanguage: 'en-US,en;q=0.9' })).toBe('/en/');
    expect(decide('/legal/tokushoho', { acceptLanguage: 'en' })).toBe('/en/legal/tokushoho');
    expect(decide('/thanks?session_id=cs_1', { acceptLanguage: 'en' }, 'HEAD')).toBe('/en/thanks?session_id=cs_1');
  });

  it('renders the primary for a crawler, a wildcard, or a visitor who prefers it', () => {
    expect(decide('/')).toBeUndefined();
    expect(decide('/', { acceptLanguage: '*' })).toBeUndefined();
    expect(decide('/', { acceptLanguage: 'fr-FR' })).toBeUndefined();
    expect(decide('/', { acceptLanguage: 'ja,en;q=0.5' })).toBeUndefined();
  });

  it('lets the remembered choice decide over Accept-Language', () => {
    expect(decide('/', { cookie: 'lang=ja', acceptLanguage: 'en' })).toBeUndefined();
    expect(decide('/mypage', { cookie: 'theme=dark; lang=en', acceptLanguage: 'ja' })).toBe('/en/mypage');
  });

  it('never redirects a prefixed URL, a POST, the webhook, CSP reports, the switch, files or 404 paths', () => {
    const english = { acceptLanguage: 'en', cookie: 'lang=en' };
    expect(decide('/en/', { acceptLanguage: 'ja', cookie: 'lang=ja' })).toBeUndefined();
    expect(decide('/checkout', english, 'POST')).toBeUndefined();
    expect(decide('/webhook', english, 'GET')).toBeUndefined();
    expect(decide('/csp-report', english)).toBeUndefined();
    expect(decide('/language?to=ja&next=/', english)).toBeUndefined();
    expect(decide('/favicon.svg', english)).toBeUndefined();
    expect(decide('/_astro/site.css', english)).toBeUndefined();
    expect(decide('/mypage/', english)).toBeUndefined();
    expect(decide('/ja/mypage', english)).toBeUndefined();
  });
});

describe('the language cookie', () => {
  it('is read only when it names one language', () => {
    expect(readLanguageCookie(null)).toBeUndefined();
    expect(readLanguageCookie('lang=en')).toBe('en');
    expect(readLanguageCookie('a=b; lang=ja')).toBe('ja');
    expect(readLanguageCookie('lang=fr')).toBeUndefined();
    expect(readLanguageCookie('lang=en; lang=ja')).toBeUndefined();
    expect(readLanguageCookie('language=en')).toBeUndefined();
  });

  it('alone leaves a request anonymous', () => {
    expect(onlyLanguageCookie('lang=en')).toBe(true);
    expect(onlyLanguageCookie('lang=en; ')).toBe(true);
    expect(onlyLanguageCookie(`lang=en; ${VISITOR_COOKIE}=x`)).toBe(false);
    expect(onlyLanguageCookie('theme=dark')).toBe(false);
  });

  it('lasts a year on the whole site, Secure on https', () => {
    expect(languageCookieOptions(true)).toEqual({ path: '/', sameSite: 'lax', secure: true, maxAge: 31_536_000 });
    expect(languageCookieOptions(false).secure).toBe(false);
  });
});
