import { afterEach, describe, expect, it } from 'vitest';
import { definitionOfWave, findBundledWave, storedAnswers, type Answers } from '../../survey-definitions/index.js';
import { canonicalJson } from '../../survey-definitions/content-hash.js';
import {
  countPartTwo,
  inPlace,
  insertPartTwoResponses,
  partTwoDataVersion,
  scrubArrivalOrder,
  streamPartTwo,
  streamPartTwoItems,
  streamPartTwoShuffled,
  type PartTwoPlace,
} from '../../server/storage/anonymous-store.js';
import type { Stores } from '../../server/storage/open-stores.js';
import { findPartTwoPass, savePartTwoDraft, spendPartTwoPass } from '../../server/storage/part-two-pass-store.js';
import { keepPartTwoByPosition, placePartTwoByWaveStatus } from '../../server/storage/part-two-placement.js';
import { startServer } from '../../server/app/serve.js';
import { join } from 'node:path';
import { withShuffledPartTwo } from '../../server/storage/part-two-export-read.js';
import { findStoredWave } from '../../server/storage/wave-store.js';
import { changeWaveStatus } from '../../server/waves/wave-changes.js';
import { useTempDirs } from '../support/temp-dir.js';
import { importText, storeOpener, toCsv, WAVE_1, WAVE_2 } from './helpers.js';

/**
 * Issue 16: part two of an open wave lives in the intake, rewritten after every answer, and moves into
 * the archive when its wave closes (anonymous-store.ts), so an answer's scrub costs the open wave, not
 * the store. On SQLite and PostgreSQL: wherever the rows are, every reader finds each of them once.
 */
const tempDir = useTempDirs();
const opener = storeOpener();
afterEach(opener.closeAll);

const T = Date.UTC(2026, 11, 7);
/** The 2020-06 wave's form of its part two, as the platform's writers store it (survey-definitions/stored-answers.ts). */
const byPosition = storedAnswers(definitionOfWave(findBundledWave(WAVE_2)!), 'anonymous');
const made = { actor: null, now: T } as const;

const rowsIn = async (stores: Stores, place: PartTwoPlace, waveId: string) => {
  const at = inPlace(stores.anonymous, place);
  const answers = await at.selectFrom('part_two_response').select('answers').where('wave_id', '=', waveId).execute();
  const passes = await at.selectFrom('part_two_pass').select(['credential_hash', 'spent']).where('wave_id', '=', waveId).execute();
  return { answers: answers.length, passes: passes.length };
};

const collect = async <T>(items: AsyncIterable<T>) => {
  const out: T[] = [];
  for await (const item of items) out.push(item);
  return out;
};

/** Rows compared as values, in any order: PostgreSQL's jsonb gives a matrix's keys in an order of its own. */
const sorted = (rows: readonly object[]) => rows.map((r) => canonicalJson(r)).sort();

/** What a respondent's submission does (part-two-routes.ts): spend the pass, store the answers in the intake, scrub the intake. */
const submit = async (stores: Stores, credential: string, waveId: string, answers: Answers) => {
  const stored = await stores.anonymous.transaction().execute(async (trx) => {
    if (!(await spendPartTwoPass(trx, credential, waveId))) return false;
    await insertPartTwoResponses(trx, waveId, [answers], 'intake', byPosition);
    return true;
  });
  expect(await scrubArrivalOrder(stores.anonymous, 'intake')).toBe('done');
  return stored;
};

/** Imported answers for both 2020 waves, neither open yet: they go to the archive. */
const seed = async (stores: Stores) => {
  for (const [wave, n] of [
    [WAVE_1, 5],
    [WAVE_2, 6],
  ] as const) {
    const csv = toCsv([['groups_involved', 'admin_support'], ...Array.from({ length: n }, (_, i) => [String(i), 'shared'])]);
    await importText(stores, { wave, part: 'anonymous' }, csv);
  }
};

const openWave2 = async (stores: Stores) => {
  await seed(stores);
  const wave = (await findStoredWave(stores.identifiable, WAVE_2))!;
  await changeWaveStatus(stores, wave, 'open', made);
  return wave;
};

describe("part two's two places: the intake of open waves and the archive", () => {
  it("keeps an open wave's answers and passes in the intake, moves them to the archive when it closes and back when it opens", async () => {
    const stores = await opener.openIn(tempDir());
    const wave = await openWave2(stores);
    // The 2020-06 answers were imported before the wave was opened: opening moved them in.
    const bundled = await countPartTwo(stores.anonymous, WAVE_2);
    expect(bundled).toBe(6);
    expect(await rowsIn(stores, 'intake', WAVE_2)).toEqual({ answers: bundled, passes: 0 });
    expect(await rowsIn(stores, 'archive', WAVE_2)).toEqual({ answers: 0, passes: 0 });

    await savePartTwoDraft(stores.anonymous, 'code-a', WAVE_2, { section: 'workload', answers: { extra_hours_band: 'none' } });
    expect(await submit(stores, 'code-b', WAVE_2, { groups_involved: 7 })).toBe(true);
    expect(await rowsIn(stores, 'intake', WAVE_2)).toEqual({ answers: bundled + 1, passes: 2 });
    // Another wave, closed, keeps its answers in the archive all along.
    const other = await rowsIn(stores, 'archive', WAVE_1);
    expect(other).toEqual({ answers: 5, passes: 0 });

    const versionOpen = await partTwoDataVersion(stores.anonymous, WAVE_2);
    await changeWaveStatus(stores, wave, 'closed', made);
    expect(await rowsIn(stores, 'intake', WAVE_2)).toEqual({ answers: 0, passes: 0 });
    expect(await rowsIn(stores, 'archive', WAVE_2)).toEqual({ answers: bundled + 1, passes: 2 });
    expect(await rowsIn(stores, 'archive', WAVE_1)).toEqual(other);
    // Caches of the closed wave's tables see that its answers moved.
    expect(await partTwoDataVersion(stores.anonymous, WAVE_2)).not.toBe(versionOpen);
    // The draft moved with its pass, and the spent pass still refuses a second submission.
    expect((await findPartTwoPass(stores.anonymous, 'code-a'))?.draft?.answers).toEqual({ extra_hours_band: 'none' });
    expect((await findPartTwoPass(stores.anonymous, 'code-b'))?.spent).toBe(true);
    expect(await spendPartTwoPass(stores.anonymous, 'code-b', WAVE_2)).toBe(false);

    await changeWaveStatus(stores, wave, 'open', made);
    expect(await rowsIn(stores, 'intake', WAVE_2)).toEqual({ answers: bundled + 1, passes: 2 });
    expect(await rowsIn(stores, 'archive', WAVE_2)).toEqual({ answers: 0, passes: 0 });
    expect(await submit(stores, 'code-b', WAVE_2, { groups_involved: 8 })).toBe(false);
    expect(await submit(stores, 'code-a', WAVE_2, { groups_involved: 9 })).toBe(true);
    expect(await countPartTwo(stores.anonymous, WAVE_2)).toBe(bundled + 2);
  });

  it('reads every answer once wherever it is: counts, streams and the shuffled stream', async () => {
    const stores = await opener.openIn(tempDir());
    await openWave2(stores);
    const before = await countPartTwo(stores.anonymous, WAVE_2);
    // One answer in each place (the archive one as an import into a closed wave would put it).
    await insertPartTwoResponses(stores.anonymous, WAVE_2, [{ groups_involved: 501 }], 'archive');
    await insertPartTwoResponses(stores.anonymous, WAVE_2, [{ groups_involved: 502 }], 'intake');
    const total = before + 2;
    expect(await countPartTwo(stores.anonymous, WAVE_2)).toBe(total);
    for (const stream of [streamPartTwo, streamPartTwoShuffled]) {
      const rows = await collect(stream(stores.anonymous, WAVE_2, byPosition));
      expect(rows).toHaveLength(total);
      expect(rows.filter((r) => r.groups_involved === 501 || r.groups_involved === 502)).toHaveLength(2);
    }
    expect(await countPartTwo(stores.anonymous)).toBe(5 + total);
  });

  it('picks some items out of every row wherever it is and in either form, each row once, as the whole rows hold them', async () => {
    const stores = await opener.openIn(tempDir());
    await openWave2(stores);
    // A row of every shape the store can hold: a matrix, a list, a number, text with quotes, and an item
    // unanswered; kept by position (as the platform writes) and as an object (as rows were kept before), in both places.
    const odd = { time_share: { children: 40, adults: 0 }, resources: ['solace', 'research'], groups_involved: 503, admin_support: 'none' };
    await insertPartTwoResponses(stores.anonymous, WAVE_2, [odd, { groups_involved: 501 }], 'archive', byPosition);
    await insertPartTwoResponses(stores.anonymous, WAVE_2, [{ ...odd, groups_involved: 504 }], 'archive');
    await insertPartTwoResponses(stores.anonymous, WAVE_2, [{ groups_involved: 502, final_reflections: 'a "quoted" → answer' }], 'intake');
    await insertPartTwoResponses(stores.anonymous, WAVE_2, [{ ...odd, time_share: { workforce_ld: 3 }, groups_involved: 505 }], 'intake', byPosition);
    const forms = await stores.anonymous.selectFrom('part_two_response').select('answers').where('wave_id', '=', WAVE_2).execute();
    expect(new Set(forms.map((r) => r.answers[0]))).toEqual(new Set(['[', '{']));
    const ids = ['time_share', 'resources', 'groups_involved', 'final_reflections', 'admin_support'];
    const pick = (answers: Answers) => Object.fromEntries(ids.filter((id) => answers[id] !== undefined).map((id) => [id, answers[id]]));
    // Compared as values: PostgreSQL's jsonb gives a matrix's keys in an order of its own.
    const whole = await collect(streamPartTwo(stores.anonymous, WAVE_2, byPosition));
    const picked = await collect(streamPartTwoItems(stores.anonymous, WAVE_2, ids, byPosition));
    expect(picked).toHaveLength(whole.length);
    expect(sorted(picked)).toEqual(sorted(whole.map(pick)));
    expect(picked).toContainEqual({ time_share: { children: 40, adults: 0 }, resources: ['solace', 'research'], groups_involved: 503, admin_support: 'none' });
    expect(picked).toContainEqual({ time_share: { children: 40, adults: 0 }, resources: ['solace', 'research'], groups_involved: 504, admin_support: 'none' });
    expect(picked).toContainEqual({ time_share: { workforce_ld: 3 }, resources: ['solace', 'research'], groups_involved: 505, admin_support: 'none' });
    expect(picked).toContainEqual({ groups_involved: 502, final_reflections: 'a "quoted" → answer' });
    // No items: a row is still a row.
    expect(await collect(streamPartTwoItems(stores.anonymous, WAVE_2, [], byPosition))).toEqual(whole.map(() => ({})));
    // Without the wave's form a row kept by position is refused, never misread.
    await expect(collect(streamPartTwo(stores.anonymous, WAVE_2))).rejects.toThrow(/stored by position/);
  });

  it('keeps what the platform stores by position: an import, and a respondent’s answers, read back as given', async () => {
    const stores = await opener.openIn(tempDir());
    await openWave2(stores);
    const answers = { time_share: { children: 40, adults: 0 }, resources: ['solace'], groups_involved: 9, final_reflections: 'ok' };
    expect(await submit(stores, 'code-b', WAVE_2, answers)).toBe(true);
    const rows = await inPlace(stores.anonymous, 'intake').selectFrom('part_two_response').select('answers').where('wave_id', '=', WAVE_2).execute();
    // The six imported rows (seed) and the submitted one.
    expect(rows).toHaveLength(7);
    for (const row of rows) expect(row.answers).toMatch(/^\[/);
    const read = await collect(streamPartTwo(stores.anonymous, WAVE_2, byPosition));
    expect(read).toContainEqual(answers);
    expect(read.filter((r) => r.admin_support === 'shared')).toHaveLength(6);
  });

  it('rewrites rows stored as objects by position (at server start), so their form no longer tells when they arrived; a row its definition cannot hold is kept', async () => {
    const dir = tempDir();
    let stores = await opener.openIn(dir);
    await openWave2(stores);
    const given = [
      { time_share: { children: 40, adults: 0 }, resources: ['solace'], groups_involved: 601 },
      { groups_involved: 602, final_reflections: 'a "quoted" → answer' },
    ];
    await insertPartTwoResponses(stores.anonymous, WAVE_2, given.slice(0, 1), 'archive');
    await insertPartTwoResponses(stores.anonymous, WAVE_2, given.slice(1), 'intake');
    // An item the definition does not have: kept as it is, and still read.
    await insertPartTwoResponses(stores.anonymous, WAVE_2, [{ groups_involved: 603, seq: 1 }], 'intake');
    const forms = async () => {
      const rows = await collect(
        (async function* () {
          for (const place of ['archive', 'intake'] as const)
            yield* await inPlace(stores.anonymous, place).selectFrom('part_two_response').select('answers').where('wave_id', '=', WAVE_2).execute();
        })(),
      );
      return rows.map((r) => r.answers[0]).sort();
    };
    const before = await collect(streamPartTwo(stores.anonymous, WAVE_2, byPosition));
    expect((await forms()).filter((f) => f === '{')).toHaveLength(3);
    if (stores.dialect === 'sqlite') {
      // Through the server's start, which rewrites them and then scrubs the whole store.
      await stores.close();
      const server = await startServer({ dataDir: join(dir, 'data'), port: 0, host: '127.0.0.1', seedWhenEmpty: false, log: () => {} });
      await server.stop();
      stores = await opener.openIn(dir);
    } else {
      expect(await keepPartTwoByPosition(stores)).toBe(2);
    }
    expect((await forms()).filter((f) => f === '{')).toHaveLength(1);
    const after = await collect(streamPartTwo(stores.anonymous, WAVE_2, byPosition));
    expect(sorted(after)).toEqual(sorted(before));
    for (const answers of given) expect(after).toContainEqual(answers);
    expect(after).toContainEqual({ groups_involved: 603, seq: 1 });
    expect(await keepPartTwoByPosition(stores)).toBe(0);
  });

  it("exports an open wave's answers from both places, each once, even one a move cut short left in both", async () => {
    const stores = await opener.openIn(tempDir());
    await openWave2(stores);
    await insertPartTwoResponses(stores.anonymous, WAVE_2, [{ groups_involved: 501 }], 'archive');
    await insertPartTwoResponses(stores.anonymous, WAVE_2, [{ groups_involved: 502 }], 'intake');
    const expected = (await collect(streamPartTwo(stores.anonymous, WAVE_2, byPosition))).map((a) => a.groups_involved as number).sort((a, b) => a - b);
    expect(expected).toContain(501);
    expect(expected).toContain(502);
    if (stores.dialect === 'sqlite') {
      // A move cut short between its copy and its delete (on PostgreSQL one transaction does both).
      const one = await inPlace(stores.anonymous, 'intake').selectFrom('part_two_response').selectAll().where('wave_id', '=', WAVE_2).limit(1).execute();
      await stores.anonymous.insertInto('part_two_response').values(one).execute();
    }
    const exported = await withShuffledPartTwo(stores, WAVE_2, async ({ total, batches }) => {
      const values: number[] = [];
      for await (const batch of batches) for (const text of batch) values.push(byPosition.decode(text).groups_involved as number);
      return { total, values: values.sort((a, b) => a - b) };
    });
    expect(exported).toEqual({ total: expected.length, values: expected });
  });

  it('settles a move a crash cut short: rows left in both places are kept once, and a pass spent in either stays spent', async () => {
    const stores = await opener.openIn(tempDir());
    await openWave2(stores);
    await savePartTwoDraft(stores.anonymous, 'code-a', WAVE_2, { section: 'workload', answers: {} });
    await submit(stores, 'code-b', WAVE_2, { groups_involved: 7 });
    const total = await countPartTwo(stores.anonymous, WAVE_2);
    // The copy of a move to the archive committed, its delete not: every row is in both places, and one
    // pass was spent in the archive's copy only.
    const intake = inPlace(stores.anonymous, 'intake');
    const rows = await intake.selectFrom('part_two_response').selectAll().where('wave_id', '=', WAVE_2).execute();
    const passes = await intake.selectFrom('part_two_pass').selectAll().where('wave_id', '=', WAVE_2).execute();
    await stores.anonymous.insertInto('part_two_response').values(rows).execute();
    await stores.anonymous
      .insertInto('part_two_pass')
      .values(
        passes.map((p) => (p.credential_hash === passes.find((q) => q.spent === 0)!.credential_hash ? { ...p, spent: 1, section: null, answers: null } : p)),
      )
      .execute();
    expect(await countPartTwo(stores.anonymous, WAVE_2)).toBe(2 * total);

    // The wave is open: the next start (or status change) brings everything back into the intake, once.
    expect(await placePartTwoByWaveStatus(stores)).toEqual([WAVE_2]);
    expect(await countPartTwo(stores.anonymous, WAVE_2)).toBe(total);
    expect(await rowsIn(stores, 'archive', WAVE_2)).toEqual({ answers: 0, passes: 0 });
    expect((await findPartTwoPass(stores.anonymous, 'code-a'))?.spent).toBe(true);
    expect((await findPartTwoPass(stores.anonymous, 'code-a'))?.draft).toBeUndefined();
    expect(await placePartTwoByWaveStatus(stores)).toEqual([]);
  });
});
