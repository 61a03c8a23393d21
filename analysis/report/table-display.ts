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
  /** The table column's own label, without the wave ("Result" for a one-column table). */
  readonly columnLabel: string;
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
  readonly cells: readonly (DisplayCell | DisplayChange | null)[];
}

export interface DisplayChange {
  /** The whole statement, figures of both waves included, oldest first. */
  readonly change: string;
  /** The verdict and its test alone, for a table whose other columns give the figures. */
  readonly verdict: string;
  /** Either wave's figure showed evidence of change. */
  readonly evidence?: true;
  readonly mark?: 'suppressed' | 'secondary';
}

export interface DisplayTable {
  readonly id: string;
  readonly title: string;
  /** What the figures are: proportions, means, or medians of counts. */
  readonly kind: ProtectedTable['kind'];
  readonly note: string;
  readonly columns: readonly DisplayColumn[];
  readonly rows: readonly DisplayRow[];
  /** In a comparison, why the table has no compared figures: "Not asked in 2020-06". */
  readonly notCompared?: string;
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

const sentenceCase = (text: string) => text.charAt(0).toUpperCase() + text.slice(1);

const displayChange = (change: ProtectedChange, mode: DisclosureMode): DisplayChange => {
  if (change.suppressed && (mode === 'public' || change.suppressed === true)) {
    return { change: change.statement, verdict: 'Not shown: a figure of this comparison is suppressed', mark: 'suppressed' };
  }
  // The statement ends "...: <verdict> (<test and p>)" or "...: not comparable, <why>".
  const verdict = change.verdict === null ? change.statement : change.statement.slice(change.statement.lastIndexOf(`: ${change.verdict}`) + 2);
  return {
    change: change.statement,
    verdict: sentenceCase(verdict),
    ...(change.verdict === 'evidence of change' ? { evidence: true as const } : {}),
    ...(change.suppressed ? { mark: 'secondary' as const } : {}),
  };
};

/**
 * Columns: each of the table's columns for this wave, and when compared, the compared wave's column
 * first, so a row reads left to right as "then, now, what changed": oldest wave first, as in the
 * charts' legends and the change statements.
 */
export const displayTable = (table: ProtectedTable, wave: string, mode: DisclosureMode): DisplayTable => {
  const compareWave = table.compareWave;
  const columns: DisplayColumn[] = table.columns.flatMap((c) => {
    const label = table.columns.length > 1 ? c.label : 'Result';
    if (!compareWave) return [{ label, columnLabel: label, wave, columnId: c.id }];
    return [
      { label: `${label}, ${compareWave}`, columnLabel: label, wave: compareWave, columnId: c.id },
      { label: `${label}, ${wave}`, columnLabel: label, wave, columnId: c.id },
      { label: `${table.columns.length > 1 ? `${c.label}: change` : 'Change'}`, columnLabel: label, wave, columnId: c.id, change: true as const },
    ];
  });
  const rows: DisplayRow[] = table.rows.map((row) => ({
    label: row.label,
    cells: columns.map((column) => {
      if (column.change) {
        const change = row.change?.[column.columnId];
        return change ? displayChange(change, mode) : null;
      }
      const source = column.wave === wave ? row.cells : row.compare;
      const cell = source?.[column.columnId];
      return cell ? displayCell(cell, mode) : null;
    }),
  }));
  return {
    id: table.id,
    title: table.title,
    kind: table.kind,
    note: table.note,
    columns,
    rows,
    ...(table.notCompared ? { notCompared: sentenceCase(table.notCompared) } : {}),
  };
};
