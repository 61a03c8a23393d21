import { sql } from 'kysely';
import { afterEach, describe, expect, it } from 'vitest';
import { insertPartTwoResponses, scrubArrivalOrder } from '../../server/storage/anonymous-store.js';
import { openStores } from '../../server/storage/open-stores.js';
import { useTempDirs } from '../support/temp-dir.js';
import { onPostgres } from '../support/test-databases.js';
import { storeOpener, WAVE_2 } from '../server/helpers.js';

/**
 * The anonymous store's guarantees on PostgreSQL, where the heap keeps rows in insertion order (ctid)
 * and stamps each with the id of the transaction that wrote it (xmin, shared by the whole cluster).
 */

const tempDir = useTempDirs();
const opener = storeOpener();
afterEach(opener.closeAll);

const physical = async (stores: Awaited<ReturnType<typeof opener.openIn>>) =>
  (
    await sql<{ xmin: string; ctid: string; answers: string }>`select xmin::text as xmin, ctid::text as ctid, answers from part_two_response`.execute(stores.anonymous)
  ).rows.map((r) => {
    const [page, item] = r.ctid.slice(1, -1).split(',').map(Number);
    return { xmin: r.xmin, position: page! * 10_000 + item!, seq: JSON.parse(r.answers).seq as number };
  });

/** The share of pairs whose physical order agrees with their arrival order: 1 in arrival order, about 0.5 at random. */
const concordance = (rows: readonly { position: number; seq: number }[]) => {
  let agree = 0;
  let pairs = 0;
  for (let i = 0; i < rows.length; i++) {
    for (let j = i + 1; j < rows.length; j++) {
      pairs++;
      if (Math.sign(rows[i]!.position - rows[j]!.position) === Math.sign(rows[i]!.seq - rows[j]!.seq)) agree++;
    }
  }
  return agree / pairs;
};

describe('the anonymous store on PostgreSQL', () => {
  it('runs in the postgres project', () => {
    expect(onPostgres()).toBe(true);
  });

  it('keeps neither insertion order nor transaction ids: answers that arrive one at a time end up in random places with one shared xmin', async () => {
    const stores = await opener.openIn(tempDir());
    expect(stores.dialect).toBe('postgres');
    for (let seq = 1; seq <= 40; seq++) {
      await insertPartTwoResponses(stores.anonymous, WAVE_2, [{ seq }]);
      await scrubArrivalOrder(stores.anonymous);
    }
    const rows = await physical(stores);
    expect(rows).toHaveLength(40);
    expect(new Set(rows.map((r) => r.xmin)).size).toBe(1);
    // 780 pairs: at random the share is 0.5 with a standard deviation near 0.06.
    expect(Math.abs(concordance(rows) - 0.5)).toBeLessThan(0.25);
    // VACUUM FULL wrote the table to a new file: the old one, with its dead copies, is gone.
    const filenode = async () => (await sql<{ f: string }>`select pg_relation_filenode('part_two_response')::text as f`.execute(stores.anonymous)).rows[0]!.f;
    const before = await filenode();
    await insertPartTwoResponses(stores.anonymous, WAVE_2, [{ seq: 41 }]);
    await scrubArrivalOrder(stores.anonymous);
    expect(await filenode()).not.toBe(before);
  });

  it('the control: without the scrub, the heap gives the arrival order away', async () => {
    const stores = await opener.openIn(tempDir());
    for (let seq = 1; seq <= 40; seq++) await insertPartTwoResponses(stores.anonymous, WAVE_2, [{ seq }]);
    const rows = await physical(stores);
    expect(concordance(rows)).toBe(1);
    expect(new Set(rows.map((r) => r.xmin)).size).toBe(40);
  });

  it('refuses DATABASE_URL without a database of its own for part two, and never prints a password', async () => {
    const url = new URL(process.env.DATABASE_URL!);
    await expect(openStores({ dataDir: tempDir(), databaseUrl: url.toString(), anonymousDatabaseUrl: '' })).rejects.toThrow(
      'DATABASE_URL is set but ANONYMOUS_DATABASE_URL is not: part two needs a PostgreSQL database of its own',
    );
    await expect(openStores({ dataDir: tempDir(), databaseUrl: url.toString(), anonymousDatabaseUrl: url.toString() })).rejects.toThrow(/name the same database/);
    const wrong = new URL(url);
    wrong.password = 'hunter2-secret';
    wrong.port = '1';
    const other = new URL(wrong);
    other.pathname = '/elsewhere';
    const refused = openStores({ dataDir: tempDir(), databaseUrl: wrong.toString(), anonymousDatabaseUrl: other.toString() });
    await expect(refused).rejects.toThrow(/cannot reach the identifiable PostgreSQL database at postgres:\/\/cswo:\*\*\*@127\.0\.0\.1:1\//);
    await expect(refused).rejects.not.toThrow(/hunter2/);
    await expect(openStores({ dataDir: tempDir(), databaseUrl: 'mysql://x/y', anonymousDatabaseUrl: 'postgres://x/z' })).rejects.toThrow('DATABASE_URL must be a postgres:// URL');
  });

  it('reads 64-bit times back as numbers, as SQLite does', async () => {
    const stores = await opener.openIn(tempDir());
    const at = Date.UTC(2030, 0, 1);
    await stores.identifiable.insertInto('audit_event').values({ at, actor: null, action: 'test', detail: '{}' }).execute();
    const row = await stores.identifiable.selectFrom('audit_event').select(['id', 'at']).executeTakeFirstOrThrow();
    expect(row).toEqual({ id: 1, at });
  });
});
