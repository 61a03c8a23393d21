import { describe, expect, it } from 'vitest';
import { codeCounts, noCode, type CodeColumn } from '../../survey-definitions/index.js';

/** A seeded generator (mulberry32), so a failure names a column that can be made again. */
const seeded = (seed: number) => () => {
  seed = (seed + 0x6d2b79f5) | 0;
  let t = Math.imul(seed ^ (seed >>> 15), 1 | seed);
  t = (t + Math.imul(t ^ (t >>> 7), 61 | t)) ^ t;
  return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
};

/** Each code counted one row at a time, the plain way. */
const countedOneByOne = (column: CodeColumn) => {
  const counts = column.codes.map(() => 0);
  let n = 0;
  for (const v of column.values) {
    if (v === noCode) continue;
    n++;
    counts[v]!++;
  }
  return { n, counts };
};

describe('codeCounts: how many responses gave a code, and each code', () => {
  it('counts as one row at a time would, whatever the length of the column (the four tallies and the rows left over)', () => {
    const random = seeded(18);
    for (let c = 0; c < 200; c++) {
      const codes = Array.from({ length: 1 + Math.floor(random() * 12) }, (_, i) => `code_${i}`);
      const length = Math.floor(random() * 70);
      const blanks = random();
      // Runs of one code as well as codes at random: rows that give the same code in turn are what the tallies are for.
      const run = random() < 0.3;
      const first = Math.floor(random() * codes.length);
      const values = Uint16Array.from({ length }, () => (random() < blanks ? noCode : run ? first : Math.floor(random() * codes.length)));
      const column: CodeColumn = { layout: 'code', codes, values };
      expect(codeCounts(column), `column ${c}: ${[...values].join(' ')}`).toEqual(countedOneByOne(column));
    }
  });

  it('counts an empty column and a column of blanks as nobody answering', () => {
    expect(codeCounts({ layout: 'code', codes: ['a', 'b'], values: new Uint16Array(0) })).toEqual({ n: 0, counts: [0, 0] });
    expect(codeCounts({ layout: 'code', codes: ['a'], values: new Uint16Array(7).fill(noCode) })).toEqual({ n: 0, counts: [0] });
  });
});
