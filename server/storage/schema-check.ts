import { sql, type Kysely, type Migration } from 'kysely';
import { isSqlite } from './dialect-of.js';
import { describePostgresStore, postgresSchemaOf } from './postgres-schema.js';
import { describeSqliteStore, sqliteSchemaOf } from './sqlite-schema.js';
import { StoreStartupError } from './sqlite-pragmas.js';
import { migrationTable, objectKey, schemaOf, shownName, type Schema, type SchemaObject } from './schema-description.js';

export type { Schema, SchemaObject };

/**
 * The schema check: a store must hold exactly the tables, columns, indexes, triggers, views (and on
 * PostgreSQL functions, rules, policies and the rest) that its migrations make, nothing more, nothing
 * less, nothing altered. A trigger added to a copy of `anonymous.db` would otherwise run on every write,
 * and could record when each part-two answer arrived, which nothing else in the store does.
 *
 * The expected schema is not a list kept by hand: it is made at run time by running the store's own
 * migrations into a scratch database (SQLite in memory) or a scratch schema (PostgreSQL, rolled back),
 * so a new migration is checked as soon as it exists, and a store at an older migration level is
 * compared with what those older migrations make.
 */

const article = (what: string) => (/^[aeiou]/i.test(what) ? 'an' : 'a');

const isContainer = (o: SchemaObject) => o.role === 'table' || o.role === 'view';
const rank = (o: SchemaObject) => (o.role === 'fires' ? 0 : o.role === 'code' || o.role === 'view' ? 1 : 2);
const byActingFirst = (a: SchemaObject, b: SchemaObject) => rank(a) - rank(b);

/**
 * Each difference as a phrase that follows "the anonymous store ...": extra objects first (triggers and
 * the like first among them: that is the attack), then altered, then missing ones. The columns and parts
 * of an extra or missing table go with it rather than one by one; a changed column is named instead of
 * its table.
 */
export const schemaDifferences = (expected: Schema, actual: Schema): string[] => {
  const extra = [...actual.values()].filter((o) => !expected.has(o.key));
  const missing = [...expected.values()].filter((o) => !actual.has(o.key) && !o.optional);
  const altered = [...actual.values()].filter((o) => expected.has(o.key) && expected.get(o.key)!.definition !== o.definition);
  const withTable = (objects: SchemaObject[]) => {
    const containers = new Set(objects.filter(isContainer).map((o) => o.name));
    return objects.filter((o) => isContainer(o) || !(o.role === 'column' || o.role === 'part') || !containers.has(o.table!));
  };
  const columnChanges = new Set([...extra, ...missing, ...altered].filter((o) => o.role === 'column').map((o) => o.table));
  return [
    ...withTable(extra)
      .sort(byActingFirst)
      .map((o) => `holds ${article(o.what)} ${o.what} that this platform does not make`),
    ...altered
      .filter((o) => !(o.role === 'table' && columnChanges.has(o.name)))
      .sort(byActingFirst)
      .map((o) => `holds ${article(o.what)} ${o.what} that is not as this platform makes it`),
    ...withTable(missing).map((o) => `lacks the ${o.what} that this platform makes`),
  ];
};

/** Up to three differences in one line, and how many more there are. */
export const differencesText = (differences: readonly string[]): string => {
  const shown = differences.slice(0, 3).join('; it ');
  const more = differences.length - 3;
  return more > 0 ? `${shown}; and ${more} more difference${more === 1 ? '' : 's'}` : shown;
};

/** The migrations a store records as applied, which must be the first of this version's, in order. */
const migrationLevelProblems = (migrations: Record<string, Migration>, applied: readonly string[]): string[] => {
  const known = Object.keys(migrations).sort();
  for (const [index, name] of applied.entries()) {
    if (!known.includes(name))
      return [`records migration ${shownName(name)}, which this version of the platform does not have (made by a newer version, or by something else)`];
    if (known[index] !== name) return [`records migration ${shownName(name)} without ${known[index]} before it`];
  }
  return [];
};

const describeStore = (db: Kysely<any>): Promise<Schema> => (isSqlite(db) ? describeSqliteStore(db) : describePostgresStore(db));

/** The schema `names` make, from a scratch database; null: a store that has never been migrated. */
const expectedSchema = (db: Kysely<any>, migrations: Record<string, Migration>, names: readonly string[] | null): Promise<Schema> =>
  isSqlite(db) ? sqliteSchemaOf(migrations, names) : postgresSchemaOf(db, migrations, names);

const readApplied = async (db: Kysely<any>): Promise<string[]> =>
  (await sql<{ name: string }>`select name from ${sql.table(migrationTable)} order by name`.execute(db)).rows.map((r) => r.name);

const onlyLedger = (schema: Schema): Schema => schemaOf([...schema.values()].filter((o) => o.table === migrationTable || o.table === `${migrationTable}_lock`));

/**
 * One consistent view of the store: a migration committed meanwhile (another server starting beside
 * this one) is seen whole or not at all, and the migration names read belong to the schema read.
 */
const inSnapshot = <T>(db: Kysely<any>, work: (trx: Kysely<any>) => Promise<T>): Promise<T> =>
  isSqlite(db) ? db.transaction().execute(work) : db.transaction().setIsolationLevel('repeatable read').setAccessMode('read only').execute(work);

/**
 * What is wrong with a store's schema, as phrases following "the anonymous store ..."; none when it is
 * exactly what its recorded migrations make. Reads the catalogue and the migration names, never a row
 * of answers.
 */
export const schemaProblems = (db: Kysely<any>, migrations: Record<string, Migration>): Promise<string[]> =>
  inSnapshot(db, async (trx) => {
    const actual = await describeStore(trx);
    // The scratch schemas are made through `db`: on PostgreSQL another connection of its pool.
    if (!actual.has(objectKey('table', migrationTable))) return schemaDifferences(await expectedSchema(db, migrations, null), actual);
    // Its names are read only once it is known to be Kysely's own table: on PostgreSQL a view or a row
    // policy in its place could run code when read. Kysely makes the same table whatever the migrations,
    // and a store is usually up to date, so the schema of all of them is the one to build (once).
    const ledger = schemaDifferences(onlyLedger(await expectedSchema(db, migrations, Object.keys(migrations).sort())), onlyLedger(actual));
    if (ledger.length > 0) return ledger;
    const applied = await readApplied(trx);
    const level = migrationLevelProblems(migrations, applied);
    if (level.length > 0) return level;
    return schemaDifferences(await expectedSchema(db, migrations, applied), actual);
  });

const oneLine = (text: string) => text.replace(/\s*\n\s*/g, ' ');

/** Refuses to open a store whose schema is not exactly what its migrations make, naming what differs. */
export const checkStoreSchema = async (db: Kysely<any>, migrations: Record<string, Migration>, label: string): Promise<void> => {
  let problems: string[];
  try {
    problems = await schemaProblems(db, migrations);
  } catch (error) {
    if (error instanceof StoreStartupError) throw error;
    throw new StoreStartupError(`cannot check the schema of the ${label} store: ${oneLine((error as Error).message)}`);
  }
  if (problems.length > 0) throw new StoreStartupError(`the ${label} store ${differencesText(problems)}: refusing to open it`);
};
