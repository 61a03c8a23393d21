import { describe, expect, it } from 'vitest';
import { meanCell, summaryCell } from '../../analysis/tables/cells.js';
import { meanCellOf, summaryCellOf } from '../../analysis/tables/column-statistics.js';
import type { NumberColumn } from '../../survey-definitions/index.js';

const columnOf = (values: readonly number[]): NumberColumn => ({ layout: 'number', values: Float64Array.from(values) });

/** A seeded generator (mulberry32), so a failure names a column that can be made again. */
const seeded = (seed: number) => () => {
  seed = (seed + 0x6d2b79f5) | 0;
  let t = Math.imul(seed ^ (seed >>> 15), 1 | seed);
  t = (t + Math.imul(t ^ (t >>> 7), 61 | t)) ^ t;
  return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
};

/** Each field compared with Object.is: the same to the last bit, a zero's sign included. */
const sameBits = (actual: Record<string, number | null>, expected: Record<string, number | null>) => {
  for (const key of Object.keys(expected)) expect(Object.is(actual[key], expected[key]), `${key}: ${actual[key]} against ${expected[key]}`).toBe(true);
};

describe('mean and summary cells read from a column (blanks as NaN), against simple-statistics over the answers alone', () => {
  it('are the same to the last bit on columns of decimals, large and small values and blanks at random', () => {
    const random = seeded(16);
    for (let c = 0; c < 300; c++) {
      const length = Math.floor(random() * 60);
      const blanks = random();
      const scale = 10 ** Math.floor(random() * 12 - 4);
      const values = Array.from({ length }, () => (random() < blanks ? NaN : Math.round((random() - 0.3) * scale * 1000) / 1000));
      const answered = values.filter((v) => !Number.isNaN(v));
      sameBits({ ...meanCellOf(columnOf(values)) }, { ...meanCell(answered) });
      sameBits({ ...summaryCellOf(columnOf(values)) }, { ...summaryCell(answered) });
    }
  });

  it('are the same with blanks before, between and after the answers, with zeros of either sign, and with no answer at all', () => {
    for (const values of [[NaN, -0, NaN, -0, NaN], [-0], [NaN, NaN, 0, NaN, -0], [NaN, NaN], []]) {
      const answered = values.filter((v) => !Number.isNaN(v));
      sameBits({ ...meanCellOf(columnOf(values)) }, { ...meanCell(answered) });
      sameBits({ ...summaryCellOf(columnOf(values)) }, { ...summaryCell(answered) });
    }
  });

  it('refuse a scratch array shorter than the column, which would drop answers', () => {
    const column = columnOf([1, 2, NaN, 4]);
    expect(() => meanCellOf(column, new Float64Array(3))).toThrow(/scratch array of 3 cannot hold a column of 4/);
    expect(() => summaryCellOf(column, new Float64Array(3))).toThrow(/scratch array of 3 cannot hold a column of 4/);
  });

  it('give the same median on long columns with many ties (where the selection samples), through one scratch array for all of them', () => {
    const random = seeded(17);
    const scratch = new Float64Array(5000);
    for (let c = 0; c < 40; c++) {
      const length = 600 + Math.floor(random() * 4400);
      const distinct = 1 + Math.floor(random() * 50);
      const values = Array.from({ length }, () => (random() < 0.3 ? NaN : Math.floor(random() * distinct) - (random() < 0.1 ? 0.5 : 0)));
      const answered = values.filter((v) => !Number.isNaN(v));
      sameBits({ ...summaryCellOf(columnOf(values), scratch) }, { ...summaryCell(answered) });
    }
  });
});
