import Database from 'better-sqlite3';
import { Kysely, sql, type Generated } from 'kysely';
import { describe, expect, it } from 'vitest';
import { ChunkedSqliteDialect } from '../../server/storage/chunked-sqlite-dialect.js';
import { withStatementCache } from '../../server/storage/statement-cache.js';

/** Issue 16: a stream from SQLite handed over a chunk of rows at a time, still one statement on the one connection. */

interface Numbers {
  t: { x: number; id: Generated<number> };
}

const numbers = (n: number) => {
  const handle = new Database(':memory:');
  handle.exec('create table t (id integer primary key, x integer)');
  const insert = handle.prepare('insert into t (x) values (?)');
  for (let i = 1; i <= n; i++) insert.run(i);
  return { handle, db: new Kysely<Numbers>({ dialect: new ChunkedSqliteDialect(withStatementCache(handle)) }) };
};

describe('ChunkedSqliteDialect', () => {
  it('streams every row once, in order, reading a chunk from SQLite before handing its first row over', async () => {
    const { db, handle } = numbers(1050);
    // Counts the rows SQLite has produced when the consumer gets each one.
    let produced = 0;
    handle.function('counted', (x: number) => (produced++, x));
    const rows: number[] = [];
    const producedAt: number[] = [];
    for await (const row of db
      .selectFrom('t')
      .select(sql<number>`counted(x)`.as('x'))
      .orderBy('id')
      .stream(500)) {
      rows.push(row.x);
      producedAt.push(produced);
    }
    expect(rows).toEqual(Array.from({ length: 1050 }, (_, i) => i + 1));
    // Kysely's own driver hands each row over as it is read (1, 2, 3, ...).
    expect([producedAt[0], producedAt[499], producedAt[500], producedAt[1000], producedAt[1049]]).toEqual([500, 500, 1000, 1050, 1050]);
    await db.destroy();
  });

  it('ends a stream left early, so the connection runs the next query, and keeps queries waiting while one streams', async () => {
    const { db } = numbers(300);
    const first: number[] = [];
    for await (const row of db.selectFrom('t').select('x').orderBy('id').stream(100)) {
      first.push(row.x);
      if (first.length === 150) break;
    }
    expect(first).toHaveLength(150);
    // The statement was finished: the same text runs again, and a write goes through.
    await db.insertInto('t').values({ x: 301 }).execute();
    expect(
      (
        await db
          .selectFrom('t')
          .select(sql<number>`count(*)`.as('n'))
          .executeTakeFirstOrThrow()
      ).n,
    ).toBe(301);
    // A query asked for while a stream is read runs after it has ended (Kysely's one connection).
    const order: string[] = [];
    let waiting: Promise<unknown> | undefined;
    for await (const row of db.selectFrom('t').select('x').orderBy('id').stream(100)) {
      if (row.x === 1)
        waiting = db
          .selectFrom('t')
          .select('x')
          .where('x', '=', 1)
          .execute()
          .then(() => order.push('query'));
      if (row.x === 301) order.push('stream ended');
    }
    await waiting;
    expect(order).toEqual(['stream ended', 'query']);
    await db.destroy();
  });

  it('runs transactions and refuses to stream what is not a select', async () => {
    const { db } = numbers(3);
    await expect(
      db.transaction().execute(async (trx) => {
        await trx.insertInto('t').values({ x: 4 }).execute();
        throw new Error('undo');
      }),
    ).rejects.toThrow('undo');
    await db.transaction().execute((trx) => trx.insertInto('t').values({ x: 5 }).execute());
    expect((await db.selectFrom('t').select('x').orderBy('id').execute()).map((r) => r.x)).toEqual([1, 2, 3, 5]);
    await expect(
      (async () => {
        for await (const row of db.insertInto('t').values({ x: 6 }).returning('x').stream()) void row;
      })(),
    ).rejects.toThrow('only a select query can be streamed from SQLite');
    await db.destroy();
  });
});
