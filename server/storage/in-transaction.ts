import type { Kysely, Transaction } from 'kysely';

/**
 * Runs `work` in a transaction: the caller's, when `db` already is one (Kysely cannot nest them), so
 * a store function that needs its own transaction can also be one step of a larger one.
 */
export const inTransaction = <DB, T>(db: Kysely<DB>, work: (trx: Transaction<DB>) => Promise<T>): Promise<T> =>
  db.isTransaction ? work(db as Transaction<DB>) : db.transaction().execute(work);
