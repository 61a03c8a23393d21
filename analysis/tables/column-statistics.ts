import { quantileSorted, quickselect } from 'simple-statistics';
import type { NumberColumn } from '../../survey-definitions/index.js';
import type { MeanCell, SummaryCell } from '../table-types.js';

/*
 * Means and summaries read from a number column (NaN: no answer) with simple-statistics' arithmetic
 * step for step (mean: its compensated sum over the answers in response order; sd: the sum of squared
 * deviations from that mean in the same order), so a cell is the same to the last bit as the one
 * cells.ts makes from the answers gathered in an array.
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

/**
 * Writes the answered values, in order, to the start of `into` (as long as the column at least) and
 * gives their count. Every value is written and only an answer moves the end on, so no branch skips the
 * blanks, which fall at random and would be mispredicted; the sums then run over answers alone.
 */
const compactInto = (values: Float64Array, into: Float64Array): number => {
  // A typed array drops a write past its end without a word: the cell would then be wrong, not refused.
  if (into.length < values.length) throw new RangeError(`a scratch array of ${into.length} cannot hold a column of ${values.length} answers`);
  let n = 0;
  for (let i = 0; i < values.length; i++) {
    const v = values[i]!;
    into[n] = v;
    n += +(v === v);
  }
  return n;
};

/** simple-statistics' `sum` (Kahan-Babuska) of the first n values. */
const compensatedSum = (values: Float64Array, n: number): number => {
  let sum = values[0]!;
  let correction = 0;
  for (let i = 1; i < n; i++) {
    const v = values[i]!;
    const transition = sum + v;
    if (Math.abs(sum) >= Math.abs(v)) correction += sum - transition + v;
    else correction += v - transition + sum;
    sum = transition;
  }
  return sum + correction;
};

const squaredDeviations = (values: Float64Array, n: number, mean: number): number => {
  let sum = 0;
  for (let i = 0; i < n; i++) {
    const d = values[i]! - mean;
    sum += d * d;
  }
  return sum;
};

/** A scratch array for the answers of the columns of one part, which a table's rows can share. */
export const scratchFor = (column: NumberColumn): Float64Array => new Float64Array(column.values.length);

export const meanCellOf = (column: NumberColumn, scratch: Float64Array = scratchFor(column)): MeanCell => {
  const n = compactInto(column.values, scratch);
  if (n === 0) return { n, mean: null, sd: null };
  const mean = compensatedSum(scratch, n) / n;
  return { n, mean, sd: n < 2 ? null : Math.sqrt(squaredDeviations(scratch, n, mean) / (n - 1)) };
};

/**
 * A table of several number items passes one `scratch` for all its rows: a fresh array of a million
 * answers per cell is 8 MB the engine counts against its heap, and allocating it took about as long as
 * the selection of the median.
 */
export const summaryCellOf = (column: NumberColumn, scratch: Float64Array = scratchFor(column)): SummaryCell => {
  const answered = scratch;
  const n = compactInto(column.values, answered);
  if (n === 0) return { n: 0, median: null, min: null, max: null, mean: null };
  const given = answered.subarray(0, n);
  let min = given[0]!;
  let max = given[0]!;
  for (let i = 1; i < n; i++) {
    const v = given[i]!;
    if (v < min) min = v;
    if (v > max) max = v;
  }
  // The mean first, over the answers in response order; selecting the median then reorders them.
  const mean = compensatedSum(given, n) / n;
  return { n, median: medianOf(given), min, max, mean };
};

/**
 * simple-statistics' median, in place: its `median` selects the middle order statistics (Floyd-Rivest,
 * `quickselect`) in a copy of the array, then reads them (`quantileSorted`). The answers here are
 * already a scratch copy, so the selection runs on them: at a million answers the library's copy cost
 * more than the selection (a summary cell took 42 ms). Same steps on the same values in the same order,
 * so the same median to the last bit (column-statistics.test.ts compares them).
 */
const medianOf = (answers: Float64Array): number => {
  const n = answers.length;
  const lower = Math.floor((n - 1) / 2);
  const upper = Math.ceil((n - 1) / 2);
  // simple-statistics' selection and reading work on any indexable array.
  const values = answers as unknown as number[];
  quickselect(values, lower, 0, n - 1);
  if (upper !== lower) quickselect(values, upper, upper, n - 1);
  return quantileSorted(values, 0.5);
};
