import { median } from 'simple-statistics';
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
  let n = 0;
  for (let i = 0; i < values.length; i++) {
    const v = values[i]!;
    into[n] = v;
    n += +(v === v);
  }
  return n;
};

/**
 * The mean cell's sums read straight from the column, blanks and all, in two passes that write nothing
 * (the answers were first gathered into a scratch array, a third pass and 8 MB written a column at a
 * million responses): a blank adds nothing to each sum instead of being skipped, as a branch on blanks,
 * which fall at random, would be mispredicted. To Kahan-Babuska's sum a blank adds negative zero, the
 * one number whose addition changes no number (`x + -0` is `x`, even for a zero), so the sum and its
 * correction (`sum - sum + -0` adds zero) are the same to the last bit as over the answers alone; to the
 * sum of squares it adds zero, which a sum of squares (never negative zero) takes as it is. The sum
 * starts at the first answer, as simple-statistics' does.
 */
const answeredSum = (values: Float64Array): { n: number; sum: number } => {
  let first = 0;
  while (first < values.length && values[first] !== values[first]) first++;
  if (first === values.length) return { n: 0, sum: 0 };
  let sum = values[first]!;
  let correction = 0;
  let n = 1;
  for (let i = first + 1; i < values.length; i++) {
    const given = values[i]!;
    const answered = given === given;
    n += +answered;
    const v = answered ? given : -0;
    const transition = sum + v;
    if (Math.abs(sum) >= Math.abs(v)) correction += sum - transition + v;
    else correction += v - transition + sum;
    sum = transition;
  }
  return { n, sum: sum + correction };
};

const answeredSquaredDeviations = (values: Float64Array, mean: number): number => {
  let sum = 0;
  for (let i = 0; i < values.length; i++) {
    const v = values[i]!;
    const d = v === v ? v - mean : 0;
    sum += d * d;
  }
  return sum;
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

export const meanCellOf = (column: NumberColumn): MeanCell => {
  const { n, sum } = answeredSum(column.values);
  if (n === 0) return { n, mean: null, sd: null };
  const mean = sum / n;
  return { n, mean, sd: n < 2 ? null : Math.sqrt(answeredSquaredDeviations(column.values, mean) / (n - 1)) };
};

export const summaryCellOf = (column: NumberColumn): SummaryCell => {
  const answered = new Float64Array(column.values.length);
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
  // simple-statistics' selection works on any indexable array; the median's value does not depend on how it is selected.
  return { n, median: median(given as unknown as number[]), min, max, mean: compensatedSum(given, n) / n };
};
