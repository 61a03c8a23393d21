import type { Context, MiddlewareHandler } from 'hono';
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
 * Refuses a POST whose `_csrf` field does not match the token of the caller's own session, or whose
 * Origin (when the browser sends one) is another site.
 */
export const csrfProtection = (
  key: Buffer,
  sessionSecretOf: (c: Context) => string | undefined,
  refuse: (c: Context) => Response | Promise<Response>,
): MiddlewareHandler => async (c, next) => {
  if (c.req.method !== 'POST') return next();
  if (fromAnotherSite(c)) return refuse(c);
  const secret = sessionSecretOf(c);
  const body = await c.req.parseBody();
  const sent = typeof body._csrf === 'string' ? body._csrf : '';
  if (!secret || !sameText(sent, csrfToken(key, secret))) return refuse(c);
  return next();
};
