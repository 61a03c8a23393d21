import type { Interval } from '../statistics/wilson-interval.js';
import type { AnalysisTable, Change, TableRow, Verdict, WaveTables } from '../table-types.js';

/**
 * `public`: a suppressed cell's values are removed (null) and it says only that it is suppressed.
 * `analyst`: every value stays; cells a public table would suppress are marked with the reason.
 */
export type DisclosureMode = 'public' | 'analyst';

/**
 * `primary`: the count itself is small (below k, or within k of n), or a mean or summary rests on fewer
 * than k answers. `secondary`: suppressed so that a primary cell cannot be worked out from a total.
 */
export type SuppressionReason = 'primary' | 'secondary';

/**
 * Analyst tables say why a cell is suppressed; public tables say only that it is (`true`). Which cells
 * are primary would narrow them down: a primary count is below k or above n - k, a secondary one is not.
 */
export type SuppressionMark = SuppressionReason | true;

interface Marked {
  /** Present only on a suppressed cell; in a public table its values are null, never 0. */
  readonly suppressed?: SuppressionMark;
}

/** A proportion after disclosure control: `n` is always published; `count`, `pct`, `ci` are null when suppressed. */
export interface ProtectedShareCell extends Marked {
  readonly n: number;
  readonly count: number | null;
  readonly pct: number | null;
  readonly ci: Interval | null;
}

export interface ProtectedMeanCell extends Marked {
  readonly n: number;
  readonly mean: number | null;
  readonly sd: number | null;
}

/** Fields of a summary withheld although the cell as a whole is published: its extremes. */
export type WithheldField = 'min' | 'max';

export interface ProtectedSummaryCell extends Marked {
  readonly n: number;
  readonly median: number | null;
  readonly min: number | null;
  readonly max: number | null;
  readonly mean: number | null;
  /**
   * The minimum and maximum are each one respondent's exact answer: a public table withholds them
   * (null), an analyst table keeps them and lists them here.
   */
  readonly withheld?: readonly WithheldField[];
}

export type ProtectedCell = ProtectedShareCell | ProtectedMeanCell | ProtectedSummaryCell;

/** A wave comparison after disclosure control: suppressed when either of its two cells is. */
export interface ProtectedChange extends Marked {
  readonly difference: number | null;
  readonly test: Change['test'];
  readonly p: number | null;
  /** Null when suppressed: "evidence of change" would say how far the hidden value is from the other. */
  readonly verdict: Verdict | null;
  readonly statement: string;
}

export interface ProtectedRow extends Omit<TableRow, 'cells' | 'compare' | 'change'> {
  readonly cells: Readonly<Record<string, ProtectedCell>>;
  /** The compared wave's cells, suppressed exactly as that wave's own table suppresses them. */
  readonly compare?: Readonly<Record<string, ProtectedCell>>;
  readonly change?: Readonly<Record<string, ProtectedChange>>;
}

export interface ProtectedTable extends Omit<AnalysisTable, 'rows'> {
  readonly rows: readonly ProtectedRow[];
}

export interface DisclosureSummary {
  readonly mode: DisclosureMode;
  readonly k: number;
  /** Cells (this wave's and the compared wave's) and changes suppressed, over all tables. */
  readonly suppressedCells: number;
  /** The split, in analyst mode only: in a public table it would say how many counts are small. */
  readonly primary?: number;
  readonly secondary?: number;
  /** What a reader of the tables is told. */
  readonly note: string;
}

export interface ProtectedWaveTables extends Omit<WaveTables, 'tables'> {
  readonly tables: readonly ProtectedTable[];
  readonly disclosure: DisclosureSummary;
}

export interface DisclosureOptions {
  /** The threshold: counts below k (or within k of n) and statistics of fewer than k answers are suppressed. Default 3. */
  readonly k?: number;
  /** Default `public`, so that forgetting the option never publishes a small cell. */
  readonly mode?: DisclosureMode;
}

export const defaultK = 3;

export const checkedK = (k: number | undefined): number => {
  const value = k ?? defaultK;
  if (!Number.isInteger(value) || value < 1) throw new RangeError(`k must be a whole number of at least 1, not ${value}`);
  return value;
};
