import type { Context, MiddlewareHandler } from 'hono';
import { HTTPException } from 'hono/http-exception';
import { hmac, sameText } from '../security/tokens.js';

/** A form's CSRF token: bound to the session (or part-two credential), derived, so nothing is stored. */
export const csrfToken = (key: Buffer, sessionSecret: string): string => hmac(key, 'csrf', sessionSecret);

/** Origin's host against the request's: the scheme is left out, because behind a proxy that ends TLS the
 * server sees http://host while the browser, on https://host, sends an https Origin. */
const sameHost = (origin: string, requestUrl: string): boolean => {
  try {
    return new URL(origin).host === new URL(requestUrl).host;
  } catch {
    return false;
  }
};

/** True when the browser says the request comes from a page of another site (Origin, when sent). */
export const fromAnotherSite = (c: Context): boolean => {
  const origin = c.req.header('origin');
  return !!origin && origin !== 'null' && !sameHost(origin, c.req.url);
};

/**
 * The `_csrf` field of a POST, or '' when it has none. A body that cannot be read as a form at all (a
 * multipart body without a boundary, say) carries no token either, so it is refused like a forged form
 * instead of failing as a server error. The body limit's 413 is left to its own handler.
 */
export const sentCsrfToken = async (c: Context): Promise<string> => {
  let body: Record<string, unknown>;
  try {
    body = await c.req.parseBody();
  } catch (error) {
    if (error instanceof HTTPException) throw error;
    return '';
  }
  return typeof body._csrf === 'string' ? body._csrf : '';
};

/**
 * Refuses a POST whose `_csrf` field does not match the token of the caller's own session, or whose
 * Origin (when the browser sends one) is another site.
 */
export const csrfProtection =
  (key: Buffer, sessionSecretOf: (c: Context) => string | undefined, refuse: (c: Context) => Response | Promise<Response>): MiddlewareHandler =>
  async (c, next) => {
    if (c.req.method !== 'POST') return next();
    if (fromAnotherSite(c)) return refuse(c);
    const secret = sessionSecretOf(c);
    const sent = await sentCsrfToken(c);
    if (!secret || !sameText(sent, csrfToken(key, secret))) return refuse(c);
    return next();
  };
