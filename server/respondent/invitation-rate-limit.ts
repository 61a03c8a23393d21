import type { Context, MiddlewareHandler } from 'hono';
import type { Kysely } from 'kysely';
import type { IdentifiableDatabase } from '../storage/database.js';
import { addressRateLimit } from '../http/address-rate-limit.js';

/** Limits guesses at invitation links per client address (counted under a keyed hash, never stored as it is). */
export const invitationRateLimit = (
  refuse: (c: Context) => Response | Promise<Response>,
  { db, key, limit = 20, windowMs = 10 * 60_000 }: { db: Kysely<IdentifiableDatabase>; key: Buffer; limit?: number; windowMs?: number },
): MiddlewareHandler => addressRateLimit(refuse, { name: 'invitation-link', limit, windowMs, db, key });
