import { describe, expect, it } from 'vitest';
import { buildTables, fisherExact, tablesAsText, tablesAsTidy, tidyHeader, type TidyRecord } from '../../analysis/index.js';
import { v1, waveOf, WAVE_1 } from './fixtures.js';

const now = waveOf({
  identifiable: [{ time_in_post: 'lt1' }, { time_in_post: 'lt1' }, { time_in_post: '3_5' }, { role: 'cswo' }],
  anonymous: [
    { groups_involved: 3, groups_chaired: 1, time_share: { children: 40 }, pressure: { children: 5 }, resources: ['reading'] },
    { groups_involved: 4, time_share: { children: 30 }, pressure: { children: 1 }, resources: [] },
  ],
});
const before = waveOf({
  wave: WAVE_1,
  definition: v1,
  identifiable: [{ time_in_post: 'lt1' }, { time_in_post: '3_5' }, { time_in_post: '3_5' }, { time_in_post: 'gt5' }],
  anonymous: [{ groups_involved: 3, time_share: { children: 10 } }],
});
const alone = buildTables(now);
const compared = buildTables(now, before);

/** The lines of one table's block in the text, from its title line to the blank line after it. */
const block = (text: string, id: string): string[] => {
  const lines = text.split('\n');
  const start = lines.findIndex((l) => l.endsWith(`[${id}]`));
  if (start < 0) throw new Error(`no table ${id} in the text`);
  const end = lines.indexOf('', start);
  return lines.slice(start, end < 0 ? undefined : end);
};

describe('tablesAsText', () => {
  const text = tablesAsText(alone);

  it('starts with the wave, its definition and the respondents of each part', () => {
    expect(text.split('\n').slice(0, 2)).toEqual([
      'Wave 2020-06 (cswo-annual@2): 4 part one and 2 part two responses',
      'Percentages are rounded here; exact values are in --format json or csv.',
    ]);
  });

  it('shows each share as a rounded percentage with count/n, and n=0 as "no answers"', () => {
    expect(block(text, 'time_in_post')).toEqual([
      'Time in post as CSWO [time_in_post]',
      '  n counts respondents who answered the question.',
      '  Less than 1 year    67% (2/3)',
      '  1 to 2 years         0% (0/3)',
      '  3 to 5 years        33% (1/3)',
      '  More than 5 years    0% (0/3)',
    ]);
    expect(block(text, 'contract')).toEqual([
      'CSWO contract [contract]',
      '  n counts respondents who answered the question.',
      '  Permanent  no answers',
      '  Acting     no answers',
      '  Temporary  no answers',
    ]);
  });

  it('shows multiple choice with n counting the empty answer', () => {
    const lines = block(text, 'resources');
    expect(lines).toContain('  Professional articles, books and blogs                 50% (1/2)');
    expect(lines).toContain('  SOLACE                                                  0% (0/2)');
  });

  it('shows the pressure bands side by side under their column labels', () => {
    const lines = block(text, 'pressure');
    expect(lines[2]!.trim()).toBe('Lowest (1-2) | Highest (4-5)');
    expect(lines[3]).toMatch(/^ {2}Children's social work and social care, child protection, f… {2} 50% \(1\/2\) \|  50% \(1\/2\)$/);
    expect(lines).toContain('  Budgets                                                       no answers | no answers');
  });

  it('shows means to one decimal and summaries with median, range and mean', () => {
    expect(block(text, 'time_share')).toContain("  Children's social work and social care, child protection, f…   35.0 (n=2)");
    const groups = block(text, 'groups');
    expect(groups).toContain('  How many groups, boards and committees do you attend regula…  median 3.5, range 3-4, mean 3.5 (n=2)');
    expect(groups).toContain('  How many of those do you chair?                               median 1, range 1-1, mean 1 (n=1)');
  });

  it('has one block per table, 31 in all, and no "Not shown" section when nothing is omitted', () => {
    expect(text.split('\n').filter((l) => /^\S.* \[[a-z_]+\]$/.test(l))).toHaveLength(31);
    expect(text).not.toContain('Not shown:');
    expect(text.endsWith('\n')).toBe(true);
  });

  describe('with a compared wave', () => {
    const textCompared = tablesAsText(compared);

    it('names the compared wave in the heading', () => {
      expect(textCompared.split('\n')[1]).toBe('Compared with wave 2020-01 (cswo-annual@1): 4 part one and 1 part two responses');
    });

    it('shows both waves’ cells and the comparison statement under each row', () => {
      const lines = block(textCompared, 'time_in_post');
      expect(lines.slice(2, 5)).toEqual([
        '  Less than 1 year    67% (2/3)   (2020-06)',
        '                      25% (1/4)   (2020-01)',
        "      25% (n=4) in 2020-01 to 67% (n=3) in 2020-06: no evidence of change (Fisher's exact p = 0.49)",
      ]);
      expect(lines).toContain("      50% (n=4) in 2020-01 to 33% (n=3) in 2020-06: no evidence of change (Fisher's exact p = 1.00)");
      // 3_5: 1 of 3 against 2 of 4, whose p is exactly 1.
      expect(fisherExact(1, 2, 2, 2)).toBe(1);
    });

    it('labels each statement with its column in multi-column tables, and says when a wave has no answers', () => {
      const lines = block(textCompared, 'pressure');
      expect(lines).toContain('      no answers in 2020-01 to 50% (n=2) in 2020-06: not comparable, a wave has no answers [Lowest (1-2)]');
      expect(lines).toContain('      no answers in 2020-01 to 50% (n=2) in 2020-06: not comparable, a wave has no answers [Highest (4-5)]');
    });

    it('states the permutation test for means', () => {
      const lines = block(textCompared, 'time_share');
      expect(
        lines.some((l) =>
          /^ {6}a mean of 10 \(n=1\) in 2020-01 to a mean of 35 \(n=2\) in 2020-06: (no )?evidence of change \(permutation test of means, 10000 resamples, p [=<] [0-9.]+\)$/.test(
            l,
          ),
        ),
      ).toBe(true);
    });
  });
});

describe('tablesAsTidy', () => {
  const records = tablesAsTidy(alone);

  it('has the columns wave, table, row, column, field, value', () => {
    expect([...tidyHeader]).toEqual(['wave', 'table', 'row', 'column', 'field', 'value']);
    for (const record of records) expect(Object.keys(record)).toEqual(['wave', 'table', 'row', 'column', 'field', 'value']);
  });

  const of = (rs: readonly TidyRecord[], table: string, row: string, column: string, wave = '2020-06') =>
    Object.fromEntries(rs.filter((r) => r.table === table && r.row === row && r.column === column && r.wave === wave).map((r) => [r.field, r.value]));

  it('gives a share cell the fields n, count, pct, ci_low and ci_high, unrounded', () => {
    const lt1 = of(records, 'time_in_post', 'lt1', 'share');
    expect(Object.keys(lt1)).toEqual(['n', 'count', 'pct', 'ci_low', 'ci_high']);
    expect(lt1).toMatchObject({ n: 3, count: 2, pct: (2 / 3) * 100 });
    expect(lt1.ci_low as number).toBeCloseTo(20.766, 3);
    expect(lt1.ci_high as number).toBeCloseTo(93.851, 3);
  });

  it('leaves pct, ci_low and ci_high null together when n is 0', () => {
    expect(of(records, 'contract', 'acting', 'share')).toEqual({ n: 0, count: 0, pct: null, ci_low: null, ci_high: null });
  });

  it('gives mean cells n, mean, sd and summary cells n, median, min, max, mean', () => {
    expect(of(records, 'time_share', 'children', 'mean')).toEqual({ n: 2, mean: 35, sd: expect.closeTo(Math.sqrt(50), 10) });
    expect(of(records, 'groups', 'groups_involved', 'summary')).toEqual({ n: 2, median: 3.5, min: 3, max: 4, mean: 3.5 });
    expect(of(records, 'pressure', 'children', 'high')).toMatchObject({ n: 2, count: 1, pct: 50 });
  });

  it('has exactly one record per cell field', () => {
    let expected = 0;
    for (const table of alone.tables) {
      for (const row of table.rows)
        for (const column of table.columns) {
          const cell = row.cells[column.id]!;
          expected += 'count' in cell ? 5 : 'median' in cell ? 5 : 3;
        }
    }
    expect(records).toHaveLength(expected);
    const keys = records.map((r) => `${r.wave}|${r.table}|${r.row}|${r.column}|${r.field}`);
    expect(new Set(keys).size).toBe(records.length);
    expect(new Set(records.map((r) => r.wave))).toEqual(new Set(['2020-06']));
  });

  it('adds the compared wave’s fields and the change (difference, test, p, verdict) under the wave pair', () => {
    const tidy = tablesAsTidy(compared);
    expect(of(tidy, 'time_in_post', 'lt1', 'share', '2020-01')).toMatchObject({ n: 4, count: 1, pct: 25 });
    const change = of(tidy, 'time_in_post', 'lt1', 'share', '2020-06 vs 2020-01');
    expect(change).toEqual({
      difference: expect.closeTo((2 / 3) * 100 - 25, 10),
      test: 'fisher-exact',
      p: fisherExact(2, 1, 1, 3),
      verdict: 'no evidence of change',
    });
    expect(of(tidy, 'contract', 'acting', 'share', '2020-06 vs 2020-01')).toEqual({
      difference: null,
      test: 'fisher-exact',
      p: null,
      verdict: 'not comparable',
    });
    expect(of(tidy, 'time_share', 'children', 'mean', '2020-06 vs 2020-01')).toMatchObject({ difference: 25, test: 'permutation' });
    expect(new Set(tidy.map((r) => r.wave))).toEqual(new Set(['2020-06', '2020-01', '2020-06 vs 2020-01']));
  });
});
