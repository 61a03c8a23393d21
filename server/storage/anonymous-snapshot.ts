import { randomBytes } from 'node:crypto';
import { closeSync, existsSync, openSync, readdirSync, rmSync } from 'node:fs';
import { join } from 'node:path';
import Database from 'better-sqlite3';
import { Kysely } from 'kysely';
import { ChunkedSqliteDialect } from './chunked-sqlite-dialect.js';
import { intakeSchema } from './anonymous-store.js';
import type { AnonymousDatabase } from './database.js';
import { storeFiles, type Stores } from './open-stores.js';
import { alive } from './server-lock.js';

/**
 * Private copies of the anonymous store for readers that take longer than a moment (an export, the
 * research package, the tables, a backup). A read transaction held on the live file would keep the
 * server from emptying the WAL after each part-two answer, so these readers copy the committed state
 * with `VACUUM INTO` (one short read transaction) and read the copy at their own pace, however long
 * that takes (an export piped into a pager that nobody scrolls).
 *
 * VACUUM INTO writes the copy compactly in key order, so even a copy taken between a commit and its
 * scrub holds no arrival order. The copy holds both places of part two (anonymous-store.ts) in its
 * own tables: the archive copied, and the intake's rows added in one transaction in random order.
 * Copies live in the data directory, readable only by their owner, named after the process that
 * made them: `.anonymous-snapshot-PID-RANDOM.db`. A copy that is read through SQLite is unlinked as
 * soon as it is open, so it is gone however the reader ends; one left by a killed process is removed by
 * the next snapshot or server start.
 */

const snapshotName = /^\.anonymous-snapshot-(\d+)-[0-9a-f]{12}\.db(?:-journal|-wal|-shm)?$/;

const filesOf = (file: string) => ['', '-journal', '-wal', '-shm'].map((suffix) => `${file}${suffix}`);

/** Removes a snapshot and any file SQLite may have made beside it. */
export const removeSnapshot = (file: string): void => {
  for (const path of filesOf(file)) rmSync(path, { force: true });
};

/** Snapshot files in `dataDir`, each with the pid of the process that made it. */
export const listSnapshots = (dataDir: string): { file: string; pid: number }[] => {
  let names: string[];
  try {
    names = readdirSync(dataDir);
  } catch {
    return [];
  }
  return names.flatMap((name) => {
    const match = snapshotName.exec(name);
    return match ? [{ file: join(dataDir, name), pid: Number(match[1]) }] : [];
  });
};

/** Removes the snapshots of processes that have ended (a crash, a kill); never one a live process is reading. */
export const removeStaleSnapshots = (dataDir: string): number => {
  const stale = listSnapshots(dataDir).filter(({ pid }) => pid !== process.pid && !alive(pid));
  for (const { file } of stale) rmSync(file, { force: true });
  return stale.length;
};

/**
 * Copies the committed state of the anonymous store into a new private file in `dataDir`, through
 * `vacuumInto` (a connection to the live store running `VACUUM INTO` the file it is given), and returns
 * the file. The file is made empty and owner-only first: VACUUM INTO accepts an empty file and keeps its
 * mode, so the copy is never readable by others, not even for a moment.
 */
export const snapshotAnonymousStore = async (dataDir: string, vacuumInto: (file: string) => unknown): Promise<string> => {
  removeStaleSnapshots(dataDir);
  const file = join(dataDir, `.anonymous-snapshot-${process.pid}-${randomBytes(6).toString('hex')}.db`);
  closeSync(openSync(file, 'wx', 0o600));
  try {
    await vacuumInto(file);
    return file;
  } catch (error) {
    removeSnapshot(file);
    throw error;
  }
};

/** How many times a copy is taken again when a wave moved between the places while it was copied. */
const copyTries = 5;

/**
 * Runs `copy`, which reads both places of part two through `live` (a connection to anonymous.db with the
 * intake attached, when there is one) in more than one read, and runs it again when a wave left the
 * intake meanwhile: a wave moving from the intake to the archive between the reads could be missed in
 * both (the archive read before the move, the intake after). A move the other way is at worst seen
 * twice, which the readers skip (a row's random key is in both). `undo` cleans up a copy given up.
 */
export const copyBothPlaces = async <T>(live: Database.Database, withIntake: boolean, copy: () => Promise<T> | T, undo: (made: T) => void): Promise<T> => {
  // Which waves have part two in the intake: a move of one changes it.
  const intakeWaves = () =>
    withIntake
      ? JSON.stringify(
          live.prepare(`select wave_id from ${intakeSchema}.part_two_response union select wave_id from ${intakeSchema}.part_two_pass order by wave_id`).all(),
        )
      : '';
  for (let tries = 1; ; tries++) {
    const before = intakeWaves();
    const made = await copy();
    if (intakeWaves() === before) return made;
    undo(made);
    if (tries === copyTries) throw new Error(`the anonymous store changed while it was copied, ${copyTries} times in a row: try again`);
  }
};

/** A connection to the live anonymous store (read-only unless asked) with its intake attached when there is one. */
export const openBothPlaces = (dataDir: string, { readonly = true } = {}) => {
  const files = storeFiles(dataDir);
  const withIntake = existsSync(files.intake);
  const live = new Database(files.anonymous, { readonly, fileMustExist: true });
  try {
    live.pragma('busy_timeout = 5000');
    if (withIntake) live.prepare(`attach database ? as ${intakeSchema}`).run(files.intake);
  } catch (error) {
    live.close();
    throw error;
  }
  return { live, withIntake, intakeFile: files.intake };
};

/**
 * One private file with the committed part two of both places: `VACUUM INTO` of the archive, then the
 * intake's rows added (a row found in both, left there by a move cut short, once), taken again if a
 * wave left the intake meanwhile (`copyBothPlaces`).
 */
export const snapshotPartTwo = async (dataDir: string): Promise<string> => {
  const { live, withIntake, intakeFile } = openBothPlaces(dataDir);
  try {
    return await copyBothPlaces(
      live,
      withIntake,
      async () => {
        const file = await snapshotAnonymousStore(dataDir, (target) => live.prepare('vacuum into ?').run(target));
        try {
          if (withIntake) addIntake(file, intakeFile);
        } catch (error) {
          removeSnapshot(file);
          throw error;
        }
        return file;
      },
      removeSnapshot,
    );
  } finally {
    live.close();
  }
};

/**
 * The intake's rows added to the copy of the archive, in one transaction and in random order: no cell of
 * the copy then says which of them arrived first (that they are the open waves' is what their wave says
 * anyway), so the copy needs no second rewrite, which would cost what the archive holds.
 */
const addIntake = (file: string, intakeFile: string) => {
  const copy = new Database(file);
  try {
    copy.pragma('busy_timeout = 5000');
    copy.prepare(`attach database ? as ${intakeSchema}`).run(intakeFile);
    copy.transaction(() => {
      copy.exec(`insert into main.part_two_response (id, wave_id, answers)
        select id, wave_id, answers from ${intakeSchema}.part_two_response where true order by random() on conflict (id) do nothing`);
      copy.exec(`insert into main.part_two_pass (credential_hash, wave_id, spent, section, answers)
        select credential_hash, wave_id, spent, section, answers from ${intakeSchema}.part_two_pass where true order by random()
        on conflict (credential_hash) do update set spent = 1, section = null, answers = null where excluded.spent = 1`);
    })();
    copy.exec(`detach database ${intakeSchema}`);
  } finally {
    copy.close();
  }
};

/**
 * How `live` (a connection to anonymous.db) finds the rows of `waveIds` in its own part two: a condition
 * on `wave_id` with one parameter a wave. Through the index on wave_id each row is a lookup; when the
 * waves are a good part of the store (a quarter or more, as in a store of a few waves), reading every
 * row and skipping the others' costs less (measured at 200,000 rows: 1.9 s through the index, 1.0 s
 * reading everything).
 */
export const wavesCondition = (live: Database.Database, waveIds: readonly string[]): string => {
  const list = waveIds.map(() => '?').join(', ');
  const ofWaves = live
    .prepare(`select count(*) from main.part_two_response where wave_id in (${list})`)
    .pluck()
    .get(...waveIds) as number;
  // Whether the waves are a quarter of the store or more: the other waves' rows are counted only up to
  // three times theirs, so the question costs what the waves hold, not what the store holds.
  const others = live
    .prepare(`select count(*) from (select 1 from main.part_two_response where wave_id not in (${list}) limit ?)`)
    .pluck()
    .get(...waveIds, 3 * ofWaves + 1) as number;
  // A unary plus keeps SQLite from using the index on wave_id.
  return others <= 3 * ofWaves ? `+wave_id in (${list})` : `wave_id in (${list})`;
};

/** The tables of part two that readers query, copied with their own definitions so the store's queries run on a copy unchanged. */
const readerTables = ['part_two_response', 'part_two_pass', 'wave_data_version'] as const;

/**
 * One private file with the committed part two of `waveIds` alone, from both places (a row a move cut
 * short left in both, once): what those waves hold, and nothing of any other wave, so the copy costs
 * what the reader asked for, not what the store holds. The tables are made with the store's own
 * definitions; the answers are written in key order (their random ids), so nothing in the file follows
 * the order they arrived in, and no page is split on the way. A wave's data version comes along; no pass
 * (no draft) does: readers of a copy read answers. Taken again if a wave left the intake meanwhile
 * (`copyBothPlaces`).
 */
export const snapshotWaves = async (dataDir: string, waveIds: readonly string[]): Promise<string> => {
  const { live, withIntake } = openBothPlaces(dataDir, { readonly: false });
  try {
    const tables = readerTables.map(() => '?').join(', ');
    const definitions = live
      .prepare(`select sql from main.sqlite_schema where tbl_name in (${tables}) and sql is not null`)
      .pluck()
      .all(...readerTables) as string[];
    const pageSize = live.pragma('main.page_size', { simple: true }) as number;
    const list = waveIds.map(() => '?').join(', ');
    const ofWaves = wavesCondition(live, waveIds);
    // The intake's rows of the waves too; one a move cut short left in both places, once.
    const fromIntake = withIntake
      ? `union all select * from ${intakeSchema}.part_two_response i where i.wave_id in (${list})
         and not exists (select 1 from main.part_two_response m where m.id = i.id)`
      : '';
    return await copyBothPlaces(
      live,
      withIntake,
      () =>
        snapshotAnonymousStore(dataDir, (file) => {
          const copy = new Database(file);
          try {
            // The store's page size, before anything is written: a row of answers (over a kilobyte) does
            // not fit a 4 KiB page of a table without rowids, and each would take an overflow page of its
            // own (a copy three times the size, read thirteen times slower: measured at 200,000 rows).
            copy.pragma(`page_size = ${pageSize}`);
            for (const definition of definitions) copy.exec(definition);
          } finally {
            copy.close();
          }
          live.prepare('attach database ? as wave_copy').run(file);
          try {
            // A private file, unlinked once its reader opens it: no journal, no waiting for the disk.
            live.pragma('wave_copy.journal_mode = off');
            live.pragma('wave_copy.synchronous = off');
            // One read transaction over both places, as VACUUM INTO takes.
            live.transaction(() => {
              live
                .prepare(
                  `insert into wave_copy.part_two_response select * from (select * from main.part_two_response where ${ofWaves} ${fromIntake}) order by id`,
                )
                .run(...waveIds, ...(withIntake ? waveIds : []));
              live.prepare(`insert into wave_copy.wave_data_version select * from main.wave_data_version where wave_id in (${list})`).run(...waveIds);
            })();
          } finally {
            live.exec('detach database wave_copy');
          }
        }),
      removeSnapshot,
    );
  } finally {
    live.close();
  }
};

/**
 * Runs `work` on a private copy of the part two of `waveIds` (SQLite: `snapshotWaves`), so that it holds
 * no read transaction on the live file however long it takes, and copies no other wave's answers. On
 * PostgreSQL, `work` reads the store itself: there, a reader's snapshot (MVCC) does not stop the writer.
 */
export const withAnonymousSnapshot = async <T>(
  stores: Pick<Stores, 'anonymous' | 'location' | 'dialect'>,
  waveIds: readonly string[],
  work: (anonymous: Kysely<AnonymousDatabase>) => Promise<T>,
): Promise<T> => {
  if (stores.dialect !== 'sqlite') return work(stores.anonymous);
  const file = await snapshotWaves(stores.location, waveIds);
  let handle: Database.Database;
  try {
    handle = new Database(file, { fileMustExist: true });
  } finally {
    // The open connection reads on from the unlinked file (its journal mode is DELETE, so SQLite needs
    // no file beside it), and no copy of the answers stays on disk however the reader ends.
    removeSnapshot(file);
  }
  // The copy holds both places in its own tables; an empty intake in memory lets the store's queries,
  // which read both, run on it unchanged.
  handle.prepare(`attach database ':memory:' as ${intakeSchema}`).run();
  for (const table of ['part_two_response', 'part_two_pass', 'wave_data_version'])
    handle.exec(`create table ${intakeSchema}.${table} as select * from main.${table} where false`);
  const snapshot = new Kysely<AnonymousDatabase>({ dialect: new ChunkedSqliteDialect(handle) });
  try {
    return await work(snapshot);
  } finally {
    await snapshot.destroy();
  }
};
