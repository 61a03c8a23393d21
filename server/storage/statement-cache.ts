import type Database from 'better-sqlite3';
import type { SqliteDatabase } from 'kysely';

/**
 * How many prepared statements a connection keeps. The app's queries are a few hundred texts at most;
 * a list of values (`in (?, ?, ?)`) makes a text per length, and the least recently used goes first.
 */
const STATEMENTS = 500;

/**
 * A better-sqlite3 connection as Kysely's SqliteDialect uses it, preparing each SQL text once. Kysely
 * prepares every query afresh, and on a survey page (a session, a pass, a draft) preparing took about
 * as long as running the queries (issue 16). A prepared statement is reusable: SQLite prepares it again
 * by itself after a schema change, an attach or a detach, and better-sqlite3 resets it after each run.
 * The one exception is a statement an unfinished `iterate` is still reading (`busy`): a second reader of
 * the same text meanwhile gets a statement of its own.
 */
export const withStatementCache = (handle: Database.Database, size = STATEMENTS): SqliteDatabase => {
  const statements = new Map<string, Database.Statement>();
  return {
    close: () => {
      statements.clear();
      handle.close();
    },
    prepare: (sql: string) => {
      const kept = statements.get(sql);
      if (kept) {
        if (kept.busy) return handle.prepare(sql);
        // Last used, last out.
        statements.delete(sql);
        statements.set(sql, kept);
        return kept;
      }
      const made = handle.prepare(sql);
      statements.set(sql, made);
      if (statements.size > size) statements.delete(statements.keys().next().value!);
      return made;
    },
  };
};
