import { randomBytes } from 'node:crypto';
import { sql, type Kysely, type Migration, type RawBuilder } from 'kysely';
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
 * A PostgreSQL store's schema, from the catalogue: in the app's schema (the first of its search path)
 * every relation (tables, indexes, sequences, views: with access method, row security and options), every
 * column, constraint, trigger (those PostgreSQL makes for foreign keys by the constraint and the function
 * they call, since their names hold object ids), function and procedure, rule, row policy, type,
 * operator and the like, and any publication of its tables; in every other schema on the search path,
 * anything at all, since the app's unqualified names could be made to resolve there. Names of the schema
 * itself are taken out of definitions, so a scratch schema's objects compare with the store's.
 */

interface Row {
  kind: string;
  name: string;
  tbl: string | null;
  definition: string | null;
}

const relations = (schema: string) => sql<Row>`
  select c.relname as name,
    case c.relkind when 'r' then 'table' when 'i' then 'index' when 'S' then 'sequence' when 'v' then 'view'
      when 'm' then 'materialized view' when 'c' then 'composite type' when 'f' then 'foreign table'
      when 'p' then 'partitioned table' when 'I' then 'partitioned index' else 'relation of kind ' || c.relkind::text end as kind,
    case when c.relkind in ('i', 'I') then t.relname else c.relname end as tbl,
    concat_ws(' | ', 'persistence ' || c.relpersistence::text, 'access method ' || am.amname,
      'row security ' || c.relrowsecurity::text || ' forced ' || c.relforcerowsecurity::text, 'replica identity ' || c.relreplident::text,
      'options ' || array_to_string(c.reloptions, ','), case when c.reloftype <> 0 then 'of type ' || format_type(c.reloftype, null) end,
      case when c.relispartition then 'partition ' || pg_get_expr(c.relpartbound, c.oid) end,
      case when c.relkind in ('v', 'm') then pg_get_viewdef(c.oid) when c.relkind in ('i', 'I') then pg_get_indexdef(c.oid) end) as definition
  from pg_class c
  join pg_namespace n on n.oid = c.relnamespace
  left join pg_am am on am.oid = c.relam
  left join pg_index x on x.indexrelid = c.oid
  left join pg_class t on t.oid = x.indrelid
  where n.nspname = ${schema}`;

const columns = (schema: string) => sql<Row>`
  select 'column' as kind, a.attname as name, c.relname as tbl,
    concat_ws(' | ', format_type(a.atttypid, a.atttypmod), case when a.attnotnull then 'not null' end,
      'default ' || pg_get_expr(d.adbin, d.adrelid), case when a.attidentity <> '' then 'identity ' || a.attidentity::text end,
      case when a.attgenerated <> '' then 'generated ' || a.attgenerated::text end,
      case when a.attcollation <> ty.typcollation then 'collate ' || co.collname end,
      case when pk.indrelid is not null then 'primary key' end) as definition
  from pg_attribute a
  join pg_class c on c.oid = a.attrelid
  join pg_namespace n on n.oid = c.relnamespace
  join pg_type ty on ty.oid = a.atttypid
  left join pg_attrdef d on d.adrelid = a.attrelid and d.adnum = a.attnum
  left join pg_collation co on co.oid = a.attcollation
  left join pg_index pk on pk.indrelid = c.oid and pk.indisprimary and a.attnum = any(pk.indkey)
  where n.nspname = ${schema} and c.relkind in ('r', 'p', 'v', 'm', 'f', 'c') and a.attnum > 0 and not a.attisdropped`;

const constraints = (schema: string) => sql<Row>`
  select 'constraint' as kind, co.conname as name, coalesce(c.relname, ty.typname) as tbl,
    concat_ws(' | ', co.contype::text, pg_get_constraintdef(co.oid), case when not co.convalidated then 'not valid' end) as definition
  from pg_constraint co
  join pg_namespace n on n.oid = co.connamespace
  left join pg_class c on c.oid = co.conrelid
  left join pg_type ty on ty.oid = co.contypid
  where n.nspname = ${schema}`;

/** Triggers made by a statement are compared whole; those PostgreSQL makes for a constraint, by what they call. */
const triggers = (schema: string) => sql<Row & { internal: boolean; fn: string; constraint: string | null }>`
  select 'trigger' as kind, tg.tgname as name, c.relname as tbl, tg.tgisinternal as internal, p.proname as fn, co.conname as constraint,
    case when tg.tgisinternal then concat_ws(' ', pn.nspname || '.' || p.proname, 'type ' || tg.tgtype::text) else pg_get_triggerdef(tg.oid) end
      || ' | enabled ' || tg.tgenabled::text as definition
  from pg_trigger tg
  join pg_class c on c.oid = tg.tgrelid
  join pg_namespace n on n.oid = c.relnamespace
  join pg_proc p on p.oid = tg.tgfoid
  join pg_namespace pn on pn.oid = p.pronamespace
  left join pg_constraint co on co.oid = tg.tgconstraint
  where n.nspname = ${schema}`;

const routines = (schema: string) => sql<Row & { args: string }>`
  select case p.prokind when 'f' then 'function' when 'p' then 'procedure' when 'a' then 'aggregate'
      when 'w' then 'window function' else 'routine of kind ' || p.prokind::text end as kind,
    p.proname as name, null as tbl, pg_get_function_identity_arguments(p.oid) as args,
    case when p.prokind = 'a' then p.prosrc else pg_get_functiondef(p.oid) end as definition
  from pg_proc p
  join pg_namespace n on n.oid = p.pronamespace
  where n.nspname = ${schema}`;

/** A view's own `_RETURN` rule is its definition, compared with the view. */
const rules = (schema: string) => sql<Row>`
  select 'rule' as kind, r.rulename as name, c.relname as tbl, pg_get_ruledef(r.oid) || ' | enabled ' || r.ev_enabled::text as definition
  from pg_rewrite r
  join pg_class c on c.oid = r.ev_class
  join pg_namespace n on n.oid = c.relnamespace
  where n.nspname = ${schema} and not (r.rulename = '_RETURN' and c.relkind in ('v', 'm'))`;

const policies = (schema: string) => sql<Row>`
  select 'policy' as kind, po.polname as name, c.relname as tbl,
    concat_ws(' | ', po.polcmd::text, case when po.polpermissive then 'permissive' else 'restrictive' end,
      'to ' || (select string_agg(case when r = 0 then 'public' else pg_get_userbyid(r)::text end, ',' order by 1) from unnest(po.polroles) r),
      'using ' || pg_get_expr(po.polqual, po.polrelid), 'with check ' || pg_get_expr(po.polwithcheck, po.polrelid)) as definition
  from pg_policy po
  join pg_class c on c.oid = po.polrelid
  join pg_namespace n on n.oid = c.relnamespace
  where n.nspname = ${schema}`;

/** A table's row type and its array type belong to the table. */
const types = (schema: string) => sql<Row>`
  select 'type' as kind, t.typname as name, coalesce(rc.relname, erc.relname) as tbl,
    concat_ws(' | ', t.typtype::text, case when t.typtype = 'd' then format_type(t.typbasetype, t.typtypmod) end,
      t.typinput::text || ' ' || t.typoutput::text || ' ' || t.typreceive::text || ' ' || t.typsend::text) as definition
  from pg_type t
  join pg_namespace n on n.oid = t.typnamespace
  left join pg_class rc on rc.oid = t.typrelid
  left join pg_type e on e.oid = t.typelem
  left join pg_class erc on erc.oid = e.typrelid
  where n.nspname = ${schema}`;

/** Everything else a schema can hold; none of it is made by a migration today, so by name is enough. */
const others = (schema: string) => sql<Row>`
  select 'operator' as kind, o.oprname || '(' || coalesce(format_type(o.oprleft, null), 'none') || ', ' || coalesce(format_type(o.oprright, null), 'none') || ')' as name, null as tbl, o.oprcode::text as definition
    from pg_operator o join pg_namespace n on n.oid = o.oprnamespace where n.nspname = ${schema}
  union all select 'operator class', x.opcname::text, null, null from pg_opclass x join pg_namespace n on n.oid = x.opcnamespace where n.nspname = ${schema}
  union all select 'operator family', x.opfname::text, null, null from pg_opfamily x join pg_namespace n on n.oid = x.opfnamespace where n.nspname = ${schema}
  union all select 'collation', x.collname::text, null, null from pg_collation x join pg_namespace n on n.oid = x.collnamespace where n.nspname = ${schema}
  union all select 'conversion', x.conname::text, null, null from pg_conversion x join pg_namespace n on n.oid = x.connamespace where n.nspname = ${schema}
  union all select 'text search configuration', x.cfgname::text, null, null from pg_ts_config x join pg_namespace n on n.oid = x.cfgnamespace where n.nspname = ${schema}
  union all select 'text search dictionary', x.dictname::text, null, null from pg_ts_dict x join pg_namespace n on n.oid = x.dictnamespace where n.nspname = ${schema}
  union all select 'text search parser', x.prsname::text, null, null from pg_ts_parser x join pg_namespace n on n.oid = x.prsnamespace where n.nspname = ${schema}
  union all select 'text search template', x.tmplname::text, null, null from pg_ts_template x join pg_namespace n on n.oid = x.tmplnamespace where n.nspname = ${schema}
  union all select 'statistics object', x.stxname::text, null, null from pg_statistic_ext x join pg_namespace n on n.oid = x.stxnamespace where n.nspname = ${schema}
  union all select 'extension', x.extname::text, null, x.extversion from pg_extension x join pg_namespace n on n.oid = x.extnamespace where n.nspname = ${schema}
  union all select 'publication', p.pubname::text, p.tablename::text, null from pg_publication_tables p where p.schemaname = ${schema}`;

const whatOf = (kind: string, name: string, tbl: string | null, args?: string) => {
  const shown = args === undefined ? shownName(name) : `${shownName(name)}(${escapeControls(args)})`;
  if (kind === 'column') return `column ${shown} in ${shownName(tbl ?? '')}`;
  if (kind === 'publication') return `publication ${shown} of ${shownName(tbl ?? '')}`;
  if (kind === 'operator') return `operator ${escapeControls(name)}`;
  const own = tbl !== null && tbl !== name && !/^(table|partitioned table|view|materialized view|foreign table|composite type|sequence)$/.test(kind);
  return own ? `${escapeControls(kind)} ${shown} on ${shownName(tbl)}` : `${escapeControls(kind)} ${shown}`;
};

/** `schema.` (as PostgreSQL would quote it) taken out of a definition, wherever it qualifies a name. */
const unqualifier = (quoted: string) => {
  const escaped = quoted.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
  const pattern = new RegExp(`(^|[^A-Za-z0-9_$"])${escaped}\\.`, 'g');
  return (text: string | null) => normaliseSql((text ?? '').replace(pattern, '$1'));
};

const run = async <R>(db: Kysely<any>, query: RawBuilder<R>) => (await query.execute(db)).rows;

const relationRoles: Record<string, SchemaRole> = {
  table: 'table',
  'partitioned table': 'table',
  'foreign table': 'table',
  'composite type': 'table',
  view: 'view',
  'materialized view': 'view',
  index: 'part',
  'partitioned index': 'part',
};

/** The objects of one schema; the caller has set the search path to it, so the catalogue's texts name its objects bare. */
const describeSchema = async (db: Kysely<any>, schema: string): Promise<SchemaObject[]> => {
  const quoted = (await sql<{ q: string }>`select quote_ident(${schema}) as q`.execute(db)).rows[0]!.q;
  const bare = unqualifier(quoted);
  const objects: SchemaObject[] = [];
  const add = (row: Row, role: SchemaRole) =>
    objects.push({
      key: objectKey(row.kind, row.name, row.tbl === row.name ? null : row.tbl),
      what: whatOf(row.kind, row.name, row.tbl),
      definition: bare(row.definition),
      role,
      name: row.name,
      ...(row.tbl !== null ? { table: row.tbl } : {}),
    });
  for (const row of await run(db, relations(schema))) add(row, relationRoles[row.kind] ?? 'other');
  for (const row of await run(db, columns(schema))) add(row, 'column');
  for (const row of await run(db, constraints(schema))) add(row, 'part');
  for (const row of await run(db, rules(schema))) add(row, 'fires');
  for (const row of await run(db, policies(schema))) add(row, 'fires');
  for (const row of await run(db, types(schema))) add(row, row.tbl === null ? 'other' : 'part');
  for (const row of await run(db, others(schema))) add(row, row.kind === 'publication' ? 'fires' : 'other');
  for (const row of await run(db, routines(schema))) {
    objects.push({
      key: objectKey(row.kind, row.name, row.args),
      what: whatOf(row.kind, row.name, null, row.args),
      definition: bare(row.definition),
      role: 'code',
      name: row.name,
    });
  }
  const internal = new Map<string, SchemaObject & { definitions: string[] }>();
  for (const row of await run(db, triggers(schema))) {
    if (!row.internal) {
      add(row, 'fires');
      continue;
    }
    // Named RI_ConstraintTrigger_<oid>: the same constraint makes a different name in every database.
    const key = objectKey('internal trigger', row.tbl, row.constraint, row.fn);
    const entry = internal.get(key) ?? {
      key,
      what: `trigger ${shownName(row.fn)} that PostgreSQL made for constraint ${shownName(row.constraint ?? '(none)')} on ${shownName(row.tbl ?? '')}`,
      definition: '',
      role: 'part',
      name: row.fn,
      table: row.tbl ?? '',
      definitions: [],
    };
    entry.definitions.push(bare(row.definition));
    internal.set(key, entry);
  }
  for (const { definitions, ...entry } of internal.values()) objects.push({ ...entry, definition: definitions.sort().join(' ; ') });
  return objects;
};

const setSearchPath = (db: Kysely<any>, quotedOrBare: string) => sql`select set_config('search_path', ${quotedOrBare}, true)`.execute(db);

/**
 * The store's schema: its own (the first schema of the search path, where the migrations made their
 * objects) and anything in the other schemas of its search path. Runs inside the caller's transaction
 * (one snapshot, so a migration another server commits meanwhile is seen whole or not at all), whose
 * search path it sets for the transaction only.
 */
export const describePostgresStore = async (trx: Kysely<any>): Promise<Schema> => {
  const { schema, path } = (
    await sql<{ schema: string | null; path: string[] }>`select current_schema() as schema, current_schemas(false)::text[] as path`.execute(trx)
  ).rows[0]!;
  if (schema === null) throw new Error('its search_path names no schema that exists, so there is nowhere its tables could be');
  await setSearchPath(trx, (await sql<{ q: string }>`select quote_ident(${schema}) as q`.execute(trx)).rows[0]!.q);
  const objects = await describeSchema(trx, schema);
  for (const other of path.filter((s) => s !== schema && !s.startsWith('pg_') && s !== 'information_schema')) {
    for (const o of await describeSchema(trx, other)) {
      // Raw names qualified too, so that a table there never stands for the app's table of the same name.
      const qualified = (name: string) => `${other}.${name}`;
      objects.push({
        ...o,
        key: objectKey('in another schema', other, o.key),
        what: `${o.what} in schema ${shownName(other)} (on its search path)`,
        name: qualified(o.name),
        ...(o.table !== undefined ? { table: qualified(o.table) } : {}),
      });
    }
  }
  return schemaOf(objects);
};

const cache = new WeakMap<Record<string, Migration>, Map<string, Promise<Schema>>>();

/**
 * The schema the migrations `names` make (null: none, not even Kysely's tables), made in a scratch
 * schema with a random name inside a transaction that is rolled back, so nothing is left behind even if
 * the process dies; once per process and server version.
 */
export const postgresSchemaOf = async (db: Kysely<any>, migrations: Record<string, Migration>, names: readonly string[] | null): Promise<Schema> => {
  if (names === null) return schemaOf([]);
  const version = (await sql<{ v: string }>`select current_setting('server_version_num') as v`.execute(db)).rows[0]!.v;
  let perStore = cache.get(migrations);
  if (!perStore) cache.set(migrations, (perStore = new Map()));
  const key = `${version} [${names.join(',')}]`;
  let schema = perStore.get(key);
  if (!schema) {
    schema = build(db, migrations, names);
    perStore.set(key, schema);
    schema.catch(() => perStore.delete(key));
  }
  return schema;
};

const build = (db: Kysely<any>, migrations: Record<string, Migration>, names: readonly string[]): Promise<Schema> =>
  db.connection().execute(async (conn) => {
    const scratch = `cswo_schema_check_${randomBytes(8).toString('hex')}`;
    await sql`begin`.execute(conn);
    try {
      try {
        await sql`create schema ${sql.id(scratch)}`.execute(conn);
      } catch (error) {
        throw new Error(
          `the database role cannot make the scratch schema it compares the store with (it needs CREATE on the database): ${(error as Error).message}`,
        );
      }
      await setSearchPath(conn, scratch);
      await runMigrationsInto(conn, migrations, names, { schema: scratch });
      return schemaOf(await describeSchema(conn, scratch));
    } finally {
      await sql`rollback`.execute(conn);
      // Kysely's migration lock is a session lock: a failed migration above must not leave it held by a pooled connection.
      await sql`select pg_advisory_unlock_all()`.execute(conn);
    }
  });
