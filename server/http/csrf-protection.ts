import type { Context, MiddlewareHandler } from 'hono';
import { HTTPException } from 'hono/http-exception';
import { hmac, maskToken, sameText, unmaskToken } from '../security/tokens.js';

/** The CSRF token of a session (or part-two credential): derived, so nothing is stored. Never put on a page as it is. */
const sessionCsrfToken = (key: Buffer, sessionSecret: string): string => hmac(key, 'csrf', sessionSecret);

/**
 * A form's `_csrf` value: the session's token masked afresh (maskToken), so two renders of a form carry
 * different values and a compressed page holds no constant secret.
 */
export const csrfToken = (key: Buffer, sessionSecret: string): string => maskToken(sessionCsrfToken(key, sessionSecret));

/** Whether a sent `_csrf` value is a masked token of this session's. */
export const csrfTokenMatches = (key: Buffer, sessionSecret: string, sent: string): boolean =>
  sameText(unmaskToken(sent) ?? '', sessionCsrfToken(key, sessionSecret));

/**
 * One request's CSRF token of its session, derived once however often the request needs it: the check
 * of what it posted, then every form of the page it gets back (the page's own, "Leave the survey"), each
 * masked afresh.
 */
export interface SessionCsrf {
  /** A form's `_csrf` value, as `csrfToken` makes it. */
  masked(): string;
  /** As `csrfTokenMatches`. */
  matches(sent: string): boolean;
}

export const sessionCsrf = (key: Buffer, sessionSecret: string): SessionCsrf => {
  let token: string | undefined;
  const derived = () => (token ??= sessionCsrfToken(key, sessionSecret));
  return { masked: () => maskToken(derived()), matches: (sent) => sameText(unmaskToken(sent) ?? '', derived()) };
};

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
 * Refuses a POST whose `_csrf` field does not match the token of the caller's own session (`csrfOf`: its
 * SessionCsrf, undefined without a session), or whose Origin (when the browser sends one) is another site.
 */
export const sessionCsrfProtection =
  (csrfOf: (c: Context) => SessionCsrf | undefined, refuse: (c: Context) => Response | Promise<Response>): MiddlewareHandler =>
  async (c, next) => {
    if (c.req.method !== 'POST') return next();
    if (fromAnotherSite(c)) return refuse(c);
    const csrf = csrfOf(c);
    const sent = await sentCsrfToken(c);
    if (!csrf || !csrf.matches(sent)) return refuse(c);
    return next();
  };

/** `sessionCsrfProtection` for a session known by its secret. */
export const csrfProtection = (
  key: Buffer,
  sessionSecretOf: (c: Context) => string | undefined,
  refuse: (c: Context) => Response | Promise<Response>,
): MiddlewareHandler =>
  sessionCsrfProtection((c) => {
    const secret = sessionSecretOf(c);
    return secret ? sessionCsrf(key, secret) : undefined;
  }, refuse);
