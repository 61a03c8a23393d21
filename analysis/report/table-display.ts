import type { DisclosureMode, ProtectedCell, ProtectedChange, ProtectedTable } from '../disclosure/disclosure-types.js';

/**
 * A table as people read it: rounded figures with their n and interval, in words a screen reader can
 * say. The dashboard, the comparison view and the draft report all show tables through this, so they
 * agree to the character with each other.
 */
export interface DisplayCell {
  /** The figure: "67%", "3.4", "median 5", or "Suppressed" / "No answers". */
  readonly value: string;
  /** What it rests on: "16 of 24", "n=24". */
  readonly basis: string;
  /** The 95 % interval of a proportion, "52% to 80%", when there is one. */
  readonly interval?: string;
  /**
   * Disclosure control: `suppressed` in a public table (no value shown), `primary` / `secondary` in the
   * analyst view (the value is shown, and marked as one a public table would hide).
   */
  readonly mark?: 'suppressed' | 'primary' | 'secondary';
}

export interface DisplayColumn {
  readonly label: string;
  /** The wave this column's figures come from. */
  readonly wave: string;
  /** The column of the table definition (`columns[].id`). */
  readonly columnId: string;
  /** A change column: this wave against the compared one. */
  readonly change?: true;
}

export interface DisplayRow {
  readonly label: string;
  /** One entry per display column: a cell, a change statement, or nothing (the item is absent there). */
  readonly cells: readonly (DisplayCell | { readonly change: string; readonly mark?: 'suppressed' } | null)[];
}

export interface DisplayTable {
  readonly id: string;
  readonly title: string;
  readonly note: string;
  readonly columns: readonly DisplayColumn[];
  readonly rows: readonly DisplayRow[];
}

const percent = (x: number) => `${Math.round(x)}%`;
const decimal = (x: number) => (Math.round(x * 10) / 10).toFixed(1);

const markOf = (cell: ProtectedCell, mode: DisclosureMode): DisplayCell['mark'] => {
  if (!cell.suppressed) return undefined;
  return mode === 'public' || cell.suppressed === true ? 'suppressed' : cell.suppressed;
};

export const displayCell = (cell: ProtectedCell, mode: DisclosureMode): DisplayCell => {
  const mark = markOf(cell, mode);
  const marked = mark ? { mark } : {};
  const n = `n=${cell.n}`;
  if (mode === 'public' && cell.suppressed) return { value: 'Suppressed', basis: n, mark: 'suppressed' };
  if ('pct' in cell) {
    if (cell.pct === null || cell.count === null) return { value: cell.n === 0 ? 'No answers' : 'Suppressed', basis: n, ...marked };
    return {
      value: percent(cell.pct),
      basis: `${cell.count} of ${cell.n}`,
      ...(cell.ci ? { interval: `${percent(cell.ci.low)} to ${percent(cell.ci.high)}` } : {}),
      ...marked,
    };
  }
  if ('median' in cell) {
    if (cell.median === null) return { value: cell.n === 0 ? 'No answers' : 'Suppressed', basis: n, ...marked };
    const range = cell.min !== null && cell.max !== null && mode === 'analyst' ? `, range ${cell.min} to ${cell.max} (not for publication)` : '';
    return { value: `median ${cell.median}`, basis: `mean ${cell.mean === null ? '–' : decimal(cell.mean)}, ${n}${range}`, ...marked };
  }
  if (cell.mean === null) return { value: cell.n === 0 ? 'No answers' : 'Suppressed', basis: n, ...marked };
  return { value: decimal(cell.mean), basis: cell.sd === null ? n : `SD ${decimal(cell.sd)}, ${n}`, ...marked };
};

const displayChange = (change: ProtectedChange) => (change.suppressed ? { change: change.statement, mark: 'suppressed' as const } : { change: change.statement });

/**
 * Columns: each of the table's columns for this wave, and when compared, the compared wave's column
 * and the change beside it, so a row reads left to right as "now, then, what changed".
 */
export const displayTable = (table: ProtectedTable, wave: string, mode: DisclosureMode): DisplayTable => {
  const compareWave = table.compareWave;
  const columns: DisplayColumn[] = table.columns.flatMap((c) => {
    const label = table.columns.length > 1 ? c.label : 'Result';
    if (!compareWave) return [{ label, wave, columnId: c.id }];
    return [
      { label: `${label}, ${wave}`, wave, columnId: c.id },
      { label: `${label}, ${compareWave}`, wave: compareWave, columnId: c.id },
      { label: `${table.columns.length > 1 ? `${c.label}: change` : 'Change'}`, wave, columnId: c.id, change: true as const },
    ];
  });
  const rows: DisplayRow[] = table.rows.map((row) => ({
    label: row.label,
    cells: columns.map((column) => {
      if (column.change) {
        const change = row.change?.[column.columnId];
        return change ? displayChange(change) : null;
      }
      const source = column.wave === wave ? row.cells : row.compare;
      const cell = source?.[column.columnId];
      return cell ? displayCell(cell, mode) : null;
    }),
  }));
  return { id: table.id, title: table.title, note: table.note, columns, rows };
};
