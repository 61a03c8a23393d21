import type { Context, MiddlewareHandler } from 'hono';
import type { ContentfulStatusCode } from 'hono/utils/http-status';
import { brotliCompressSync, constants, gzipSync } from 'node:zlib';
import { chooseEncoding } from './page-assets.js';

/**
 * Why a page goes uncompressed. Compression lets someone who watches response sizes, and can make the
 * browser ask again and again with text of their choosing, guess the page's other content a character at
 * a time (BREACH). The CSRF tokens on every form are masked afresh in each response (maskToken), so they
 * give nothing to guess; what is left is marked here:
 * - `secret`: the page shows a person a secret they must read as it is (a part-two code, invitation links);
 * - `reflects-request`: the page repeats text the request chose (a query or path value) as it was sent.
 */
export type UncompressedBecause = 'secret' | 'reflects-request';

/**
 * Set on a page `pageResponse` made, read and removed by `pageCompression`: it never leaves the server.
 * Its value is why the page went uncompressed, or `as-accepted` when it was encoded as the browser accepts.
 */
const pageMarkHeader = 'x-cswo-page-encoding';

/** Smaller bodies gain nothing worth the work: a few header bytes at most. */
const minimumBytes = 1024;

/**
 * Made on every request, so speed over ratio. Measured on the largest page (39 KB, part two's 17-row grid;
 * CPU per page, the text's encoding included, where the whole request takes about 1.1 ms): brotli at
 * quality 1 makes 4.4 KB for 0.09 ms; quality 2, 4.0 KB for 0.15 ms; quality 5, 3.5 KB for 0.3 ms; quality
 * 11 (as the assets get) 2.9 KB for some 40 ms. The 0.4 KB that quality 2 saves is a tenth of a page the
 * browser fetches with 23 KB of assets it keeps a year. gzip at level 1 (4.4 KB, 0.12 ms) for clients
 * without brotli. Synchronous: handing so little work to zlib's thread pool cost about as much CPU again,
 * and the event loop waits less than the rendering already took.
 */
const compressors = {
  br: (body: Uint8Array) =>
    brotliCompressSync(body, {
      params: {
        [constants.BROTLI_PARAM_QUALITY]: 1,
        [constants.BROTLI_PARAM_MODE]: constants.BROTLI_MODE_TEXT,
        [constants.BROTLI_PARAM_SIZE_HINT]: body.length,
      },
    }),
  gzip: (body: Uint8Array) => gzipSync(body, { level: 1 }),
} as const;

// zlib's Buffer, typed as web bodies accept (its memory is never a SharedArrayBuffer).
const asBody = (bytes: Buffer) => new Uint8Array(bytes.buffer as ArrayBuffer, bytes.byteOffset, bytes.length);

/**
 * A rendered page as its response, compressed from its text as the browser accepts (brotli, else gzip,
 * else none; `q=0` refuses a coding) unless `because` says it must go as it is. Made here rather than by
 * reading a finished response back, which would cost a web stream and a second Response per page.
 */
export const pageResponse = (c: Context, html: string, status: ContentfulStatusCode, because?: UncompressedBecause): Response => {
  if (because) {
    c.header(pageMarkHeader, because);
    return c.html(html, status);
  }
  c.header(pageMarkHeader, 'as-accepted');
  // What a cache stores for this address depends on the request's Accept-Encoding (the pages are not
  // stored, Cache-Control: no-store, but a proxy must still not hand one encoding to another client).
  c.header('Vary', 'Accept-Encoding', { append: true });
  const encoding = chooseEncoding(c.req.header('Accept-Encoding'));
  if (encoding === 'identity' || Buffer.byteLength(html) < minimumBytes) return c.html(html, status);
  const compressed = compressors[encoding](Buffer.from(html));
  return c.body(asBody(compressed), status, {
    'Content-Type': 'text/html; charset=UTF-8',
    'Content-Encoding': encoding,
    'Content-Length': String(compressed.length),
  });
};

/**
 * Compresses HTML responses as the browser accepts, for those that `pageResponse` did not make (a
 * download of HTML): every page is made there, and passes here only to lose its mark. Responses already
 * encoded (the assets, the JSON API) and other types pass as they are. A HEAD request gets the headers
 * its GET would.
 */
export const pageCompression = (): MiddlewareHandler => async (c, next) => {
  await next();
  // Headers only, until the body must be read: reading a response's body turns @hono/node-server's own
  // lightweight response, which it writes out directly, into a web stream.
  const headers = c.res.headers;
  if (headers.has(pageMarkHeader)) {
    headers.delete(pageMarkHeader);
    return;
  }
  if (!/^text\/html\b/i.test(headers.get('Content-Type') ?? '') || headers.has('Content-Encoding')) return;
  if (c.res.status === 204 || c.res.status === 304 || !c.res.body) return;
  headers.append('Vary', 'Accept-Encoding');
  const encoding = chooseEncoding(c.req.header('Accept-Encoding'));
  if (encoding === 'identity') return;
  const original = c.res;
  const body = new Uint8Array(await original.arrayBuffer());
  if (body.length < minimumBytes) {
    c.res = new Response(body, original);
    return;
  }
  const compressed = compressors[encoding](body);
  c.res = new Response(asBody(compressed), original);
  // After the assignment, which copies the old response's headers (its length among them) onto the new.
  c.res.headers.set('Content-Encoding', encoding);
  c.res.headers.set('Content-Length', String(compressed.length));
};
