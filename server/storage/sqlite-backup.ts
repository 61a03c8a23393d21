import { once } from 'node:events';
import { createReadStream, createWriteStream, existsSync, mkdirSync, mkdtempSync, readFileSync, renameSync, rmSync } from 'node:fs';
import { basename, dirname, join } from 'node:path';
import Database from 'better-sqlite3';
import { Kysely, SqliteDialect, type Migration } from 'kysely';
import { Unzip, UnzipInflate, UnzipPassThrough, Zip, ZipPassThrough } from 'fflate';
import { anonymousMigrations } from './migrations/anonymous/anonymous-migrations.js';
import { identifiableMigrations } from './migrations/identifiable/identifiable-migrations.js';
import { removeSnapshot, snapshotPartTwo } from './anonymous-snapshot.js';
import { storeFiles } from './open-stores.js';
import { differencesText, schemaProblems } from './schema-check.js';
import { ZipDeflateEntry } from './zip-deflate-entry.js';

/**
 * Backups of a SQLite data directory as one zip file: `backup.json` (what made it and when) and a copy of
 * each store, each a consistent snapshot taken while the server keeps taking submissions (WAL: readers
 * never block the writer): the identifiable store with SQLite's online backup API, the anonymous store
 * (both its places, archive and intake, in one file) with VACUUM INTO (`snapshotPartTwo`). Restore
 * checks every file before it touches the data directory, and swaps the stores in only when both are
 * sound.
 */

export const backupFormat = 'cswo-survey-backup';
export const backupFormatVersion = 1;

const stores = ['identifiable', 'anonymous'] as const;
type StoreName = (typeof stores)[number];

const migrationsOf: Record<StoreName, Record<string, Migration>> = {
  identifiable: identifiableMigrations,
  anonymous: anonymousMigrations,
};

const known: Record<StoreName, readonly string[]> = {
  identifiable: Object.keys(identifiableMigrations),
  anonymous: Object.keys(anonymousMigrations),
};

export interface BackupManifest {
  readonly format: typeof backupFormat;
  readonly version: typeof backupFormatVersion;
  /** When the copies were taken (ISO 8601). */
  readonly created: string;
  /** The migrations each copy has, so a restore can refuse a backup from a newer version. */
  readonly migrations: Readonly<Record<StoreName, readonly string[]>>;
}

/** A backup or restore that cannot be done, said so that the user can act on it. */
export class BackupRefused extends Error {
  override name = 'BackupRefused';
}

const fileName = (store: StoreName) => `${store}.db`;

/**
 * Opens a copy read-only and checks it: `PRAGMA integrity_check` is ok, and its schema is exactly what its
 * migrations make (schema-check.ts: a trigger added to a copy would run on every write once restored);
 * returns the migrations it has.
 */
const checkCopy = async (file: string, store: StoreName, purpose: 'backup' | 'restore'): Promise<string[]> => {
  const where = purpose === 'restore' ? ' in the backup' : '';
  let db: Database.Database;
  try {
    db = new Database(file, { readonly: true, fileMustExist: true });
  } catch (error) {
    throw new BackupRefused(`the ${store} store${where} cannot be opened: ${(error as Error).message}`);
  }
  try {
    const check = db.pragma('integrity_check', { simple: true });
    if (check !== 'ok') throw new BackupRefused(`the ${store} store${where} fails SQLite's integrity check: ${String(check)}`);
    const hasTable = db.prepare("select 1 from sqlite_master where type = 'table' and name = 'kysely_migration'").get();
    if (!hasTable) throw new BackupRefused(`the ${store} store${where} is not a store of this platform (it has no migrations table)`);
    const migrations = (db.prepare('select name from kysely_migration order by name').all() as { name: string }[]).map((r) => r.name);
    const newer = migrations.filter((name) => !known[store].includes(name));
    if (newer.length > 0 && purpose === 'restore')
      throw new BackupRefused(`the backup was made by a newer version of the platform (${store} store migration ${newer.join(', ')}): upgrade first`);
    // Not destroyed: that would close the handle, which is closed below whatever happens.
    const problems = await schemaProblems(new Kysely<any>({ dialect: new SqliteDialect({ database: db }) }), migrationsOf[store]);
    const refusing = purpose === 'restore' ? 'refusing to restore it' : 'refusing to back it up (a restore would refuse it too)';
    if (problems.length > 0) throw new BackupRefused(`the ${store} store${where} ${differencesText(problems)}: ${refusing}`);
    return migrations;
  } catch (error) {
    if (error instanceof BackupRefused) throw error;
    throw new BackupRefused(`the ${store} store${where} cannot be read: ${(error as Error).message}`);
  } finally {
    db.close();
  }
};

/** Copies the live identifiable store with the online backup API into `target`; the copy is a consistent snapshot. */
const copyStore = async (source: string, target: string) => {
  const db = new Database(source, { readonly: true, fileMustExist: true });
  try {
    db.pragma('busy_timeout = 5000');
    // Everything in one step after the first: a step that runs while another connection writes is
    // restarted by SQLite, so large steps finish under load and each finished copy is one snapshot.
    await db.backup(target, { progress: () => 1 << 30 });
  } finally {
    db.close();
  }
};

/** Streams files into a zip at `out`, through a temporary file renamed at the end (never half a backup). */
const writeZip = async (out: string, entries: readonly { name: string; file?: string; text?: string }[]) => {
  const partial = join(dirname(out), `.${basename(out)}.${process.pid}.partial`);
  const sink = createWriteStream(partial, { mode: 0o600 });
  try {
    await new Promise<void>((resolve, reject) => {
      sink.once('error', reject);
      const zip = new Zip((error, chunk, final) => {
        if (error) return reject(error);
        sink.write(chunk);
        if (final) sink.end(() => resolve());
      });
      const addAll = async () => {
        for (const entry of entries) {
          if (entry.text !== undefined) {
            const member = new ZipPassThrough(entry.name);
            zip.add(member);
            member.push(new TextEncoder().encode(entry.text), true);
            continue;
          }
          const member = new ZipDeflateEntry(entry.name);
          zip.add(member);
          for await (const chunk of createReadStream(entry.file!)) {
            await member.push(chunk as Uint8Array);
            // The zip writes as it is fed: wait for the disk rather than hold a store in memory.
            if (sink.writableNeedDrain) await once(sink, 'drain');
          }
          await member.end();
        }
        zip.end();
      };
      addAll().catch(reject);
    });
    renameSync(partial, out);
  } catch (error) {
    sink.destroy();
    rmSync(partial, { force: true });
    throw error;
  }
};

/**
 * Backs up the two stores of `dataDir` into the zip `out`. Safe while the server runs: each store is
 * copied as a snapshot of committed transactions, so every submission acknowledged before the backup
 * started is in it. The server key is not included: it is a secret to keep apart from the data.
 */
export const backupStores = async (dataDir: string, out: string, now = new Date()): Promise<BackupManifest> => {
  const files = storeFiles(dataDir);
  for (const store of stores) {
    if (!existsSync(files[store])) throw new BackupRefused(`there is no ${store} store in ${dataDir}: nothing to back up`);
  }
  if (!existsSync(dirname(out))) throw new BackupRefused(`cannot write ${out}: no such directory`);
  // The copies are answers too, private and removed after: the identifiable one in a folder beside the
  // output, the anonymous one a snapshot file in the data directory (which the next snapshot or server
  // start removes if this process is killed).
  const work = mkdtempSync(join(dirname(out), '.cswo-backup-'));
  const copies = {} as Record<StoreName, string>;
  try {
    const migrations = {} as Record<StoreName, string[]>;
    for (const store of stores) {
      if (store === 'anonymous') {
        copies[store] = await snapshotPartTwo(dataDir);
        // A backup is kept: rewritten, it holds each answer once (the intake's rows added to the copy
        // split its pages, which keep copies of cells in their free space).
        const copy = new Database(copies[store]);
        try {
          copy.exec('vacuum');
        } finally {
          copy.close();
        }
      } else await copyStore(files[store], (copies[store] = join(work, fileName(store))));
      migrations[store] = await checkCopy(copies[store], store, 'backup');
    }
    const manifest: BackupManifest = { format: backupFormat, version: backupFormatVersion, created: now.toISOString(), migrations };
    await writeZip(out, [
      { name: 'backup.json', text: `${JSON.stringify(manifest, null, 2)}\n` },
      ...stores.map((store) => ({ name: fileName(store), file: copies[store] })),
    ]);
    return manifest;
  } finally {
    if (copies.anonymous) removeSnapshot(copies.anonymous);
    rmSync(work, { recursive: true, force: true });
  }
};

/** Unzips a backup into `work`, streaming, accepting exactly the files a backup has. */
const unzipBackup = async (file: string, work: string): Promise<void> => {
  const expected = new Set(['backup.json', ...stores.map(fileName)]);
  const seen = new Set<string>();
  const writes: Promise<void>[] = [];
  let refused: Error | undefined;
  const unzip = new Unzip((entry) => {
    if (!expected.has(entry.name) || seen.has(entry.name)) {
      refused ??= new BackupRefused(`${file} is not a backup of this platform: it holds an unexpected file "${entry.name}"`);
      return;
    }
    seen.add(entry.name);
    const sink = createWriteStream(join(work, entry.name), { mode: 0o600 });
    writes.push(
      new Promise<void>((resolve, reject) => {
        sink.once('error', reject);
        entry.ondata = (error, chunk, final) => {
          if (error) return reject(error);
          sink.write(chunk);
          if (final) sink.end(() => resolve());
        };
        entry.start();
      }),
    );
  });
  unzip.register(UnzipInflate);
  unzip.register(UnzipPassThrough);
  try {
    for await (const chunk of createReadStream(file)) unzip.push(chunk as Uint8Array);
    unzip.push(new Uint8Array(0), true);
    await Promise.all(writes);
  } catch (error) {
    throw new BackupRefused(`${file} is not a readable backup: ${(error as Error).message}`);
  }
  if (refused) throw refused;
  if (seen.size === 0) throw new BackupRefused(`${file} is not a readable backup: it is not a zip file holding a backup's files`);
  const missing = [...expected].filter((name) => !seen.has(name));
  if (missing.length > 0) throw new BackupRefused(`${file} is not a complete backup: ${missing.join(', ')} missing`);
};

const readManifest = (file: string, source: string): BackupManifest => {
  let manifest: Partial<BackupManifest>;
  try {
    manifest = JSON.parse(readFileSync(file, 'utf8')) as Partial<BackupManifest>;
  } catch {
    throw new BackupRefused(`${source} is not a backup of this platform: its backup.json is not JSON`);
  }
  if (manifest.format !== backupFormat) throw new BackupRefused(`${source} is not a backup of this platform (format "${String(manifest.format)}")`);
  if (manifest.version !== backupFormatVersion)
    throw new BackupRefused(`${source} is a version ${String(manifest.version)} backup; this platform reads version ${backupFormatVersion}`);
  return manifest as BackupManifest;
};

export interface RestoreOptions {
  /** Replace stores already in the data directory (they are removed once the backup is in place). */
  readonly replace?: boolean;
}

/**
 * Restores a backup into `dataDir`. Everything is checked first (the zip's files, the manifest, each
 * store's integrity, migrations and schema); only then are the stores moved in, each by a rename. A data
 * directory that holds stores is refused unless `replace` is given.
 */
export const restoreStores = async (backupFile: string, dataDir: string, { replace = false }: RestoreOptions = {}): Promise<BackupManifest> => {
  if (!existsSync(backupFile)) throw new BackupRefused(`there is no backup file ${backupFile}`);
  const files = storeFiles(dataDir);
  const present = stores.filter((store) => existsSync(files[store]));
  if (present.length > 0 && !replace) {
    throw new BackupRefused(
      `${dataDir} already holds stores (${present.map(fileName).join(', ')}): restore into an empty directory, or add --replace to overwrite them`,
    );
  }
  mkdirSync(dataDir, { recursive: true, mode: 0o700 });
  const work = mkdtempSync(join(dataDir, '.cswo-restore-'));
  try {
    await unzipBackup(backupFile, work);
    const manifest = readManifest(join(work, 'backup.json'), backupFile);
    for (const store of stores) await checkCopy(join(work, fileName(store)), store, 'restore');
    // The old intake belongs to the old anonymous store (a backup's copy holds both places); the next
    // start moves the open waves' part two back into a new one.
    for (const suffix of ['', '-wal', '-shm', '-journal']) rmSync(`${files.intake}${suffix}`, { force: true });
    // The old stores' WAL and shared memory belong to them: left beside the new files they would be
    // read as the new files' own.
    for (const store of stores) {
      for (const suffix of ['-wal', '-shm', '-journal']) rmSync(`${files[store]}${suffix}`, { force: true });
      renameSync(join(work, fileName(store)), files[store]);
    }
    return manifest;
  } finally {
    rmSync(work, { recursive: true, force: true });
  }
};
