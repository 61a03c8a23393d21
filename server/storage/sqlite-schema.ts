import Database from 'better-sqlite3';
import { Kysely, SqliteDialect, sql, type Migration } from 'kysely';
import {
  escapeControls,
  normaliseSql,
  objectKey,
  runMigrationsInto,
  schemaOf,
  shownName,
  type Schema,
  type SchemaObject,
  type SchemaRole,
} from './schema-description.js';

/**
 * A SQLite store's schema: every row of `sqlite_master` (type, name, table, SQL, which on SQLite is the
 * whole definition of a table, index, view or trigger) and every table's columns (`pragma table_xinfo`).
 * Nothing is left out by name: SQLite's own objects (`sqlite_sequence`, `sqlite_autoindex_*`) are made by
 * the migrations in the scratch database too, so they are compared like any other, and a look-alike (no
 * statement may create such a name, but the file's bytes can be edited) differs from them.
 */

interface MasterRow {
  type: string;
  name: string;
  tbl_name: string;
  sql: string | null;
}

interface ColumnRow {
  tbl: string;
  cid: number;
  name: string;
  type: string;
  notnull: number;
  dflt_value: string | null;
  pk: number;
  hidden: number;
}

const whatOf = ({ type, name, tbl_name }: MasterRow): string => {
  if (type === 'index' || type === 'trigger') return `${type} ${shownName(name)} on ${shownName(tbl_name)}`;
  if (type === 'table' || type === 'view') return `${type} ${shownName(name)}`;
  return `schema entry ${shownName(name)} of type ${shownName(type)}`;
};

const columnsSql = sql<ColumnRow>`select m.name as tbl, p.cid, p.name, p.type, p."notnull", p.dflt_value, p.pk, p.hidden
  from sqlite_master m join pragma_table_xinfo(m.name) p where m.type = 'table' order by m.name, p.cid`;

/** One query for all tables; table by table only when one cannot be read (a virtual table of an unknown module). */
const tableColumns = async (db: Kysely<any>, tables: readonly string[]) => {
  const unreadable = new Map<string, string>();
  try {
    return { rows: (await columnsSql.execute(db)).rows, unreadable };
  } catch {
    const rows: ColumnRow[] = [];
    for (const table of tables) {
      try {
        rows.push(...(await sql<ColumnRow>`select ${table} as tbl, * from pragma_table_xinfo(${table}) order by cid`.execute(db)).rows);
      } catch (error) {
        unreadable.set(table, (error as Error).message);
      }
    }
    return { rows, unreadable };
  }
};

export const describeSqliteStore = async (db: Kysely<any>): Promise<Schema> => {
  const master = (await sql<MasterRow>`select type, name, tbl_name, sql from sqlite_master`.execute(db)).rows;
  const roles: Record<string, SchemaRole> = { table: 'table', view: 'view', trigger: 'fires', index: 'part' };
  const objects: SchemaObject[] = master.map((row) => ({
    key: objectKey(row.type, row.name, row.type === 'index' || row.type === 'trigger' ? row.tbl_name : undefined),
    what: whatOf(row),
    // An index SQLite makes for a PRIMARY KEY or UNIQUE constraint has no SQL of its own.
    definition: `${row.tbl_name}: ${row.sql === null ? '(made by SQLite for a constraint)' : normaliseSql(row.sql)}`,
    role: roles[row.type] ?? 'other',
    name: row.name,
    table: row.tbl_name,
  }));
  const { rows, unreadable } = await tableColumns(
    db,
    master.filter((r) => r.type === 'table').map((r) => r.name),
  );
  for (const c of rows) {
    objects.push({
      key: objectKey('column', c.tbl, c.name),
      what: `column ${shownName(c.name)} in ${shownName(c.tbl)}`,
      definition: JSON.stringify({ position: c.cid, type: c.type, notNull: c.notnull, default: c.dflt_value, primaryKey: c.pk, hidden: c.hidden }),
      role: 'column',
      name: c.name,
      table: c.tbl,
    });
  }
  // Columns that cannot be compared differ from anything a migration makes.
  for (const [table, why] of unreadable) {
    objects.push({
      key: objectKey('unreadable columns', table),
      what: `table ${shownName(table)} whose columns cannot be read (${escapeControls(why)})`,
      definition: why,
      role: 'other',
      name: table,
    });
  }
  return schemaOf(objects);
};

const cache = new WeakMap<Record<string, Migration>, Map<string, Promise<Schema>>>();

/**
 * The schema the migrations `names` make (null: none, not even Kysely's tables), from an in-memory
 * database, once per process. ANALYZE is then run there too: the statistics tables it makes may appear in
 * a store at any time (an operator's ANALYZE), and are accepted only exactly as SQLite makes them.
 */
export const sqliteSchemaOf = (migrations: Record<string, Migration>, names: readonly string[] | null): Promise<Schema> => {
  let perStore = cache.get(migrations);
  if (!perStore) cache.set(migrations, (perStore = new Map()));
  const key = names === null ? '' : `[${names.join(',')}]`;
  let schema = perStore.get(key);
  if (!schema) {
    schema = build(migrations, names);
    perStore.set(key, schema);
    schema.catch(() => perStore.delete(key));
  }
  return schema;
};

const build = async (migrations: Record<string, Migration>, names: readonly string[] | null): Promise<Schema> => {
  const db = new Kysely<any>({ dialect: new SqliteDialect({ database: new Database(':memory:') }) });
  try {
    if (names !== null) await runMigrationsInto(db, migrations, names);
    const made = await describeSqliteStore(db);
    await sql`analyze`.execute(db);
    const analysed = await describeSqliteStore(db);
    return schemaOf([...analysed.values()].map((o) => (made.has(o.key) ? o : { ...o, optional: true })));
  } finally {
    await db.destroy();
  }
};
