import { sql, type Kysely } from 'kysely';
import type { IdentifiableDatabase } from './database.js';

export interface Hit {
  readonly hits: number;
  /** When the window started (epoch ms). */
  readonly windowStart: number;
}

/**
 * Counts one request of `client` against the limit `name`, in one statement so that concurrent servers
 * never lose a count: a row whose window has passed starts again at 1. Rows of windows long past are
 * removed on the way, so the table holds the current window only.
 */
export const countHit = async (
  db: Kysely<IdentifiableDatabase>,
  { name, client, now, windowMs }: { name: string; client: string; now: number; windowMs: number },
): Promise<Hit> => {
  const expired = now - windowMs;
  await db.deleteFrom('rate_limit').where('name', '=', name).where('window_start', '<=', expired).execute();
  const row = await db
    .insertInto('rate_limit')
    .values({ name, client, window_start: now, hits: 1 })
    .onConflict((oc) =>
      oc.columns(['name', 'client']).doUpdateSet({
        hits: sql<number>`case when rate_limit.window_start <= ${expired} then 1 else rate_limit.hits + 1 end`,
        window_start: sql<number>`case when rate_limit.window_start <= ${expired} then ${now} else rate_limit.window_start end`,
      }),
    )
    .returning(['hits', 'window_start'])
    .executeTakeFirstOrThrow();
  return { hits: Number(row.hits), windowStart: Number(row.window_start) };
};

export const uncountHit = async (db: Kysely<IdentifiableDatabase>, name: string, client: string): Promise<void> => {
  await db.updateTable('rate_limit').set({ hits: sql<number>`hits - 1` }).where('name', '=', name).where('client', '=', client).where('hits', '>', 0).execute();
};

export const resetHits = async (db: Kysely<IdentifiableDatabase>, name: string, client: string): Promise<void> => {
  await db.deleteFrom('rate_limit').where('name', '=', name).where('client', '=', client).execute();
};
