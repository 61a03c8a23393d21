import { randomBytes } from 'node:crypto';
import { closeSync, openSync, readdirSync, rmSync } from 'node:fs';
import { join } from 'node:path';
import Database from 'better-sqlite3';
import { Kysely, SqliteDialect, sql } from 'kysely';
import type { AnonymousDatabase } from './database.js';
import type { Stores } from './open-stores.js';
import { alive } from './server-lock.js';

/**
 * Private copies of the anonymous store for readers that take longer than a moment (an export, the
 * research package, the tables, a backup). A read transaction held on the live file would keep the
 * server from emptying the WAL after each part-two answer, so these readers copy the committed state
 * with `VACUUM INTO` (one short read transaction) and read the copy at their own pace, however long
 * that takes (an export piped into a pager that nobody scrolls).
 *
 * VACUUM INTO writes the copy compactly in key order, so even a copy taken between a commit and its
 * scrub holds no arrival order. Copies live in the data directory, readable only by their owner, named
 * after the process that made them: `.anonymous-snapshot-PID-RANDOM.db`. A copy that is read through
 * SQLite is unlinked as soon as it is open, so it is gone however the reader ends; one left by a killed
 * process is removed by the next snapshot or server start.
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

/**
 * Runs `work` on a private copy of the anonymous store (SQLite), so that it holds no read transaction
 * on the live file however long it takes. On PostgreSQL, `work` reads the store itself: there, a
 * reader's snapshot (MVCC) does not stop the writer.
 */
export const withAnonymousSnapshot = async <T>(
  stores: Pick<Stores, 'anonymous' | 'location' | 'dialect'>,
  work: (anonymous: Kysely<AnonymousDatabase>) => Promise<T>,
): Promise<T> => {
  if (stores.dialect !== 'sqlite') return work(stores.anonymous);
  const file = await snapshotAnonymousStore(stores.location, (target) => sql`vacuum into ${target}`.execute(stores.anonymous));
  let handle: Database.Database;
  try {
    handle = new Database(file, { readonly: true, fileMustExist: true });
  } finally {
    // The open connection reads on from the unlinked file (its journal mode is DELETE, so SQLite needs
    // no file beside it), and no copy of the answers stays on disk however the reader ends.
    removeSnapshot(file);
  }
  const snapshot = new Kysely<AnonymousDatabase>({ dialect: new SqliteDialect({ database: handle }) });
  try {
    return await work(snapshot);
  } finally {
    await snapshot.destroy();
  }
};
