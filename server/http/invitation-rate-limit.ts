import { getConnInfo } from '@hono/node-server/conninfo';
import type { Context, MiddlewareHandler } from 'hono';
import { rateLimiter } from 'hono-rate-limiter';

/**
 * Limits guesses at invitation links per client address. The address is used in memory for the
 * count only: it is never logged or stored.
 */
export const invitationRateLimit = (
  refuse: (c: Context) => Response | Promise<Response>,
  { limit = 20, windowMs = 10 * 60_000 } = {},
): MiddlewareHandler =>
  rateLimiter({
    windowMs,
    limit,
    standardHeaders: 'draft-6',
    keyGenerator: (c) => {
      try {
        return getConnInfo(c).remote.address ?? 'unknown';
      } catch {
        // app.request() in tests has no socket.
        return 'in-process';
      }
    },
    handler: (c) => refuse(c),
  });
