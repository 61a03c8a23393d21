import { stringify as stringifySync, type Options } from 'csv-stringify/sync';
import { describe, expect, it } from 'vitest';
import { csvRecords, csvText, spreadsheetSafe, type CsvCell } from '../../server/csv/csv-writer.js';
import { seededRandom } from './respondent-helpers.js';

/**
 * The CSV writer is written by hand for speed (issue 16); what it writes must stay byte for byte what
 * csv-stringify wrote when the writer configured it (these options are the ones it had), on every
 * cell that reaches a quote, a guard or a trimmed edge, and on cells made at random from those
 * characters.
 */
const before: Options = { record_delimiter: 'windows', quoted_match: [/[\r\n]/, /^\s/, /\s$/], cast: { string: spreadsheetSafe } };

const awkward: readonly CsvCell[] = [
  '',
  'plain',
  'two words',
  ' ',
  ' leading',
  'trailing ',
  '\u00a0no-break first',
  'no-break last\u00a0',
  '\ufeffbom first',
  'line\u2028separator',
  'first line\nsecond line',
  'a carriage\rreturn',
  'windows\r\nline end\r\n',
  'she said "no", twice',
  '"',
  '""',
  ',',
  'comma, inside',
  '=SUM(1)',
  '=HYPERLINK("http://evil.example","click")',
  '+1+2',
  '+44 141 555 0000',
  '-3+cmd',
  '-',
  '--',
  '@SUM(A1:A9)',
  '@',
  "'",
  "'hello",
  "'=already quoted",
  "''=y",
  '\t=tab first',
  '\ttab',
  '\rreturn first',
  ' =not a formula after a space',
  '-0.5',
  '.5',
  '5.',
  '1e5',
  '-1E-7',
  '0',
  '27',
  'sometimes',
  'lt10',
  'a;b',
  'Gàidhlig, Ł, ß, 中文, 🙂',
  'Zoë',
  'del\u007f',
  'tab\tinside',
  0,
  -0.05,
  3,
  1e21,
  1e-7,
  Number.NaN,
];

/** Cells of up to six characters drawn from the ones the rules are about. */
const randomCells = (count: number, seed: number): string[] => {
  const random = seededRandom(seed);
  const alphabet = ['a', 'Z', '1', '0', '.', 'e', '-', '=', '+', '@', "'", '"', ',', '\r', '\n', '\t', ' ', '\u00a0', '\ufeff', 'é', '中'];
  return Array.from({ length: count }, () => Array.from({ length: random.int(7) }, () => random.pick(alphabet)).join(''));
};

const recordsOf = (cells: readonly CsvCell[], width: number): CsvCell[][] => {
  const records: CsvCell[][] = [];
  for (let i = 0; i < cells.length; i += width) records.push(cells.slice(i, i + width));
  return records;
};

describe('the CSV writer', () => {
  it('writes what csv-stringify wrote, cell by cell, on awkward cells and on random ones', () => {
    for (const cell of [...awkward, ...randomCells(5000, 16)]) {
      expect(csvText([[cell]]), JSON.stringify(cell)).toBe(stringifySync([[cell]], before));
    }
  });

  it('writes what csv-stringify wrote for whole files, with and without a byte order mark, and for none', () => {
    const records = recordsOf([...awkward, ...randomCells(3000, 17)], 7);
    for (const bom of [false, true]) {
      expect(csvText(records, { bom })).toBe(stringifySync(records, { ...before, bom }));
      expect(csvText([], { bom })).toBe(stringifySync([], { ...before, bom }));
      expect(csvText([[]], { bom })).toBe(stringifySync([[]], { ...before, bom }));
    }
    expect(csvRecords(records.slice(1))).toBe(stringifySync(records.slice(1), before));
  });

  it('writes a missing cell as csv-stringify did (empty) and refuses a cell that is neither text nor a number, naming its column', () => {
    const loose = [['a', undefined, null, 'b']] as unknown as CsvCell[][];
    expect(csvText(loose)).toBe(stringifySync(loose, before));
    expect(() => csvText([['a', true as unknown as CsvCell]])).toThrow('CSV column 2: expected text or a number, got boolean');
  });
});
