import { getConnInfo } from '@hono/node-server/conninfo';
import type { Context, MiddlewareHandler } from 'hono';
import { isIP } from 'node:net';

/**
 * The client's address, for rate limits only (it is never logged or stored). Behind a reverse proxy or
 * load balancer every request comes from the proxy, so one respondent's guesses would use up everyone's
 * allowance; with TRUSTED_PROXIES naming the proxies, the address is read from X-Forwarded-For instead:
 * the rightmost entry that is not itself a trusted proxy (entries to its left are the client's to forge).
 * Without the setting the header is ignored: anyone can send it.
 */

const socketAddress = (c: Context): string | undefined => {
  try {
    return getConnInfo(c).remote.address ?? undefined;
  } catch {
    return undefined;
  }
};

/** The address a request came from, through the trusted proxies; undefined without a socket (app.request in tests). */
export const addressThrough = (c: Context, trustedProxies: ReadonlySet<string>): string | undefined => {
  const socket = socketAddress(c);
  if (socket === undefined || !trustedProxies.has(socket)) return socket;
  const forwarded = (c.req.header('x-forwarded-for') ?? '')
    .split(',')
    .map((a) => a.trim())
    .filter((a) => isIP(a) !== 0);
  for (let i = forwarded.length - 1; i >= 0; i--) if (!trustedProxies.has(forwarded[i]!)) return forwarded[i];
  return socket;
};

/** Reads the client's address once per request, so every limit counts the same client. */
export const clientAddressReader = (trustedProxies: readonly string[]): MiddlewareHandler => {
  const trusted = new Set(trustedProxies);
  return async (c, next) => {
    c.set('clientAddress' as never, addressThrough(c, trusted) as never);
    await next();
  };
};

/** The client's address as clientAddressReader found it, or the socket's when it did not run. */
export const clientAddress = (c: Context): string | undefined => (c.get('clientAddress' as never) as string | undefined) ?? socketAddress(c);
