import { describe, expect, it } from 'vitest';
import { CookieClient } from '../support/client.ts';
import { seededPrice, stripeCalls, subscribe, subscriptionOf, textOf, withinOneRateWindow } from '../support/shop.ts';
import { TEST_SIGN_IN_FROM, useStack, type StackContext } from '../support/stack.ts';
import { SECURE_VISITOR_COOKIE as VISITOR_COOKIE } from '../../src/lib/visitor/cookie.ts';

/** The sign-in link in the newest e-mail sent to `to`. */
async function linkSentTo(ctx: StackContext, to: string): Promise<string> {
  const emails = (await ctx.inspect.outbox()).filter((email) => email.to.includes(to));
  const newest = emails.sort((a, b) => b.sentAt.localeCompare(a.sentAt))[0];
  const link = /https?:\/\/\S+\/sign-in\/confirm\?token=[A-Za-z0-9_-]+/.exec(newest?.text ?? '')?.[0];
  if (!link) throw new Error(`no sign-in link sent to ${to}`);
  return link;
}

async function eventuallyValue<T>(read: () => Promise<T>, ok: (value: T) => boolean): Promise<T> {
  const deadline = Date.now() + 5_000;
  for (;;) {
    const value = await read();
    if (ok(value) || Date.now() > deadline) return value;
    await new Promise((resolve) => setTimeout(resolve, 50));
  }
}

describe('a cookie that never leaves the browser', () => {
  const ctx = useStack({ PUBLIC_STRIPE_CUSTOMER_PORTAL_URL: '' });

  it('every client_reference_id Stripe received and every stored key, replayed as a cookie, opens nothing', async () => {
    const client = new CookieClient(ctx.stack.url);
    const { customerId } = await subscribe(client, ctx.stack.emulator, {
      price: seededPrice(ctx.stack.emulator, 1500),
    });
    await ctx.stack.emulator.settle();
    expect((await client.get('/en/members')).status).toBe(200);

    const seen = new Set<string>();
    for (const request of ctx.stack.emulator.requests) {
      const reference = (request.body as { client_reference_id?: unknown }).client_reference_id;
      if (typeof reference === 'string') seen.add(reference);
    }
    for (const session of ctx.stack.emulator.state.checkoutSessions.values())
      if (session.client_reference_id) seen.add(session.client_reference_id);
    const snapshot = await ctx.inspect.snapshot();
    for (const rows of Object.values(snapshot))
      for (const row of rows)
        for (const value of typeof row === 'string' ? [row] : Object.values(row as Record<string, unknown>))
          if (typeof value === 'string' && /^[A-Za-z0-9_-]{20,}$/.test(value)) seen.add(value);
    expect(seen.size).toBeGreaterThan(0);
    expect(seen.has(client.cookies.get(VISITOR_COOKIE) ?? '')).toBe(false);

    for (const value of seen) {
      const thief = new CookieClient(ctx.stack.url);
      thief.cookies.set(VISITOR_COOKIE, value);
      expect((await thief.get('/en/members')).status).toBe(403);
      expect((await thief.get('/en/mypage')).status).toBe(200);
    }
    // No one got a portal session: not the thief, and not for this customer.
    expect(
      stripeCalls(ctx.stack.emulator, '/v1/billing_portal/sessions').filter(
        (call) => (call.body as { customer?: string }).customer === customerId,
      ),
    ).toEqual([]);
  });
});

describe('sign-in links', () => {
  const ctx = useStack({ SIGN_IN_EMAIL_FROM: TEST_SIGN_IN_FROM, PUBLIC_STRIPE_CUSTOMER_PORTAL_URL: '' });

  it('give a subscriber on a new device their own My Page and members area', async () => {
    const buyer = new CookieClient(ctx.stack.url);
    const email = 'phone@example.com';
    const { customerId } = await subscribe(buyer, ctx.stack.emulator, {
      price: seededPrice(ctx.stack.emulator, 1500),
      email,
    });
    await ctx.stack.emulator.settle();

    const phone = new CookieClient(ctx.stack.url);
    const unbound = await phone.get('/en/mypage');
    expect(unbound.status).toBe(200);
    expect(await unbound.text()).toContain('action="/en/sign-in"');
    const asked = await phone.postForm('/en/sign-in', { email: 'Phone@Example.com', next: 'members' });
    expect(asked.status).toBe(200);
    expect(textOf(await asked.text())).toContain('Check your inbox');

    const link = await eventuallyValue(
      () => linkSentTo(ctx, email).catch(() => ''),
      (value) => value !== '',
    );
    const sent = (await ctx.inspect.outbox()).find((message) => message.to.includes(email));
    expect(sent?.from).toContain(TEST_SIGN_IN_FROM);
    expect(sent?.html).toContain('href="');
    expect(sent?.html).not.toMatch(/<img|<script/i);
    // The link's origin is the shop's, its token only in the e-mail (the database keeps its hash).
    const token = new URL(link).searchParams.get('token') ?? '';
    expect(JSON.stringify(await ctx.inspect.snapshot())).not.toContain(token);

    // Asked for on the English pages: the link opens the English confirm page.
    expect(new URL(link).pathname).toBe('/en/sign-in/confirm');
    // Opening the link (a GET, as mail scanners do) uses nothing; the button does.
    const confirm = await phone.get(new URL(link).pathname + new URL(link).search);
    expect(confirm.status).toBe(200);
    const confirmPage = await confirm.text();
    expect(confirmPage).toContain('name="token"');
    expect(confirmPage).toContain('action="/en/sign-in/confirm"');
    const signedIn = await phone.postForm('/en/sign-in/confirm', { token });
    expect(signedIn.status).toBe(303);
    expect(signedIn.headers.get('location')).toBe('/en/members');
    expect(await ctx.inspect.binding(phone.cookies.get(VISITOR_COOKIE))).toBe(customerId);
    expect((await phone.get('/en/members')).status).toBe(200);
    expect((await phone.get('/en/mypage')).status).toBe(303);

    // Used once: the second opening, and a late one, get a clear page to ask again.
    const again = await new CookieClient(ctx.stack.url).postForm('/en/sign-in/confirm', { token });
    expect(again.status).toBe(410);
    expect(textOf(await again.text())).toContain('This link no longer works');
  });

  it('answer an unknown address exactly like a known one, and send nothing', async () => {
    const before = (await ctx.inspect.outbox()).length;
    const unknown = await new CookieClient(ctx.stack.url).postForm('/en/sign-in', { email: 'nobody@example.com' });
    const known = await new CookieClient(ctx.stack.url).postForm('/en/sign-in', { email: 'phone@example.com' });
    expect(unknown.status).toBe(known.status);
    const strip = (html: string) => html.replace(/_astro\/[^"]+/g, '');
    expect(strip(await unknown.text())).toBe(strip(await known.text()));
    await eventuallyValue(
      async () => (await ctx.inspect.outbox()).length,
      (count) => count === before + 1,
    );
    await new Promise((resolve) => setTimeout(resolve, 300));
    const outbox = await ctx.inspect.outbox();
    expect(outbox).toHaveLength(before + 1);
    expect(outbox.some((message) => message.to.includes('nobody@example.com'))).toBe(false);
  });

  it('refuse an expired link, a made-up token and a malformed address', async () => {
    const client = new CookieClient(ctx.stack.url);
    await client.postForm('/en/sign-in', { email: 'phone@example.com' });
    const link = await eventuallyValue(
      () => linkSentTo(ctx, 'phone@example.com'),
      () => true,
    );
    await ctx.arrange.expireSignInLinks();
    const token = new URL(link).searchParams.get('token') ?? '';
    expect((await client.get(`/sign-in/confirm?token=${token}`)).status).toBe(410);
    expect((await client.postForm('/sign-in/confirm', { token })).status).toBe(410);
    expect((await client.postForm('/sign-in/confirm', { token: 'A'.repeat(43) })).status).toBe(410);
    expect((await client.postForm('/sign-in/confirm', { token: '<script>' })).status).toBe(410);
    expect((await client.postForm('/en/sign-in', { email: 'not-an-address' })).status).toBe(422);
    expect(await ctx.inspect.binding(client.cookies.get(VISITOR_COOKIE) ?? 'none'.padEnd(43, '0'))).toBeNull();
  });
});

describe('a sign-in link someone else asked for (login CSRF, second attack review)', () => {
  const ctx = useStack({ SIGN_IN_EMAIL_FROM: TEST_SIGN_IN_FROM, PUBLIC_STRIPE_CUSTOMER_PORTAL_URL: '' });
  let attackers = 0;

  /** The attacker subscribes, cancels, and asks for a sign-in link to her own inbox from her own browser. */
  async function attackersLink(): Promise<{ token: string; path: string; customerId: string; email: string }> {
    const attacker = new CookieClient(ctx.stack.url);
    const email = `mallory.${++attackers}@attacker.example`;
    const { customerId } = await subscribe(attacker, ctx.stack.emulator, {
      price: seededPrice(ctx.stack.emulator, 1500),
      email,
    });
    await ctx.stack.emulator.cancelNow(subscriptionOf(ctx.stack.emulator, customerId)?.id ?? '');
    await ctx.stack.emulator.settle();
    expect((await attacker.postForm('/en/sign-in', { email })).status).toBe(200);
    const link = new URL(
      await eventuallyValue(
        () => linkSentTo(ctx, email).catch(() => ''),
        (value) => value !== '',
      ),
    );
    return { token: link.searchParams.get('token') ?? '', path: link.pathname + link.search, customerId, email };
  }

  /** A victim's browser that has visited the shop before (the e-mail step gave it its cookie). */
  async function visitedBrowser(): Promise<CookieClient> {
    const browser = new CookieClient(ctx.stack.url);
    await browser.postForm('/en/checkout', { price: seededPrice(ctx.stack.emulator, 1500) });
    expect(browser.cookies.get(VISITOR_COOKIE)).toBeDefined();
    return browser;
  }

  it('opened in the victim’s browser, says whose account it is and binds nothing until that was acknowledged', async () => {
    const link = await attackersLink();
    const victim = await visitedBrowser();

    const page = await victim.get(link.path);
    expect(page.status).toBe(200);
    const text = textOf(await page.text());
    expect(text).toContain('You are signing in as ma•••@attacker.example');
    expect(text).toContain('This link was asked for from another browser or device');
    expect(text).not.toContain(link.email);

    // The button of the page a victim would see without the warning (token alone) binds nothing, spends nothing.
    const bare = await victim.postForm('/en/sign-in/confirm', { token: link.token });
    expect(bare.status).toBe(200);
    expect(textOf(await bare.text())).toContain('This link was asked for from another browser or device');
    expect(await ctx.inspect.binding(victim.cookies.get(VISITOR_COOKIE))).toBeNull();

    // Japanese too: the page's language.
    const japanese = textOf(await (await victim.get(link.path.replace('/en/', '/'))).text());
    expect(japanese).toContain('ma•••@attacker.example のアカウントでログインします');
    expect(japanese).toContain('別のブラウザーまたは端末から申し込まれたもの');

    // Acknowledged on that page: the browser is signed in, as the person holding the link chose.
    const acknowledged = await victim.postForm('/en/sign-in/confirm', {
      token: link.token,
      acknowledged: 'other-browser',
    });
    expect(acknowledged.status).toBe(303);
    expect(await ctx.inspect.binding(victim.cookies.get(VISITOR_COOKIE))).toBe(link.customerId);
  });

  it('never lets the victim’s next Checkout land on the attacker’s customer without saying so', async () => {
    const link = await attackersLink();
    const victim = await visitedBrowser();
    await victim.postForm('/en/sign-in/confirm', { token: link.token, acknowledged: 'other-browser' });
    const price = seededPrice(ctx.stack.emulator, 1500);
    ctx.stack.emulator.reset();

    // Choosing a plan shows whose account Checkout would charge, and creates no session.
    const step = await victim.postForm('/en/checkout', { price });
    const stepText = textOf(await step.text());
    expect(step.status, stepText).toBe(200);
    expect(stepText).toContain('This browser is signed in as ma•••@attacker.example');
    expect(stepText).toContain('Use another e-mail address');
    expect(stripeCalls(ctx.stack.emulator, '/v1/checkout/sessions')).toEqual([]);

    // "Use another e-mail address": the browser leaves that account and declares its own.
    const other = await victim.postForm('/en/checkout', { price, account: 'other' });
    expect(other.status).toBe(200);
    expect(textOf(await other.text())).toContain('E-mail address');
    expect(await ctx.inspect.binding(victim.cookies.get(VISITOR_COOKIE))).toBeNull();
    const own = await victim.postForm('/en/checkout', { price, email: 'victim@example.com' });
    expect(own.status).toBe(303);
    const [created] = stripeCalls(ctx.stack.emulator, '/v1/checkout/sessions');
    expect(created?.body).toMatchObject({ customer_email: 'victim@example.com' });
    expect((created?.body as { customer?: string }).customer).toBeUndefined();
  });

  it('subscribing as the signed-in account is an explicit choice, and then it is that account’s Checkout', async () => {
    const link = await attackersLink();
    const owner = await visitedBrowser();
    await owner.postForm('/en/sign-in/confirm', { token: link.token, acknowledged: 'other-browser' });
    ctx.stack.emulator.reset();
    const chosen = await owner.postForm('/en/checkout', {
      price: seededPrice(ctx.stack.emulator, 1500),
      account: 'continue',
    });
    expect(chosen.status).toBe(303);
    expect(stripeCalls(ctx.stack.emulator, '/v1/checkout/sessions')[0]?.body).toMatchObject({
      customer: link.customerId,
    });
  });

  it('never silently re-binds a browser signed in to someone else: it says which account it leaves', async () => {
    const victim = new CookieClient(ctx.stack.url);
    const { customerId: own } = await subscribe(victim, ctx.stack.emulator, {
      price: seededPrice(ctx.stack.emulator, 1500),
      email: 'victim.bound@example.com',
    });
    await ctx.stack.emulator.settle();
    const link = await attackersLink();

    const page = textOf(await (await victim.get(link.path)).text());
    expect(page).toContain('This browser is signed in as vi•••@example.com');
    // Acknowledging only the other-browser warning is not enough: the page is shown again, nothing changes.
    const partly = await victim.postForm('/en/sign-in/confirm', { token: link.token, acknowledged: 'other-browser' });
    expect(partly.status).toBe(200);
    expect(textOf(await partly.text())).toContain('Continuing signs it out of that account');
    expect(await ctx.inspect.binding(victim.cookies.get(VISITOR_COOKIE))).toBe(own);
  });

  it('the browser that asked for its own link gets no warning', async () => {
    const buyer = new CookieClient(ctx.stack.url);
    await subscribe(buyer, ctx.stack.emulator, {
      price: seededPrice(ctx.stack.emulator, 1500),
      email: 'self@example.com',
    });
    await ctx.stack.emulator.settle();
    await buyer.postForm('/en/sign-in', { email: 'self@example.com' });
    const link = new URL(
      await eventuallyValue(
        () => linkSentTo(ctx, 'self@example.com').catch(() => ''),
        (value) => value !== '',
      ),
    );
    const text = textOf(await (await buyer.get(link.pathname + link.search)).text());
    expect(text).toContain('You are signing in as s•••@example.com');
    expect(text).not.toContain('another browser');
    expect(text).not.toContain('signs it out');
  });
});

describe('sign-in finds a customer whatever the case of its address', () => {
  // New customers are searchable at once here (Stripe: within about a minute; the exact list covers that minute).
  const ctx = useStack(
    { SIGN_IN_EMAIL_FROM: TEST_SIGN_IN_FROM, PUBLIC_STRIPE_CUSTOMER_PORTAL_URL: '' },
    { emulator: { searchDelayMs: 0 } },
  );

  it('a customer created in the Dashboard as Name@Example.com gets a link asked for as name@example.com', async () => {
    const customer = ctx.stack.emulator.addCustomer({ email: 'Mixed.Case@Example.com' });
    const phone = new CookieClient(ctx.stack.url);
    expect((await phone.postForm('/en/sign-in', { email: 'mixed.case@example.com' })).status).toBe(200);
    const link = new URL(
      await eventuallyValue(
        () => linkSentTo(ctx, 'mixed.case@example.com').catch(() => ''),
        (value) => value !== '',
      ),
    );
    const signedIn = await phone.postForm('/en/sign-in/confirm', { token: link.searchParams.get('token') ?? '' });
    expect(signedIn.status).toBe(303);
    expect(await ctx.inspect.binding(phone.cookies.get(VISITOR_COOKIE))).toBe(customer.id);
  });

  it('a similar address is not the same address', async () => {
    ctx.stack.emulator.addCustomer({ email: 'ann.lee@example.com' });
    const before = (await ctx.inspect.outbox()).length;
    await new CookieClient(ctx.stack.url).postForm('/en/sign-in', { email: 'lee@example.com' });
    await new Promise((resolve) => setTimeout(resolve, 500));
    expect(await ctx.inspect.outbox()).toHaveLength(before);
  });
});

describe('sign-in links are throttled', () => {
  const ctx = useStack({ SIGN_IN_EMAIL_FROM: TEST_SIGN_IN_FROM }, { realRateLimits: true });

  it('20 requests for one address send at most 3 links a minute, and answer the same', async () => {
    await withinOneRateWindow();
    const customer = ctx.stack.emulator.addCustomer({ email: 'flooded@example.com' });
    expect(customer.id).toMatch(/^cus_/);
    const statuses: number[] = [];
    for (let i = 0; i < 20; i++)
      statuses.push(
        (await new CookieClient(ctx.stack.url).postForm('/en/sign-in', { email: 'flooded@example.com' })).status,
      );
    // The per-address limit sends nothing more and says nothing (the same page); the per-client limit answers 429.
    expect(statuses.every((status) => status === 200)).toBe(true);
    await new Promise((resolve) => setTimeout(resolve, 500));
    const sent = (await ctx.inspect.outbox()).filter((message) => message.to.includes('flooded@example.com'));
    expect(sent).toHaveLength(3);
    expect(stripeCalls(ctx.stack.emulator, '/v1/customers', 'GET')).toHaveLength(3);
  });
});

describe('one Customer Session per visitor', () => {
  const ctx = useStack(
    { PUBLIC_STRIPE_PRICING_TABLE_ID: 'prctbl_123abc', PUBLIC_STRIPE_PUBLISHABLE_API_KEY: 'pk_test_123abc' },
    { realRateLimits: true },
  );

  it('200 views of a bound embed visitor create at most one; HEAD creates none', async () => {
    const client = new CookieClient(ctx.stack.url);
    const head = await client.request('/', { method: 'HEAD' });
    expect(head.status).toBe(200);
    const customer = ctx.stack.emulator.addCustomer({ email: 'embed-returning@example.com' });
    await ctx.arrange.bind(client.cookies.get(VISITOR_COOKIE) ?? '', customer.id);
    ctx.stack.emulator.reset();
    for (let i = 0; i < 3; i++) await client.request('/', { method: 'HEAD' });
    expect(stripeCalls(ctx.stack.emulator, '/v1/customer_sessions')).toHaveLength(0);
    const secrets = new Set<string>();
    for (let i = 0; i < 200; i++) {
      const response = await client.get('/en/');
      const secret = /customer-session-client-secret="([^"]+)"/.exec(await response.text())?.[1];
      if (secret) secrets.add(secret);
    }
    expect(stripeCalls(ctx.stack.emulator, '/v1/customer_sessions')).toHaveLength(1);
    expect(secrets.size).toBe(1);
  });
});

describe('a customer is deleted only when Stripe says so', () => {
  const ctx = useStack({ PUBLIC_STRIPE_CUSTOMER_PORTAL_URL: '' });

  it('a live customer id with a test key (resource_missing) deletes nothing: a 502 with a reference', async () => {
    const client = new CookieClient(ctx.stack.url);
    await client.postForm('/en/checkout', { price: seededPrice(ctx.stack.emulator, 1500) });
    const secret = client.cookies.get(VISITOR_COOKIE) ?? '';
    // A customer id from live mode: the emulator (test mode) has no such object.
    await ctx.arrange.bind(secret, 'cus_LiveModeCustomer01');
    const response = await client.get('/en/mypage');
    expect(response.status).toBe(502);
    expect(textOf(await response.text())).toMatch(/Reference: [0-9a-f]{8}/);
    expect(await ctx.inspect.binding(secret)).toBe('cus_LiveModeCustomer01');
    expect(ctx.stack.worker.jsonLogs().some((l) => l.kind === 'resource_missing')).toBe(true);
  });
});
