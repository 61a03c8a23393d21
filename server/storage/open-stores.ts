import { chmodSync, mkdirSync } from 'node:fs';
import { join, resolve } from 'node:path';
import Database from 'better-sqlite3';
import { Kysely, SqliteDialect } from 'kysely';
import type { AnonymousDatabase, IdentifiableDatabase } from './database.js';
import { migrateToLatest } from './migrate.js';
import { anonymousMigrations } from './migrations/anonymous/anonymous-migrations.js';
import { identifiableMigrations } from './migrations/identifiable/identifiable-migrations.js';
import { applyPragmas, checkPragmas, StoreStartupError } from './sqlite-pragmas.js';

export interface Stores {
  readonly identifiable: Kysely<IdentifiableDatabase>;
  readonly anonymous: Kysely<AnonymousDatabase>;
  /** Where the files live, for messages. */
  readonly location: string;
  close(): Promise<void>;
}

export const storeFiles = (dataDir: string) => ({
  identifiable: join(dataDir, 'identifiable.db'),
  anonymous: join(dataDir, 'anonymous.db'),
});

const openSqlite = <DB>(file: string, label: string): Kysely<DB> => {
  let handle: Database.Database;
  try {
    handle = new Database(file);
    // Answers are for the service's eyes only; the WAL and shared-memory files inherit this mode.
    chmodSync(file, 0o600);
  } catch (error) {
    throw new StoreStartupError(`cannot open the ${label} store at ${file}: ${(error as Error).message}`);
  }
  try {
    applyPragmas(handle);
    checkPragmas(handle, label);
  } catch (error) {
    handle.close();
    if (error instanceof StoreStartupError) throw error;
    throw new StoreStartupError(`cannot use the ${label} store at ${file}: ${(error as Error).message}`);
  }
  return new Kysely<DB>({ dialect: new SqliteDialect({ database: handle }) });
};

/**
 * The one place that chooses the database dialect. The data directory is created on first use and
 * holds two separate files, so the anonymous answers never share a database with anything identifiable.
 */
export const openStores = async ({ dataDir }: { dataDir: string }): Promise<Stores> => {
  const location = resolve(dataDir);
  try {
    mkdirSync(location, { recursive: true, mode: 0o700 });
  } catch (error) {
    throw new StoreStartupError(`cannot create the data directory ${location}: ${(error as Error).message}`);
  }
  const files = storeFiles(location);
  const identifiable = openSqlite<IdentifiableDatabase>(files.identifiable, 'identifiable');
  let anonymous: Kysely<AnonymousDatabase>;
  try {
    anonymous = openSqlite<AnonymousDatabase>(files.anonymous, 'anonymous');
  } catch (error) {
    await identifiable.destroy();
    throw error;
  }
  const close = async () => {
    await identifiable.destroy();
    await anonymous.destroy();
  };
  try {
    await migrateToLatest(identifiable, identifiableMigrations, 'identifiable');
    await migrateToLatest(anonymous, anonymousMigrations, 'anonymous');
  } catch (error) {
    await close();
    throw error;
  }
  return { identifiable, anonymous, location, close };
};
