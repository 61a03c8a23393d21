import { Migrator, type Kysely, type Migration } from 'kysely';

/** What the schema check compares: each object of a store's schema, described the same way on both sides. */

/**
 * How an object is reported: a table or view holds columns and parts (indexes, constraints, its row
 * type), which are not listed again when it is itself extra or missing. What fires on a write by itself
 * (a trigger, a rule, a row policy, a publication) is listed first, then code that runs when called
 * (functions, views): that is what could act on an answer.
 */
export type SchemaRole = 'table' | 'view' | 'column' | 'part' | 'fires' | 'code' | 'other';

export interface SchemaObject {
  /** Kind and raw names: two objects are the same object when their keys are equal. */
  readonly key: string;
  /** What it is, as a message names it: `trigger part_two_arrival on part_two_response`. */
  readonly what: string;
  /** Everything about it that changes what it does, normalised so that one migration gives one text. */
  readonly definition: string;
  readonly role: SchemaRole;
  /** Its raw name, and the table (or view) it belongs to: its own name for a table or view. */
  readonly name: string;
  readonly table?: string;
  /** The database may make it itself at any time (SQLite's statistics tables): absent is fine, different is not. */
  readonly optional?: boolean;
}

export type Schema = ReadonlyMap<string, SchemaObject>;

export const schemaOf = (objects: Iterable<SchemaObject>): Schema => new Map([...objects].map((o) => [o.key, o]));

/**
 * The key of an object: its kind and raw names, so that two names a message would show alike stay two
 * objects. Missing trailing parts are left out: `objectKey('table', t)` is the key of table t on both dialects.
 */
export const objectKey = (...parts: readonly (string | null | undefined)[]): string => {
  const given = [...parts];
  while (given.length > 0 && (given.at(-1) === null || given.at(-1) === undefined)) given.pop();
  return JSON.stringify(given.map((p) => p ?? null));
};

/** The migration bookkeeping table Kysely keeps in every store. */
export const migrationTable = 'kysely_migration';

/** Whitespace only: reformatting a migration's source must not make its released stores look altered. */
export const normaliseSql = (text: string | null | undefined): string => (text ?? '').replace(/\s+/g, ' ').trim();

/**
 * A name as a message may show it: names come from the store, which may be hostile, so anything but a
 * plain identifier is quoted with its control characters escaped, and a long one is cut.
 */
export const shownName = (name: string): string => {
  const cut = name.length > 80 ? `${name.slice(0, 80)}...` : name;
  return /^[A-Za-z0-9_$][A-Za-z0-9_$-]*$/.test(cut) ? cut : escapeControls(JSON.stringify(cut));
};

/** Runs the first migrations (by name, as the Migrator orders them) into a scratch database. */
export const runMigrationsInto = async (
  db: Kysely<any>,
  migrations: Record<string, Migration>,
  names: readonly string[],
  options: { schema?: string } = {},
) => {
  const subset = Object.fromEntries(names.map((name) => [name, migrations[name]!]));
  const migrator = new Migrator({
    db,
    provider: { getMigrations: async () => subset },
    // The scratch schema on PostgreSQL: Kysely otherwise finds the store's own bookkeeping tables.
    ...(options.schema ? { migrationTableSchema: options.schema, disableTransactions: true } : {}),
  });
  const { error, results } = await migrator.migrateToLatest();
  const failed = results?.find((r) => r.status === 'Error');
  if (error || failed) {
    throw new Error(`migration ${failed?.migrationName ?? ''} did not run into a scratch database: ${error instanceof Error ? error.message : String(error)}`);
  }
};

/** Control characters (and the line separators some terminals honour) escaped, so a message stays one line. */
export const escapeControls = (text: string): string =>
  text.replace(/[\u0000-\u001f\u007f-\u009f\u2028\u2029]/g, (c) => `\\u${c.charCodeAt(0).toString(16).padStart(4, '0')}`);
