import type { Context, MiddlewareHandler } from 'hono';
import { addressRateLimit } from './address-rate-limit.js';

/**
 * Limits guesses at invitation links per client address. The address is used in memory for the
 * count only: it is never logged or stored.
 */
export const invitationRateLimit = (
  refuse: (c: Context) => Response | Promise<Response>,
  { limit = 20, windowMs = 10 * 60_000 } = {},
): MiddlewareHandler => addressRateLimit(refuse, { limit, windowMs });
