import type { DisclosureMode, ProtectedCell, ProtectedChange, ProtectedTable } from '../disclosure/disclosure-types.js';

/**
 * A table for a spreadsheet: one record per row, column and wave with every figure unrounded, so a
 * download can be re-charted or re-rounded without reading numbers off a page. A suppressed figure
 * is an empty field with `status` saying why, never a 0. In a comparison, a question or option the
 * compared wave was not asked has "not asked in <wave>" as its verdict.
 */
export const tableRecordHeader = [
  'table',
  'row',
  'column',
  'wave',
  'n',
  'count',
  'percent',
  'ci_low',
  'ci_high',
  'mean',
  'sd',
  'median',
  'status',
  'change',
  'p',
  'verdict',
] as const;

export type TableRecord = Readonly<Record<(typeof tableRecordHeader)[number], string>>;

const text = (x: number | null | undefined): string => (x === null || x === undefined ? '' : String(x));

const statusOf = (cell: ProtectedCell | ProtectedChange, mode: DisclosureMode): string => {
  if (!cell.suppressed) return '';
  if (mode === 'public' || cell.suppressed === true) return 'suppressed';
  return `shown to analysts only: a public table suppresses it (${cell.suppressed})`;
};

const cellFields = (cell: ProtectedCell) => {
  if ('pct' in cell) return { count: text(cell.count), percent: text(cell.pct), ci_low: text(cell.ci?.low), ci_high: text(cell.ci?.high) };
  if ('median' in cell) return { median: text(cell.median), mean: text(cell.mean) };
  return { mean: text(cell.mean), sd: text(cell.sd) };
};

const empty: TableRecord = Object.fromEntries(tableRecordHeader.map((h) => [h, ''])) as TableRecord;

export const tableRecords = (table: ProtectedTable, wave: string, mode: DisclosureMode): TableRecord[] =>
  table.rows.flatMap((row) =>
    table.columns.flatMap((column) => {
      const base = { ...empty, table: table.id, row: row.label, column: column.label };
      const out: TableRecord[] = [];
      // Oldest wave first, as on the pages: the compared wave, then this one with the change.
      const before = row.compare?.[column.id];
      if (before && table.compareWave) out.push({ ...base, wave: table.compareWave, n: text(before.n), ...cellFields(before), status: statusOf(before, mode) });
      const now = row.cells[column.id];
      const change = row.change?.[column.id];
      if (now) {
        out.push({
          ...base,
          wave,
          n: text(now.n),
          ...cellFields(now),
          status: [statusOf(now, mode), change ? statusOf(change, mode) : ''].filter(Boolean).join('; '),
          ...(change ? { change: text(change.difference), p: text(change.p), verdict: change.verdict ?? '' } : {}),
          // A question or option the compared wave was not asked: said, rather than left blank like a suppressed change.
          ...(!change && (table.notCompared ?? row.notCompared) ? { verdict: (table.notCompared ?? row.notCompared)! } : {}),
        });
      }
      return out;
    }),
  );
