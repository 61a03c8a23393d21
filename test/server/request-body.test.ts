import { Hono } from 'hono';
import { describe, expect, it } from 'vitest';
import { limitBody, readUrlEncodedForm } from '../../server/http/request-body.js';

/**
 * A posted form is read once, by URLSearchParams, and every check sees the fields hono's own reading
 * would give; a body over the limit is refused before it is read, whether or not it gives its length.
 */

const echo = (withReader: boolean) => {
  const app = new Hono();
  if (withReader) app.use('*', readUrlEncodedForm());
  return app.post('/', async (c) => c.json({ one: await c.req.parseBody(), all: await c.req.parseBody({ all: true }), again: await c.req.parseBody() }));
};

const post = (app: Hono, body: BodyInit, contentType = 'application/x-www-form-urlencoded') =>
  app.request('/', { method: 'POST', headers: { 'content-type': contentType }, body });

describe('a URL-encoded form read once', () => {
  it.each([
    ['plain fields', '_csrf=abc&a=1&b=two+words'],
    ['percent-encoding, a bad escape and an empty name', 'a=%C3%A9t%C3%A9&b=%ZZ&=x&c'],
    ['a repeated field and a name ending []', 'a=1&a=2&b[]=3&b[]=4&c[]=5'],
    ['a byte-order mark and a NUL', '\uFEFFa=1&b=%00'],
  ])('gives the fields hono reads itself: %s', async (_, body) => {
    const ours = await (await post(echo(true), body)).json();
    const hono = await (await post(echo(false), body)).json();
    expect(ours).toEqual(hono);
    expect(Object.keys(ours.one).length).toBeGreaterThan(0);
  });

  it('gives the fields hono reads itself from bytes that are not UTF-8, and with a charset parameter', async () => {
    const bytes = new Uint8Array([...Buffer.from('a='), 0xff, 0xfe, ...Buffer.from('&b=1')]);
    for (const type of ['application/x-www-form-urlencoded', 'Application/X-WWW-Form-URLEncoded; charset=UTF-8']) {
      expect(await (await post(echo(true), bytes, type)).json()).toEqual(await (await post(echo(false), bytes, type)).json());
    }
  });

  it('reads the body only once: the reader fills the form hono keeps, which the routes then use', async () => {
    let kept: unknown;
    const app = new Hono().use('*', readUrlEncodedForm()).post('/', async (c) => {
      kept = await c.req.bodyCache.formData;
      return c.json(await c.req.parseBody());
    });
    expect(await (await post(app, 'a=1')).json()).toEqual({ a: '1' });
    expect(kept).toBeInstanceOf(FormData);
    // Control: without the reader, hono has made no form until a route asks for one.
    const bare = new Hono().post('/', async (c) => c.json({ before: c.req.bodyCache.formData === undefined }));
    expect(await (await post(bare, 'a=1')).json()).toEqual({ before: true });
  });

  it('leaves a multipart body to hono', async () => {
    const form = new FormData();
    form.append('a', '1');
    form.append('file', new Blob(['x,y']), 'f.csv');
    const response = await echo(true).request('/', { method: 'POST', body: form });
    const { one } = await response.json();
    expect(one.a).toBe('1');
    expect(Object.keys(one)).toEqual(['a', 'file']);
  });
});

describe('the body limit', () => {
  const limited = () =>
    new Hono()
      .use(
        '*',
        limitBody(10, (c) => c.text('too large', 413)),
      )
      .all('/', async (c) => c.text(`read ${(await c.req.text()).length}`));

  it('refuses a body over the limit, with its length given or sent in chunks', async () => {
    const app = limited();
    expect((await app.request('/', { method: 'POST', body: 'x'.repeat(11), headers: { 'content-length': '11' } })).status).toBe(413);
    const chunked = new ReadableStream({
      start(controller) {
        for (let i = 0; i < 3; i++) controller.enqueue(new TextEncoder().encode('xxxx'));
        controller.close();
      },
    });
    const sent = await app.request('/', { method: 'POST', body: chunked, duplex: 'half' } as RequestInit);
    expect(sent.status).toBe(413);
  });

  it('lets a body within the limit through, and a GET', async () => {
    const app = limited();
    expect(await (await app.request('/', { method: 'POST', body: 'x'.repeat(10), headers: { 'content-length': '10' } })).text()).toBe('read 10');
    expect(await (await app.request('/', { method: 'POST', body: 'x'.repeat(10) })).text()).toBe('read 10');
    expect(await (await app.request('/')).text()).toBe('read 0');
  });
});
