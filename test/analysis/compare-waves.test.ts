import { describe, expect, it } from 'vitest';
import {
  buildTables,
  fisherExact,
  permutationTest,
  significance,
  tableCatalogue,
  tablesAsText,
  tablesAsTidy,
  type Change,
  type ShareCell,
  type TableSpec,
} from '../../analysis/index.js';
import { defineSurvey, type SurveyDefinition } from '../../survey-definitions/index.js';
import { rowOf, shareCell, tableOf, v1, v2, waveOf, WAVE_1, WAVE_2 } from './fixtures.js';

const times = <T>(count: number, make: (i: number) => T): T[] => Array.from({ length: count }, (_, i) => make(i));

// Twenty part-two respondents per wave: induction flips from all "no" to all "yes"; budgets time from 10 to 90.
const before = waveOf({
  wave: WAVE_1,
  definition: v1,
  identifiable: [
    { time_in_post: 'lt1', urban_rural: 'large_urban' },
    { time_in_post: '3_5', urban_rural: 'large_urban' },
    { time_in_post: '3_5' },
    { time_in_post: 'gt5' },
  ],
  anonymous: times(20, (i) => ({
    induction: 'no',
    time_share: { budgets: 10, ...(i < 3 ? { children: [10, 20, 30][i] } : {}), ...(i === 0 ? { adults: 50 } : {}) },
    ...(i < 4 ? { groups_involved: [3, 5, 6, 8][i] } : {}),
  })),
});
const now = waveOf({
  wave: WAVE_2,
  definition: v2,
  identifiable: [{ time_in_post: 'lt1' }, { time_in_post: 'lt1' }, { time_in_post: '3_5' }, { role: 'cswo' }],
  anonymous: times(20, (i) => ({
    induction: 'yes',
    time_share: { budgets: 90, ...(i < 3 ? { children: [40, 50, 60][i] } : {}) },
    ...(i < 5 ? { groups_involved: [4, 6, 7, 9, 12][i] } : {}),
  })),
});

const compared = buildTables(now, before);
const alone = buildTables(now);
const beforeAlone = buildTables(before);

const changeOf = (tableId: string, rowId: string, column: string): Change => {
  const change = rowOf(tableOf(compared, tableId), rowId).change?.[column];
  if (!change) throw new Error(`no change for ${tableId}/${rowId}/${column}`);
  return change;
};

const changeOfPair = (a: ReturnType<typeof waveOf>, b: ReturnType<typeof waveOf>): Change =>
  rowOf(tableOf(buildTables(a, b), 'induction'), 'yes').change!.share!;

describe('buildTables with a compared wave', () => {
  it('names the compared wave, its definition and respondents', () => {
    expect(compared.wave).toBe(WAVE_2);
    expect(compared.definition).toBe('cswo-annual@2');
    expect(compared.compare).toEqual({ wave: WAVE_1, definition: 'cswo-annual@1', respondents: { identifiable: 4, anonymous: 20 } });
    expect(compared.respondents).toEqual({ identifiable: 4, anonymous: 20 });
    expect(compared.omitted).toEqual([]);
  });

  it('keeps the wave’s own cells unchanged and adds the compared wave’s cells, from the same builder', () => {
    expect(compared.tables.map((t) => t.id)).toEqual(alone.tables.map((t) => t.id));
    for (const table of compared.tables) {
      expect(table.compareWave).toBe(WAVE_1);
      const own = tableOf(alone, table.id);
      const old = tableOf(beforeAlone, table.id);
      table.rows.forEach((row, i) => {
        expect(row.cells).toEqual(own.rows[i]!.cells);
        expect(row.compare).toEqual(old.rows[i]!.cells);
        expect(Object.keys(row.change ?? {})).toEqual(table.columns.map((c) => c.id));
      });
    }
  });

  it('uses Fisher’s exact test for every proportion, with p from the 2x2 counts and the difference in points', () => {
    let checked = 0;
    for (const table of compared.tables) {
      for (const row of table.rows) {
        for (const column of table.columns) {
          const cell = row.cells[column.id]!;
          const old = row.compare![column.id]!;
          const change = row.change![column.id]!;
          if (!('count' in cell)) {
            expect(change.test).toBe('permutation');
            continue;
          }
          const a = cell as ShareCell;
          const b = old as ShareCell;
          expect(change.test).toBe('fisher-exact');
          if (a.n === 0 || b.n === 0) {
            expect(change).toMatchObject({ difference: null, p: null, verdict: 'not comparable' });
            continue;
          }
          expect(change.p).toBe(fisherExact(a.count, a.n - a.count, b.count, b.n - b.count));
          expect(change.difference).toBeCloseTo(a.pct! - b.pct!, 10);
          expect(change.verdict).toBe(change.p! < significance ? 'evidence of change' : 'no evidence of change');
          checked++;
        }
      }
    }
    // time_in_post (4 rows) and induction (2 rows) are the proportions answered in both waves.
    expect(checked).toBe(6);
    expect(significance).toBe(0.05);
  });

  it('finds no evidence of change for 1 of 4 against 2 of 3 (p = 0.486), and says so', () => {
    const change = changeOf('time_in_post', 'lt1', 'share');
    expect(change.test).toBe('fisher-exact');
    expect(change.difference).toBeCloseTo((2 / 3) * 100 - 25, 10);
    expect(change.p).toBeCloseTo(0.4857143, 7);
    expect(change.p).toBe(fisherExact(2, 1, 1, 3));
    expect(change.verdict).toBe('no evidence of change');
    expect(change.statement).toBe("25% (n=4) in 2020-01 to 67% (n=3) in 2020-06: no evidence of change (Fisher's exact p = 0.49)");
  });

  it('finds no evidence of change for an option nobody chose in either wave (p = 1)', () => {
    const change = changeOf('time_in_post', '1_2', 'share');
    expect(change).toMatchObject({ difference: 0, p: 1, verdict: 'no evidence of change' });
    expect(change.statement).toBe("0% (n=4) in 2020-01 to 0% (n=3) in 2020-06: no evidence of change (Fisher's exact p = 1.00)");
  });

  it('finds evidence of change for 0 of 20 against 20 of 20, and says so', () => {
    const yes = changeOf('induction', 'yes', 'share');
    expect(yes.difference).toBe(100);
    expect(yes.p).toBeLessThan(1e-10);
    expect(yes.verdict).toBe('evidence of change');
    expect(yes.statement).toBe("0% (n=20) in 2020-01 to 100% (n=20) in 2020-06: evidence of change (Fisher's exact p < 0.001)");
    const no = changeOf('induction', 'no', 'share');
    expect(no.difference).toBe(-100);
    expect(no.verdict).toBe('evidence of change');
  });

  it('says "not comparable" when a wave has no answers for the row', () => {
    // urban_rural was answered only in 2020-01.
    const change = changeOf('urban_rural', 'large_urban', 'share');
    expect(change).toEqual({
      difference: null,
      test: 'fisher-exact',
      p: null,
      verdict: 'not comparable',
      statement: '100% (n=2) in 2020-01 to no answers in 2020-06: not comparable, a wave has no answers',
    });
    const neither = changeOf('salary_band', 'lt70k', 'share');
    expect(neither.verdict).toBe('not comparable');
  });

  it('needs p below 0.05, not equal to it: an exact p of 1/20 is no evidence of change', () => {
    const induction = (yes: number, n: number) => times(n, (i) => ({ induction: i < yes ? 'yes' : 'no' }));
    // 0 of 2 against 12 of 14: the exact two-sided p is 1/20 (floating point sums it to just under).
    const atThreshold = changeOfPair(waveOf({ anonymous: induction(0, 2) }), waveOf({ wave: WAVE_1, definition: v1, anonymous: induction(12, 14) }));
    expect(atThreshold.p).toBeCloseTo(0.05, 12);
    expect(atThreshold.verdict).toBe('no evidence of change');
    expect(atThreshold.statement).toContain("no evidence of change (Fisher's exact p = 0.050)");
    // 0 of 2 against 5 of 5: p = 1/21, below the threshold.
    const below = changeOfPair(waveOf({ anonymous: induction(0, 2) }), waveOf({ wave: WAVE_1, definition: v1, anonymous: induction(5, 5) }));
    expect(below.p).toBeCloseTo(1 / 21, 12);
    expect(below.verdict).toBe('evidence of change');
    // Shown to three places, so a p just under the threshold never reads as 0.05.
    expect(below.statement).toContain("evidence of change (Fisher's exact p = 0.048)");
  });

  it('uses a permutation test for the time_share means, reproducing permutationTest on the raw values', () => {
    const change = changeOf('time_share', 'children', 'mean');
    const expected = permutationTest([40, 50, 60], [10, 20, 30])!;
    expect(change.test).toBe('permutation');
    expect(change.difference).toBe(30);
    expect(change.p).toBe(expected.p);
    // Exactly, 2 of the 20 splits are as extreme: p is near 0.1.
    expect(change.p).toBeGreaterThan(0.07);
    expect(change.p).toBeLessThan(0.13);
    expect(change.verdict).toBe('no evidence of change');
    expect(change.statement).toMatch(
      /^a mean of 20 \(n=3\) in 2020-01 to a mean of 50 \(n=3\) in 2020-06: no evidence of change \(permutation test of means, 10000 resamples, p = 0\.\d\d\d?\)$/,
    );
  });

  it('finds evidence of change in a mean that moved from twenty 10s to twenty 90s', () => {
    const change = changeOf('time_share', 'budgets', 'mean');
    expect(change).toMatchObject({ test: 'permutation', difference: 80, verdict: 'evidence of change' });
    expect(change.p).toBeLessThan(0.001);
    expect(change.statement).toContain('evidence of change (permutation test of means, 10000 resamples, p < 0.001)');
  });

  it('gives "not comparable" for a time_share row answered in one wave or in none', () => {
    expect(changeOf('time_share', 'adults', 'mean')).toMatchObject({ test: 'permutation', difference: null, p: null, verdict: 'not comparable' });
    expect(changeOf('time_share', 'adults', 'mean').statement).toBe(
      'a mean of 50 (n=1) in 2020-01 to no answers in 2020-06: not comparable, a wave has no answers',
    );
    expect(changeOf('time_share', 'sds', 'mean').verdict).toBe('not comparable');
  });

  it('compares the groups summaries by a permutation test of means', () => {
    const change = changeOf('groups', 'groups_involved', 'summary');
    const expected = permutationTest([4, 6, 7, 9, 12], [3, 5, 6, 8])!;
    expect(change).toMatchObject({ test: 'permutation', p: expected.p, verdict: 'no evidence of change' });
    expect(change.difference).toBeCloseTo(7.6 - 5.5, 10);
    expect(changeOf('groups', 'groups_chaired', 'summary').verdict).toBe('not comparable');
  });

  it('compares the pressure bands low and high each with Fisher’s exact test', () => {
    const a = waveOf({ anonymous: times(10, (i) => ({ pressure: { budgets: i < 8 ? 5 : 3 } })) });
    const b = waveOf({ wave: WAVE_1, definition: v1, anonymous: times(10, (i) => ({ pressure: { budgets: i < 2 ? 5 : 1 } })) });
    const row = rowOf(tableOf(buildTables(a, b), 'pressure'), 'budgets');
    expect(row.change!.high).toMatchObject({ test: 'fisher-exact', verdict: 'evidence of change' });
    expect(row.change!.high!.p).toBe(fisherExact(8, 2, 2, 8));
    expect(row.change!.high!.difference).toBeCloseTo(60, 10);
    expect(row.change!.low!.p).toBe(fisherExact(0, 10, 8, 2));
    expect(row.change!.low!.difference).toBeCloseTo(-80, 10);
  });
});

/** A plain, editable copy of v2's input, for definitions with items that exist in one wave only. */
interface EditableDefinition {
  version: number;
  parts: { id: string; sections: { id: string; title: string; items: Record<string, unknown>[] }[] }[];
}
const variantOf = (version: number, edit: (definition: EditableDefinition) => void): SurveyDefinition => {
  const copy = JSON.parse(JSON.stringify(v2)) as EditableDefinition;
  copy.version = version;
  edit(copy);
  return defineSurvey(copy);
};

describe('an item in one wave’s definition only', () => {
  // v3: v2 with a new part-two single-choice item, and a new option for time_in_post.
  const v3 = variantOf(3, (d) => {
    d.parts[1]!.sections.push({
      id: 'remote',
      title: 'Remote working',
      items: [
        {
          id: 'remote_working',
          kind: 'single',
          label: 'Do you mostly work from home?',
          options: [
            { code: 'yes', label: 'Yes' },
            { code: 'no', label: 'No' },
          ],
        },
      ],
    });
    const timeInPost = d.parts[0]!.sections.flatMap((s) => s.items).find((i) => i.id === 'time_in_post')!;
    (timeInPost.options as { code: string; label: string }[]).push({ code: 'gt10', label: 'More than 10 years' });
  });
  const remoteSpec: TableSpec = { id: 'remote_working', title: 'Working from home', part: 'anonymous', kind: 'share', items: ['remote_working'] };
  const catalogue = [...tableCatalogue, remoteSpec];
  const newer = waveOf({
    wave: '2021-01',
    definition: v3,
    identifiable: [{ time_in_post: 'gt10' }, { time_in_post: 'lt1' }],
    anonymous: [{ remote_working: 'yes' }, { remote_working: 'yes' }, { remote_working: 'no' }],
  });
  const older = waveOf({ wave: WAVE_1, definition: v1, identifiable: [{ time_in_post: 'lt1' }], anonymous: [{ induction: 'yes' }, { induction: 'no' }] });

  it('is reported for the wave that has it, uncompared, and listed as not compared with the reason', () => {
    const result = buildTables(newer, older, catalogue);
    const table = tableOf(result, 'remote_working');
    expect(table.compareWave).toBeUndefined();
    for (const row of table.rows) {
      expect(row.compare).toBeUndefined();
      expect(row.change).toBeUndefined();
    }
    expect(shareCell(table, 'yes').count).toBe(2);
    expect(shareCell(table, 'yes').n).toBe(3);
    expect(result.omitted).toEqual([{ id: 'remote_working', reason: 'not compared with wave 2020-01: item remote_working is not in cswo-annual@1' }]);
    // The text shows the table, and does not claim it is not shown.
    const text = tablesAsText(result);
    expect(text).toContain('Working from home [remote_working]');
    expect(text).toContain('  Yes   67% (2/3)\n  No    33% (1/3)\n');
    expect(text).not.toContain('Not shown:');
    expect(text).toContain('Shown without comparison:\n  remote_working: not compared with wave 2020-01: item remote_working is not in cswo-annual@1');
    // The tidy records have this wave's cells, and for each cell the verdict in words: never a change.
    const tidy = tablesAsTidy(result).filter((r) => r.table === 'remote_working');
    expect(tidy.filter((r) => r.wave === '2021-01')).toHaveLength(2 * 5);
    expect(tidy.filter((r) => r.wave !== '2021-01')).toEqual(
      ['yes', 'no'].map((row) => ({
        wave: '2021-01 vs 2020-01',
        table: 'remote_working',
        row,
        column: 'share',
        field: 'verdict',
        value: 'not asked in 2020-01',
      })),
    );
  });

  it('is omitted, never shown as zeros, for the wave that lacks it', () => {
    const result = buildTables(older, newer, catalogue);
    expect(result.tables.map((t) => t.id)).not.toContain('remote_working');
    expect(result.omitted).toEqual([{ id: 'remote_working', reason: 'not in wave 2020-01: item remote_working is not in cswo-annual@1' }]);
    expect(tablesAsTidy(result).filter((r) => r.table === 'remote_working')).toEqual([]);
    const text = tablesAsText(result);
    expect(text).not.toContain('[remote_working]');
    expect(text).toContain('Not shown:\n  remote_working: not in wave 2020-01: item remote_working is not in cswo-annual@1');
    // Alone, too.
    const single = buildTables(older, undefined, catalogue);
    expect(single.omitted).toEqual([{ id: 'remote_working', reason: 'not in wave 2020-01: item remote_working is not in cswo-annual@1' }]);
    expect(single.tables).toHaveLength(tableCatalogue.length);
  });

  it('compares only the rows both waves have: a new option is left uncompared, not read as zero', () => {
    const table = tableOf(buildTables(newer, older, catalogue), 'time_in_post');
    expect(table.rows.map((r) => r.id)).toEqual(['lt1', '1_2', '3_5', 'gt5', 'gt10']);
    const added = rowOf(table, 'gt10');
    expect(added.compare).toBeUndefined();
    expect(added.change).toBeUndefined();
    expect(shareCell(table, 'gt10').count).toBe(1);
    const kept = rowOf(table, 'lt1');
    expect(kept.change!.share).toMatchObject({ test: 'fisher-exact', p: fisherExact(1, 1, 1, 0) });
    // Backwards: the option missing from 2020-01 does not appear in its table at all.
    const back = tableOf(buildTables(older, newer, catalogue), 'time_in_post');
    expect(back.rows.map((r) => r.id)).toEqual(['lt1', '1_2', '3_5', 'gt5']);
  });

  it('omits a whole number-summary table when one of its items is missing, rather than half of it', () => {
    const noChaired = variantOf(4, (d) => {
      for (const section of d.parts[1]!.sections) section.items = section.items.filter((i) => i.id !== 'groups_chaired');
    });
    const result = buildTables(waveOf({ wave: '2021-06', definition: noChaired, anonymous: [{ groups_involved: 3 }] }));
    expect(result.tables.map((t) => t.id)).not.toContain('groups');
    expect(result.omitted).toEqual([{ id: 'groups', reason: 'not in wave 2021-06: item groups_chaired is not in cswo-annual@4' }]);
  });

  it('omits a table whose item has another kind, saying which', () => {
    const textSpec: TableSpec = { id: 'covid_reflections', title: 'COVID-19', part: 'anonymous', kind: 'share', items: ['covid_reflections'] };
    const result = buildTables(waveOf({ anonymous: [{ covid_reflections: 'Hard.' }] }), undefined, [textSpec]);
    expect(result.tables).toEqual([]);
    expect(result.omitted).toEqual([
      { id: 'covid_reflections', reason: 'not in wave 2020-06: item covid_reflections is a text item, not single or multi or rating' },
    ]);
  });

  it('in the published definitions, v2 compared with v1 omits nothing of the catalogue', () => {
    expect(buildTables(waveOf({}), waveOf({ wave: WAVE_1, definition: v1 })).omitted).toEqual([]);
    expect(buildTables(waveOf({ wave: WAVE_1, definition: v1 }), waveOf({})).omitted).toEqual([]);
  });
});
