import { readdirSync } from 'node:fs';
import Database from 'better-sqlite3';
import { afterEach, describe, expect, it } from 'vitest';
import { insertPartTwoResponses } from '../../server/storage/anonymous-store.js';
import { storeFiles, type Stores } from '../../server/storage/open-stores.js';
import { withShuffledPartTwo } from '../../server/storage/part-two-export-read.js';
import { useTempDirs } from '../support/temp-dir.js';
import { storeOpener, WAVE_1, WAVE_2 } from './helpers.js';

const tempDir = useTempDirs();
const opener = storeOpener();
afterEach(opener.closeAll);

/** What the export sees: the total, and each row's groups_involved in the order read, batch by batch. */
const readAll = (stores: Stores, waveId: string) =>
  withShuffledPartTwo(stores, waveId, async ({ total, batches }) => {
    const values: number[] = [];
    const sizes: number[] = [];
    for await (const batch of batches) {
      let size = 0;
      for (const text of batch) {
        // Stored as objects here (no definition given to the insert).
        values.push((JSON.parse(text) as { groups_involved: number }).groups_involved);
        size++;
      }
      sizes.push(size);
    }
    return { total, values, sizes };
  });

/** Spearman's rank correlation of the order values are read in with their order in `reference`. */
const correlation = (read: readonly number[], reference: readonly number[]): number => {
  const rank = new Map(reference.map((v, i) => [v, i]));
  const n = read.length;
  let d2 = 0;
  read.forEach((v, i) => (d2 += (rank.get(v)! - i) ** 2));
  return 1 - (6 * d2) / (n * (n * n - 1));
};

const stored = (count: number, from: number) => Array.from({ length: count }, (_, i) => ({ groups_involved: from + i }));

describe('part two as the export reads it (withShuffledPartTwo)', () => {
  it("reads exactly the wave's rows: through the index for a small wave, by reading every row for a large one", async () => {
    const stores = await opener.openIn(tempDir());
    // 300 of 2,800 rows is under a quarter of the store (the index); 2,500 is over (every row read).
    await insertPartTwoResponses(stores.anonymous, WAVE_1, stored(300, 0));
    await insertPartTwoResponses(stores.anonymous, WAVE_2, stored(2500, 10_000));
    const small = await readAll(stores, WAVE_1);
    expect(small.total).toBe(300);
    expect([...small.values].sort((a, b) => a - b)).toEqual(stored(300, 0).map((a) => a.groups_involved));
    const large = await readAll(stores, WAVE_2);
    expect(large.total).toBe(2500);
    expect([...large.values].sort((a, b) => a - b)).toEqual(stored(2500, 10_000).map((a) => a.groups_involved));
    // Read a page of 250 rows at a time.
    expect(large.sizes).toEqual(Array.from({ length: 10 }, () => 250));
    expect(await readAll(stores, '1999-01')).toEqual({ total: 0, values: [], sizes: [] });
  });

  it('reads them in a fresh order each time, unrelated to the order they are stored in (by their random key)', async () => {
    const stores = await opener.openIn(tempDir());
    await insertPartTwoResponses(stores.anonymous, WAVE_2, stored(400, 0));
    const raw = new Database(storeFiles(stores.location).anonymous, { readonly: true });
    const storage = raw
      .prepare('select answers from part_two_response where wave_id = ? order by id')
      .pluck()
      .all(WAVE_2)
      .map((json) => (JSON.parse(json as string) as { groups_involved: number }).groups_involved);
    raw.close();
    const first = (await readAll(stores, WAVE_2)).values;
    const second = (await readAll(stores, WAVE_2)).values;
    // For a random order of 400, Spearman's rho has a standard deviation of 0.05: 0.4 is eight of them.
    // The copy in storage order (no shuffle) gives 1.
    expect(Math.abs(correlation(first, storage))).toBeLessThan(0.4);
    expect(Math.abs(correlation(second, storage))).toBeLessThan(0.4);
    expect(Math.abs(correlation(second, first))).toBeLessThan(0.4);
  });

  it('keeps no copy in the data directory while it is read, and none once read, however the reader ends', async () => {
    const stores = await opener.openIn(tempDir());
    await insertPartTwoResponses(stores.anonymous, WAVE_2, stored(1500, 0));
    const copies = () => readdirSync(stores.location).filter((f) => f.startsWith('.anonymous-snapshot-'));
    let read = 0;
    await withShuffledPartTwo(stores, WAVE_2, async ({ batches }) => {
      expect(copies()).toEqual([]);
      for await (const batch of batches) read += batch.length;
    });
    expect(read).toBe(1500);
    // A reader that stops at its first page (a closed pipe) leaves nothing either.
    await expect(
      withShuffledPartTwo(stores, WAVE_2, async ({ batches }) => {
        for await (const batch of batches) throw new Error(`stopped after ${batch.length}`);
      }),
    ).rejects.toThrow('stopped after 250');
    expect(copies()).toEqual([]);
  });
});
