import Database from 'better-sqlite3';
import { Kysely, SqliteDialect } from 'kysely';
import { describe, expect, it } from 'vitest';
import { withStatementCache } from '../../server/storage/statement-cache.js';

/** Issue 16: prepared statements kept per connection (a survey page's queries were prepared afresh each time). */

const numbers = (n: number) => {
  const handle = new Database(':memory:');
  handle.exec('create table t (x integer)');
  const insert = handle.prepare('insert into t values (?)');
  for (let i = 1; i <= n; i++) insert.run(i);
  return handle;
};

describe('withStatementCache', () => {
  it('prepares a text once and hands the same statement back, the least recently used going first beyond its size', () => {
    const handle = numbers(3);
    const cached = withStatementCache(handle, 2);
    const first = cached.prepare('select x from t where x = ?');
    expect(cached.prepare('select x from t where x = ?')).toBe(first);
    const second = cached.prepare('select x from t where x > ?');
    // Using the first makes the second the least recently used, so a third text pushes it out.
    expect(cached.prepare('select x from t where x = ?')).toBe(first);
    cached.prepare('select count(*) from t');
    expect(cached.prepare('select x from t where x = ?')).toBe(first);
    expect(cached.prepare('select x from t where x > ?')).not.toBe(second);
    cached.close();
    expect(handle.open).toBe(false);
  });

  it('gives a second reader of the same text its own statement while the first is still iterating', () => {
    // Through Kysely a stream holds the one connection until it ends, so this happens only to a caller
    // of `prepare` itself; it must not fail there either ("This statement is busy").
    const cached = withStatementCache(numbers(50));
    const text = 'select x from t order by x';
    const one = (cached.prepare(text) as Database.Statement<[], { x: number }>).iterate();
    const seen: [number[], number[]] = [[], []];
    seen[0].push(one.next().value!.x);
    const two = (cached.prepare(text) as Database.Statement<[], { x: number }>).iterate();
    for (const row of two) seen[1].push(row.x);
    for (const row of one) seen[0].push(row.x);
    const all = Array.from({ length: 50 }, (_, i) => i + 1);
    expect(seen).toEqual([all, all]);
    // Once the first has finished, its statement is handed out again and runs.
    expect((cached.prepare(text) as Database.Statement<[], { x: number }>).all().map((r) => r.x)).toEqual(all);
    cached.close();
  });

  it('a kept statement sees a schema changed after it was prepared', async () => {
    const db = new Kysely<{ t: { x: number; y?: number } }>({ dialect: new SqliteDialect({ database: withStatementCache(numbers(2)) }) });
    expect(await db.selectFrom('t').selectAll().execute()).toEqual([{ x: 1 }, { x: 2 }]);
    await db.schema.alterTable('t').addColumn('y', 'integer').execute();
    expect(await db.selectFrom('t').selectAll().execute()).toEqual([
      { x: 1, y: null },
      { x: 2, y: null },
    ]);
    await db.destroy();
  });
});
