import { randomInt } from 'node:crypto';
import { sql, type Kysely } from 'kysely';
import type { Answers } from '../../survey-definitions/index.js';
import { bumpDataVersion } from './data-version-store.js';
import { attemptSqliteScrub, shareScrub, type ScrubOutcome } from './arrival-scrub.js';
import type { AnonymousDatabase } from './database.js';
import { isSqlite } from './dialect-of.js';
import { newId } from './part-one-store.js';

/** Fisher-Yates with a cryptographic source, so the order cannot be predicted from the input order. */
export const shuffle = <T>(items: readonly T[]): T[] => {
  const out = [...items];
  for (let i = out.length - 1; i > 0; i--) {
    const j = randomInt(i + 1);
    [out[i], out[j]] = [out[j]!, out[i]!];
  }
  return out;
};

/**
 * Stores part-two answers with nothing but a random key and the wave. A batch is shuffled before
 * it is written, so even the order of statements says nothing about the order of arrival.
 */
export const insertPartTwoResponses = async (db: Kysely<AnonymousDatabase>, waveId: string, batch: readonly Answers[]): Promise<void> => {
  if (batch.length === 0) return;
  await bumpDataVersion(db, waveId);
  await db
    .insertInto('part_two_response')
    .values(shuffle(batch).map((answers) => ({ id: newId(), wave_id: waveId, answers: JSON.stringify(answers) })))
    .execute();
};

export const deletePartTwoWave = async (db: Kysely<AnonymousDatabase>, waveId: string): Promise<number> => {
  await bumpDataVersion(db, waveId);
  const result = await db.deleteFrom('part_two_response').where('wave_id', '=', waveId).executeTakeFirst();
  return Number(result.numDeletedRows);
};

/** Responses of one wave, or of every wave when none is named. */
export const countPartTwo = async (db: Kysely<AnonymousDatabase>, waveId?: string): Promise<number> => {
  let query = db.selectFrom('part_two_response').select((eb) => eb.fn.countAll<number>().as('n'));
  if (waveId !== undefined) query = query.where('wave_id', '=', waveId);
  const row = await query.executeTakeFirstOrThrow();
  return Number(row.n);
};

/** Part two in storage order, which is random-key order, for analysis that does not care about order. */
export async function* streamPartTwo(db: Kysely<AnonymousDatabase>, waveId: string): AsyncGenerator<Answers> {
  const rows = db.selectFrom('part_two_response').select('answers').where('wave_id', '=', waveId).stream(1000);
  for await (const row of rows) yield JSON.parse(row.answers) as Answers;
}

/** Part two in a fresh random order each time, with no ids, streamed. */
export async function* streamPartTwoShuffled(db: Kysely<AnonymousDatabase>, waveId: string): AsyncGenerator<Answers> {
  const rows = db
    .selectFrom('part_two_response')
    .select('answers')
    .where('wave_id', '=', waveId)
    .orderBy(sql`random()`)
    .stream(500);
  for await (const row of rows) yield JSON.parse(row.answers) as Answers;
}

/**
 * Run after every committed write to the anonymous store: erases the order in which answers arrived
 * from the store's files (SQLite: `attemptSqliteScrub`, VACUUM between two truncating checkpoints) or
 * from the heap (PostgreSQL: `scrubPostgres` below). Writes committed while a scrub waits to start share
 * it (`shareScrub`). `deferred` means another connection (a reader in another process) blocked it: what
 * was written is safe, and the scrub is retried in the background until it is done; a command that must
 * see it done waits with `finishDeferredScrub`.
 */
export const scrubArrivalOrder = (db: Kysely<AnonymousDatabase>): Promise<ScrubOutcome> =>
  shareScrub(db, isSqlite(db) ? () => attemptSqliteScrub(db) : () => scrubPostgres(db));

/**
 * The anonymous tables whose rows arrive or change one respondent at a time: answers, and the passes
 * that carry drafts (a draft's earlier versions would otherwise stay in the heap as dead tuples, readable
 * in the relation file). The data versions change with every write too.
 */
const arrivalTables = ['part_two_response', 'part_two_pass', 'wave_data_version'] as const;

/**
 * PostgreSQL's version of the same. In a heap, rows sit in insertion order (ctid), and each carries
 * the id of the transaction that wrote it (xmin), which grows with time and is shared by every database
 * of the cluster, so it would line part two up with part one. So every row is written again in one
 * transaction, in a random order, into a new file: afterwards all live rows carry the same xmin and sit
 * in random places.
 *
 * TRUNCATE, not DELETE and VACUUM FULL: deleted rows are dead tuples, and VACUUM FULL copies the dead
 * tuples any other snapshot in the database might still see (an autovacuum ANALYZE of another table is
 * enough) into its new file, then reports success. TRUNCATE gives each table a new file that never held
 * a dead tuple; the old file is emptied when the transaction commits. It needs the tables' ACCESS
 * EXCLUSIVE lock, which waits for every open reader (an export's cursor, a pg_dump): rather than stall
 * the respondent whose answer is committed, it gives up at once, nothing changes, and the scrub is
 * retried in the background (arrival-scrub.ts). TRUNCATE is not MVCC-safe for a transaction that took
 * its snapshot before and reads a table only afterwards; our readers read in one statement (or lock
 * first, as pg_dump does).
 *
 * What remains is PostgreSQL's own write-ahead log, which holds every insert in commit order until it is
 * recycled: the README says to treat the cluster's WAL and its archives as identifiable.
 */
const scrubPostgres = async (db: Kysely<AnonymousDatabase>): Promise<boolean> => {
  try {
    await db.transaction().execute(async (trx) => {
      await sql`set local lock_timeout = 50`.execute(trx);
      // All locks first, in one order, so that two scrubs never hold one table each.
      for (const table of arrivalTables) await sql`lock table ${sql.table(table)} in access exclusive mode`.execute(trx);
      for (const table of arrivalTables) {
        await sql`create temporary table reshuffled on commit drop as select * from ${sql.table(table)}`.execute(trx);
        await sql`truncate ${sql.table(table)}`.execute(trx);
        await sql`insert into ${sql.table(table)} select * from reshuffled order by random()`.execute(trx);
        await sql`drop table reshuffled`.execute(trx);
      }
    });
    return true;
  } catch (error) {
    if ((error as { code?: unknown }).code === lockNotAvailable) return false;
    throw error;
  }
};

/** PostgreSQL's SQLSTATE when lock_timeout ran out. */
const lockNotAvailable = '55P03';
