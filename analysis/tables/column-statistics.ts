import { median } from 'simple-statistics';
import type { NumberColumn } from '../../survey-definitions/index.js';
import type { MeanCell, SummaryCell } from '../table-types.js';

/*
 * Means and summaries read straight from a number column (NaN: no answer), with simple-statistics'
 * arithmetic step for step (mean: its compensated sum over the answers in response order; sd: the sum
 * of squared deviations from that mean in the same order), so a cell is the same to the last bit as
 * the one cells.ts makes from the answers gathered in an array, without gathering them.
 */

/** The answered values in response order, for the permutation test. */
export const answeredValues = (column: NumberColumn): number[] => {
  const out: number[] = [];
  const { values } = column;
  for (let i = 0; i < values.length; i++) {
    const v = values[i]!;
    if (v === v) out.push(v);
  }
  return out;
};

/** simple-statistics' `sum` (Kahan-Babuska) over the answered values, with their count. */
const compensatedSum = (values: Float64Array): { n: number; sum: number } => {
  let n = 0;
  let sum = 0;
  let correction = 0;
  for (let i = 0; i < values.length; i++) {
    const v = values[i]!;
    if (v !== v) continue;
    if (n++ === 0) {
      sum = v;
      continue;
    }
    const transition = sum + v;
    if (Math.abs(sum) >= Math.abs(v)) correction += sum - transition + v;
    else correction += v - transition + sum;
    sum = transition;
  }
  return { n, sum: sum + correction };
};

const squaredDeviations = (values: Float64Array, mean: number): number => {
  let sum = 0;
  for (let i = 0; i < values.length; i++) {
    const v = values[i]!;
    if (v !== v) continue;
    const d = v - mean;
    sum += d * d;
  }
  return sum;
};

export const meanCellOf = (column: NumberColumn): MeanCell => {
  const { n, sum } = compensatedSum(column.values);
  if (n === 0) return { n, mean: null, sd: null };
  const mean = sum / n;
  return { n, mean, sd: n < 2 ? null : Math.sqrt(squaredDeviations(column.values, mean) / (n - 1)) };
};

export const summaryCellOf = (column: NumberColumn): SummaryCell => {
  const answered = Float64Array.from(answeredValues(column));
  if (answered.length === 0) return { n: 0, median: null, min: null, max: null, mean: null };
  let min = answered[0]!;
  let max = answered[0]!;
  for (let i = 1; i < answered.length; i++) {
    const v = answered[i]!;
    if (v < min) min = v;
    if (v > max) max = v;
  }
  const { n, sum } = compensatedSum(answered);
  // simple-statistics' quickselect works on any indexable array; the median's value does not depend on how it is selected.
  return { n, median: median(answered as unknown as number[]), min, max, mean: sum / n };
};
