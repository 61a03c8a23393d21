import type { Context, MiddlewareHandler } from 'hono';
import { bodyLimit } from 'hono/body-limit';

/**
 * A request's body is read the cheap way @hono/node-server offers: straight from the socket into one
 * buffer. Asking for `c.req.raw.body` instead (as hono's bodyLimit does first, even of a GET) makes it
 * build a whole web Request, with an AbortController and a web stream the body is then pulled through.
 */

/**
 * Refuses a body over `maxSize` bytes before it is read: by its Content-Length when it gives one, as
 * hono's bodyLimit would, or else (a chunked body) by hono's bodyLimit, which counts it as it arrives. A
 * GET or HEAD has no body to limit.
 */
export const limitBody = (maxSize: number, onError: (c: Context) => Response | Promise<Response>): MiddlewareHandler => {
  const counted = bodyLimit({ maxSize, onError });
  return async (c, next) => {
    if (c.req.method === 'GET' || c.req.method === 'HEAD') return next();
    const length = c.req.header('content-length');
    if (length !== undefined && c.req.header('transfer-encoding') === undefined) return parseInt(length, 10) > maxSize ? onError(c) : next();
    return counted(c, next);
  };
};

// As `formData()` decodes: a byte-order mark is kept, as part of the first name.
const utf8 = new TextDecoder('utf-8', { ignoreBOM: true });

const isUrlEncoded = (contentType: string | undefined) => contentType?.split(';')[0]!.trim().toLowerCase() === 'application/x-www-form-urlencoded';

/**
 * A form posted URL-encoded (every page's form) read once, as its fields: hono's `parseBody`, which the
 * routes, the NUL guard and the CSRF check all call, keeps the form it finds in `bodyCache.formData` and
 * reads the body only when there is none. Its own reading goes through a web Response made to parse the
 * bytes; URLSearchParams parses them the same way (the URL standard's urlencoded parser, as `formData()`
 * uses for this type), without one. Other bodies (a multipart upload) are left to hono. A body that cannot
 * be read is left too, to fail where it is read, as before.
 */
export const readUrlEncodedForm = (): MiddlewareHandler => async (c, next) => {
  if (c.req.method === 'POST' && isUrlEncoded(c.req.header('content-type')) && !c.req.bodyCache.formData) {
    let bytes: ArrayBuffer | undefined;
    try {
      bytes = await c.req.arrayBuffer();
    } catch {
      bytes = undefined;
    }
    if (bytes) {
      const form = new FormData();
      for (const [name, value] of new URLSearchParams(utf8.decode(bytes))) form.append(name, value);
      // A promise, as hono keeps every body there (its type names the value it resolves to).
      c.req.bodyCache.formData = Promise.resolve(form) as unknown as FormData;
    }
  }
  return next();
};
