import { describe, expect, it } from 'vitest';
import { defaultQuasiIdentifiers, prepareMicrodata, type Microdata } from '../../analysis/index.js';
import { suppressLocally, type Combination } from '../../analysis/disclosure/local-suppression.js';
import { shuffled } from '../../analysis/disclosure/shuffle.js';
import { codeNumbers } from '../../analysis/disclosure/top-coding.js';
import { seededRandom } from '../../analysis/statistics/seeded-random.js';
import { itemsOf, kindOf, partOf, type Answers } from '../../survey-definitions/index.js';
import { bundledWave, randomWave } from './disclosure-data.js';
import { v2, waveOf, WAVE_1, WAVE_2 } from './fixtures.js';

const tally = (values: readonly unknown[]) => {
  const counts = new Map<string, number>();
  for (const v of values) if (v !== undefined) counts.set(JSON.stringify(v), (counts.get(JSON.stringify(v)) ?? 0) + 1);
  return counts;
};

describe('top- and bottom-coding of one numeric variable', () => {
  it('codes the tails at the k-th largest and k-th smallest values and blanks rare values between them', () => {
    const input = [8, 9, 10, 10, 11, 12, 12, 12, 12, 14, 15, 16, 20, 24, 50];
    const { values, coding } = codeNumbers('groups_involved', input, 3);
    expect(values).toEqual([10, 10, 10, 10, undefined, 12, 12, 12, 12, undefined, undefined, undefined, 20, 20, 20]);
    expect(coding).toEqual({ variable: 'groups_involved', top: { atLeast: 20, recoded: 2 }, bottom: { atMost: 10, recoded: 2 }, suppressed: 4 });
  });

  it('changes nothing when every value is already shared by k, and keeps blanks blank', () => {
    expect(codeNumbers('x', [undefined, 3, 3, 3, 7, 7, 7], 3)).toEqual({ values: [undefined, 3, 3, 3, 7, 7, 7], coding: { variable: 'x', suppressed: 0 } });
  });

  it('blanks everything when fewer than k answered', () => {
    expect(codeNumbers('x', [1, undefined, 2], 3)).toEqual({ values: [undefined, undefined, undefined], coding: { variable: 'x', suppressed: 2 } });
  });

  it('blanks the few values below the top code when there are too few of them to bottom-code', () => {
    expect(codeNumbers('x', [1, 2, 9, 9, 9, 30], 3)).toEqual({
      values: [undefined, undefined, 9, 9, 9, 9],
      coding: { variable: 'x', top: { atLeast: 9, recoded: 1 }, suppressed: 2 },
    });
  });

  it('property: no value left is held by fewer than k, and every value left is its answer or a tail code', () => {
    const random = seededRandom(7);
    for (let t = 0; t < 300; t++) {
      const k = 2 + Math.floor(random() * 4);
      const input = Array.from({ length: 5 + Math.floor(random() * 25) }, () => (random() < 0.15 ? undefined : Math.floor(random() ** 3 * 60)));
      const { values, coding } = codeNumbers('x', input, k);
      for (const count of tally(values).values()) expect(count).toBeGreaterThanOrEqual(k);
      values.forEach((v, i) => {
        if (v === undefined || v === input[i]) return;
        expect([coding.top?.atLeast, coding.bottom?.atMost]).toContain(v);
        expect(v === coding.top?.atLeast ? input[i]! > v : input[i]! < v).toBe(true);
      });
      expect(values.filter((v, i) => v === undefined && input[i] !== undefined).length).toBe(coding.suppressed);
    }
  });
});

const classesOf = (rows: readonly Combination[]) => tally(rows.map((r) => r.map((v) => v ?? null)));

describe('local suppression for k-anonymity', () => {
  it('joins a lone combination to the nearest class: (y,p) and the three (x,p) become four (-,p), 4 blanks not 8', () => {
    const rows: Combination[] = [
      ['x', 'p'],
      ['x', 'p'],
      ['x', 'p'],
      ['x', 'q'],
      ['x', 'q'],
      ['x', 'q'],
      ['y', 'p'],
    ];
    const result = suppressLocally(rows, 3);
    expect(result.rows).toEqual([
      [undefined, 'p'],
      [undefined, 'p'],
      [undefined, 'p'],
      ['x', 'q'],
      ['x', 'q'],
      ['x', 'q'],
      [undefined, 'p'],
    ]);
    expect(result.blanked).toHaveLength(4);
  });

  it('pulls a spare row into a short class rather than blanking the short class further', () => {
    // (x,-) has 2 rows: one of the four (x,p) can join it with one blank.
    const rows: Combination[] = [
      ['x', undefined],
      ['x', undefined],
      ['x', 'p'],
      ['x', 'p'],
      ['x', 'p'],
      ['x', 'p'],
      ['y', 'q'],
      ['y', 'q'],
      ['y', 'q'],
    ];
    const result = suppressLocally(rows, 3);
    expect(result.blanked).toHaveLength(1);
    expect([...classesOf(result.rows).values()].every((c) => c >= 3)).toBe(true);
  });

  it('leaves a table that is already 3-anonymous alone, and refuses fewer than k rows', () => {
    const rows: Combination[] = [['a'], ['a'], ['a'], [undefined], [undefined], [undefined]];
    expect(suppressLocally(rows, 3)).toEqual({ rows, blanked: [] });
    expect(() => suppressLocally([['a'], ['b']], 3)).toThrow(/at least k = 3 rows/);
  });

  it('property: every combination (a blank counts as a value) occurs k times or more; only blanks are added', () => {
    const random = seededRandom(11);
    for (let t = 0; t < 200; t++) {
      const k = 2 + Math.floor(random() * 3);
      const width = 1 + Math.floor(random() * 4);
      const sizes = Array.from({ length: width }, () => 2 + Math.floor(random() * 4));
      const input: Combination[] = Array.from({ length: k + Math.floor(random() * 25) }, () =>
        sizes.map((s) => (random() < 0.1 ? undefined : String(Math.floor(random() ** 2 * s)))),
      );
      const { rows, blanked } = suppressLocally(input, k);
      for (const count of classesOf(rows).values()) expect(count).toBeGreaterThanOrEqual(k);
      let changed = 0;
      rows.forEach((r, i) =>
        r.forEach((v, j) => {
          if (v === input[i]![j]) return;
          expect(v).toBeUndefined();
          changed++;
        }),
      );
      expect(changed).toBe(blanked.length);
    }
  });

  it('is close to the fewest blanks possible: against brute force on 60 small tables, never above 1.5 times, equal in over 80 %, 5 % above in all', () => {
    const random = seededRandom(3);
    let equal = 0;
    let greedyTotal = 0;
    let bestTotal = 0;
    const trials = 60;
    for (let t = 0; t < trials; t++) {
      const input: Combination[] = Array.from({ length: 6 + Math.floor(random() * 3) }, () => [
        String(Math.floor(random() * 2)),
        String(Math.floor(random() * 3)),
      ]);
      const cells = input.length * 2;
      let best = Infinity;
      for (let mask = 0; mask < 1 << cells; mask++) {
        const ones = mask.toString(2).split('1').length - 1;
        if (ones >= best) continue;
        const rows = input.map((r, i) => r.map((v, j) => (mask & (1 << (i * 2 + j)) ? undefined : v)));
        if ([...classesOf(rows).values()].every((c) => c >= 3)) best = ones;
      }
      const greedy = suppressLocally(input, 3).blanked.length;
      expect(greedy).toBeGreaterThanOrEqual(best);
      expect(greedy).toBeLessThanOrEqual(Math.ceil(best * 1.5));
      if (greedy === best) equal++;
      greedyTotal += greedy;
      bestTotal += best;
    }
    expect(equal).toBeGreaterThan(trials * 0.8);
    expect(greedyTotal).toBeLessThanOrEqual(bestTotal * 1.05);
  });
});

describe('shuffling', () => {
  it('is a permutation; seeded runs repeat, the default (CSPRNG) does not', () => {
    const items = Array.from({ length: 21 }, (_, i) => i);
    const a = shuffled(items, seededRandom(1));
    expect([...a].sort((x, y) => x - y)).toEqual(items);
    expect(shuffled(items, seededRandom(1))).toEqual(a);
    expect(shuffled(items, seededRandom(2))).not.toEqual(a);
    const c = shuffled(items);
    expect([...c].sort((x, y) => x - y)).toEqual(items);
    // 21! orders: two CSPRNG shuffles agree with probability 2e-20.
    expect(shuffled(items)).not.toEqual(c);
  });
});

// ----------------------------------------------------------------------------------- microdata

const partTwoIds = itemsOf(partOf(v2, 'anonymous')).map((i) => i.id);
const textIds = itemsOf(partOf(v2, 'anonymous'))
  .filter((i) => kindOf(i).freeText)
  .map((i) => i.id);
const numberItems = itemsOf(partOf(v2, 'anonymous'))
  .filter((i) => i.kind === 'number')
  .map((i) => i.id);
const matrixNumberItems = itemsOf(partOf(v2, 'anonymous'))
  .filter((i) => i.kind === 'matrix-number')
  .map((i) => i.id);

/** Released numbers (number items, and rows of a matrix of numbers) held by fewer than k rows. */
const rareNumbers = (rows: readonly Answers[], k: number): string[] => {
  const variables = new Map<string, unknown[]>();
  const add = (name: string, value: unknown) => variables.set(name, [...(variables.get(name) ?? []), value]);
  for (const row of rows) {
    for (const [id, value] of Object.entries(row)) {
      if (numberItems.includes(id)) add(id, value);
      else if (matrixNumberItems.includes(id)) for (const [r, v] of Object.entries(value as object)) add(`${id}.${r}`, v);
    }
  }
  return [...variables].flatMap(([name, values]) => [...tally(values)].filter(([, c]) => c < k).map(([v, c]) => `${name} = ${v} held by ${c}`));
};

/** Combinations as the release shows them: a withheld cell (`.s`) apart from an unanswered one (null). */
const rareCombinations = (m: Microdata, k: number): string[] =>
  [...tally(m.rows.map((r, i) => m.report.quasiIdentifiers.map((q) => (m.suppressed[i]!.includes(q) ? '.s' : (r[q] ?? null)))))]
    .filter(([, c]) => c < k)
    .map(([v, c]) => `${v} held by ${c}`);

const N = 21;
const hand = waveOf({
  wave: WAVE_2,
  anonymous: Array.from({ length: N }, (_, i) => ({
    extra_hours_band: i < 12 ? '10_20' : i < 18 ? 'lt10' : 'gt20',
    admin_support: i % 3 === 0 ? 'none' : 'dedicated',
    senior_team_member: i < 20 ? 'yes' : 'no',
    budget_involvement: i < 10 ? 'fully' : 'some',
    groups_involved: [8, 9, 10, 10, 11, 12, 12, 12, 12, 14, 15, 16, 20, 24, 50, 12, 12, 13, 13, 13, 10][i],
    time_share: { children: 10 + 5 * (i % 4), adults: i === 0 ? 90 : 10 },
    pressure: { children: 1 + (i % 5) },
    induction: i % 2 === 0 ? 'yes' : 'no',
    resources: i % 2 === 0 ? ['reading'] : [],
    // A marker for the tests only: released text lets a row be matched to its input.
    final_reflections: `row ${i}`,
    pressures_comment: `=HYPERLINK("http://example.org") ${i}`,
  })),
}).responses.anonymous;

describe('researcher microdata of part two', () => {
  const m = prepareMicrodata(v2, hand, { random: seededRandom(5) });

  it('leaves out free text by default and lists what it dropped', () => {
    expect(m.report.dropped).toEqual(textIds.map((item) => ({ item, reason: 'free text' })));
    expect(m.report.items).toEqual(partTwoIds.filter((id) => !textIds.includes(id)));
    for (const row of m.rows) for (const id of textIds) expect(row).not.toHaveProperty(id);
  });

  it('releases text only when asked, and only the free-text items named', () => {
    const all = prepareMicrodata(v2, hand, { releaseText: true, random: seededRandom(5) });
    expect(all.report.dropped).toEqual([]);
    const one = prepareMicrodata(v2, hand, { releaseText: ['final_reflections'], random: seededRandom(5) });
    expect(one.report.dropped.map((d) => d.item)).toEqual(textIds.filter((id) => id !== 'final_reflections'));
    expect(one.rows.every((r) => /^row \d+$/.test(r.final_reflections as string))).toBe(true);
    // Formula neutralising is the CSV writer's: the text is released exactly as written.
    expect(all.rows.some((r) => (r.pressures_comment as string).startsWith('=HYPERLINK'))).toBe(true);
    expect(() => prepareMicrodata(v2, hand, { releaseText: ['induction'] })).toThrow(/not free-text items/);
  });

  it('top-codes groups_involved at its third-largest value and reports it', () => {
    expect(m.report.numbers.find((n) => n.variable === 'groups_involved')).toEqual({
      variable: 'groups_involved',
      top: { atLeast: 20, recoded: 2 },
      bottom: { atMost: 10, recoded: 2 },
      suppressed: 4,
    });
    expect(tally(m.rows.map((r) => r.groups_involved))).toEqual(
      new Map([
        ['10', 5],
        ['12', 6],
        ['13', 3],
        ['20', 3],
      ]),
    );
    // time_share.adults: one 90 among twenty 10s: the 90 is coded as "10 or more".
    expect(m.report.numbers.find((n) => n.variable === 'time_share.adults')).toEqual({
      variable: 'time_share.adults',
      top: { atLeast: 10, recoded: 1 },
      suppressed: 0,
    });
    expect(m.rows.every((r) => (r.time_share as Record<string, number>).adults === 10)).toBe(true);
  });

  it('blanks the lone "no" of senior_team_member and the three gt20 rows stay together: every combination held by 3', () => {
    expect(m.report.quasiIdentifiers).toEqual([...defaultQuasiIdentifiers]);
    expect(rareCombinations(m, 3)).toEqual([]);
    expect(m.rows.filter((r) => r.senior_team_member === 'no')).toHaveLength(0);
    expect(m.report.localSuppression.cells).toBeGreaterThan(0);
    expect(Object.values(m.report.localSuppression.byItem).reduce((a, b) => a + b, 0)).toBe(m.report.localSuppression.cells);
  });

  it('gives rows with no id, answers in definition order, in an order unrelated to the input', () => {
    expect(m.rows).toHaveLength(N);
    for (const row of m.rows) {
      const keys = Object.keys(row);
      expect(keys.every((k) => partTwoIds.includes(k))).toBe(true);
      expect(keys).toEqual([...keys].sort((a, b) => partTwoIds.indexOf(a) - partTwoIds.indexOf(b)));
    }
    const withText = prepareMicrodata(v2, hand, { releaseText: ['final_reflections'] });
    const order = withText.rows.map((r) => Number(String(r.final_reflections).slice(4)));
    expect([...order].sort((a, b) => a - b)).toEqual(Array.from({ length: N }, (_, i) => i));
    expect(order).not.toEqual(Array.from({ length: N }, (_, i) => i));
    expect(withText.report.order).toBe('shuffled (CSPRNG)');
    expect(m.report.order).toBe('shuffled (seeded: not for release)');
  });

  it('changes nothing it does not report: every difference from the input is a reported code or blank', () => {
    const out = prepareMicrodata(v2, hand, { releaseText: ['final_reflections'], random: seededRandom(9) });
    let blanks = 0;
    let numberBlanks = 0;
    for (const row of out.rows) {
      const input = hand[Number(String(row.final_reflections).slice(4))]!;
      for (const id of out.report.items) {
        const before = input[id];
        const after = row[id];
        if (JSON.stringify(before) === JSON.stringify(after)) continue;
        if (out.report.quasiIdentifiers.includes(id)) {
          expect(after, id).toBeUndefined();
          blanks++;
        } else if (id === 'groups_involved' || id === 'groups_chaired') {
          const coding = out.report.numbers.find((n) => n.variable === id)!;
          if (after === undefined) numberBlanks++;
          else expect([coding.top?.atLeast, coding.bottom?.atMost], id).toContain(after);
        } else if (id === 'time_share') {
          for (const [r, v] of Object.entries(before as Record<string, number>)) {
            const now = (after as Record<string, number> | undefined)?.[r];
            const coding = out.report.numbers.find((n) => n.variable === `time_share.${r}`);
            if (now === v) continue;
            if (now === undefined) numberBlanks++;
            else expect([coding?.top?.atLeast, coding?.bottom?.atMost]).toContain(now);
          }
        } else {
          throw new Error(`${id} changed: ${JSON.stringify(before)} -> ${JSON.stringify(after)}`);
        }
      }
    }
    expect(blanks).toBe(out.report.localSuppression.cells);
    expect(numberBlanks).toBe(out.report.numbers.reduce((s, n) => s + n.suppressed, 0));
  });

  it('lists every withheld cell by its column, and nothing else: an unanswered question is not withheld', () => {
    const out = prepareMicrodata(v2, hand, { releaseText: ['final_reflections'], random: seededRandom(9) });
    expect(out.suppressed).toHaveLength(out.rows.length);
    let listed = 0;
    out.rows.forEach((row, i) => {
      const input = hand[Number(String(row.final_reflections).slice(4))]!;
      for (const column of out.suppressed[i]!) {
        listed++;
        const [id, sub] = column.split('.');
        const before = sub === undefined ? input[id!] : (input[id!] as Record<string, unknown> | undefined)?.[sub];
        const after = sub === undefined ? row[id!] : (row[id!] as Record<string, unknown> | undefined)?.[sub];
        expect(before, column).toBeDefined();
        expect(after, column).toBeUndefined();
      }
    });
    expect(listed).toBe(out.report.localSuppression.cells + out.report.numbers.reduce((s, n) => s + n.suppressed, 0));
  });

  it('gives the same cells for the same answers whatever their order and the shuffle: only the order of rows differs', () => {
    const canonical = (m: Microdata) => m.rows.map((r, i) => JSON.stringify([r, [...m.suppressed[i]!].sort()])).sort();
    for (const wave of [bundledWave(WAVE_1), bundledWave(WAVE_2), randomWave(77)]) {
      const a = prepareMicrodata(wave.definition, wave.responses.anonymous, { random: seededRandom(1) });
      const b = prepareMicrodata(wave.definition, [...wave.responses.anonymous].reverse(), { random: seededRandom(2) });
      const c = prepareMicrodata(wave.definition, shuffled(wave.responses.anonymous, seededRandom(3)));
      expect(canonical(b)).toEqual(canonical(a));
      expect(canonical(c)).toEqual(canonical(a));
      expect(b.report).toEqual(a.report);
    }
    // Releasing free text changes no other cell: the text is only a tie-break among rows alike in everything else.
    const withText = prepareMicrodata(v2, hand, { releaseText: true, random: seededRandom(4) });
    const without = prepareMicrodata(v2, hand, { random: seededRandom(5) });
    const untexted = (m: Microdata) =>
      canonical({ ...m, rows: m.rows.map((r) => Object.fromEntries(Object.entries(r).filter(([id]) => !textIds.includes(id)))) });
    expect(untexted(withText)).toEqual(untexted(without));
  });

  it('takes other quasi-identifiers and k, and refuses ones it does not release', () => {
    const five = prepareMicrodata(v2, hand, { k: 5, quasiIdentifiers: ['induction', 'groups_involved'], random: seededRandom(1) });
    expect(rareCombinations(five, 5)).toEqual([]);
    expect(rareNumbers(five.rows, 5)).toEqual([]);
    expect(() => prepareMicrodata(v2, hand, { quasiIdentifiers: ['final_reflections'] })).toThrow(/not released items/);
  });

  it('releases nothing from fewer than k responses', () => {
    const few = prepareMicrodata(v2, hand.slice(0, 2));
    expect(few.rows).toEqual([]);
    expect(few.report.withheld).toMatch(/fewer than k = 3/);
  });

  it('property: on random and bundled waves, no rare combination, no rare number, no text', () => {
    const waves = [...Array.from({ length: 10 }, (_, i) => randomWave(500 + i, i % 2 ? WAVE_1 : WAVE_2)), bundledWave(WAVE_1), bundledWave(WAVE_2)];
    for (const wave of waves) {
      for (const k of [3, 4]) {
        const out = prepareMicrodata(wave.definition, wave.responses.anonymous, { k, random: seededRandom(k) });
        expect(out.rows).toHaveLength(wave.responses.anonymous.length);
        expect(rareCombinations(out, k)).toEqual([]);
        expect(rareNumbers(out.rows, k)).toEqual([]);
        for (const row of out.rows) for (const id of Object.keys(row)) expect(textIds).not.toContain(id);
      }
    }
  });
});
