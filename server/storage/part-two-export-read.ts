import Database from 'better-sqlite3';
import { countPartTwo, intakeSchema, streamStoredPartTwoShuffled } from './anonymous-store.js';
import { copyBothPlaces, openBothPlaces, removeSnapshot, snapshotAnonymousStore, wavesCondition } from './anonymous-snapshot.js';
import type { Stores } from './open-stores.js';

/**
 * Part two of one wave as the CSV export reads it: in a fresh random order, without ids, in batches, each
 * response as the store keeps it (stored-answers.ts), for the export to write without decoding it.
 *
 * On SQLite the store is read once, in one statement over both places of part two (the archive and
 * the intake of open waves: anonymous-store.ts; one short read transaction, as `VACUUM INTO` of
 * anonymous-snapshot.ts takes), into a private copy that holds only this wave's answers, already in
 * their new order; the export then reads the copy at its own pace, front to back. Copying the whole
 * store and sorting it on the way out cost more than twice as much (issue 16): the copy wrote every
 * wave and every page, and the sort read each row through the wave's index.
 *
 * The order is SQLite's `random()`, which since 3.40 is ChaCha20 seeded from the operating system: a
 * CSPRNG, so the order says nothing about arrival, about the random ids the rows are stored under, or
 * about any other export. Ordering by a keyed hash of the id (a fresh secret salt per export) would be
 * as good, but not cheaper: it is still a sort with the answers carried along (SQLite's sorter, spilling
 * to temporary files beyond a few megabytes, so memory stays flat), and the hash would cost a call per
 * row where `random()` costs a few nanoseconds.
 *
 * On PostgreSQL the store is read where it is (a reader's snapshot does not hold up the writer), by
 * `streamStoredPartTwoShuffled`, ordered by `gen_random_uuid()`, which draws on PostgreSQL's strong random
 * source (`random()` there is not cryptographic).
 */

export interface ShuffledPartTwo {
  /** How many responses the batches hold. */
  readonly total: number;
  /** The responses as stored (JSON text, by position or as an object), a batch at a time, in a fresh random order. */
  readonly batches: AsyncIterable<readonly string[]> | Iterable<readonly string[]>;
}

/** Rows of the copy read at a time (SQLite): each page becomes one write of about 80 KB. */
const PAGE = 250;

/**
 * On PostgreSQL a batch holds its rows as the cursor's stream hands them over, so it is kept small: a
 * thousand rows, parsed as they then were, outlived young-generation collections and were copied into
 * the old one, and the export's peak at 200,000 rows was 207-212 MB; at 100 rows a batch (a write of
 * about 24 KB) it was 180-190 MB, in the same CPU time (measured in alternation, 2026-12-07).
 */
const POSTGRES_BATCH = 100;

/**
 * Memory SQLite may use for its page caches and its sorter while copying and reading (KiB, as
 * `cache_size` takes it). better-sqlite3's default, 16 MB per database and as much again for the sort,
 * took the export's memory up by 50 MB; a sequential scan, an append and a sorter spilling a megabyte
 * or two at a time need little, and measured no slower at 200,000 rows.
 */
const CACHE_KIB = 2000;

/**
 * Reads the wave's answers from the live store into `file` (an empty owner-only file) in a fresh random
 * order: the table `shuffled`, whose rowids are that order. Returns how many were copied. Through a
 * connection of its own, so that the store's own connection keeps its settings.
 */
const copyShuffled = async (dataDir: string, waveId: string, file: string): Promise<number> => {
  const { live: db, withIntake } = openBothPlaces(dataDir, { readonly: false });
  try {
    db.pragma(`cache_size = -${CACHE_KIB}`);
    db.prepare('attach ? as export_copy').run(file);
    // A scratch file, removed once open: no journal, no waiting for the disk.
    db.pragma('export_copy.journal_mode = off');
    db.pragma('export_copy.synchronous = off');
    db.pragma(`export_copy.cache_size = -${CACHE_KIB / 4}`);
    db.exec('create table export_copy.shuffled (answers text not null)');
    const ofWave = wavesCondition(db, [waveId]);
    // The intake's rows of the wave too; one a move cut short left in both places, once.
    const fromIntake = withIntake
      ? `union all select answers from ${intakeSchema}.part_two_response i where i.wave_id = ?
         and not exists (select 1 from main.part_two_response m where m.id = i.id)`
      : '';
    const copy = db.prepare(
      `insert into export_copy.shuffled (answers) select answers from (select answers from main.part_two_response where ${ofWave} ${fromIntake}) order by random()`,
    );
    return await copyBothPlaces(
      db,
      withIntake,
      () => copy.run(...(withIntake ? [waveId, waveId] : [waveId])).changes,
      () => db.exec('delete from export_copy.shuffled'),
    );
  } finally {
    db.close();
  }
};

/**
 * The copy's rows a page at a time, by ranges of its rowids (which are the new order), each page one
 * call into SQLite: stepping a statement row by row cost twice as much, and the generators it took as
 * much again (issue 16). A page is kept small, so that its rows die young (in the young generation):
 * holding a thousand rows while they were written kept them alive through a collection or two, and they
 * were copied into the old one.
 */
function* pagesOf(copy: Database.Database): Generator<string[]> {
  const { low, high } = copy.prepare('select min(rowid) as low, max(rowid) as high from shuffled').get() as { low: number | null; high: number | null };
  if (low === null || high === null) return;
  const page = copy.prepare('select answers from shuffled where rowid between ? and ? order by rowid').pluck();
  for (let from = low; from <= high; from += PAGE) yield page.all(from, from + PAGE - 1) as string[];
}

/** Items `size` at a time, the last batch as short as it comes. */
export async function* inBatches<T>(items: AsyncIterable<T>, size: number): AsyncGenerator<T[]> {
  let batch: T[] = [];
  for await (const item of items) {
    batch.push(item);
    if (batch.length === size) {
      yield batch;
      batch = [];
    }
  }
  if (batch.length > 0) yield batch;
}

/** Runs `work` on part two of `waveId` in a fresh random order (see above); the copy is gone when it returns. */
export const withShuffledPartTwo = async <T>(
  stores: Pick<Stores, 'anonymous' | 'location' | 'dialect'>,
  waveId: string,
  work: (partTwo: ShuffledPartTwo) => Promise<T>,
): Promise<T> => {
  if (stores.dialect !== 'sqlite') {
    const total = await countPartTwo(stores.anonymous, waveId);
    return work({ total, batches: inBatches(streamStoredPartTwoShuffled(stores.anonymous, waveId), POSTGRES_BATCH) });
  }
  let total = 0;
  const file = await snapshotAnonymousStore(stores.location, async (target) => (total = await copyShuffled(stores.location, waveId, target)));
  let copy: Database.Database;
  try {
    copy = new Database(file, { readonly: true, fileMustExist: true });
  } finally {
    // Read on from the unlinked file (no journal beside it): no copy of the answers stays on disk.
    removeSnapshot(file);
  }
  try {
    copy.pragma(`cache_size = -${CACHE_KIB / 4}`);
    return await work({ total, batches: pagesOf(copy) });
  } finally {
    copy.close();
  }
};
