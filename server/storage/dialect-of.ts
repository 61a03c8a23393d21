import { SqliteAdapter, type Kysely } from 'kysely';

/** For the few statements that differ between SQLite and PostgreSQL (table options, maintenance). */
export const isSqlite = (db: Kysely<any>): boolean => db.getExecutor().adapter instanceof SqliteAdapter;
