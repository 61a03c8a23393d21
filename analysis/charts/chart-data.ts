import type { TopLevelSpec } from 'vega-lite';
import type { ProtectedCell, ProtectedTable } from '../disclosure/disclosure-types.js';
import type { AnalysisTable, Cell } from '../table-types.js';

export type ChartSpec = TopLevelSpec;

/** A table as built, or after disclosure control (a suppressed cell has no value and is drawn as none). */
export type ChartTable = AnalysisTable | ProtectedTable;

/** One datum per row, column and wave: the flat shape every chart reads. */
export interface ChartDatum {
  readonly row: string;
  readonly rowId: string;
  readonly column: string;
  readonly columnId: string;
  readonly wave: string;
  readonly n: number;
  readonly value: number | null;
  readonly count?: number;
  readonly low?: number;
  readonly high?: number;
  readonly median?: number | null;
  readonly min?: number | null;
  readonly max?: number | null;
  /** Disclosure control withheld this value (public) or would withhold it (analyst view). */
  readonly suppressed?: boolean;
}

const datum = (table: ChartTable, rowId: string, row: string, columnId: string, cell: Cell | ProtectedCell, wave: string): ChartDatum => {
  const column = table.columns.find((c) => c.id === columnId)?.label ?? columnId;
  const base = { row, rowId, column, columnId, wave, n: cell.n, ...('suppressed' in cell && cell.suppressed ? { suppressed: true } : {}) };
  if ('pct' in cell) {
    return { ...base, value: cell.pct, ...(cell.count === null ? {} : { count: cell.count }), ...(cell.ci ? { low: cell.ci.low, high: cell.ci.high } : {}) };
  }
  if ('median' in cell) return { ...base, value: cell.median, median: cell.median, min: cell.min, max: cell.max };
  return { ...base, value: cell.mean };
};

export const chartData = (table: ChartTable, wave: string): ChartDatum[] =>
  table.rows.flatMap((row) => [
    ...Object.entries(row.cells).map(([columnId, cell]) => datum(table, row.id, row.label, columnId, cell, wave)),
    ...Object.entries(row.compare ?? {}).map(([columnId, cell]) => datum(table, row.id, row.label, columnId, cell, table.compareWave!)),
  ]);

/** Row labels in table order, so charts keep the questionnaire's order instead of sorting alphabetically. */
export const rowOrder = (table: ChartTable): string[] => table.rows.map((r) => r.label);

export const waveOrder = (table: ChartTable, wave: string): string[] => (table.compareWave ? [table.compareWave, wave] : [wave]);

const show = (d: ChartDatum, percent: boolean) =>
  d.value === null ? (d.suppressed ? 'suppressed' : 'no answers') : percent ? `${Math.round(d.value)}%${d.count !== undefined ? ` (${d.count} of ${d.n})` : ''}` : `${Number(d.value.toFixed(1))} (n=${d.n})`;

/** A plain-language description of every value, for screen readers (the chart's `description`). */
export const describeData = (kind: string, table: ChartTable, data: readonly ChartDatum[], percent: boolean): string => {
  const parts = data.map((d) => `${d.row}${table.columns.length > 1 ? `, ${d.column}` : ''}${table.compareWave ? `, ${d.wave}` : ''}: ${show(d, percent)}`);
  return `${kind} of ${table.title}. ${parts.join('; ')}.`;
};

/** The table's n when every cell shares it (single-question tables), for the chart's title. */
export const commonN = (data: readonly ChartDatum[], wave: string): number | undefined => {
  const ns = new Set(data.filter((d) => d.wave === wave).map((d) => d.n));
  return ns.size === 1 ? [...ns][0] : undefined;
};

export const titleOf = (table: ChartTable, data: readonly ChartDatum[], wave: string) => {
  const n = commonN(data, wave);
  const compared = table.compareWave ? `${table.compareWave} and ${wave}` : wave;
  return {
    text: n === undefined ? table.title : `${table.title} (n=${n})`,
    subtitle: n === undefined ? `Wave ${compared}; each row has its own n` : `Wave ${compared}`,
  };
};
