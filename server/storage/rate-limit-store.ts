import { sql, type Kysely } from 'kysely';
import type { IdentifiableDatabase } from './database.js';
import { inTransaction } from './in-transaction.js';

export interface Hit {
  readonly hits: number;
  /** When the window started (epoch ms). */
  readonly windowStart: number;
  /** Whether this request was counted (written); a request over the limit is not. */
  readonly counted: boolean;
}

/**
 * Counts one request of `client` against the limit `name`. A request that finds its client already at
 * the limit is refused by a read alone and writes nothing (no upsert, no clean-up), so a flood of refused
 * requests costs the store no writes (it syncs every commit). A counted request is one upsert, so that
 * concurrent servers never lose a count: a row whose window has passed starts again at 1, and rows of
 * windows long past are removed on the way, so the table holds the current window only. Two servers
 * that both read a count just under the limit both count; the upsert's result then says which went over.
 */
export const countHit = async (
  db: Kysely<IdentifiableDatabase>,
  { name, client, now, windowMs, limit }: { name: string; client: string; now: number; windowMs: number; limit: number },
): Promise<Hit> => {
  const expired = now - windowMs;
  const current = await db.selectFrom('rate_limit').select(['hits', 'window_start']).where('name', '=', name).where('client', '=', client).executeTakeFirst();
  if (current && Number(current.window_start) > expired && Number(current.hits) >= limit) {
    return { hits: Number(current.hits) + 1, windowStart: Number(current.window_start), counted: false };
  }
  // One transaction, so a counted request costs one commit.
  const row = await inTransaction(db, async (trx) => {
    await trx.deleteFrom('rate_limit').where('name', '=', name).where('window_start', '<=', expired).execute();
    return trx
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
  });
  return { hits: Number(row.hits), windowStart: Number(row.window_start), counted: true };
};

export const uncountHit = async (db: Kysely<IdentifiableDatabase>, name: string, client: string): Promise<void> => {
  await db
    .updateTable('rate_limit')
    .set({ hits: sql<number>`hits - 1` })
    .where('name', '=', name)
    .where('client', '=', client)
    .where('hits', '>', 0)
    .execute();
};

export const resetHits = async (db: Kysely<IdentifiableDatabase>, name: string, client: string): Promise<void> => {
  await db.deleteFrom('rate_limit').where('name', '=', name).where('client', '=', client).execute();
};
