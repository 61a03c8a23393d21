import type { Context, MiddlewareHandler } from 'hono';
import { HTTPException } from 'hono/http-exception';

/**
 * Refuses a request with a NUL character in its address (path or query) or in a form field. No id,
 * token, email or answer ever holds one, and PostgreSQL cannot hold or even compare text containing
 * it: a lookup of a wave id `%00` failed there as a server error while SQLite simply found nothing.
 * Refusing it here, before any route reads it, gives the same answer on both databases.
 */

const hasNul = (text: string) => text.includes('\u0000');

const decoded = (text: string) => {
  try {
    return decodeURIComponent(text);
  } catch {
    // Malformed percent-encoding: the router treats it as literal text, and so does this check.
    return text;
  }
};

const isForm = (contentType: string | undefined) => /^(application\/x-www-form-urlencoded|multipart\/form-data)\b/i.test(contentType ?? '');

/** Where the NUL was, or undefined when there is none. */
const nulIn = async (c: Context): Promise<'address' | 'form' | undefined> => {
  if (hasNul(decoded(c.req.path))) return 'address';
  for (const [name, values] of Object.entries(c.req.queries())) if (hasNul(name) || values.some(hasNul)) return 'address';
  if (c.req.method !== 'POST' || !isForm(c.req.header('content-type'))) return undefined;
  let body: Record<string, unknown>;
  try {
    body = await c.req.parseBody({ all: true });
  } catch (error) {
    if (error instanceof HTTPException) throw error;
    // An unreadable body carries no CSRF token either: the route's CSRF check refuses it.
    return undefined;
  }
  for (const [name, value] of Object.entries(body)) {
    // Uploaded files are left to the CSV reader, which names the line with the NUL byte.
    if (hasNul(name) || [value].flat().some((v) => typeof v === 'string' && hasNul(v))) return 'form';
  }
  return undefined;
};

export const nulGuard =
  (refuse: (c: Context, where: 'address' | 'form') => Response | Promise<Response>): MiddlewareHandler =>
  async (c, next) => {
    const where = await nulIn(c);
    return where ? refuse(c, where) : next();
  };
