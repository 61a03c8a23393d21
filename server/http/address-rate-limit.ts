import { getConnInfo } from '@hono/node-server/conninfo';
import type { Context, MiddlewareHandler } from 'hono';
import { rateLimiter } from 'hono-rate-limiter';

/**
 * The client's address as the socket reports it, or undefined when there is no socket (app.request()
 * in tests). Forwarding headers are not trusted: anyone can send them.
 */
export const clientAddress = (c: Context): string | undefined => {
  try {
    return getConnInfo(c).remote.address ?? undefined;
  } catch {
    return undefined;
  }
};

/** When the refused client may try again (ms from now), from the limiter's own count. */
export const retryAfterMs = (c: Context, now = Date.now()): number => {
  const info = c.get('rateLimit' as never) as { resetTime?: Date } | undefined;
  return Math.max(0, (info?.resetTime?.getTime() ?? now) - now);
};

/**
 * Limits requests per client address, in memory only: the address is never logged or stored. The
 * count is per server process and starts again when it restarts, so it is a first line only (the
 * staff sign-in has a second, in the database).
 */
export const addressRateLimit = (
  refuse: (c: Context) => Response | Promise<Response>,
  { limit, windowMs }: { limit: number; windowMs: number },
): MiddlewareHandler =>
  rateLimiter({
    windowMs,
    limit,
    standardHeaders: 'draft-6',
    // All requests without a socket share one count.
    keyGenerator: (c) => clientAddress(c) ?? 'in-process',
    handler: (c) => refuse(c),
  });
