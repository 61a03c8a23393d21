import type { Context, MiddlewareHandler } from 'hono';
import { deleteCookie, getCookie, setCookie } from 'hono/cookie';
import { hmac, maskToken, randomToken, sameText, unmaskToken } from '../security/tokens.js';
import { fromAnotherSite, sentCsrfToken } from './csrf-protection.js';

/**
 * CSRF protection for a form shown before there is a session (the staff sign-in): a signed double
 * submit. The page sets a short-lived cookie holding a random value and the time it was made; the form
 * carries an HMAC of that value under the server key. Another site can neither read the cookie nor
 * compute the HMAC, and a value older than `maxAgeMs` is refused whatever the browser kept. Nothing is
 * stored on the server.
 */
export interface SignedDoubleSubmit {
  /** Sets a fresh cookie on the response and returns the form's `_csrf` value for it. */
  issue(c: Context): string;
  /** Removes the cookie (after the form has done its job). */
  clear(c: Context): void;
  /** Refuses a POST whose cookie is missing, too old or does not match its `_csrf` field, or whose Origin is another site. */
  protect(refuse: (c: Context) => Response | Promise<Response>): MiddlewareHandler;
}

export interface SignedDoubleSubmitOptions {
  readonly key: Buffer;
  readonly cookie: string;
  /** The cookie's Path: the form's own address, so the cookie goes nowhere else. */
  readonly path: string;
  readonly maxAgeMs: number;
  readonly now: () => number;
}

const cookieToken = (key: Buffer, cookieValue: string): string => hmac(key, 'csrf-double-submit', cookieValue);

/**
 * The form's `_csrf` value for a cookie value: its HMAC masked afresh (maskToken), so it differs in every
 * response. The cookie stays as it is: it travels in a header, which page compression does not touch.
 */
export const doubleSubmitToken = (key: Buffer, cookieValue: string): string => maskToken(cookieToken(key, cookieValue));

/** A cookie value: the time it was made (base 36) and 256 random bits. */
export const doubleSubmitCookieValue = (now: number): string => `${now.toString(36)}.${randomToken()}`;

const issuedAt = (value: string): number | undefined => {
  const match = /^([0-9a-z]{1,12})\.[A-Za-z0-9_-]{43}$/.exec(value);
  return match ? parseInt(match[1]!, 36) : undefined;
};

export const signedDoubleSubmit = ({ key, cookie, path, maxAgeMs, now }: SignedDoubleSubmitOptions): SignedDoubleSubmit => {
  const cookieOptions = { path, httpOnly: true, secure: true, sameSite: 'Strict', maxAge: Math.floor(maxAgeMs / 1000) } as const;
  const valid = (value: string | undefined, sent: string): boolean => {
    if (!value) return false;
    const at = issuedAt(value);
    const age = at === undefined ? NaN : now() - at;
    // A little allowance for clocks of several servers that are not quite in step.
    if (!(age >= -60_000 && age <= maxAgeMs)) return false;
    return sameText(unmaskToken(sent) ?? '', cookieToken(key, value));
  };
  return {
    issue: (c) => {
      const value = doubleSubmitCookieValue(now());
      setCookie(c, cookie, value, cookieOptions);
      return doubleSubmitToken(key, value);
    },
    clear: (c) => {
      deleteCookie(c, cookie, { path, secure: true, httpOnly: true, sameSite: 'Strict' });
    },
    protect: (refuse) => async (c, next) => {
      if (c.req.method !== 'POST') return next();
      if (fromAnotherSite(c)) return refuse(c);
      const sent = await sentCsrfToken(c);
      if (!valid(getCookie(c, cookie), sent)) return refuse(c);
      return next();
    },
  };
};
