/** Finding customers by e-mail: the list's case-sensitive filter, and the search API with its query language. */
import { describe, expect, it } from 'vitest';
import { stripeError, useEmulator } from '../support/emulator.ts';

describe('GET /v1/customers?email=', () => {
  const h = useEmulator();

  it('is a case-sensitive exact filter', async () => {
    const customer = h.emulator.addCustomer({ email: 'Name@Example.com' });
    expect((await h.stripe.customers.list({ email: 'name@example.com' })).data).toEqual([]);
    expect((await h.stripe.customers.list({ email: 'Name@Example.com' })).data.map((found) => found.id)).toEqual([
      customer.id,
    ]);
  });
});

const ids = (result: { data: Array<{ id: string }> }) => result.data.map((customer) => customer.id);

describe('GET /v1/customers/search', () => {
  const h = useEmulator({ searchDelayMs: 0 });

  it('matches an e-mail exactly but case-insensitively, in Stripe’s search_result shape', async () => {
    const customer = h.emulator.addCustomer({ email: 'Search.Me@Example.com', name: 'Hanako Mihon' });
    h.emulator.addCustomer({ email: 'search.me@example.com.au' });
    const result = await h.stripe.customers.search({ query: 'email:"search.me@example.com"' });
    expect(result).toEqual({
      object: 'search_result',
      data: [expect.objectContaining({ id: customer.id, object: 'customer' })],
      has_more: false,
      next_page: null,
      url: '/v1/customers/search',
    });
    expect(ids(await h.stripe.customers.search({ query: "email:'SEARCH.ME@EXAMPLE.COM'" }))).toEqual([customer.id]);
  });

  it('knows substrings, names by words in order, numbers, negation, null, AND and OR', async () => {
    const first = h.emulator.addCustomer({ email: 'taro@kissa.example', name: 'Yamada Taro Jr' });
    const second = h.emulator.addCustomer({ email: 'jiro@kissa.example', name: null });
    const search = async (query: string) => ids(await h.stripe.customers.search({ query, limit: 100 }));
    expect(await search('email~"kissa.ex"')).toEqual([second.id, first.id]);
    expect(await search('name:"taro jr"')).toEqual([first.id]);
    expect(await search('name:"jr taro"')).toEqual([]);
    expect(await search('email~"kissa" -email:"jiro@kissa.example"')).toEqual([first.id]);
    expect(await search('email~"kissa" AND name:null')).toEqual([second.id]);
    expect(await search('email:"taro@kissa.example" or email:"jiro@kissa.example"')).toEqual([second.id, first.id]);
    expect(await search(`created>=${first.created} email~"kissa"`)).toEqual([second.id, first.id]);
    expect(await search(`created<${first.created} email~"kissa"`)).toEqual([]);
  });

  it('pages with limit and next_page, and counts with expand[]=total_count', async () => {
    for (let i = 0; i < 3; i++) h.emulator.addCustomer({ email: `page${i}@paging.example` });
    const first = await h.stripe.customers.search({
      query: 'email~"paging.example"',
      limit: 2,
      expand: ['total_count'],
    });
    expect(first).toMatchObject({ has_more: true, next_page: expect.any(String), total_count: 3 });
    const second = await h.stripe.customers.search({
      query: 'email~"paging.example"',
      limit: 2,
      page: first.next_page ?? '',
    });
    expect(second).toMatchObject({ has_more: false, next_page: null });
    expect(second.data.map((customer) => customer.email)).toEqual(['page0@paging.example']);
    const all = await h.stripe.customers.search({ query: 'email~"paging.example"', limit: 1 }).autoPagingToArray({
      limit: 10,
    });
    expect(all).toHaveLength(3);
  });

  it('refuses malformed queries with a 400 on query', async () => {
    for (const [query, message] of [
      ['email:someone@example.com', 'must be in quotation marks'],
      ['email~"ab"', 'at least 3 characters'],
      ['colour:"red"', '`colour` is not a query field for customers'],
      ['email>"a@example.com"', 'does not support the > operator'],
      ['created~"123"', 'does not support substring matching'],
      ['email:"a@example.com" AND name:"A" OR name:"B"', 'AND and OR cannot be combined'],
      ['email:"unterminated', 'is not closed'],
      ['created>"soon"', 'takes a number'],
    ]) {
      const error = await stripeError(h.stripe.customers.search({ query: query ?? '' }));
      expect(error, query).toMatchObject({ statusCode: 400, rawType: 'invalid_request_error', param: 'query' });
      expect(error.message, query).toContain(message);
    }
    const tooMany = Array.from({ length: 11 }, (_, i) => `email:"${i}@example.com"`).join(' OR ');
    await expect(stripeError(h.stripe.customers.search({ query: tooMany }))).resolves.toMatchObject({
      param: 'query',
      message: expect.stringContaining('at most 10 clauses'),
    });
    await expect(stripeError(h.stripe.customers.search({ query: '' }))).resolves.toMatchObject({
      code: 'parameter_missing',
      param: 'query',
    });
    await expect(
      stripeError(h.stripe.customers.search({ query: 'email~"example"', page: 'not-a-page' })),
    ).resolves.toMatchObject({ statusCode: 400, param: 'page' });
  });
});

describe('search lags behind writes, as Stripe’s does', () => {
  const h = useEmulator({ searchDelayMs: 300 });

  it('finds a new customer only after the index caught up, while the list finds it at once', async () => {
    const customer = h.emulator.addCustomer({ email: 'fresh@example.com' });
    expect((await h.stripe.customers.search({ query: 'email:"fresh@example.com"' })).data).toEqual([]);
    expect((await h.stripe.customers.list({ email: 'fresh@example.com' })).data).toHaveLength(1);
    await expect
      .poll(async () => ids(await h.stripe.customers.search({ query: 'email:"fresh@example.com"' })), {
        timeout: 2000,
      })
      .toEqual([customer.id]);
  });
});
