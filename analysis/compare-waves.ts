import { fisherExact } from './statistics/fisher-exact.js';
import { permutationTest } from './statistics/permutation-test.js';
import type { TableSpec } from './table-catalogue.js';
import { isShareCell } from './tables/cells.js';
import type { TableBuilder } from './tables/table-builder.js';
import type { AnalysisTable, Cell, Change, TableRow, Verdict } from './table-types.js';
import type { PartColumns } from './wave-columns.js';

export const significance = 0.05;

/** What a comparison says of a question, option or row one wave was not asked: never a zero or a change against nothing. */
export const notAsked = (wave: string) => `not asked in ${wave}`;

// Below the threshold by more than rounding: an exact p of 0.05 (0 of 2 against 12 of 14) sums to
// 0.04999999999999977 in floating point, and p = 0.05 is not p < 0.05.
const verdictOf = (p: number | null): Verdict =>
  p === null ? 'not comparable' : p < significance * (1 - 1e-9) ? 'evidence of change' : 'no evidence of change';

const round = (x: number) => Math.round(x);
// Three places below 0.1, so a p of 0.048 never reads as 0.05.
const pValue = (p: number) => (p < 0.001 ? '< 0.001' : `= ${p.toFixed(p < 0.1 ? 3 : 2)}`);

const describeCell = (cell: Cell): string => {
  if (isShareCell(cell)) return cell.pct === null ? 'no answers' : `${round(cell.pct)}% (n=${cell.n})`;
  return cell.mean === null ? 'no answers' : `a mean of ${Number(cell.mean.toFixed(1))} (n=${cell.n})`;
};

interface Waves {
  readonly wave: string;
  readonly compareWave: string;
  readonly columns: PartColumns;
  readonly compareColumns: PartColumns;
}

const compareCell = (spec: TableSpec, builder: TableBuilder, rowId: string, now: Cell, before: Cell, waves: Waves): Change => {
  const span = `${describeCell(before)} in ${waves.compareWave} to ${describeCell(now)} in ${waves.wave}`;
  if (isShareCell(now) && isShareCell(before)) {
    if (now.n === 0 || before.n === 0 || now.pct === null || before.pct === null) {
      return { difference: null, test: 'fisher-exact', p: null, verdict: 'not comparable', statement: `${span}: not comparable, a wave has no answers` };
    }
    const p = fisherExact(now.count, now.n - now.count, before.count, before.n - before.count);
    const verdict = verdictOf(p);
    return { difference: now.pct - before.pct, test: 'fisher-exact', p, verdict, statement: `${span}: ${verdict} (Fisher's exact p ${pValue(p)})` };
  }
  const result = builder.values ? permutationTest(builder.values(spec, rowId, waves.columns), builder.values(spec, rowId, waves.compareColumns)) : null;
  if (!result) {
    return { difference: null, test: 'permutation', p: null, verdict: 'not comparable', statement: `${span}: not comparable, a wave has no answers` };
  }
  const verdict = verdictOf(result.p);
  return {
    difference: result.difference,
    test: 'permutation',
    p: result.p,
    verdict,
    statement: `${span}: ${verdict} (permutation test of means, ${result.resamples} resamples, p ${pValue(result.p)})`,
  };
};

/**
 * Adds the compared wave's cells to each row, with the difference and a test suited to tiny n:
 * Fisher's exact test for proportions, a permutation test for means. Rows (options by code, matrix rows
 * by id) and columns are matched by id; one missing from either wave is left uncompared rather than
 * read as zero, and a row the compared wave lacks says it was not asked there.
 */
export const compareTables = (spec: TableSpec, builder: TableBuilder, now: AnalysisTable, before: AnalysisTable, waves: Waves): AnalysisTable => {
  const rows: TableRow[] = now.rows.map((row) => {
    const old = before.rows.find((r) => r.id === row.id);
    if (!old) return { ...row, notCompared: notAsked(waves.compareWave) };
    const compare: Record<string, Cell> = {};
    const change: Record<string, Change> = {};
    for (const [column, cell] of Object.entries(row.cells)) {
      const previous = old.cells[column];
      if (!previous) continue;
      compare[column] = previous;
      change[column] = compareCell(spec, builder, row.id, cell, previous, waves);
    }
    return { ...row, compare, change };
  });
  return { ...now, rows, compareWave: waves.compareWave };
};
