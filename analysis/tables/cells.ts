import { max, mean, median, min, sampleStandardDeviation } from 'simple-statistics';
import { wilsonInterval } from '../statistics/wilson-interval.js';
import type { MeanCell, ShareCell, SummaryCell } from '../table-types.js';

export const shareCell = (count: number, n: number): ShareCell => ({
  n,
  count,
  pct: n === 0 ? null : (count / n) * 100,
  ci: wilsonInterval(count, n),
});

export const meanCell = (values: readonly number[]): MeanCell => ({
  n: values.length,
  mean: values.length === 0 ? null : mean([...values]),
  sd: values.length < 2 ? null : sampleStandardDeviation([...values]),
});

export const summaryCell = (values: readonly number[]): SummaryCell =>
  values.length === 0
    ? { n: 0, median: null, min: null, max: null, mean: null }
    : { n: values.length, median: median([...values]), min: min([...values]), max: max([...values]), mean: mean([...values]) };

export const isShareCell = (cell: unknown): cell is ShareCell => typeof cell === 'object' && cell !== null && 'count' in cell && 'pct' in cell;
