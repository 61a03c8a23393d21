import { readdirSync } from 'node:fs';
import { sql } from 'kysely';
import { afterEach, describe, expect, it } from 'vitest';
import { countPartTwo, insertPartTwoResponses, streamPartTwo } from '../../server/storage/anonymous-store.js';
import { withAnonymousSnapshot } from '../../server/storage/anonymous-snapshot.js';
import { dataVersionOf } from '../../server/storage/data-version-store.js';
import type { Stores } from '../../server/storage/open-stores.js';
import { savePartTwoDraft } from '../../server/storage/part-two-pass-store.js';
import { useTempDirs } from '../support/temp-dir.js';
import { storeOpener, WAVE_1, WAVE_2 } from './helpers.js';

const tempDir = useTempDirs();
const opener = storeOpener();
afterEach(opener.closeAll);

const stored = (count: number, from: number) => Array.from({ length: count }, (_, i) => ({ groups_involved: from + i }));

/** What a copy holds: every row of part two in it, by wave, and how many passes (drafts) came along. */
const holdings = (stores: Stores, waveIds: readonly string[]) =>
  withAnonymousSnapshot(stores, waveIds, async (copy) => {
    const byWave: Record<string, number[]> = {};
    for (const { wave_id, answers } of await copy.selectFrom('part_two_response').select(['wave_id', 'answers']).execute()) {
      (byWave[wave_id] ??= []).push((JSON.parse(answers) as { groups_involved: number }).groups_involved);
    }
    for (const values of Object.values(byWave)) values.sort((a, b) => a - b);
    const passes = Number(
      (
        await copy
          .selectFrom('part_two_pass')
          .select((eb) => eb.fn.countAll<number>().as('n'))
          .executeTakeFirstOrThrow()
      ).n,
    );
    const streamed: number[] = [];
    for (const waveId of waveIds) for await (const answers of streamPartTwo(copy, waveId)) streamed.push(answers.groups_involved as number);
    // The store's page size: a row of over a kilobyte would overflow a 4 KiB page of a table without rowids.
    const pageSize = (await sql<{ page_size: number }>`pragma page_size`.execute(copy)).rows[0]!.page_size;
    return { byWave, passes, pageSize, total: await countPartTwo(copy), streamed: streamed.length, version: await dataVersionOf(copy, WAVE_1) };
  });

describe('the private copy readers of part two work on (withAnonymousSnapshot)', () => {
  it('holds the named waves alone, from both places, and no pass: a small wave beside a large one copies the small one', async () => {
    const stores = await opener.openIn(tempDir());
    // A closed wave in the archive, and an open one's answers and a draft in the intake.
    await insertPartTwoResponses(stores.anonymous, WAVE_1, stored(2000, 0));
    await insertPartTwoResponses(stores.anonymous, WAVE_2, stored(30, 10_000), 'intake');
    await savePartTwoDraft(stores.anonymous, 'a'.repeat(25), WAVE_2, { section: 'pressures', answers: { groups_involved: 99 } });

    const open = await holdings(stores, [WAVE_2]);
    expect(open.byWave).toEqual({ [WAVE_2]: stored(30, 10_000).map((a) => a.groups_involved) });
    expect(open).toMatchObject({ total: 30, streamed: 30, passes: 0 });
    expect(open.pageSize).toBe((await sql<{ page_size: number }>`pragma page_size`.execute(stores.anonymous)).rows[0]!.page_size);
    expect(open.pageSize).toBeGreaterThan(4096);

    const closed = await holdings(stores, [WAVE_1]);
    expect(Object.keys(closed.byWave)).toEqual([WAVE_1]);
    expect(closed.byWave[WAVE_1]).toEqual(stored(2000, 0).map((a) => a.groups_involved));
    // The wave's data version came with it: the package compares it before and after its passes.
    expect(closed.version).toBe(await dataVersionOf(stores.anonymous, WAVE_1));

    const both = await holdings(stores, [WAVE_1, WAVE_2]);
    expect(both).toMatchObject({ total: 2030, streamed: 2030, passes: 0 });
    expect(await holdings(stores, ['1999-01'])).toMatchObject({ byWave: {}, total: 0, streamed: 0 });
    // Each copy was unlinked once open.
    expect(readdirSync(stores.location).filter((f) => f.startsWith('.anonymous-snapshot-'))).toEqual([]);
  });

  it('holds a row that a move cut short left in both places once', async () => {
    const stores = await opener.openIn(tempDir());
    await insertPartTwoResponses(stores.anonymous, WAVE_2, stored(5, 0));
    // The copy a move makes before it deletes: the same rows, same keys, in the intake too.
    await stores.anonymous
      .insertInto('intake.part_two_response' as 'part_two_response')
      .expression((eb) => eb.selectFrom('part_two_response').selectAll())
      .execute();
    expect(await countPartTwo(stores.anonymous, WAVE_2)).toBe(10);
    expect((await holdings(stores, [WAVE_2])).byWave).toEqual({ [WAVE_2]: [0, 1, 2, 3, 4] });
  });
});
