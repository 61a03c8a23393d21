import { describe, expect, it } from 'vitest';
import { prepareMicrodata, type Microdata } from '../../analysis/index.js';
import { suppressClasses, suppressLocally, type Combination } from '../../analysis/disclosure/local-suppression.js';
import {
  MicrodataPlanMismatch,
  rankMicrodata,
  releaseMicrodata,
  startMicrodataPlan,
  type MicrodataOptions,
  type MicrodataPlan,
} from '../../analysis/disclosure/microdata.js';
import { shuffled } from '../../analysis/disclosure/shuffle.js';
import { seededRandom } from '../../analysis/statistics/seeded-random.js';
import { itemsOf, kindOf, partOf, type Answers, type SurveyDefinition } from '../../survey-definitions/index.js';
import { bundledWave, randomWave } from './disclosure-data.js';
import { v2, WAVE_1, WAVE_2 } from './fixtures.js';

/** Pass one over `first`, the ranking pass (when the plan needs it) over `second`, pass two over `third`: as the researcher package runs them. */
const twoPass = (
  definition: SurveyDefinition,
  first: readonly Answers[],
  options: MicrodataOptions,
  second: readonly Answers[] = first,
  third: readonly Answers[] = first,
): { plan: MicrodataPlan; out: Microdata } => {
  const planner = startMicrodataPlan(definition, options);
  for (const row of first) planner.add(row);
  let plan = planner.plan();
  if (plan.report.withheld !== undefined) return { plan, out: { rows: [], suppressed: [], report: plan.report } };
  const ranked = plan.ranked;
  if (!plan.ranked) {
    const ranking = rankMicrodata(plan);
    for (const row of second) ranking.add(row);
    plan = ranking.finish();
  }
  const release = releaseMicrodata(plan);
  const rows = third.map((row) => release.apply(row));
  release.finish();
  return { plan: { ...plan, ranked }, out: { rows: rows.map((r) => r.row), suppressed: rows.map((r) => r.suppressed), report: plan.report } };
};

/** The cells as a release shows them, per row: every column of the items asked, `.s` where withheld, '' where unanswered. */
const shownCells = (definition: SurveyDefinition, m: Microdata, ids: readonly string[]): string[][] => {
  const items = itemsOf(partOf(definition, 'anonymous')).filter((i) => ids.includes(i.id));
  return m.rows.map((row, r) =>
    items.flatMap((item) => {
      const columns = kindOf(item).columns(item);
      const cells = row[item.id] === undefined ? columns.map(() => '') : kindOf(item).toCells(item, row[item.id]!);
      return columns.map((column, i) => (m.suppressed[r]!.includes(column) ? '.s' : cells[i]!));
    }),
  );
};

const rare = (records: readonly (readonly string[])[], k: number): string[] => {
  const counts = new Map<string, number>();
  for (const r of records) counts.set(JSON.stringify(r), (counts.get(JSON.stringify(r)) ?? 0) + 1);
  return [...counts].filter(([, c]) => c < k).map(([v, c]) => `${v} held by ${c}`);
};

/** Every released combination of the quasi-identifiers (as shown) and every released number is held by k rows. */
const leaks = (definition: SurveyDefinition, m: Microdata, k: number): string[] => {
  const numeric = itemsOf(partOf(definition, 'anonymous')).filter((i) => kindOf(i).numberVariables && m.report.items.includes(i.id));
  const numbers = numeric.flatMap((item) => {
    const cells = shownCells(definition, m, [item.id]);
    return kindOf(item)
      .columns(item)
      .flatMap((column, i) =>
        rare(
          cells.map((c) => [c[i]!]).filter(([c]) => c !== '' && c !== '.s'),
          k,
        ).map((s) => `${column}: ${s}`),
      );
  });
  return [...rare(shownCells(definition, m, m.report.quasiIdentifiers), k), ...numbers];
};

const canonical = (m: Microdata) => m.rows.map((r, i) => JSON.stringify([r, [...m.suppressed[i]!].sort()])).sort();

const blanksOf = (m: Microdata) => m.suppressed.reduce((sum, s) => sum + s.length, 0);

describe('the disclosure control in passes over the rows (plan, rank, release)', () => {
  const waves = [...Array.from({ length: 30 }, (_, i) => randomWave(900 + i, i % 2 ? WAVE_1 : WAVE_2)), bundledWave(WAVE_1), bundledWave(WAVE_2)];

  it('property: on random and bundled waves, each pass in its own order, every combination and every number as shown is held by k rows', () => {
    let split = 0;
    for (const [w, wave] of waves.entries()) {
      const rows = wave.responses.anonymous;
      for (const k of [3, 4]) {
        const random = seededRandom(w * 10 + k);
        const { plan, out } = twoPass(wave.definition, shuffled(rows, random), { k, random }, shuffled(rows, random), shuffled(rows, random));
        if (!plan.ranked) split++;
        expect(out.rows).toHaveLength(rows.length);
        expect(leaks(wave.definition, out, k), `wave ${w}, k = ${k}`).toEqual([]);
        // The report is true: it counts every cell the rows have withheld.
        const numberBlanks = out.report.numbers.reduce((sum, n) => sum + n.suppressed, 0);
        const width = (id: string) => {
          const item = itemsOf(partOf(wave.definition, 'anonymous')).find((i) => i.id === id)!;
          return kindOf(item).columns(item).length;
        };
        const { byItem, cells } = out.report.localSuppression;
        expect(Object.values(byItem).reduce((a, b) => a + b, 0)).toBe(cells);
        expect(blanksOf(out) - numberBlanks).toBe(out.report.quasiIdentifiers.reduce((sum, id) => sum + (byItem[id] ?? 0) * width(id), 0));
      }
    }
    // The control: some of these plans split a combination between blanks and none, so the ranking pass ran.
    expect(split).toBeGreaterThan(5);
  });

  it('gives the same cells as prepareMicrodata, whatever order each pass reads the rows in', () => {
    for (const wave of waves.slice(0, 10)) {
      const rows = wave.responses.anonymous;
      const inMemory = prepareMicrodata(wave.definition, rows, { random: seededRandom(1) });
      const random = seededRandom(2);
      const { out } = twoPass(wave.definition, shuffled(rows, random), {}, [...rows].reverse(), shuffled(rows, random));
      expect(canonical(out)).toEqual(canonical(inMemory));
      expect(out.report).toEqual({ ...inMemory.report, order: 'shuffled (CSPRNG)' });
    }
  });

  it("leaves the rows it is given as they were: a matrix whose numbers are coded is the released row's own copy", () => {
    const deepFreeze = <T>(value: T): T => {
      if (value !== null && typeof value === 'object') for (const inner of Object.values(value)) deepFreeze(inner);
      return Object.freeze(value);
    };
    let codedMatrices = 0;
    for (const wave of waves) {
      const rows = wave.responses.anonymous.map((row) => deepFreeze(structuredClone(row)));
      // Frozen: a pass that changed a row in place would throw here (modules are strict).
      const { out } = twoPass(wave.definition, rows, { k: 4 });
      expect(rows).toEqual(wave.responses.anonymous);
      out.rows.forEach((released, r) => {
        for (const [id, answer] of Object.entries(released)) {
          if (answer !== null && typeof answer === 'object' && !Array.isArray(answer) && answer !== rows[r]![id]) {
            expect(answer).not.toEqual(rows[r]![id]);
            codedMatrices++;
          }
        }
      });
    }
    // The control: some matrices were coded, so copied.
    expect(codedMatrices).toBeGreaterThan(10);
  });

  it('refuses rows that are not the rows planned (the answers changed between the passes); the same rows go through', () => {
    const wave = randomWave(901, WAVE_2);
    const rows = wave.responses.anonymous;
    const planOf = (input: readonly Answers[]) => {
      const planner = startMicrodataPlan(wave.definition);
      for (const row of input) planner.add(row);
      const plan = planner.plan();
      if (plan.ranked) return plan;
      const ranking = rankMicrodata(plan);
      for (const row of input) ranking.add(row);
      return ranking.finish();
    };
    // The control: the rows planned are released, and finish is content.
    const same = releaseMicrodata(planOf(rows));
    for (const row of rows) same.apply(row);
    expect(() => same.finish()).not.toThrow();
    // One row fewer in pass two.
    const fewer = releaseMicrodata(planOf(rows));
    for (const row of rows.slice(1)) fewer.apply(row);
    expect(() => fewer.finish()).toThrow(MicrodataPlanMismatch);
    // One row more, a copy of one planned: more rows of its combination than planned.
    const more = releaseMicrodata(planOf(rows));
    expect(() => [...rows, rows[0]!].forEach((row) => more.apply(row))).toThrow(MicrodataPlanMismatch);
    // A combination the plan never saw.
    const other = releaseMicrodata(planOf(rows));
    expect(() => other.apply({ extra_hours_band: 'not a code', admin_support: 'x', senior_team_member: 'y', budget_involvement: 'z' })).toThrow(
      MicrodataPlanMismatch,
    );
  });

  it('counts an answer withheld by the coding of a number apart from no answer, when the number is a quasi-identifier', () => {
    // groups_involved: 5 is held by one row, so coding withholds it (shown .s); two rows did not answer (shown empty).
    const values = [1, 1, 1, 5, 9, 9, 9, 20, 20, 20, undefined, undefined];
    const rows = values.map((v): Answers => (v === undefined ? { induction: 'yes' } : { induction: 'yes', groups_involved: v }));
    const out = prepareMicrodata(v2, rows, { k: 3, quasiIdentifiers: ['groups_involved'], random: seededRandom(1) });
    expect(out.report.numbers.find((n) => n.variable === 'groups_involved')?.suppressed).toBe(1);
    // Counted as one "not answered" class of three, the release would show '' twice and '.s' once.
    expect(rare(shownCells(v2, out, ['groups_involved']), 3)).toEqual([]);
    // Two cells blanked (the unanswered rows join the withheld one); the withheld answer is counted once, by the coding.
    expect(out.report.localSuppression).toEqual({ cells: 2, byItem: { groups_involved: 2 } });
    expect(out.suppressed.filter((s) => s.includes('groups_involved'))).toHaveLength(3);
  });
});

describe('local suppression over counted combinations', () => {
  const classesOf = (rows: readonly Combination[]) => {
    const counts = new Map<string, number>();
    for (const r of rows) counts.set(JSON.stringify(r.map((v) => v ?? null)), (counts.get(JSON.stringify(r.map((v) => v ?? null))) ?? 0) + 1);
    return counts;
  };

  it('property: each class is split into parts that add up to it, each part only blanks its values, every final combination is held by k, and the cells are counted', () => {
    const random = seededRandom(21);
    for (let t = 0; t < 60; t++) {
      const k = 2 + Math.floor(random() * 3);
      const width = 1 + Math.floor(random() * 4);
      const sizes = Array.from({ length: width }, () => 2 + Math.floor(random() * 4));
      const rows: Combination[] = Array.from({ length: k + Math.floor(random() * 30) }, () =>
        sizes.map((s) => (random() < 0.1 ? undefined : String(Math.floor(random() ** 2 * s)))),
      );
      const counted = [...classesOf(rows)].map(([key, count]) => ({ combination: (JSON.parse(key) as (string | null)[]).map((v) => v ?? undefined), count }));
      const { parts, cells } = suppressClasses(counted, k);
      const final = new Map<string, number>();
      let blanks = 0;
      counted.forEach((c, i) => {
        expect(parts[i]!.reduce((sum, p) => sum + p.count, 0)).toBe(c.count);
        for (const part of parts[i]!) {
          part.combination.forEach((v, j) => {
            if (v === c.combination[j]) return;
            expect(v).toBeUndefined();
            blanks += part.count;
          });
          const key = JSON.stringify(part.combination.map((v) => v ?? null));
          final.set(key, (final.get(key) ?? 0) + part.count);
        }
      });
      for (const count of final.values()) expect(count).toBeGreaterThanOrEqual(k);
      expect(blanks).toBe(cells);
      // The row version makes the same decisions.
      expect(suppressLocally(rows, k).blanked).toHaveLength(cells);
    }
  });

  it('decides over classes, not rows: 200,000 rows in 60 combinations are decided at once', () => {
    const random = seededRandom(5);
    const counted = Array.from({ length: 60 }, (_, i) => ({
      combination: [String(i % 5), String(i % 3), String(i % 4)] as Combination,
      count: i < 3 ? 1 : Math.floor(200_000 / 57) + Math.floor(random() * 10),
    }));
    const { parts, cells } = suppressClasses(counted, 3);
    expect(cells).toBeGreaterThan(0);
    expect(cells).toBeLessThanOrEqual(3 * 3 * 2);
    expect(parts.flat().reduce((sum, p) => sum + p.count, 0)).toBe(counted.reduce((sum, c) => sum + c.count, 0));
  });
});
