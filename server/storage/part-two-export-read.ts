import Database from 'better-sqlite3';
import { sql, type Kysely } from 'kysely';
import type { Answers } from '../../survey-definitions/index.js';
import { countPartTwo } from './anonymous-store.js';
import { removeSnapshot, snapshotAnonymousStore } from './anonymous-snapshot.js';
import type { AnonymousDatabase } from './database.js';
import type { Stores } from './open-stores.js';

/**
 * Part two of one wave as the CSV export reads it: in a fresh random order, without ids, in batches.
 *
 * On SQLite the store is read once, in one statement (one short read transaction, as `VACUUM INTO` of
 * anonymous-snapshot.ts takes), into a private copy that holds only this wave's answers, already in
 * their new order; the export then reads the copy at its own pace, front to back. Copying the whole
 * store and sorting it on the way out cost three times as much (issue 16): the copy wrote every wave
 * and every page, and the sort read each row through the wave's index.
 *
 * The order is SQLite's `random()`, which since 3.40 is ChaCha20 seeded from the operating system: a
 * CSPRNG, so the order says nothing about arrival, about the random ids the rows are stored under, or
 * about any other export. Ordering by a keyed hash of the id (a fresh secret salt per export) would be
 * as good, but not cheaper: it is still a sort with the answers carried along (SQLite's sorter, spilling
 * to temporary files beyond a few megabytes, so memory stays flat), and the hash would cost a call per
 * row where `random()` costs a few nanoseconds.
 *
 * On PostgreSQL the store is read where it is (a reader's snapshot does not hold up the writer), ordered
 * by `gen_random_uuid()`, which draws on PostgreSQL's strong random source (`random()` there is not
 * cryptographic).
 */

export interface ShuffledPartTwo {
  /** How many responses the batches hold. */
  readonly total: number;
  /** The answers, a batch at a time, in a fresh random order. */
  readonly batches: AsyncIterable<Iterable<Answers>>;
}

/** Answers handed over at a time: a few hundred kilobytes of JSON, so the copy is read in few steps. */
const BATCH = 1000;

/**
 * Reads the wave's answers from the live store into `file` (an empty owner-only file) in a fresh random
 * order: the table `shuffled`, whose rowids are that order. Returns how many were copied.
 *
 * Through the index on wave_id each row is a lookup; when the wave is a good part of the store (a
 * quarter or more, as in a store of a few waves), reading every row and skipping the others' costs less
 * (measured at 200,000 rows: 1.9 s through the index, 1.0 s reading everything).
 */
const copyShuffled =
  (live: Kysely<AnonymousDatabase>, waveId: string) =>
  (file: string): Promise<number> =>
    live.connection().execute(async (db) => {
      await sql`attach ${file} as export_copy`.execute(db);
      try {
        // A scratch file, removed once open: no journal, no waiting for the disk.
        await sql`pragma export_copy.journal_mode = off`.execute(db);
        await sql`pragma export_copy.synchronous = off`.execute(db);
        await sql`create table export_copy.shuffled (answers text not null)`.execute(db);
        const { rows } = await sql<{ wave: number; all: number }>`
          select (select count(*) from main.part_two_response where wave_id = ${waveId}) as wave,
                 (select count(*) from main.part_two_response) as "all"`.execute(db);
        const { wave, all } = rows[0]!;
        // A unary plus keeps SQLite from using the index on wave_id.
        const ofWave = wave * 4 >= all ? sql`+wave_id = ${waveId}` : sql`wave_id = ${waveId}`;
        const copied = await sql`
          insert into export_copy.shuffled (answers)
          select answers from main.part_two_response where ${ofWave} order by random()`.execute(db);
        return Number(copied.numAffectedRows ?? 0n);
      } finally {
        await sql`detach export_copy`.execute(db);
      }
    });

/**
 * The answers in batches of their stored JSON, each parsed only as it is read: a row's objects then die
 * young, where a batch parsed whole outlived a garbage collection or two and was copied into the old
 * generation (a fifth of the export's time).
 */
async function* batchesOf(rows: Iterable<string> | AsyncIterable<string>): AsyncGenerator<Iterable<Answers>> {
  let batch: string[] = [];
  for await (const json of rows) {
    batch.push(json);
    if (batch.length === BATCH) {
      yield parsed(batch);
      batch = [];
    }
  }
  if (batch.length > 0) yield parsed(batch);
}

function* parsed(batch: readonly string[]): Generator<Answers> {
  for (const json of batch) yield JSON.parse(json) as Answers;
}

async function* answersOf(rows: AsyncIterable<{ answers: string }>): AsyncGenerator<string> {
  for await (const row of rows) yield row.answers;
}

/** Runs `work` on part two of `waveId` in a fresh random order (see above); the copy is gone when it returns. */
export const withShuffledPartTwo = async <T>(
  stores: Pick<Stores, 'anonymous' | 'location' | 'dialect'>,
  waveId: string,
  work: (partTwo: ShuffledPartTwo) => Promise<T>,
): Promise<T> => {
  if (stores.dialect !== 'sqlite') {
    const total = await countPartTwo(stores.anonymous, waveId);
    const rows = stores.anonymous
      .selectFrom('part_two_response')
      .select('answers')
      .where('wave_id', '=', waveId)
      .orderBy(sql`gen_random_uuid()`)
      .stream(BATCH);
    return work({ total, batches: batchesOf(answersOf(rows)) });
  }
  let total = 0;
  const file = await snapshotAnonymousStore(stores.location, async (target) => (total = await copyShuffled(stores.anonymous, waveId)(target)));
  let copy: Database.Database;
  try {
    copy = new Database(file, { readonly: true, fileMustExist: true });
  } finally {
    // Read on from the unlinked file (no journal beside it): no copy of the answers stays on disk.
    removeSnapshot(file);
  }
  // Started only when `work` reads, and ended below however `work` ends: a connection refuses to close
  // while a statement is still being iterated.
  let iterator: IterableIterator<string> | undefined;
  const rows = (function* () {
    iterator = copy.prepare('select answers from shuffled order by rowid').pluck().iterate() as IterableIterator<string>;
    yield* iterator;
  })();
  try {
    return await work({ total, batches: batchesOf(rows) });
  } finally {
    iterator?.return?.();
    copy.close();
  }
};
