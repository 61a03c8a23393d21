import type { Cell, Change, WaveTables } from './table-types.js';

export interface TidyRecord {
  readonly wave: string;
  readonly table: string;
  readonly row: string;
  readonly column: string;
  readonly field: string;
  readonly value: number | string | null;
}

export const tidyHeader = ['wave', 'table', 'row', 'column', 'field', 'value'] as const;

const cellFields = (cell: Cell): [string, number | null][] =>
  Object.entries(cell).flatMap(([field, value]): [string, number | null][] => {
    // The interval is a pair: ci_low and ci_high, empty together when n is 0.
    if (field === 'ci') {
      const ci = value as { low: number; high: number } | null;
      return [
        ['ci_low', ci?.low ?? null],
        ['ci_high', ci?.high ?? null],
      ];
    }
    return [[field, value as number | null]];
  });

const changeFields = (change: Change): [string, number | string | null][] => [
  ['difference', change.difference],
  ['test', change.test],
  ['p', change.p],
  ['verdict', change.verdict],
];

/**
 * One record per cell field, for spreadsheets and R: the wave, the table, row and column ids, the
 * field (n, count, pct, ci_low, mean, ...) and its unrounded value. Comparisons carry the wave pair; a
 * cell the other wave did not ask has its verdict only ("not asked in 2020-06").
 */
export const tablesAsTidy = (result: WaveTables): TidyRecord[] =>
  result.tables.flatMap((table) =>
    table.rows.flatMap((row) =>
      table.columns.flatMap((column) => {
        const records: TidyRecord[] = [];
        const push = (wave: string, fields: [string, number | string | null][]) =>
          fields.forEach(([field, value]) => records.push({ wave, table: table.id, row: row.id, column: column.id, field, value }));
        const cell = row.cells[column.id];
        if (cell) push(result.wave, cellFields(cell));
        const before = row.compare?.[column.id];
        if (before && table.compareWave) push(table.compareWave, cellFields(before));
        const change = row.change?.[column.id];
        if (change && table.compareWave) push(`${result.wave} vs ${table.compareWave}`, changeFields(change));
        // A question or option the other wave did not ask: said in words, never a change computed against nothing.
        const notCompared = row.notCompared ?? table.notCompared;
        if (!change && notCompared && result.compare) push(`${result.wave} vs ${result.compare.wave}`, [['verdict', notCompared]]);
        return records;
      }),
    ),
  );
