import { chmodSync, mkdirSync } from 'node:fs';
import { join, resolve } from 'node:path';
import Database from 'better-sqlite3';
import { Kysely, sql } from 'kysely';
import { ChunkedSqliteDialect } from './chunked-sqlite-dialect.js';
import { intakeSchema } from './anonymous-store.js';
import { stopScrubRetries } from './arrival-scrub.js';
import type { AnonymousDatabase, IdentifiableDatabase } from './database.js';
import { migrateToLatest } from './migrate.js';
import { placePartTwoByWaveStatus } from './part-two-placement.js';
import { checkStoreSchema } from './schema-check.js';
import { checkSeparateDatabases, openPostgres } from './postgres-stores.js';
import { anonymousMigrations } from './migrations/anonymous/anonymous-migrations.js';
import { identifiableMigrations } from './migrations/identifiable/identifiable-migrations.js';
import { applyPragmas, checkPragmas, StoreStartupError } from './sqlite-pragmas.js';
import { withStatementCache } from './statement-cache.js';
import { CorruptPublishedDefinition, loadPublishedDefinitions } from './definition-store.js';
import { publishRetiredDefinitionsInUse } from './retired-definitions.js';

export interface Stores {
  readonly identifiable: Kysely<IdentifiableDatabase>;
  readonly anonymous: Kysely<AnonymousDatabase>;
  /** The data directory: the SQLite files, and on both dialects the server key. */
  readonly location: string;
  readonly dialect: 'sqlite' | 'postgres';
  close(): Promise<void>;
}

/**
 * The SQLite files of a data directory. `intake` is the anonymous store's intake (the open waves' part
 * two, anonymous-store.ts), attached to the anonymous store's connection.
 */
export const storeFiles = (dataDir: string) => ({
  identifiable: join(dataDir, 'identifiable.db'),
  anonymous: join(dataDir, 'anonymous.db'),
  intake: join(dataDir, 'anonymous-intake.db'),
});

/**
 * The page size of the anonymous stores' files. A part-two answer is a row of about a kilobyte or two of
 * JSON in a WITHOUT ROWID table, whose rows SQLite keeps whole in a page only up to about a quarter of
 * it: with 4 KiB pages each answer spilled into an overflow page of its own (4.3 KB stored per answer,
 * measured); with 8 KiB pages it fits (1.4 KB), and every rewrite, copy and backup reads and writes a
 * third as much.
 */
const anonymousPageSize = 8192;

/**
 * Gives a file the page size: at once when it is new; an existing one is rewritten (VACUUM, out of WAL
 * mode and back), which needs it to itself, so while another process has it open this waits for a
 * later opening.
 */
const preferPageSize = (handle: Database.Database, pageSize: number): void => {
  if (handle.pragma('page_size', { simple: true }) === pageSize) return;
  handle.pragma(`page_size = ${pageSize}`);
  if (handle.pragma('page_size', { simple: true }) === pageSize) return;
  let mode: string;
  try {
    mode = String(handle.pragma('journal_mode = DELETE', { simple: true })).toLowerCase();
  } catch (error) {
    // Another process has it open: not now.
    if (/^SQLITE_(BUSY|LOCKED)/.test(String((error as { code?: unknown }).code ?? ''))) return;
    throw error;
  }
  if (mode !== 'delete') return;
  try {
    handle.exec('vacuum');
  } finally {
    handle.pragma('journal_mode = WAL');
  }
};

const openSqlite = <DB>(file: string, label: string, pageSize?: number): Kysely<DB> => {
  let handle: Database.Database;
  try {
    handle = new Database(file);
    // Answers are for the service's eyes only; the WAL and shared-memory files inherit this mode.
    chmodSync(file, 0o600);
  } catch (error) {
    throw new StoreStartupError(`cannot open the ${label} store at ${file}: ${(error as Error).message}`);
  }
  try {
    if (pageSize !== undefined) preferPageSize(handle, pageSize);
    applyPragmas(handle);
    checkPragmas(handle, label);
  } catch (error) {
    handle.close();
    if (error instanceof StoreStartupError) throw error;
    throw new StoreStartupError(`cannot use the ${label} store at ${file}: ${(error as Error).message}`);
  }
  const db = new Kysely<DB>({ dialect: new ChunkedSqliteDialect(withStatementCache(handle)) });
  handles.set(db, handle);
  return db;
};

const handles = new WeakMap<object, Database.Database>();

/** Attaches the intake file (already checked and migrated on a connection of its own) to the anonymous store's connection. */
const attachIntake = (anonymous: Kysely<AnonymousDatabase>, file: string): void => {
  const handle = handles.get(anonymous)!;
  try {
    handle.prepare(`attach database ? as ${intakeSchema}`).run(file);
    applyPragmas(handle, intakeSchema);
    checkPragmas(handle, 'anonymous intake', intakeSchema);
  } catch (error) {
    if (error instanceof StoreStartupError) throw error;
    throw new StoreStartupError(`cannot use the anonymous intake store at ${file}: ${(error as Error).message}`);
  }
};

/**
 * `create schema if not exists` on PostgreSQL, for servers starting together: two such statements at once
 * can both find no schema and the second then fail on the catalogue's unique name; the schema is there
 * all the same, which is all that is asked.
 */
const ensureSchema = async (db: Kysely<any>, schema: string): Promise<void> => {
  try {
    await sql`create schema if not exists ${sql.id(schema)}`.execute(db);
  } catch (error) {
    const made = await sql<{ n: number }>`select count(*)::int as n from pg_namespace where nspname = ${schema}`.execute(db);
    if (Number(made.rows[0]?.n ?? 0) !== 1) throw error;
  }
};

export interface StoreOptions {
  readonly dataDir: string;
  /** PostgreSQL instead of SQLite: the identifiable store (default env DATABASE_URL). */
  readonly databaseUrl?: string;
  /** ... and the anonymous store, a database of its own (default env ANONYMOUS_DATABASE_URL). */
  readonly anonymousDatabaseUrl?: string;
}

/**
 * The one place that chooses the database dialect: SQLite files in the data directory, or two PostgreSQL
 * databases when DATABASE_URL is set. Either way the anonymous answers never share a database with
 * anything identifiable. The data directory is created on first use (it holds the server key).
 */
export const openStores = async ({
  dataDir,
  databaseUrl = process.env.DATABASE_URL || undefined,
  anonymousDatabaseUrl = process.env.ANONYMOUS_DATABASE_URL || undefined,
}: StoreOptions): Promise<Stores> => {
  const location = resolve(dataDir);
  try {
    mkdirSync(location, { recursive: true, mode: 0o700 });
  } catch (error) {
    throw new StoreStartupError(`cannot create the data directory ${location}: ${(error as Error).message}`);
  }
  if (anonymousDatabaseUrl && !databaseUrl) throw new StoreStartupError('ANONYMOUS_DATABASE_URL is set but DATABASE_URL is not: set both to use PostgreSQL');
  let identifiable: Kysely<IdentifiableDatabase>;
  let anonymous: Kysely<AnonymousDatabase>;
  // The intake on a connection of its own, for its schema check and migrations (the same as the anonymous
  // store's: it holds the same tables); closed once they are done.
  let intake: Kysely<AnonymousDatabase> | undefined;
  let dialect: Stores['dialect'];
  if (databaseUrl) {
    if (!anonymousDatabaseUrl)
      throw new StoreStartupError('DATABASE_URL is set but ANONYMOUS_DATABASE_URL is not: part two needs a PostgreSQL database of its own');
    checkSeparateDatabases(databaseUrl, anonymousDatabaseUrl);
    dialect = 'postgres';
    identifiable = await openPostgres<IdentifiableDatabase>(databaseUrl, 'identifiable');
    try {
      anonymous = await openPostgres<AnonymousDatabase>(anonymousDatabaseUrl, 'anonymous');
    } catch (error) {
      await identifiable.destroy();
      throw error;
    }
    try {
      await ensureSchema(anonymous, intakeSchema);
      intake = await openPostgres<AnonymousDatabase>(anonymousDatabaseUrl, 'anonymous', { searchPath: intakeSchema });
    } catch (error) {
      await identifiable.destroy();
      await anonymous.destroy();
      if (error instanceof StoreStartupError) throw error;
      throw new StoreStartupError(
        `cannot make the schema ${intakeSchema} in the anonymous PostgreSQL database (the database role needs CREATE on it): ${(error as Error).message}`,
      );
    }
  } else {
    dialect = 'sqlite';
    const files = storeFiles(location);
    identifiable = openSqlite<IdentifiableDatabase>(files.identifiable, 'identifiable');
    try {
      anonymous = openSqlite<AnonymousDatabase>(files.anonymous, 'anonymous', anonymousPageSize);
    } catch (error) {
      await identifiable.destroy();
      throw error;
    }
    try {
      intake = openSqlite<AnonymousDatabase>(files.intake, 'anonymous intake', anonymousPageSize);
    } catch (error) {
      await identifiable.destroy();
      await anonymous.destroy();
      throw error;
    }
  }
  const close = async () => {
    // A scrub retrying in the background stops here, before its connection goes (an attempt under way
    // ends first); the next server start scrubs whatever it left.
    await stopScrubRetries(anonymous);
    await intake?.destroy();
    await identifiable.destroy();
    await anonymous.destroy();
  };
  try {
    // Before migrating, against what the migrations it has already had make, so that nothing added to a
    // store runs during a migration; after, if any ran, against what they all make.
    const ledgerSchema = dialect === 'postgres' ? intakeSchema : undefined;
    const all = [
      [identifiable, identifiableMigrations, 'identifiable', undefined],
      [anonymous, anonymousMigrations, 'anonymous', undefined],
      [intake, anonymousMigrations, 'anonymous intake', ledgerSchema],
    ] as const;
    for (const [db, migrations, label] of all) await checkStoreSchema(db, migrations, label);
    for (const [db, migrations, label, schema] of all) {
      if ((await migrateToLatest(db, migrations, label, schema)) > 0) await checkStoreSchema(db, migrations, label);
    }
    await intake.destroy();
    intake = undefined;
    if (dialect === 'sqlite') attachIntake(anonymous, storeFiles(location).intake);
    // Each wave's part two where its status says: this finishes a move a crash cut short (rows in both
    // places), before any reader sees them twice.
    await placePartTwoByWaveStatus({ identifiable, anonymous });
    // The versions published in this store, for every synchronous look-up of a wave's definition
    // (survey-definitions/definition-registry.ts says why a registry).
    await loadPublishedDefinitions(identifiable);
    await publishRetiredDefinitionsInUse(identifiable, Date.now());
  } catch (error) {
    await close();
    if (error instanceof CorruptPublishedDefinition) throw new StoreStartupError(error.message);
    throw error;
  }
  return { identifiable, anonymous, location, dialect, close };
};
