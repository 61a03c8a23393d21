import { Kysely, PostgresDialect } from 'kysely';
import pg from 'pg';
import Cursor from 'pg-cursor';
import { StoreStartupError } from './sqlite-pragmas.js';

/** The URL with its password hidden, for messages: a connection string must never reach a log whole. */
export const redactUrl = (url: string): string => {
  try {
    const parsed = new URL(url);
    if (parsed.password) parsed.password = '***';
    return parsed.toString();
  } catch {
    return '(a connection string that is not a URL)';
  }
};

/** Host, port and database name: two URLs naming the same three name the same database. */
const databaseOf = (url: string) => {
  const parsed = new URL(url);
  return `${parsed.hostname || 'localhost'}:${parsed.port || '5432'}/${decodeURIComponent(parsed.pathname.slice(1)) || parsed.username}`;
};

/** Part two must not share a database with anything identifiable, on PostgreSQL as on SQLite. */
export const checkSeparateDatabases = (identifiable: string, anonymous: string): void => {
  for (const [name, url] of [
    ['DATABASE_URL', identifiable],
    ['ANONYMOUS_DATABASE_URL', anonymous],
  ] as const) {
    if (!URL.canParse(url) || !/^postgres(ql)?:$/.test(new URL(url).protocol)) {
      throw new StoreStartupError(`${name} must be a postgres:// URL, e.g. postgres://user:password@host:5432/database`);
    }
  }
  if (databaseOf(identifiable) === databaseOf(anonymous)) {
    throw new StoreStartupError(
      'DATABASE_URL and ANONYMOUS_DATABASE_URL name the same database: part two must have a database of its own, so that nothing identifiable shares it',
    );
  }
};

// 64-bit integers (counts, epoch milliseconds) as numbers, as SQLite gives them: all stay far below 2^53.
const int8 = 20;
const types = {
  getTypeParser: ((oid: number, format?: 'text' | 'binary') =>
    oid === int8 ? (text: string) => Number(text) : pg.types.getTypeParser(oid, format)) as typeof pg.types.getTypeParser,
};

/** `searchPath`: the schema its unqualified names mean (the anonymous store's intake, for its migrations). */
export const openPostgres = async <DB>(url: string, label: string, { searchPath }: { searchPath?: string } = {}): Promise<Kysely<DB>> => {
  const pool = new pg.Pool({ connectionString: url, max: 10, types, ...(searchPath ? { options: `-c search_path=${searchPath}` } : {}) });
  // An idle connection dropped by the server is replaced on next use; its error must not end the process.
  pool.on('error', () => {});
  let logged: string | undefined;
  try {
    const client = await pool.connect();
    try {
      logged = (await client.query<{ log_statement: string }>('show log_statement')).rows[0]?.log_statement;
    } finally {
      client.release();
    }
  } catch (error) {
    await pool.end();
    throw new StoreStartupError(`cannot reach the ${label} PostgreSQL database at ${redactUrl(url)}: ${(error as Error).message}`);
  }
  // A server that logs every write would record each part-two answer with the moment it arrived.
  if (label === 'anonymous' && (logged === 'mod' || logged === 'all')) {
    await pool.end();
    throw new StoreStartupError(
      `refusing to use the anonymous PostgreSQL database at ${redactUrl(url)}: the server logs its writes (log_statement = ${logged}), which would record when each part-two answer arrived; set log_statement to none or ddl for it (ALTER DATABASE ... SET log_statement = 'none', or in postgresql.conf)`,
    );
  }
  // The cursor lets exports and the analysis stream rows, as they do from SQLite.
  return new Kysely<DB>({ dialect: new PostgresDialect({ pool, cursor: Cursor }) });
};
