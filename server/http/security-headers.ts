import type { MiddlewareHandler } from 'hono';
import { secureHeaders } from 'hono/secure-headers';

/**
 * On every response: a strict CSP (only our own scripts and styles; no framing), nosniff, no referrer
 * (an invitation URL must never leak to another site), and no caching of pages, which may show answers.
 */
export const securityHeaders = (): MiddlewareHandler => {
  const headers = secureHeaders({
    contentSecurityPolicy: {
      defaultSrc: ["'self'"],
      scriptSrc: ["'self'"],
      styleSrc: ["'self'"],
      imgSrc: ["'self'", 'data:'],
      fontSrc: ["'self'"],
      formAction: ["'self'"],
      frameAncestors: ["'none'"],
      baseUri: ["'none'"],
      objectSrc: ["'none'"],
    },
    referrerPolicy: 'no-referrer',
    xContentTypeOptions: 'nosniff',
    xFrameOptions: 'DENY',
    strictTransportSecurity: 'max-age=31536000; includeSubDomains',
  });
  return async (c, next) => {
    await headers(c, next);
    // On the response's own headers: `c.header` after the response is made would copy it into a new
    // Response read from a web stream, where @hono/node-server writes its own responses out directly.
    if (!c.req.path.startsWith('/assets/')) c.res.headers.set('Cache-Control', 'no-store');
  };
};
