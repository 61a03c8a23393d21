import type { Kysely } from 'kysely';
import { isSqlite } from '../dialect-of.js';

/**
 * Milliseconds since the epoch: SQLite's `integer` is 64-bit, PostgreSQL's is 32-bit and would overflow
 * in 1970, so PostgreSQL gets `bigint` (read back as a number: see postgres-stores.ts).
 */
export const epochMs = (db: Kysely<any>) => (isSqlite(db) ? 'integer' : 'bigint') as 'integer' | 'bigint';
