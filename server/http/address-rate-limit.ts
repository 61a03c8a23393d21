import type { Context, MiddlewareHandler } from 'hono';
import { rateLimiter, type Store } from 'hono-rate-limiter';
import type { Kysely } from 'kysely';
import { hmac } from '../security/tokens.js';
import type { IdentifiableDatabase } from '../storage/database.js';
import { countHit, resetHits, uncountHit } from '../storage/rate-limit-store.js';
import { clientAddress } from './client-address.js';

export { clientAddress };

/** When the refused client may try again (ms from now), from the limiter's own count. */
export const retryAfterMs = (c: Context, now = Date.now()): number => {
  const info = c.get('rateLimit' as never) as { resetTime?: Date } | undefined;
  return Math.max(0, (info?.resetTime?.getTime() ?? now) - now);
};

export interface AddressRateLimit {
  /** Which limit: counts of different limits never mix. */
  readonly name: string;
  readonly limit: number;
  readonly windowMs: number;
  /** Where the counts live: the identifiable store, shared by every server process. */
  readonly db: Kysely<IdentifiableDatabase>;
  /** The server key: the client is counted under a keyed hash of its address, never the address. */
  readonly key: Buffer;
  readonly now?: () => number;
}

/** The client as a limit counts it: a keyed hash of its address, one per limit. All requests without a socket share one count. */
const clientKey = (c: Context, name: string, key: Buffer) => hmac(key, `rate-limit:${name}`, clientAddress(c) ?? 'in-process');

/** hono-rate-limiter's store interface over the rate_limit table. */
const databaseStore = ({ name, limit, windowMs, db, now }: Required<Pick<AddressRateLimit, 'name' | 'limit' | 'windowMs' | 'db' | 'now'>>): Store => ({
  localKeys: false,
  prefix: name,
  increment: async (client) => {
    // Over the limit, countHit only reads: a refused request writes nothing.
    const hit = await countHit(db, { name, client, now: now(), windowMs, limit });
    return { totalHits: hit.hits, resetTime: new Date(hit.windowStart + windowMs) };
  },
  decrement: (client) => uncountHit(db, name, client),
  resetKey: (client) => resetHits(db, name, client),
});

/**
 * Limits requests per client address. The counts are kept in the database, so several server processes
 * sharing it enforce one limit, and a restart does not reset it; the address itself is never logged or
 * stored, only a keyed hash of it, for one window. A request over the limit is refused without a write.
 */
export const addressRateLimit = (
  refuse: (c: Context) => Response | Promise<Response>,
  { name, limit, windowMs, db, key, now = Date.now }: AddressRateLimit,
): MiddlewareHandler =>
  rateLimiter({
    windowMs,
    limit,
    standardHeaders: 'draft-6',
    keyGenerator: (c) => clientKey(c, name, key),
    handler: (c) => refuse(c),
    store: databaseStore({ name, limit, windowMs, db, now }),
  });

/**
 * The same count as `addressRateLimit`, for a handler that decides itself when a request is to be
 * counted (the sign-in form counts only attempts that will check a password). Counts the request and
 * returns undefined, or, over the limit, writes nothing and returns how long until the window ends (ms).
 */
export const countAddressRequest = async (c: Context, { name, limit, windowMs, db, key, now = Date.now }: AddressRateLimit): Promise<number | undefined> => {
  const at = now();
  const hit = await countHit(db, { name, client: clientKey(c, name, key), now: at, windowMs, limit });
  return hit.hits > limit ? Math.max(0, hit.windowStart + windowMs - at) : undefined;
};
